package cart

import (
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2/audio"

	"github.com/ebicart/ebicart/wasm4/apu"
)

// sound plays a WASM-4 cart's tone() calls: an APU synthesises them and an
// Ebitengine audio player streams its output.
type sound struct {
	apu    *apu.APU
	player *audio.Player
}

var (
	audioOnce sync.Once
	audioCtx  *audio.Context
	audioErr  error
)

// audioContext returns the process's Ebitengine audio context at the APU's
// 44.1 kHz, creating it if the game has none, or an error saying why there
// is no sound.
func audioContext() (*audio.Context, error) {
	audioOnce.Do(func() {
		if c := audio.CurrentContext(); c != nil {
			if c.SampleRate() != apu.SampleRate {
				audioErr = fmt.Errorf("cart: the game's audio context runs at %d Hz; WASM-4 sound needs %d", c.SampleRate(), apu.SampleRate)
				return
			}
			audioCtx = c
			return
		}
		audioCtx = audio.NewContext(apu.SampleRate)
	})
	return audioCtx, audioErr
}

func newSound(log func(string)) *sound {
	ctx, err := audioContext()
	if err != nil {
		if log != nil {
			log(err.Error())
		}
		return nil
	}
	a := apu.New()
	p, err := ctx.NewPlayerF32(a.Float32Reader())
	if err != nil {
		if log != nil {
			log("cart: sound: " + err.Error())
		}
		return nil
	}
	p.SetBufferSize(60 * time.Millisecond) // a few frames: low latency, no gaps
	p.Play()
	return &sound{apu: a, player: p}
}

// tick passes one update's tones to the synthesiser.
func (s *sound) tick(tones []Tone) {
	for _, t := range tones {
		s.apu.Tone(t.Frequency, t.Duration, t.Volume, t.Flags)
	}
	s.apu.Tick()
}

func (s *sound) close() {
	s.player.PauseAndStopReading()
}

// chip is a WASM-4 cart's sound chip of record: given every update's
// tones, it is the sound a save state holds and AudioOut writes, whether
// or not sound plays. The one that plays (sound's APU) runs behind it, as
// far as its reader has got; a state taken from it would depend on that.
type chip struct {
	synth   *apu.Synth
	samples [2 * apu.SamplesPerFrame]int16 // the last update's
}

func newChip() *chip { return &chip{synth: apu.NewSynth()} }

// update plays one update's tones and renders its 735 sample frames.
func (c *chip) update(tones []Tone) {
	for _, t := range tones {
		c.synth.Tone(t.Frequency, t.Duration, t.Volume, t.Flags)
	}
	c.synth.Tick()
	c.synth.Render(c.samples[:])
}

// set makes the chip what a state's sound says; a state with none (or
// none this chip reads) is silence.
func (c *chip) set(state []byte) {
	if len(state) == 0 || c.synth.SetState(state) != nil {
		c.synth.Reset()
	}
}

// audioOut writes the sound of each update to Options.AudioOut: the
// chip's samples, so that what it writes depends on the updates only, not
// on playback.
type audioOut struct {
	w      io.Writer
	buf    [4 * apu.SamplesPerFrame]byte
	failed bool
	log    func(string)
}

func newAudioOut(w io.Writer, log func(string)) *audioOut {
	return &audioOut{w: w, log: log}
}

// write writes one update's 735 sample frames: the chip's, silence
// without one (an ABI v1 cart).
func (a *audioOut) write(ch *chip) {
	if a.failed {
		return
	}
	if ch != nil {
		for i, s := range ch.samples {
			binary.LittleEndian.PutUint16(a.buf[2*i:], uint16(s))
		}
	}
	if _, err := a.w.Write(a.buf[:]); err != nil {
		a.failed = true
		if a.log != nil {
			a.log("cart: audio out: " + err.Error() + "; nothing more is written")
		}
	}
}
