// Package apu is a pure-Go software synthesiser for the WASM-4 sound chip:
// the four-channel tone generator behind WASM-4's
//
//	tone(frequency, duration, volume, flags uint32)
//
// host function, sample for sample the one of WASM-4's native runtime
// (apu.c): its samples are checked against apu.c's own, built outside this
// repository, by golden WAVs of tone sequences (testdata). It depends on
// the standard library only; playing the samples (for example through
// ebiten/audio) is left to the caller.
//
// # Channels
//
// There are four channels, selected by flags bits 0-1:
//
//	0 pulse 1   pulse wave, duty 12.5/25/50 %, edges smoothed by PolyBLEP
//	1 pulse 2   same as pulse 1
//	2 triangle  triangle wave
//	3 noise     a 16-bit xorshift register from 1, stepped freq²/10⁶ times
//	            a sample, its low bit giving ±1
//
// At volume 100 the pulses and the noise swing ±[MaxVolume] (about 15 % of
// full scale) and the triangle ±[MaxVolumeTriangle] (25 %); a volume v
// scales them by v/100. The channels are summed into 16-bit stereo at
// [SampleRate] Hz: a panned channel plays on one side only. Duty mode 3,
// documented as 75 %, plays 25 %, as on WASM-4.
//
// A tone on a channel replaces what it was playing at once; the channel's
// phase goes on if it was still playing, and restarts (at 0, the triangle
// at a quarter period) if not. The envelope ramps linearly from 0 to the
// peak over the attack, to the sustain volume over the decay, holds, and
// ramps to 0 over the release; a slide moves the frequency linearly in Hz
// over the whole tone. A triangle tone without a release gets one of 1 ms.
// The arithmetic is apu.c's, in the same 32-bit floats. (Note mode takes a
// power of two that apu.c gets from the C library's powf; for 46 of the
// 65536 notes and bends that is one unit in the last place off the
// correctly rounded power this package uses.)
//
// # The tone() arguments
//
// See [DecodeTone] and [Params] for the exact bit layout of each argument.
// In brief:
//
//	frequency  bits 0-15  start frequency in Hz
//	           bits 16-31 end frequency in Hz (0 = no slide)
//	           in note mode each half is: bits 0-7 MIDI note, bits 8-15 bend
//	           upwards in 1/256 semitone
//	duration   bits 24-31 attack, 16-23 decay, 0-7 sustain, 8-15 release,
//	           each in frames of 1/60 s
//	volume     bits 0-7 sustain volume 0-100, bits 8-15 peak volume 0-100
//	           (0 means 100)
//	flags      bits 0-1 channel, bits 2-3 duty (pulse only),
//	           bits 4-5 pan (0 centre, 1 left, 2 right), bit 6 note mode
//
// # Time
//
// Two types are provided.
//
// [Synth] is the deterministic core. It is not safe for concurrent use. As
// WASM-4 does, a host gives it each update's tones ([Synth.Tone]), ends
// the update ([Synth.Tick]) and renders [SamplesPerFrame] samples
// ([Synth.Render]); its output is a pure function of the tones and the
// update in which each was given.
//
// [APU] wraps a Synth for a host that runs a cartridge at 60 updates per
// second on one goroutine and pulls audio on another. Tone calls made during
// an update are queued; [APU.Tick], called once after each update, commits
// them as one frame of [SamplesPerFrame] samples (735 at 44100 Hz). Tones
// given during update n start exactly at sample n*735 of the synthesised
// stream, so that stream is a pure function of the tones and the update in
// which each was given, whatever the audio thread's timing. The reader side
// ([APU.Render], [APU.RenderInt16], [APU.Read], [APU.Float32Reader]) never
// renders past the last committed frame: when it runs dry it pads with
// silence rather than blocking, and when the host runs ahead by more than
// the maximum backlog (see [APU.SetMaxBacklog]) the oldest audio is
// synthesised and dropped so latency stays bounded. All APU state is
// guarded by a sync.Mutex.
//
// [WAVWriter], [EncodeWAV] and [DecodeWAV] write and read the chip's
// output as WAV files.
package apu
