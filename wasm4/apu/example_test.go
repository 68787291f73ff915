package apu_test

import (
	"fmt"

	"github.com/ebicart/ebicart/wasm4/apu"
)

// A host gives the cartridge's tone() calls to Tone during each update and
// calls Tick after it; the audio side reads 16-bit stereo PCM. With
// ebiten/audio the reader side would be
//
//	ctx := audio.NewContext(apu.SampleRate)
//	player, _ := ctx.NewPlayer(a) // or ctx.NewPlayerF32(a.Float32Reader())
//	player.Play()
func ExampleAPU() {
	a := apu.New()

	// Update 0: the cartridge plays middle C for one second, 50 % duty,
	// releasing over half a second (the WASM-4 docs' ADSR example).
	a.Tone(262, 60|30<<8, 100, apu.TonePulse1|apu.ToneMode3)
	a.Tick()

	// Update 1: a note-mode A4 on the triangle, panned left.
	a.Tone(uint32(apu.Note(69, 0)), apu.Duration(0, 0, 10, 5), 80,
		apu.ToneTriangle|apu.ToneNoteMode|apu.TonePanLeft)
	a.Tick()

	fmt.Println("buffered sample frames:", a.Buffered())

	// The audio goroutine: 4 bytes per stereo frame.
	buf := make([]byte, 4*apu.SamplesPerFrame)
	n, err := a.Read(buf)
	fmt.Println(n, err, "remaining:", a.Buffered())
	// Output:
	// buffered sample frames: 1470
	// 2940 <nil> remaining: 735
}

func ExampleDecodeTone() {
	p := apu.DecodeTone(
		apu.Frequency(apu.Note(60, 128), apu.Note(72, 0)), // C4 + 1/2 semitone sliding to C5
		apu.Duration(5, 10, 30, 15),                       // attack, decay, sustain, release
		apu.Volume(90, 40),                                // peak 90, sustain 40
		apu.ToneNoteMode|apu.TonePulse2|apu.ToneMode2|apu.TonePanRight,
	)
	fmt.Printf("channel %d duty %v pan %d note mode %v\n", p.Channel, p.Duty, p.Pan, p.NoteMode)
	fmt.Printf("%.2f Hz -> %.2f Hz over %d frames\n", p.StartHz, p.EndHz, p.Frames())
	fmt.Printf("ADSR %d/%d/%d/%d, peak %d, sustain %d\n", p.Attack, p.Decay, p.Sustain, p.Release, p.PeakVolume, p.SustainVolume)
	// Output:
	// channel 1 duty 0.25 pan 2 note mode true
	// 269.29 Hz -> 523.25 Hz over 60 frames
	// ADSR 5/10/30/15, peak 90, sustain 40
}
