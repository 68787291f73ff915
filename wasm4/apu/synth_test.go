package apu

import (
	"fmt"
	"math"
	"testing"
)

// TestFrequency checks the pitch of each tonal channel, in Hz and in note
// mode, by zero crossings over a sustained tone.
func TestFrequency(t *testing.T) {
	tests := []struct {
		name  string
		freq  uint32
		flags uint32
		want  float64
	}{
		{"pulse1 440 Hz 50%", 440, TonePulse1 | ToneMode3, 440},
		{"pulse1 110 Hz 75%", 110, TonePulse1 | ToneMode4, 110},
		{"pulse2 1000 Hz 12.5%", 1000, TonePulse2 | ToneMode1, 1000},
		{"pulse2 5000 Hz 25%", 5000, TonePulse2 | ToneMode2, 5000},
		{"pulse1 55 Hz 12.5%", 55, TonePulse1, 55},
		{"triangle 220 Hz", 220, ToneTriangle, 220},
		{"triangle 3520 Hz", 3520, ToneTriangle, 3520},
		{"triangle ignores duty", 330, ToneTriangle | ToneMode1, 330},
		{"note mode A4 pulse1", uint32(Note(69, 0)), TonePulse1 | ToneMode3 | ToneNoteMode, 440},
		{"note mode C4 pulse2", uint32(Note(60, 0)), TonePulse2 | ToneNoteMode, 261.6255653},
		{"note mode A4 + 128/256 bend", uint32(Note(69, 128)), TonePulse1 | ToneNoteMode, 440 * math.Exp2(0.5/12)},
		{"note mode A2 + 64/256 bend triangle", uint32(Note(45, 64)), ToneTriangle | ToneNoteMode, 110 * math.Exp2(0.25/12)},
		{"note mode C8 triangle", uint32(Note(108, 0)), ToneTriangle | ToneNoteMode, 4186.009045},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := renderTone(tt.freq, 40, 100, tt.flags, 40)
			x := window(side(out, 0), 2, 38)
			if got := measureHz(t, x); !near(got, tt.want, 0.002) {
				t.Errorf("measured %.3f Hz, want %.3f Hz", got, tt.want)
			}
		})
	}
}

// TestDutyCycle checks the fraction of positive samples of each pulse mode.
func TestDutyCycle(t *testing.T) {
	for mode, want := range []float64{0.125, 0.25, 0.5, 0.75} {
		for _, ch := range []uint32{TonePulse1, TonePulse2} {
			t.Run(fmt.Sprintf("ch%d_mode%d", ch, mode), func(t *testing.T) {
				// 441 Hz: exactly 100 samples per period.
				x := window(side(renderTone(441, 70, 100, ch|uint32(mode)<<2, 70), 0), 1, 61)
				pos := 0
				for _, v := range x {
					if v > 0 {
						pos++
					}
				}
				if got := float64(pos) / float64(len(x)); math.Abs(got-want) > 0.015 {
					t.Errorf("positive fraction %.4f, want %.4f", got, want)
				}
				if m := mean(x); math.Abs(m) > 0.002 {
					t.Errorf("mean %.5f, want ~0 (zero-mean pulse)", m)
				}
			})
		}
	}
}

// envelopeAt is the reference ADSR amplitude (0-1) at sample t.
func envelopeAt(p Params, t int) float64 {
	a, d, s, r := p.Attack*SamplesPerFrame, p.Decay*SamplesPerFrame, p.Sustain*SamplesPerFrame, p.Release*SamplesPerFrame
	peak, sus := float64(p.PeakVolume)/100, float64(p.SustainVolume)/100
	switch {
	case t < a:
		return peak * float64(t) / float64(a)
	case t < a+d:
		return peak + (sus-peak)*float64(t-a)/float64(d)
	case t < a+d+s:
		return sus
	case t < a+d+s+r:
		return sus * (1 - float64(t-a-d-s)/float64(r))
	}
	return 0
}

