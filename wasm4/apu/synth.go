package apu

import (
	"math"
	"sync"
)

// The chip's levels, in 16-bit sample units: a pulse or the noise at
// volume 100 swings between -MaxVolume and +MaxVolume, the triangle
// between -MaxVolumeTriangle and +MaxVolumeTriangle.
const (
	// MaxVolume is the peak amplitude of the pulse and noise channels, about
	// 15 % of full scale.
	MaxVolume = 0x1333
	// MaxVolumeTriangle is the triangle's peak amplitude, about 25 % of full
	// scale: it sounds quieter than the others at the same level.
	MaxVolumeTriangle = 0x2000
	// triangleRelease is the release (1 ms) a triangle tone without one
	// gets, so that it does not stop with a click.
	triangleRelease = SampleRate / 1000
)

// channel is one of the four channels: the tone it plays (replaced by each
// tone()), its oscillator's phase and, for the noise channel, the noise
// register. Times are sample numbers, ticks update numbers.
type channel struct {
	freq1, freq2 float32 // start and end frequency in Hz (freq2 0: no slide)
	start        uint64  // when the tone started
	attack       uint64  // end of the attack
	decay        uint64  // end of the decay
	sustain      uint64  // end of the sustain
	release      uint64  // end of the tone
	endTick      uint64  // the update during whose samples the tone ends
	sustainVol   int16
	peakVol      int16
	phase        float32
	pan          uint8   // 0 centre, 1 left only, 2 right only
	duty         float32 // pulse channels
	seed         uint16  // noise channel: the register
	lastRandom   int16   // noise channel: its last output, -1 or 1
}

// Synth is the deterministic core of the synthesiser, WASM-4's APU: four
// channels, a sample clock and an update counter. Its output is a pure
// function of the tones given and the sample and update at which each was
// given; [Synth.Tone] takes effect at the current sample, [Synth.Tick]
// ends an update and [Synth.Render] advances the clock. A host that runs
// a cart calls, for each update, Tone for the update's tones, then Tick,
// then Render for [SamplesPerFrame] sample frames, as WASM-4 does.
//
// The arithmetic is WASM-4's native runtime's (apu.c), in the same 32-bit
// floats, so that the samples are the same. New returns a Synth at power
// on; the zero value differs only in its noise register, which is 0 and
// stays 0 (silent noise) until [Synth.Reset].
//
// A Synth is not safe for concurrent use; see APU for a wrapper that is.
type Synth struct {
	ch    [4]channel
	time  uint64 // samples rendered
	ticks uint64 // updates ended
}

// NewSynth returns a synthesiser at power on.
func NewSynth() *Synth {
	s := &Synth{}
	s.Reset()
	return s
}

// Reset puts the synthesiser in its power-on state: silent, at sample 0
// and update 0, the noise register at 1.
func (s *Synth) Reset() {
	*s = Synth{}
	s.ch[3].seed = 1
}

// Clock returns the number of stereo sample frames rendered so far, which is
// the sample at which the next Tone takes effect.
func (s *Synth) Clock() uint64 { return s.time }

// Ticks returns the number of updates ended (Tick calls).
func (s *Synth) Ticks() uint64 { return s.ticks }

// Tick ends an update: a tone given before it counts from the update
// before it.
func (s *Synth) Tick() { s.ticks++ }

// Active reports whether channel (0-3) sounds at the current sample.
func (s *Synth) Active(channel int) bool {
	c := &s.ch[channel&3]
	return s.time < c.release || s.ticks == c.endTick
}

