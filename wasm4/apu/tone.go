package apu

import "math"

// Audio timing constants.
const (
	// SampleRate is the output sample rate in Hz (stereo frames per second).
	SampleRate = 44100

	// FrameRate is the WASM-4 update rate: tone durations are counted in
	// frames of 1/FrameRate seconds.
	FrameRate = 60

	// SamplesPerFrame is the number of stereo sample frames in one WASM-4
	// frame (1/60 s): 735 at 44100 Hz.
	SamplesPerFrame = SampleRate / FrameRate
)

// Flag values for the flags argument of tone(), with the same names and
// values as WASM-4's public bindings (TONE_PULSE1 ... TONE_NOTE_MODE).
const (
	// TonePulse1 (flags bits 0-1 = 0) selects the first pulse channel.
	TonePulse1 = 0
	// TonePulse2 (flags bits 0-1 = 1) selects the second pulse channel.
	TonePulse2 = 1
	// ToneTriangle (flags bits 0-1 = 2) selects the triangle channel.
	ToneTriangle = 2
	// ToneNoise (flags bits 0-1 = 3) selects the noise channel.
	ToneNoise = 3

	// ToneMode1 (flags bits 2-3 = 0) is a 12.5 % pulse duty cycle (default).
	ToneMode1 = 0 << 2
	// ToneMode2 (flags bits 2-3 = 1) is a 25 % pulse duty cycle.
	ToneMode2 = 1 << 2
	// ToneMode3 (flags bits 2-3 = 2) is a 50 % pulse duty cycle (square).
	ToneMode3 = 2 << 2
	// ToneMode4 (flags bits 2-3 = 3) is documented as a 75 % pulse duty
	// cycle; WASM-4 plays it as 25 %, which sounds the same, and so does
	// this package.
	ToneMode4 = 3 << 2

	// TonePanLeft (flags bits 4-5 = 1) plays the tone on the left side only.
	TonePanLeft = 1 << 4
	// TonePanRight (flags bits 4-5 = 2) plays the tone on the right side only.
	TonePanRight = 2 << 4

	// ToneNoteMode (flags bit 6) makes both halves of the frequency argument
	// MIDI note numbers with a pitch bend instead of frequencies in Hz.
	ToneNoteMode = 1 << 6
)

// Pan is a tone's stereo placement, from flags bits 4-5.
type Pan uint8

// Pan values. The undocumented value 3 (both pan bits set) is treated as
// PanCenter.
const (
	PanCenter Pan = 0 // both sides at full channel gain
	PanLeft   Pan = 1 // left side only
	PanRight  Pan = 2 // right side only
)

// Params is a decoded tone() call. See DecodeTone for the bit layout.
type Params struct {
	// Channel is flags bits 0-1: 0 pulse 1, 1 pulse 2, 2 triangle, 3 noise.
	Channel int

	// Duty is the pulse duty cycle from flags bits 2-3: 0.125, 0.25, 0.5
	// or, for mode 3, 0.25 as WASM-4 plays it. It is decoded for every
	// channel but used by the pulse channels only.
	Duty float64

	// Pan is flags bits 4-5.
	Pan Pan

	// NoteMode is flags bit 6.
	NoteMode bool

	// StartHz is the start frequency in Hz: frequency bits 0-15 directly, or
	// in note mode the note in bits 0-7 bent up by bits 8-15 / 256 semitone.
	StartHz float64

	// EndHz is the end frequency of a pitch slide, decoded from frequency
	// bits 16-31 like StartHz. It equals StartHz when bits 16-31 are zero
	// (no slide).
	EndHz float64

	// Attack, Decay, Sustain and Release are the envelope segment lengths in
	// frames of 1/60 s: duration bits 24-31, 16-23, 0-7 and 8-15.
	Attack, Decay, Sustain, Release int

	// SustainVolume is volume bits 0-7 (0-100; larger values are clamped to
	// 100).
	SustainVolume int

	// PeakVolume is volume bits 8-15 (0-100, clamped), the level reached at
	// the end of the attack. A zero peak byte means 100.
	PeakVolume int
}

// Frames returns the tone's total length in frames of 1/60 s:
// Attack+Decay+Sustain+Release.
func (p Params) Frames() int { return p.Attack + p.Decay + p.Sustain + p.Release }

// Samples returns the tone's total length in samples at SampleRate.
func (p Params) Samples() int { return p.Frames() * SamplesPerFrame }