// TestEnvelope checks per-frame RMS levels of each channel against the
// reference ADSR shape: attack rising to the peak, decay falling to the
// sustain level, sustain flat, release to silence and exact zeros after.
func TestEnvelope(t *testing.T) {
	type shape struct {
		name string
		dur  uint32
		vol  uint32
	}
	shapes := []shape{
		{"ADSR 6/6/6/6 peak 80 sustain 40", Duration(6, 6, 6, 6), Volume(80, 40)},
		{"attack only", Duration(10, 0, 0, 0), Volume(0, 50)},
		{"decay from default peak 100", Duration(0, 12, 4, 0), Volume(0, 20)},
		{"sustain and release", Duration(0, 0, 8, 16), Volume(0, 70)},
		{"plain duration 20", 20, 60},
		{"sustain 0 volume, release", Duration(4, 4, 4, 4), Volume(100, 0)},
	}
	channels := []struct {
		name  string
		freq  uint32
		flags uint32
	}{
		// 420 Hz: a whole number of periods (7) per frame, so per-frame
		// RMS does not depend on where the frame cuts the waveform.
		{"pulse1", 420, TonePulse1 | ToneMode3},
		{"pulse2", 420, TonePulse2 | ToneMode1},
		{"triangle", 420, ToneTriangle},
		{"noise", 8000, ToneNoise},
	}
	for _, ch := range channels {
		// Calibrate: RMS per unit amplitude of this waveform at full volume.
		unit := rms(window(side(renderTone(ch.freq, 60, 100, ch.flags, 60), 0), 1, 59)) / ChannelGain
		for _, sh := range shapes {
			t.Run(ch.name+"/"+sh.name, func(t *testing.T) {
				p := DecodeTone(ch.freq, sh.dur, sh.vol, ch.flags)
				frames := p.Frames()
				x := side(renderTone(ch.freq, sh.dur, sh.vol, ch.flags, frames+5), 0)
				tol := 0.015
				if ch.name == "noise" {
					tol = 0.06 // noise RMS fluctuates from frame to frame
				}
				for f := range frames {
					var e2 float64
					for i := range SamplesPerFrame {
						e := envelopeAt(p, f*SamplesPerFrame+i)
						e2 += e * e
					}
					want := unit * ChannelGain * math.Sqrt(e2/SamplesPerFrame)
					got := rms(window(x, f, f+1))
					if math.Abs(got-want) > tol*unit*ChannelGain*float64(max(p.PeakVolume, p.SustainVolume))/100+1e-9 {
						t.Errorf("frame %d: RMS %.5f, want %.5f", f, got, want)
					}
				}
				for i, v := range x[frames*SamplesPerFrame:] {
					if v != 0 {
						t.Fatalf("sample %d after the tone's end is %v, want 0", i, v)
					}
				}
			})
		}
	}
}

// TestEnvelopeShape checks the envelope's direction in each phase using
// peak sample levels.
func TestEnvelopeShape(t *testing.T) {
	var s Synth
	// 12.5 % duty: its high level is the pulse's full-scale excursion.
	s.Tone(441, Duration(10, 10, 10, 10), Volume(100, 50), TonePulse1|ToneMode1)
	buf := make([]float32, 2*SamplesPerFrame)
	levels := make([]float64, 0, 45)
	for range 45 {
		s.Render(buf)
		levels = append(levels, peakAbs(side(buf, 0)))
	}
	for f := 1; f < 10; f++ {
		if levels[f] <= levels[f-1] {
			t.Errorf("attack: frame %d peak %.4f not above frame %d's %.4f", f, levels[f], f-1, levels[f-1])
		}
	}
	if !near(levels[9], ChannelGain, 0.01) {
		t.Errorf("end of attack peak %.4f, want %.4f", levels[9], ChannelGain)
	}
	for f := 11; f < 20; f++ {
		if levels[f] >= levels[f-1] {
			t.Errorf("decay: frame %d peak %.4f not below frame %d's %.4f", f, levels[f], f-1, levels[f-1])
		}
	}
	for f := 21; f < 30; f++ {
		if !near(levels[f], ChannelGain/2, 0.01) {
			t.Errorf("sustain: frame %d peak %.4f, want %.4f", f, levels[f], ChannelGain/2)
		}
	}
	for f := 31; f < 40; f++ {
		if levels[f] >= levels[f-1] {
			t.Errorf("release: frame %d peak %.4f not below frame %d's %.4f", f, levels[f], f-1, levels[f-1])
		}
	}
	if levels[39] > ChannelGain/2/10+1e-6 {
		t.Errorf("last release frame peak %.4f, want <= %.4f", levels[39], ChannelGain/20)
	}
	for f := 40; f < 45; f++ {
		if levels[f] != 0 {
			t.Errorf("after the tone: frame %d peak %v, want 0", f, levels[f])
		}
	}
	if s.Active(0) {
		t.Error("channel 0 still active after its tone ended")
	}
}