// Tone starts a tone at the current sample, replacing whatever the
// selected channel was playing. The arguments are those of WASM-4's
// tone(); see [DecodeTone] for their encoding. The channel's phase goes on
// from the tone before when that one was still playing, and restarts
// otherwise.
func (s *Synth) Tone(frequency, duration, volume, flags uint32) {
	freq1, freq2 := frequency&0xffff, frequency>>16&0xffff
	sustain := uint64(duration & 0xff)
	release := uint64(duration >> 8 & 0xff)
	decay := uint64(duration >> 16 & 0xff)
	attack := uint64(duration >> 24 & 0xff)
	sustainVol := int32(min(volume&0xff, 100))
	peakVol := int32(min(volume>>8&0xff, 100))
	idx := int(flags & 3)
	mode := flags >> 2 & 3
	c := &s.ch[idx]

	if s.time > c.release && s.ticks != c.endTick {
		c.phase = 0
		if idx == 2 {
			c.phase = 0.25
		}
	}
	if flags&ToneNoteMode != 0 {
		c.freq1 = midiFreq(uint8(freq1), uint8(freq1>>8))
		c.freq2 = 0
		if freq2 != 0 {
			c.freq2 = midiFreq(uint8(freq2), uint8(freq2>>8))
		}
	} else {
		c.freq1, c.freq2 = float32(freq1), float32(freq2)
	}
	c.start = s.time
	c.attack = c.start + SamplesPerFrame*attack
	c.decay = c.attack + SamplesPerFrame*decay
	c.sustain = c.decay + SamplesPerFrame*sustain
	c.release = c.sustain + SamplesPerFrame*release
	c.endTick = s.ticks + attack + decay + sustain + release
	maxVol := int32(MaxVolume)
	if idx == 2 {
		maxVol = MaxVolumeTriangle
	}
	c.sustainVol = int16(maxVol * sustainVol / 100)
	c.peakVol = int16(maxVol)
	if peakVol != 0 {
		c.peakVol = int16(maxVol * peakVol / 100)
	}
	c.pan = uint8(flags >> 4 & 3)
	switch idx {
	case 0, 1:
		switch mode {
		case 0:
			c.duty = 0.125
		case 2:
			c.duty = 0.5
		default: // 25 % and, as on WASM-4, "75 %", which sounds the same
			c.duty = 0.25
		}
	case 2:
		if release == 0 {
			c.release += triangleRelease
		}
	}
}

// midiFreq is the frequency of MIDI note note bent up by bend/256
// semitone, computed as WASM-4 does in 32-bit floats. (WASM-4's native
// runtime takes the power with the C library's powf, which for 46 of the
// 65536 notes and bends gives one unit in the last place more or less
// than the correctly rounded power used here.)
func midiFreq(note, bend uint8) float32 {
	e := float32(note) - 69
	e += float32(bend) / 256
	e /= 12
	p := float32(math.Pow(2, float64(e)))
	return p * 440
}

// noiseDivisor is 1000000/44100*44100 in 32-bit floats, as WASM-4 computes
// it: the noise steps freq²/noiseDivisor times a sample.
var noiseDivisor = func() float32 {
	d := float32(1000000)
	d /= float32(SampleRate)
	return d * float32(SampleRate)
}()

// noiseStep is one step of the noise register (a 16-bit xorshift).
func noiseStep(s uint16) uint16 {
	s ^= s >> 7
	s ^= s << 9
	s ^= s >> 13
	return s
}

// noisePeriod is the noise register's period: each of its non-zero
// values comes back after 65535 steps (and 0 stays 0).
const noisePeriod = 65535

// noiseJumps holds, for k below 16, noiseStep made 2^k times, as two
// tables, one for each byte of the register: the step is linear over
// GF(2), so any number of steps is the XOR of what they give for the
// register's two bytes. Made on first use (a high noise tone), 16 KiB.
var noiseJumps struct {
	once sync.Once
	t    [16][2][256]uint16
}

// noiseJump makes n steps of the noise register from seed.
func noiseJump(seed uint16, n uint64) uint16 {
	noiseJumps.once.Do(func() {
		var img [16]uint16 // what 2^k steps make of each of the 16 bits
		for i := range img {
			img[i] = noiseStep(1 << i)
		}
		for k := range noiseJumps.t {
			t := &noiseJumps.t[k]
			for b := range 256 {
				for i := range 8 {
					if b>>i&1 != 0 {
						t[0][b] ^= img[i]
						t[1][b] ^= img[8+i]
					}
				}
			}
			for i := range img { // 2^(k+1) steps: 2^k twice
				img[i] = t[0][img[i]&0xff] ^ t[1][img[i]>>8]
			}
		}
	})
	n %= noisePeriod
	for k := 0; n != 0; k, n = k+1, n>>1 {
		if n&1 != 0 {
			t := &noiseJumps.t[k]
			seed = t[0][seed&0xff] ^ t[1][seed>>8]
		}
	}
	return seed
}

// noiseSteps runs WASM-4's noise loop on a positive phase, "while phase >
// 0 { phase--; step the register }", and returns the register and phase
// after it, the loop's to the bit wherever the loop ends. Up to 2^24 it
// steps ceil(phase) times: every decrement is exact in 32-bit floats but
// one that leaves (0, 1), which rounds as the loop's does. 2^24+2 rounds
// to 2^24 on its first decrement. Above that, phase-- rounds back to
// phase and WASM-4's loop never ends (a high note on the noise channel):
// here it steps phase times (at most 2^62) and ends at 0. Either way it
// takes at most 16 table look-ups, however high the note.
func noiseSteps(seed uint16, phase float32) (uint16, float32) {
	const loop = 8 // up to here the loop itself is as quick
	var n uint64
	switch {
	case phase <= loop:
		for phase > 0 {
			phase--
			seed = noiseStep(seed)
		}
		return seed, phase
	case phase < 1<<24:
		n = uint64(math.Ceil(float64(phase)))
		phase -= float32(n - 1) // exact: both are whole multiples of phase's unit
		phase--                 // as the loop's last decrement
	case phase == 1<<24+2:
		n, phase = 1<<24+1, 0
	case phase < 1<<62:
		n, phase = uint64(phase), 0
	default: // +Inf included
		n, phase = 1<<62, 0
	}
	return noiseJump(seed, n), phase
}