// DecodeTone decodes the four arguments of WASM-4's tone() host function:
//
// frequency:
//
//	bits  0-15  start frequency in Hz (0-65535)
//	bits 16-31  end frequency in Hz; if non-zero the frequency moves
//	            linearly (in Hz) from start to end over the whole tone,
//	            attack+decay+sustain+release
//
// With ToneNoteMode set, each 16-bit half is instead
//
//	bits 0-7    MIDI note number (60 = C4, 69 = A4 = 440 Hz)
//	bits 8-15   bend upwards in 1/256 semitone (255 = 255/256 of the way to
//	            the next note)
//
// and is converted as 440 * 2^((note + bend/256 - 69) / 12) Hz; a slide
// still interpolates linearly in Hz between the two converted values.
//
// duration (each field in frames of 1/60 s, 0-255):
//
//	bits 24-31  attack:  ramp from 0 up to the peak volume
//	bits 16-23  decay:   ramp from the peak down to the sustain volume
//	bits  0-7   sustain: hold the sustain volume
//	bits  8-15  release: ramp from the sustain volume down to 0
//
// A plain frame count below 256 is therefore a sustain-only tone.
//
// volume:
//
//	bits  0-7   sustain volume, 0-100
//	bits  8-15  peak volume reached by the attack, 0-100; 0 means 100
//
// flags:
//
//	bits 0-1    channel: 0 pulse 1, 1 pulse 2, 2 triangle, 3 noise
//	bits 2-3    pulse duty: 0 = 12.5 %, 1 = 25 %, 2 = 50 %, 3 = 25 %
//	            (documented as 75 %, played as 25 % by WASM-4)
//	bits 4-5    pan: 0 centre, 1 left, 2 right (3 is treated as centre)
//	bit  6      note mode
//
// Other bits are ignored.
func DecodeTone(frequency, duration, volume, flags uint32) Params {
	p := Params{
		Channel:  int(flags & 3),
		Duty:     [4]float64{0.125, 0.25, 0.5, 0.25}[(flags>>2)&3],
		Pan:      Pan((flags >> 4) & 3),
		NoteMode: flags&ToneNoteMode != 0,
		Attack:   int(duration >> 24 & 0xff),
		Decay:    int(duration >> 16 & 0xff),
		Sustain:  int(duration & 0xff),
		Release:  int(duration >> 8 & 0xff),
	}
	if p.Pan > PanRight {
		p.Pan = PanCenter
	}
	p.SustainVolume = min(int(volume&0xff), 100)
	p.PeakVolume = min(int(volume>>8&0xff), 100)
	if volume>>8&0xff == 0 {
		p.PeakVolume = 100
	}
	p.StartHz = halfToHz(uint16(frequency), p.NoteMode)
	p.EndHz = p.StartHz
	if end := uint16(frequency >> 16); end != 0 {
		p.EndHz = halfToHz(end, p.NoteMode)
	}
	return p
}

// halfToHz converts one 16-bit half of the frequency argument to Hz.
func halfToHz(v uint16, noteMode bool) float64 {
	if !noteMode {
		return float64(v)
	}
	return NoteHz(uint8(v), uint8(v>>8))
}

// NoteHz returns the frequency in Hz of MIDI note number note bent upwards
// by bend/256 semitone, in twelve-tone equal temperament with A4 (note 69)
// at 440 Hz. This is the conversion used in note mode.
func NoteHz(note, bend uint8) float64 {
	return 440 * math.Exp2((float64(note)+float64(bend)/256-69)/12)
}

// Frequency packs the frequency argument of tone(): start in bits 0-15 and
// the slide's end in bits 16-31 (0 for no slide).
func Frequency(start, end uint16) uint32 { return uint32(start) | uint32(end)<<16 }

// Note packs one 16-bit note-mode frequency half: the MIDI note in bits 0-7
// and the upward bend in 1/256 semitone in bits 8-15. Combine two halves
// with Frequency and set ToneNoteMode in flags.
func Note(note, bend uint8) uint16 { return uint16(note) | uint16(bend)<<8 }

// Duration packs the duration argument of tone() from the four envelope
// segment lengths in frames: attack<<24 | decay<<16 | release<<8 | sustain.
func Duration(attack, decay, sustain, release uint8) uint32 {
	return uint32(attack)<<24 | uint32(decay)<<16 | uint32(release)<<8 | uint32(sustain)
}

// Volume packs the volume argument of tone(): peak<<8 | sustain, each 0-100
// (a zero peak means 100).
func Volume(peak, sustain uint8) uint32 { return uint32(peak)<<8 | uint32(sustain) }

// Flags packs the flags argument of tone(): channel (0-3) in bits 0-1, duty
// mode (0-3) in bits 2-3 and pan in bits 4-5. OR in ToneNoteMode for note
// mode.
func Flags(channel, mode int, pan Pan) uint32 {
	return uint32(channel&3) | uint32(mode&3)<<2 | uint32(pan&3)<<4
}
