package guest

// Tone is one call of WASM-4's tone(frequency, duration, volume, flags),
// passed on to the host's synthesiser (package wasm4/apu).
type Tone struct {
	Frequency, Duration, Volume, Flags uint32
}

// maxTonesPerUpdate bounds the tones a result may carry: Core.Tone keeps
// one a channel (four), the last, as the APU would.
const maxTonesPerUpdate = 64