// frequency returns the channel's frequency at sample time: a slide moves
// linearly from freq1 to freq2 over the whole tone.
func (c *channel) frequency(time uint64) float32 {
	if c.freq2 > 0 {
		return rampf(c.freq1, c.freq2, c.start, c.release, time)
	}
	return c.freq1
}

// volume returns the channel's envelope at sample time.
func (c *channel) volume(time uint64) int16 {
	switch {
	case time >= c.sustain && c.release-c.sustain > triangleRelease:
		return ramp(int32(c.sustainVol), 0, c.sustain, c.release, time)
	case time >= c.decay:
		return c.sustainVol
	case time >= c.attack:
		return ramp(int32(c.peakVol), int32(c.sustainVol), c.attack, c.decay, time)
	}
	return ramp(0, int32(c.peakVol), c.start, c.attack, time)
}

// ramp interpolates from v1 at t1 to v2 at t2, in 32-bit floats, the
// result truncated.
func ramp(v1, v2 int32, t1, t2, time uint64) int16 {
	if time >= t2 {
		return int16(v2)
	}
	t := float32(time-t1) / float32(t2-t1)
	return int16(int32(float32(v1) + float32(t*float32(v2-v1))))
}

// rampf interpolates from v1 at t1 to v2 at t2 in 32-bit floats.
func rampf(v1, v2 float32, t1, t2, time uint64) float32 {
	if time >= t2 {
		return v2
	}
	t := float32(time-t1) / float32(t2-t1)
	return v1 + float32(t*(v2-v1))
}

// polyblep is the band-limiting factor of a pulse at phase (0..1 of its
// half cycle) advancing phaseInc a sample: below 1 within a sample of an
// edge.
func polyblep(phase, phaseInc float32) float32 {
	switch {
	case phase < phaseInc:
		t := phase / phaseInc
		return t + t - float32(t*t)
	case phase > 1-phaseInc:
		t := (phase - (1 - phaseInc)) / phaseInc
		return 1 - (t + t - float32(t*t))
	}
	return 1
}

// sample returns channel idx's next sample and advances its oscillator.
func (c *channel) sample(idx int, time uint64) int16 {
	freq := c.frequency(time)
	vol := c.volume(time)
	if idx == 3 {
		c.phase += float32(freq*freq) / noiseDivisor
		if c.phase > 0 {
			c.seed, c.phase = noiseSteps(c.seed, c.phase)
			c.lastRandom = int16(2*(c.seed&1)) - 1
		}
		return vol * c.lastRandom
	}
	inc := freq / SampleRate
	c.phase += inc
	if c.phase >= 1 {
		c.phase--
	}
	if idx == 2 {
		// In 64-bit floats from here, as C's fabs makes it.
		x := math.Abs(float64(2*c.phase - 1))
		return int16(float64(vol) * (2*x - 1))
	}
	var dutyPhase, dutyInc float32
	mul := vol
	if c.phase < c.duty {
		dutyPhase = c.phase / c.duty
		dutyInc = inc / c.duty
	} else {
		dutyPhase = (c.phase - c.duty) / (1 - c.duty)
		dutyInc = inc / (1 - c.duty)
		mul = -vol
	}
	return int16(float32(mul) * polyblep(dutyPhase, dutyInc))
}

// Render synthesises len(dst)/2 stereo sample frames into dst as
// interleaved signed 16-bit samples (left, right, ...) and advances the
// clock by that many frames. If len(dst) is odd the last element is set
// to 0 and not counted.
func (s *Synth) Render(dst []int16) {
	if len(dst)%2 != 0 {
		dst[len(dst)-1] = 0
		dst = dst[:len(dst)-1]
	}
	for i := 0; i < len(dst); i += 2 {
		var left, right int16
		for idx := range s.ch {
			c := &s.ch[idx]
			if s.time >= c.release && s.ticks != c.endTick {
				continue
			}
			v := c.sample(idx, s.time)
			if c.pan != 1 {
				right += v
			}
			if c.pan != 2 {
				left += v
			}
		}
		dst[i], dst[i+1] = left, right
		s.time++
	}
}