// TestSlide checks that a pitch slide moves linearly in Hz over the whole
// tone (attack+decay+sustain+release).
func TestSlide(t *testing.T) {
	tests := []struct {
		name     string
		freq     uint32
		dur      uint32
		flags    uint32
		from, to float64
	}{
		{"pulse up 200->1000 Hz", Frequency(200, 1000), 60, TonePulse1 | ToneMode3, 200, 1000},
		{"pulse2 down 1500->300 Hz ADSR", Frequency(1500, 300), Duration(10, 10, 30, 10), TonePulse2 | ToneMode2, 1500, 300},
		{"triangle up 100->400 Hz", Frequency(100, 400), 60, ToneTriangle, 100, 400},
		{"note mode A3->A4", Frequency(Note(57, 0), Note(69, 0)), 60, TonePulse1 | ToneMode3 | ToneNoteMode, 220, 440},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DecodeTone(tt.freq, tt.dur, 100, tt.flags)
			total := p.Frames()
			x := side(renderTone(tt.freq, tt.dur, Volume(100, 100), tt.flags, total), 0)
			for _, w := range [][2]int{{total/2 - 2, total/2 + 2}, {total - 16, total - 12}, {12, 16}} {
				mid := float64(w[0]+w[1]) / 2 * SamplesPerFrame
				want := tt.from + (tt.to-tt.from)*mid/float64(total*SamplesPerFrame)
				if got := measureHz(t, window(x, w[0], w[1])); !near(got, want, 0.01) {
					t.Errorf("frames %v: %.2f Hz, want %.2f Hz", w, got, want)
				}
			}
		})
	}
	t.Run("noise crossing rate rises", func(t *testing.T) {
		x := side(renderTone(Frequency(1000, 16000), 60, 100, ToneNoise, 60), 0)
		lo, hi := crossingRate(window(x, 0, 10)), crossingRate(window(x, 50, 60))
		if hi < 4*lo {
			t.Errorf("crossing rate %.0f/s at the start, %.0f/s at the end: want a clear rise", lo, hi)
		}
	})
}

// TestPan checks silence on the far side of a panned tone and equal sides
// for a centred one, on every channel.
func TestPan(t *testing.T) {
	for ch := range 4 {
		for _, pan := range []Pan{PanCenter, PanLeft, PanRight} {
			t.Run(fmt.Sprintf("ch%d_pan%d", ch, pan), func(t *testing.T) {
				out := renderTone(600, 10, 100, Flags(ch, 2, pan), 10)
				l, r := side(out, 0), side(out, 1)
				pl, pr := peakAbs(l), peakAbs(r)
				switch pan {
				case PanLeft:
					if pr != 0 || pl < ChannelGain/2 {
						t.Errorf("left pan: left peak %v, right peak %v", pl, pr)
					}
				case PanRight:
					if pl != 0 || pr < ChannelGain/2 {
						t.Errorf("right pan: left peak %v, right peak %v", pl, pr)
					}
				default:
					for i := range l {
						if l[i] != r[i] {
							t.Fatalf("centre: sample %d left %v != right %v", i, l[i], r[i])
						}
					}
					if pl < ChannelGain/2 {
						t.Errorf("centre: peak %v", pl)
					}
				}
			})
		}
	}
}

