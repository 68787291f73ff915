package apu

import (
	"math"
	"slices"
	"testing"
	"time"
)

// The golden WAVs pin the samples; these tests say, one property at a
// time, what they are, with WASM-4's numbers.

// left returns the left samples of play(p) as ints.
func leftOf(p piece) []int {
	s := play(p)
	out := make([]int, len(s)/2)
	for i := range out {
		out[i] = int(s[2*i])
	}
	return out
}

func tone1(frame int, freq, dur, vol, flags uint32, updates int) piece {
	return piece{updates: updates, calls: []timed{call(frame, freq, dur, vol, flags)}}
}

// TestLevels checks the channels' amplitudes: MaxVolume (0x1333) for the
// pulses and the noise at volume 100, MaxVolumeTriangle (0x2000) for the
// triangle, scaled by volume/100 with the integer division WASM-4 does.
func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		name      string
		freq, vol uint32
		flags     uint32
		want      int
	}{
		{"pulse 100", 441, 100, TonePulse1 | ToneMode3, MaxVolume},
		{"pulse 50", 441, 50, TonePulse2 | ToneMode3, MaxVolume * 50 / 100},
		{"pulse 7", 441, 7, TonePulse1 | ToneMode3, MaxVolume * 7 / 100},
		{"pulse over 100 is 100", 441, 250, TonePulse1 | ToneMode3, MaxVolume},
		// A triangle's samples fall just short of its peak.
		{"triangle 100", 441, 100, ToneTriangle, MaxVolumeTriangle - 1},
		{"triangle 30", 441, 30, ToneTriangle, MaxVolumeTriangle*30/100 - 1},
		{"noise 100", 1000, 100, ToneNoise, MaxVolume},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := leftOf(tone1(0, tc.freq, 10, tc.vol, tc.flags, 10))
			peak := 0
			for _, v := range x {
				peak = max(peak, v, -v)
			}
			if peak != tc.want {
				t.Fatalf("peak %d, want %d", peak, tc.want)
			}
		})
	}
}

// TestDuty checks the pulse duty modes as WASM-4 plays them: 12.5, 25 and
// 50 %, and 25 % again for mode 4 (documented as 75 %).
func TestDuty(t *testing.T) {
	for mode, want := range []float64{0.125, 0.25, 0.5, 0.25} {
		x := leftOf(tone1(0, 441, 30, 100, TonePulse1|uint32(mode)<<2, 30))
		high := 0
		for _, v := range x[:30*SamplesPerFrame] {
			if v > 0 {
				high++
			}
		}
		if got := float64(high) / float64(30*SamplesPerFrame); math.Abs(got-want) > 0.01 {
			t.Errorf("mode %d: high %.3f of the time, want %.3f", mode, got, want)
		}
	}
}

// TestFrequency measures each tonal channel's period from its rising
// zero crossings.
func TestFrequency(t *testing.T) {
	for _, flags := range []uint32{TonePulse1 | ToneMode3, TonePulse2 | ToneMode3, ToneTriangle} {
		for _, hz := range []uint32{110, 441, 1000, 3150} {
			x := leftOf(tone1(0, hz, 60, 100, flags, 60))
			f := make([]float64, len(x))
			for i, v := range x {
				f[i] = float64(v)
			}
			if got := measureHz(t, f[:59*SamplesPerFrame]); math.Abs(got-float64(hz)) > float64(hz)*0.002 {
				t.Errorf("flags %#x, %d Hz: measured %.2f Hz", flags, hz, got)
			}
		}
	}
}

