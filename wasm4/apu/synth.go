package apu

const invSampleRate = 1.0 / SampleRate

// noiseSeed is the noise register's state before the first noise tone. Any
// non-zero state lies on the register's one 32767-step cycle; this one
// starts at a balanced stretch of it (the state 1 is followed by a long run
// of zeros, which would make the first noise tone lopsided).
const noiseSeed = 0x2bad

// pulseScale is max(duty, 1-duty) over the four duties; see ToneParams.
const pulseScale = 0.875

// segment is one linear piece of an ADSR envelope.
type segment struct {
	n        int     // length in samples
	from, to float64 // amplitude (0-1) at the start and (exclusive) end
}

// voice is the state of one channel. The tone fields are replaced by each
// tone() on the channel; the oscillator fields (phase, nphase, lfsr)
// persist across tones so that retriggering does not reset the waveform.
type voice struct {
	// Tone state.
	active bool
	t      int        // samples since the tone started
	seg    [4]segment // attack, decay, sustain, release
	total  int        // sum of the segment lengths
	f0     float64    // frequency at t = 0, Hz
	slope  float64    // frequency change per sample, Hz
	duty   float64    // pulse: fraction of the period spent high
	hi, lo float64    // pulse: zero-mean levels, at most 1 in magnitude
	gl, gr float64    // output gain per side, ChannelGain * pan

	// Oscillator state.
	phase  float64 // pulse and triangle phase in [0, 1)
	nphase float64 // noise: fraction of the current LFSR clock elapsed
	lfsr   uint16  // noise: 15-bit shift register, never 0
}

// Synth is the deterministic core of the synthesiser: four channels, a
// sample clock, and nothing else. The zero value is silent and ready to use.
//
// A Synth is not safe for concurrent use; see APU for a wrapper that is.
// Its output is a pure function of the tones given and the clock (sample
// position) at which each was given: Tone takes effect at the current
// clock, and Render advances the clock.
type Synth struct {
	v     [4]voice
	clock uint64
}

// Clock returns the number of stereo sample frames rendered so far, which is
// the sample position at which the next Tone takes effect.
func (s *Synth) Clock() uint64 { return s.clock }

// Active reports whether channel (0-3) is currently playing a tone. A tone
// stops being active once its attack+decay+sustain+release has elapsed.
func (s *Synth) Active(channel int) bool { return s.v[channel&3].active }

// Tone starts a tone at the current clock, replacing whatever the selected
// channel was playing. The arguments are those of WASM-4's tone(); see
// DecodeTone for their encoding. A tone whose envelope is empty (all four
// lengths zero) or whose start and end frequencies are both zero silences the
// channel.
func (s *Synth) Tone(frequency, duration, volume, flags uint32) {
	s.ToneParams(DecodeTone(frequency, duration, volume, flags))
}

// ToneParams is Tone with already decoded arguments. Out-of-range fields are
// clamped: Channel to 0-3, volumes to 0-100, segment lengths to 0-255 frames,
// frequencies to be non-negative; a Duty outside [0.125, 0.875] means 0.5.
func (s *Synth) ToneParams(p Params) {
	v := &s.v[p.Channel&3]
	clampFrames := func(n int) int { return min(max(n, 0), 255) * SamplesPerFrame }
	peak := float64(min(max(p.PeakVolume, 0), 100)) / 100
	sus := float64(min(max(p.SustainVolume, 0), 100)) / 100
	v.seg = [4]segment{
		{clampFrames(p.Attack), 0, peak},
		{clampFrames(p.Decay), peak, sus},
		{clampFrames(p.Sustain), sus, sus},
		{clampFrames(p.Release), sus, 0},
	}
	v.total = v.seg[0].n + v.seg[1].n + v.seg[2].n + v.seg[3].n
	v.t = 0
	f0, f1 := max(p.StartHz, 0), max(p.EndHz, 0)
	v.active = v.total > 0 && (f0 > 0 || f1 > 0)
	if !v.active {
		return
	}
	v.f0 = f0
	v.slope = (f1 - f0) / float64(v.total)
	v.duty = p.Duty
	if v.duty < 1-pulseScale || v.duty > pulseScale {
		v.duty = 0.5
	}
	// Zero-mean pulse levels: a 0/1 pulse (as on the NES) minus its mean,
	// so there is no DC offset (no thump when a tone starts or stops) and a
	// sample is positive exactly while the pulse is high. One scale for all
	// duties keeps their loudness in the hardware's proportions; it is
	// chosen so the largest excursion of any duty (the 12.5 % high level
	// and the 75 % low level) is 1. The 50 % square is then +-4/7.
	v.hi, v.lo = (1-v.duty)/pulseScale, -v.duty/pulseScale
	switch p.Pan {
	case PanLeft:
		v.gl, v.gr = ChannelGain, 0
	case PanRight:
		v.gl, v.gr = 0, ChannelGain
	default:
		v.gl, v.gr = ChannelGain, ChannelGain
	}
	if v.lfsr == 0 {
		v.lfsr = noiseSeed
	}
}