// TestReplace checks that a new tone on a channel replaces the old one at
// once, and that tones on other channels are unaffected.
func TestReplace(t *testing.T) {
	out := renderSchedule([]timed{
		{0, toneCall{440, 60, 100, TonePulse1 | ToneMode3 | TonePanLeft}},
		{0, toneCall{330, 60, 100, ToneTriangle | TonePanRight}},
		{20, toneCall{880, 10, 50, TonePulse1 | ToneMode1 | TonePanLeft}},
		{25, toneCall{660, 10, 100, TonePulse2 | TonePanLeft}},
	}, 45)
	l, r := side(out, 0), side(out, 1)
	if got := measureHz(t, window(l, 1, 20)); !near(got, 440, 0.002) {
		t.Errorf("before replacement: %.2f Hz, want 440", got)
	}
	if got := measureHz(t, window(l, 20, 25)); !near(got, 880, 0.002) {
		t.Errorf("after replacement: %.2f Hz, want 880", got)
	}
	if got := peakAbs(window(l, 21, 25)); !near(got, ChannelGain/2, 0.01) {
		t.Errorf("after replacement: peak %.4f, want the new tone's %.4f", got, ChannelGain/2)
	}
	// The replacement (10 frames from frame 20) and pulse 2 (10 frames from
	// frame 25) are over by frame 35, although the first tone ran to 60.
	if got := peakAbs(window(l, 35, 45)); got != 0 {
		t.Errorf("left side after the replacing tones ended: peak %v, want 0", got)
	}
	// The triangle on the other channel plays on regardless.
	if got := measureHz(t, window(r, 1, 45)); !near(got, 330, 0.002) {
		t.Errorf("triangle: %.2f Hz, want 330", got)
	}
	if got := peakAbs(window(r, 1, 45)); !near(got, ChannelGain, 0.01) {
		t.Errorf("triangle peak %.4f, want %.4f", got, ChannelGain)
	}
}

// TestSilencingTones checks tones that produce nothing: zero frequency and
// zero duration. Both still replace the channel's previous tone.
func TestSilencingTones(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    toneCall
	}{
		{"zero frequency", toneCall{0, 30, 100, TonePulse1}},
		{"zero duration", toneCall{440, 0, 100, TonePulse1}},
		{"zero volume", toneCall{440, 30, 0, TonePulse1}},
		{"above Nyquist", toneCall{30000, 30, 100, TonePulse1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := renderSchedule([]timed{{0, toneCall{440, 60, 100, TonePulse1}}, {5, tt.c}}, 30)
			if got := peakAbs(side(out, 0)[5*SamplesPerFrame:]); got != 0 {
				t.Errorf("peak after the silencing tone %v, want 0", got)
			}
		})
	}
}

// TestMixNoClip plays all four channels at full volume and checks that the
// mix is the plain sum of the channels and never exceeds full scale.
func TestMixNoClip(t *testing.T) {
	sets := [][4]toneCall{
		{
			{440, 60, 100, TonePulse1 | ToneMode1},
			{660, 60, 100, TonePulse2 | ToneMode4},
			{220, 60, 100, ToneTriangle},
			{6000, 60, 100, ToneNoise},
		},
		{ // high pitches: PolyBLEP regions overlap, must not overshoot
			{Frequency(8000, 21000), 60, 100, TonePulse1 | ToneMode1},
			{Frequency(21000, 5000), 60, 100, TonePulse2 | ToneMode4},
			{15000, 60, 100, ToneTriangle},
			{60000, 60, 100, ToneNoise},
		},
		{ // same frequency, in phase: the worst case for the sum
			{100, 60, 100, TonePulse1 | ToneMode1},
			{100, 60, 100, TonePulse2 | ToneMode1},
			{100, 60, 100, ToneTriangle},
			{50, 60, 100, ToneNoise},
		},
	}
	for i, set := range sets {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			var all []timed
			sum := make([]float64, 2*60*SamplesPerFrame)
			for _, c := range set {
				all = append(all, timed{0, c})
				one := renderTone(c.freq, c.dur, c.vol, c.flags, 60)
				if p := peakAbs(side(one, 0)); p > ChannelGain+1e-6 {
					t.Errorf("channel %d alone peaks at %v > %v", c.flags&3, p, ChannelGain)
				}
				for j, v := range one {
					sum[j] += float64(v)
				}
			}
			mix := renderSchedule(all, 60)
			var peak float64
			for j, v := range mix {
				peak = max(peak, math.Abs(float64(v)))
				if math.Abs(float64(v)-sum[j]) > 1e-6 {
					t.Fatalf("sample %d: mix %v != sum of channels %v", j, v, sum[j])
				}
			}
			if peak > 1 {
				t.Errorf("mix peaks at %v > 1", peak)
			}
			if i == 2 && peak < 0.7 {
				t.Errorf("in-phase mix peaks at only %v", peak)
			}
		})
	}
}