// TestEnvelope checks the envelope's corners on a 50 % pulse: the attack
// rises from 0 to the peak, the decay falls to the sustain level, which
// holds, and the release falls to 0; the tone stops at its end.
func TestEnvelope(t *testing.T) {
	// A 441 Hz square at 44.1 kHz has a period of 100 samples: its
	// largest magnitude around sample n is the envelope there.
	x := leftOf(tone1(0, 441, Duration(4, 4, 4, 4), Volume(80, 40), TonePulse1|ToneMode3, 20))
	env := func(frame int) int {
		m := 0
		for _, v := range x[frame*SamplesPerFrame : frame*SamplesPerFrame+100] {
			m = max(m, v, -v)
		}
		return m
	}
	peak, sustain := MaxVolume*80/100, MaxVolume*40/100
	for _, c := range []struct {
		frame int
		lo    int
		hi    int
	}{
		{0, 0, peak / 4},            // the attack starts at 0
		{2, peak / 2, peak * 3 / 4}, // half way up
		{4, peak - 60, peak},        // the peak
		{6, sustain + (peak-sustain)/2 - 60, sustain + (peak-sustain)/2 + 60},
		{8, sustain, sustain},  // the sustain level
		{11, sustain, sustain}, // holds
		{14, sustain/2 - 60, sustain/2 + 60},
		{16, 0, 0}, // ended
	} {
		if got := env(c.frame); got < c.lo || got > c.hi {
			t.Errorf("frame %d: envelope %d, want %d..%d", c.frame, got, c.lo, c.hi)
		}
	}
}

// TestTriangleRelease: a triangle tone without a release gets one of 1 ms
// (44 samples), so that it does not stop with a click; a pulse tone stops
// at once.
func TestTriangleRelease(t *testing.T) {
	for _, tc := range []struct {
		flags uint32
		last  int // the last sample that may sound
	}{{ToneTriangle, 2*SamplesPerFrame + triangleRelease - 1}, {TonePulse1 | ToneMode3, 2*SamplesPerFrame - 1}} {
		x := leftOf(tone1(0, 500, 2, 100, tc.flags, 4))
		last := -1
		for i, v := range x {
			if v != 0 {
				last = i
			}
		}
		if last != tc.last && last != tc.last-1 {
			t.Errorf("flags %#x: the last sample sounding is %d, want %d", tc.flags, last, tc.last)
		}
	}
}

// TestPan: pan 1 plays on the left only, 2 on the right only, 0 and 3 on
// both.
func TestPan(t *testing.T) {
	for pan, want := range [4][2]bool{{true, true}, {true, false}, {false, true}, {true, true}} {
		s := play(tone1(0, 441, 5, 100, TonePulse1|ToneMode3|uint32(pan)<<4, 5))
		var got [2]bool
		for i, v := range s {
			if v != 0 {
				got[i%2] = true
			}
		}
		if got != want {
			t.Errorf("pan %d: sounds on (left, right) %v, want %v", pan, got, want)
		}
	}
}

// TestStartTiming: a tone given during update n starts at sample 735n.
func TestStartTiming(t *testing.T) {
	x := leftOf(tone1(3, 441, 2, 100, TonePulse1|ToneMode3, 8))
	first := -1
	for i, v := range x {
		if v != 0 {
			first = i
			break
		}
	}
	if first < 3*SamplesPerFrame || first > 3*SamplesPerFrame+1 {
		t.Fatalf("the tone given during update 3 starts at sample %d, want %d", first, 3*SamplesPerFrame)
	}
}

// TestPhase: a tone on a channel still playing goes on from its phase (no
// click); one on a silent channel restarts it.
func TestPhase(t *testing.T) {
	s := NewSynth()
	s.Tone(441, 10, 100, TonePulse1|ToneMode3)
	s.Tick()
	buf := make([]int16, 2*SamplesPerFrame)
	s.Render(buf)
	before := s.ch[0].phase
	s.Tone(882, 10, 100, TonePulse1|ToneMode3)
	if s.ch[0].phase != before {
		t.Errorf("a tone on a playing channel moved its phase from %v to %v", before, s.ch[0].phase)
	}
	for range 20 {
		s.Tick()
		s.Render(buf)
	}
	s.Tone(441, 10, 100, TonePulse1|ToneMode3)
	s.Tone(441, 10, 100, ToneTriangle)
	if s.ch[0].phase != 0 || s.ch[2].phase != 0.25 {
		t.Errorf("tones on silent channels start at phases %v (pulse) and %v (triangle), want 0 and 0.25", s.ch[0].phase, s.ch[2].phase)
	}
}

