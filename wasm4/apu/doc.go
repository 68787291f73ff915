// Package apu is a pure-Go software synthesiser for the WASM-4 sound chip:
// the four-channel tone generator behind WASM-4's
//
//	tone(frequency, duration, volume, flags uint32)
//
// host function. It depends on the standard library only; playing the
// samples (for example through ebiten/audio) is left to the caller.
//
// # Channels
//
// There are four channels, selected by flags bits 0-1:
//
//	0 pulse 1   band-limited pulse wave, duty 12.5/25/50/75 %
//	1 pulse 2   same as pulse 1
//	2 triangle  triangle wave
//	3 noise     15-bit LFSR noise, clocked at the tone's frequency
//
// A tone on a channel replaces whatever that channel was playing, at once;
// the oscillator's phase (and the noise register) carry on, so a retrigger
// does not click. The four channels are mixed into interleaved stereo at
// [SampleRate] Hz. Each channel contributes at most [ChannelGain] of full
// scale, so the mix of four channels at volume 100 never exceeds full
// scale. Panned tones play on one side only, at the same gain.
//
// Waveforms are zero-mean (no DC offset). A pulse is a 0/1 pulse minus its
// mean, scaled by 1/0.875 for every duty so the duties keep the relative
// loudness they have on the NES and the largest excursion is 1: the 12.5 %
// pulse goes from -1/7 to +1, the 50 % square is +-4/7. The triangle runs
// between -1 and +1. The noise is +-1 from bit 0 of a 15-bit LFSR
// (feedback bit 0 XOR bit 1 into bit 14, period 32767) shifted once per
// cycle of the tone's frequency, so its zero-crossing rate is about half
// the frequency; WASM-4's documentation does not specify the noise
// generator, this one follows the NES "long" noise mode. Amplitude is
// linear in the volume (volume 50 is half the amplitude of volume 100).
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
// [Synth] is the deterministic core. It is not safe for concurrent use. It
// keeps a sample clock; [Synth.Tone] takes effect at the current sample and
// [Synth.Render] advances the clock. Its output is a pure function of the
// sequence of tone events and the sample positions at which they were given.
//
// [APU] wraps a Synth for a host that runs a cartridge at 60 updates per
// second on one goroutine and pulls audio on another. Tone calls made during
// an update are queued; [APU.Tick], called once after each update, commits
// them as one frame of [SamplesPerFrame] samples (735 at 44100 Hz). Tones
// given during update n start exactly at sample n*735 of the synthesised
// stream, so that stream is a pure function of the tones and the update in
// which each was given, whatever the audio thread's timing. The reader side
// ([APU.Render], [APU.Read], [APU.Float32Reader]) never renders past the
// last committed frame: when it runs dry it pads with silence rather than
// blocking, and when the host runs ahead by more than the maximum backlog
// (see [APU.SetMaxBacklog]) the oldest audio is synthesised and dropped so
// latency stays bounded. All APU state is guarded by a sync.Mutex.
//
// # Band-limiting
//
// The pulse channels use PolyBLEP: each edge of the naive pulse is smoothed
// by a two-sample polynomial residual, which removes most of the aliasing of
// a naive square wave for the cost of a few multiplications per sample. The
// triangle wave is generated naively (its harmonics fall off at 12 dB per
// octave, so it aliases far less). The noise channel's output is box-filtered
// over each output sample (the fraction of the sample spent at each LFSR
// level), which both smooths steps at low clock rates and averages several
// LFSR steps per sample at clock rates above the sample rate. Tonal channels
// whose frequency is at or above the Nyquist frequency are silent.
package apu