// TestNoise checks that noise has near-zero mean, a crossing rate that
// follows its clock frequency, and energy spread across the spectrum.
func TestNoise(t *testing.T) {
	for _, hz := range []float64{500, 4000, 12000} {
		t.Run(fmt.Sprint(hz), func(t *testing.T) {
			x := window(side(renderTone(uint32(hz), 62, 100, ToneNoise, 62), 0), 1, 61)
			// The mean of n random +-1 clocks has standard deviation
			// 1/sqrt(n); allow 3 of them.
			if m := mean(x); math.Abs(m) > 3*ChannelGain/math.Sqrt(hz) {
				t.Errorf("mean %.5f, want ~0", m)
			}
			if r := rms(x); !near(r, ChannelGain, 0.15) {
				t.Errorf("RMS %.4f, want about %.4f", r, ChannelGain)
			}
			if zc := crossingRate(x); zc < 0.35*hz || zc > 0.65*hz {
				t.Errorf("crossing rate %.0f/s, want about %.0f/s (half the clock)", zc, hz/2)
			}
			// Broad spectrum: in octave bands below half the clock the
			// average powers are of the same order; no tone dominates.
			var powers []float64
			for _, f := range []float64{hz / 32, hz / 16, hz / 8, hz / 4} {
				powers = append(powers, bandPower(x, f, 2*f))
			}
			lo, hi := math.Inf(1), 0.0
			for _, p := range powers {
				lo, hi = min(lo, p), max(hi, p)
			}
			if lo <= 0 || hi/lo > 4 {
				t.Errorf("band powers %v: spread %.1f, want a broad spectrum", powers, hi/lo)
			}
		})
	}
	t.Run("deterministic", func(t *testing.T) {
		a := renderTone(3000, 10, 100, ToneNoise, 10)
		b := renderTone(3000, 10, 100, ToneNoise, 10)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("sample %d differs between identical renders", i)
			}
		}
	})
	t.Run("tone vs noise spectrum", func(t *testing.T) {
		// Sanity check of the spectral test itself: a pulse is not broad.
		x := window(side(renderTone(400, 62, 100, TonePulse1|ToneMode3, 62), 0), 1, 61)
		if goertzel(x, 400)/goertzel(x, 570) < 1000 {
			t.Error("spectral measure cannot tell a pulse from noise")
		}
	})
}

// TestRenderOdd checks that an odd-length buffer renders whole frames.
func TestRenderOdd(t *testing.T) {
	var s Synth
	s.Tone(440, 10, 100, TonePulse1)
	buf := make([]float32, 101)
	buf[100] = 5
	s.Render(buf)
	if s.Clock() != 50 || buf[100] != 0 {
		t.Errorf("clock %d, last element %v; want 50, 0", s.Clock(), buf[100])
	}
}

// TestBandLimited checks that PolyBLEP suppresses aliasing: a 3000 Hz
// square's 9th, 11th, 13th and 15th harmonics fold back to 17100, 11100,
// 5100 and 900 Hz, which are not harmonics of 3000 Hz. A naive square has
// them at -19 to -24 dB relative to the fundamental.
func TestBandLimited(t *testing.T) {
	x := window(side(renderTone(3000, 62, 100, TonePulse1|ToneMode3, 62), 0), 1, 61)
	fund := goertzel(x, 3000)
	for _, tt := range []struct{ hz, maxDB float64 }{
		{17100, -28}, {11100, -38}, {5100, -50}, {900, -60},
	} {
		if db := 10 * math.Log10(goertzel(x, tt.hz)/fund); db > tt.maxDB {
			t.Errorf("alias at %v Hz: %.1f dB, want <= %v dB", tt.hz, db, tt.maxDB)
		}
	}
	// The genuine odd harmonics below Nyquist are kept.
	if db := 10 * math.Log10(goertzel(x, 9000)/fund); db < -12 || db > -8 {
		t.Errorf("3rd harmonic at %.1f dB, want about -9.5 dB", db)
	}
}