// TestNoiseRegister: the noise channel's register is a 16-bit xorshift
// (>>7, <<9, >>13) from 1, and each step outputs ±1 from its low bit.
func TestNoiseRegister(t *testing.T) {
	seed := uint16(1)
	var want []int16
	for range 8 {
		seed ^= seed >> 7
		seed ^= seed << 9
		seed ^= seed >> 13
		want = append(want, int16(2*(seed&1))-1)
	}
	// At 6641 Hz the register steps 6641²/10^6 = 44.1 times a sample:
	// too fast to check; at 210 Hz, 0.0441 times, about every 23 samples.
	x := leftOf(tone1(0, 210, 10, 100, ToneNoise, 2))
	var got []int16
	prev := 0
	for _, v := range x {
		if v != 0 && v != prev {
			got = append(got, int16(v/MaxVolume))
			prev = v
		}
	}
	// Repeats of a level are invisible in the output: compare the runs.
	var runs []int16
	for _, v := range want {
		if len(runs) == 0 || runs[len(runs)-1] != v {
			runs = append(runs, v)
		}
	}
	if len(got) < len(runs) {
		t.Fatalf("%d noise levels, want at least %d", len(got), len(runs))
	}
	for i := range runs {
		if got[i] != runs[i] {
			t.Fatalf("noise levels %v, want them to start %v", got[:len(runs)], runs)
		}
	}
}

// TestSlide: a slide moves the frequency linearly over the whole tone.
func TestSlide(t *testing.T) {
	x := leftOf(tone1(0, Frequency(220, 880), 60, 100, TonePulse1|ToneMode3, 60))
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	for _, c := range []struct {
		frame int
		hz    float64
	}{{5, 220 + 660*5.5/60}, {30, 220 + 660*30.5/60}, {55, 220 + 660*55.5/60}} {
		got := measureHz(t, f[c.frame*SamplesPerFrame:(c.frame+1)*SamplesPerFrame])
		if math.Abs(got-c.hz) > c.hz*0.03 {
			t.Errorf("frame %d: %.1f Hz, want about %.1f", c.frame, got, c.hz)
		}
	}
}

// TestRenderOdd: an odd last element is set to 0 and not rendered.
func TestRenderOdd(t *testing.T) {
	s := NewSynth()
	buf := []int16{5, 5, 5}
	s.Render(buf)
	if buf[2] != 0 || s.Clock() != 1 {
		t.Fatalf("Render of 3 samples: %v, clock %d; want the last 0 and clock 1", buf, s.Clock())
	}
}

// TestNoiseSteps: noiseSteps gives the register and phase WASM-4's loop
// does, wherever that loop ends (up to 2^24, and 2^24+2).
func TestNoiseSteps(t *testing.T) {
	loop := func(seed uint16, phase float32) (uint16, float32) {
		for phase > 0 {
			phase--
			seed = noiseStep(seed)
		}
		return seed, phase
	}
	phases := []float32{1e-30, 0.25, 1, 7.5, 8, 8.000001, 9, 63.5, 64, 64.000004, 65, 100.1, 1000.001, 4295.5, 65535.99, 1 << 20, 1<<20 + 0.5, 1<<24 - 1, 1 << 24, 1<<24 + 2}
	for i := range 200 {
		phases = append(phases, float32(i)*97.37+float32(i%7)/7)
	}
	for _, seed := range []uint16{1, 0xace1, 0xffff, 0} {
		for _, p := range phases {
			ws, wp := loop(seed, p)
			gs, gp := noiseSteps(seed, p)
			if gs != ws || math.Float32bits(gp) != math.Float32bits(wp) {
				t.Fatalf("seed %#x phase %v: got register %#x phase %v, want %#x %v", seed, p, gs, gp, ws, wp)
			}
		}
	}
}

// TestHighNoiseEnds: a note too high for WASM-4's noise loop to end
// (its phase past 2^24, where phase-- is a no-op in 32-bit floats), and
// the highest frequencies of both modes, render a frame in bounded time.
func TestHighNoiseEnds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		freq  uint32
		flags uint32
	}{
		{"note 255", uint32(Note(255, 255)), ToneNoise | ToneNoteMode},
		{"note 190", uint32(Note(190, 0)), ToneNoise | ToneNoteMode},
		{"65535 Hz", 65535, ToneNoise},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan []int, 1)
			go func() { done <- leftOf(tone1(0, tc.freq, 10, 100, tc.flags, 3)) }()
			select {
			case x := <-done:
				if !slices.ContainsFunc(x, func(v int) bool { return v != 0 }) {
					t.Fatal("the noise is silent")
				}
			case <-time.After(20 * time.Second):
				t.Fatal("rendering 3 frames of the noise did not end in 20 s")
			}
		})
	}
}