// Render synthesises len(dst)/2 stereo sample frames into dst as
// interleaved float32 (left, right, left, right, ...), each in [-1, 1], and
// advances the clock by that many frames. If len(dst) is odd the last
// element is set to 0 and not counted.
func (s *Synth) Render(dst []float32) {
	if len(dst)%2 != 0 {
		dst[len(dst)-1] = 0
		dst = dst[:len(dst)-1]
	}
	clear(dst)
	n := len(dst) / 2
	for c := range s.v {
		s.v[c].render(c, dst, n)
	}
	for i, x := range dst {
		if x > 1 {
			dst[i] = 1
		} else if x < -1 {
			dst[i] = -1
		}
	}
	s.clock += uint64(n)
}

// render adds n frames of channel c's output to the interleaved dst.
func (v *voice) render(c int, dst []float32, n int) {
	i := 0
	for i < n && v.active {
		// Find the envelope segment containing v.t.
		start := 0
		k := 0
		for k < 3 && v.t >= start+v.seg[k].n {
			start += v.seg[k].n
			k++
		}
		sg := v.seg[k]
		run := min(n-i, start+sg.n-v.t)
		if run > 0 {
			// Amplitude is from + step*(t-start) within the segment.
			step := (sg.to - sg.from) / float64(sg.n)
			out := dst[2*i : 2*(i+run)]
			switch c {
			case TonePulse1, TonePulse2:
				v.pulse(out, sg.from, step, start)
			case ToneTriangle:
				v.triangle(out, sg.from, step, start)
			default:
				v.noise(out, sg.from, step, start)
			}
			i += run
			v.t += run
		}
		if v.t >= v.total {
			v.active = false
		}
	}
}

// polyBLEP returns the two-sample polynomial band-limited step residual for
// an upward unit step (from -1/2 to +1/2 relative to its midpoint) at phase
// 0, evaluated at phase p for a phase increment of dt per sample. Adding
// height/2 * polyBLEP to a naive waveform smooths a step of that height.
func polyBLEP(p, dt float64) float64 {
	if p < dt {
		x := p / dt
		return x + x - x*x - 1
	}
	if p > 1-dt {
		x := (p - 1) / dt
		return x*x + x + x + 1
	}
	return 0
}

// pulse adds len(out)/2 frames of PolyBLEP pulse wave to out.
func (v *voice) pulse(out []float32, amp0, step float64, segStart int) {
	duty, hi, lo := v.duty, v.hi, v.lo
	half := (hi - lo) / 2
	phase := v.phase
	for j := 0; j < len(out); j += 2 {
		t := v.t + j/2
		dt := (v.f0 + v.slope*float64(t)) * invSampleRate
		if dt <= 0 || dt >= 0.5 {
			continue // silent: no pitch, or at/above Nyquist
		}
		x := lo
		if phase < duty {
			x = hi
		}
		fall := phase - duty
		if fall < 0 {
			fall++
		}
		x += half * (polyBLEP(phase, dt) - polyBLEP(fall, dt))
		phase += dt
		if phase >= 1 {
			phase--
		}
		y := x * (amp0 + step*float64(t-segStart))
		out[j] += float32(y * v.gl)
		out[j+1] += float32(y * v.gr)
	}
	v.phase = phase
}

// triangle adds len(out)/2 frames of triangle wave to out. At phase 0 the
// wave is at 0 and rising.
func (v *voice) triangle(out []float32, amp0, step float64, segStart int) {
	phase := v.phase
	for j := 0; j < len(out); j += 2 {
		t := v.t + j/2
		dt := (v.f0 + v.slope*float64(t)) * invSampleRate
		if dt <= 0 || dt >= 0.5 {
			continue
		}
		q := phase + 0.25
		if q >= 1 {
			q--
		}
		x := 1 - 4*abs(q-0.5)
		phase += dt
		if phase >= 1 {
			phase--
		}
		y := x * (amp0 + step*float64(t-segStart))
		out[j] += float32(y * v.gl)
		out[j+1] += float32(y * v.gr)
	}
	v.phase = phase
}

// noise adds len(out)/2 frames of LFSR noise to out. The 15-bit register is
// shifted right once per cycle of the tone's frequency, feeding back bit 0
// XOR bit 1 into bit 14 (NES "long" mode, period 32767); the output is +1
// while bit 0 is set and -1 otherwise. Each output sample is the average
// output over that sample's duration.
func (v *voice) noise(out []float32, amp0, step float64, segStart int) {
	ph, r := v.nphase, v.lfsr
	level := float64(r&1)*2 - 1
	for j := 0; j < len(out); j += 2 {
		t := v.t + j/2
		inc := (v.f0 + v.slope*float64(t)) * invSampleRate // clocks per sample
		if inc <= 0 {
			continue
		}
		var x float64
		if next := ph + inc; next < 1 {
			x, ph = level, next
		} else {
			// Box-filter the level over the sample: the time before the
			// first clock, whole clock periods, then the remainder.
			period := 1 / inc
			x = level * (1 - ph) * period
			ph = next - 1
			r = r>>1 | ((r^r>>1)&1)<<14
			level = float64(r&1)*2 - 1
			for ph >= 1 {
				x += level * period
				ph--
				r = r>>1 | ((r^r>>1)&1)<<14
				level = float64(r&1)*2 - 1
			}
			x += level * ph * period
		}
		y := x * (amp0 + step*float64(t-segStart))
		out[j] += float32(y * v.gl)
		out[j+1] += float32(y * v.gr)
	}
	v.nphase, v.lfsr = ph, r
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
