package apu

import (
	"math"
	"testing"
)

// toneCall is one tone() call.
type toneCall struct{ freq, dur, vol, flags uint32 }

// timed is a tone() call given during update frame.
type timed struct {
	frame int
	toneCall
}

// renderSchedule renders frames frames of a Synth, giving each call at the
// start of its frame, and returns the interleaved stereo output.
func renderSchedule(calls []timed, frames int) []float32 {
	var s Synth
	out := make([]float32, 2*frames*SamplesPerFrame)
	i := 0
	for f := range frames {
		for i < len(calls) && calls[i].frame == f {
			c := calls[i]
			s.Tone(c.freq, c.dur, c.vol, c.flags)
			i++
		}
		s.Render(out[2*f*SamplesPerFrame : 2*(f+1)*SamplesPerFrame])
	}
	return out
}

// renderTone renders one tone given at frame 0 for frames frames.
func renderTone(freq, dur, vol, flags uint32, frames int) []float32 {
	return renderSchedule([]timed{{0, toneCall{freq, dur, vol, flags}}}, frames)
}

// side returns the left (0) or right (1) samples of interleaved stereo.
func side(buf []float32, ch int) []float64 {
	x := make([]float64, len(buf)/2)
	for i := range x {
		x[i] = float64(buf[2*i+ch])
	}
	return x
}

// window returns the samples of frames [from, to) of a mono signal.
func window(x []float64, from, to int) []float64 {
	return x[from*SamplesPerFrame : to*SamplesPerFrame]
}

// risingCrossings returns the fractional sample positions where x crosses
// from <= 0 to > 0, by linear interpolation.
func risingCrossings(x []float64) []float64 {
	var pos []float64
	for i := 1; i < len(x); i++ {
		if x[i-1] <= 0 && x[i] > 0 {
			pos = append(pos, float64(i-1)+(-x[i-1])/(x[i]-x[i-1]))
		}
	}
	return pos
}

// measureHz estimates the fundamental of a periodic signal from the spacing
// of its first and last rising zero crossings.
func measureHz(t *testing.T, x []float64) float64 {
	t.Helper()
	c := risingCrossings(x)
	if len(c) < 3 {
		t.Fatalf("only %d rising zero crossings", len(c))
	}
	return float64(len(c)-1) * SampleRate / (c[len(c)-1] - c[0])
}

// crossingRate returns sign changes per second.
func crossingRate(x []float64) float64 {
	n := 0
	for i := 1; i < len(x); i++ {
		if (x[i-1] > 0) != (x[i] > 0) {
			n++
		}
	}
	return float64(n) * SampleRate / float64(len(x))
}

func rms(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s / float64(len(x)))
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func peakAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

// goertzel returns the power of x at hz, normalised by len(x).
func goertzel(x []float64, hz float64) float64 {
	w := 2 * math.Pi * hz / SampleRate
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range x {
		s1, s2 = v+c*s1-s2, s1
	}
	return (s1*s1 + s2*s2 - c*s1*s2) / float64(len(x))
}

func near(got, want, relTol float64) bool {
	return math.Abs(got-want) <= relTol*math.Abs(want)
}

// bandPower averages goertzel over 32 frequencies evenly spread in [lo, hi).
func bandPower(x []float64, lo, hi float64) float64 {
	var s float64
	for i := range 32 {
		s += goertzel(x, lo+(hi-lo)*float64(i)/32)
	}
	return s / 32
}
