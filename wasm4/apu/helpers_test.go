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

// renderSchedule renders frames frames of a Synth as WASM-4 does (each
// frame's tones, its tick, its samples) and returns the interleaved
// stereo output as APU.Render gives it.
func renderSchedule(calls []timed, frames int) []float32 {
	p := play(piece{updates: frames, calls: calls})
	out := make([]float32, len(p))
	for i, v := range p {
		out[i] = float32(v) / 32768
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

func peakAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

func near(got, want, relTol float64) bool {
	return math.Abs(got-want) <= relTol*math.Abs(want)
}
