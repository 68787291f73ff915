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

// audioOut writes the sound of each update to Options.AudioOut, from a
// synthesiser of its own, so that what it writes depends on the updates
// only, not on playback.
type audioOut struct {
	w       io.Writer
	synth   *apu.Synth
	samples [2 * apu.SamplesPerFrame]int16
	buf     [4 * apu.SamplesPerFrame]byte
	failed  bool
	log     func(string)
}

func newAudioOut(w io.Writer, log func(string)) *audioOut {
	return &audioOut{w: w, synth: apu.NewSynth(), log: log}
}

// update plays one update's tones and writes its 735 sample frames.
func (a *audioOut) update(tones []Tone) {
	for _, t := range tones {
		a.synth.Tone(t.Frequency, t.Duration, t.Volume, t.Flags)
	}
	a.synth.Tick()
	a.synth.Render(a.samples[:])
	if a.failed {
		return
	}
	for i, s := range a.samples {
		binary.LittleEndian.PutUint16(a.buf[2*i:], uint16(s))
	}
	if _, err := a.w.Write(a.buf[:]); err != nil {
		a.failed = true
		if a.log != nil {
			a.log("cart: audio out: " + err.Error() + "; nothing more is written")
		}
	}
}
