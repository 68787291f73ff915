//go:build !js

package cart_test

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/wasm4/apu"
)

// tonesCartSound is what wasm4/testdata/tones (see its source) sounds like
// over updates updates, from a synthesiser given its tones where WASM-4
// gives them: start's with the first update's.
func tonesCartSound(updates int) []int16 {
	s := apu.NewSynth()
	out := make([]int16, 2*apu.SamplesPerFrame*updates)
	for u := range updates {
		switch u {
		case 0:
			s.Tone(440, 2, 100, apu.TonePulse1|apu.ToneMode3)
		case 3:
			s.Tone(apu.Frequency(220, 880), 4, 80, apu.ToneTriangle)
		case 5:
			s.Tone(2000, 3, 60, apu.ToneNoise|apu.TonePanLeft)
			s.Tone(uint32(apu.Note(69, 0)), 6, 100, apu.TonePulse2|apu.ToneNoteMode|apu.TonePanRight)
		}
		s.Tick()
		s.Render(out[2*apu.SamplesPerFrame*u : 2*apu.SamplesPerFrame*(u+1)])
	}
	return out
}

// TestAudioOut: Options.AudioOut receives 735 stereo frames of the cart's
// sound per update, whatever plays: a tone() during update n (start's with
// update 0's) from sample 735n; silence from an ABI v1 cart.
func TestAudioOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		path string
		want func(updates int) []int16
	}{
		{"wasm4", filepath.Join(testcarts.Root(), "wasm4", "testdata", "tones.wasm"), tonesCartSound},
		{"abi1", testcarts.Carts[0].Path(), func(updates int) []int16 { return make([]int16, 2*apu.SamplesPerFrame*updates) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			c, err := cart.LoadFile(tc.path, &cart.Options{AudioOut: &out, Log: func(l string) { t.Log(l) }})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			const updates = 12
			for range updates {
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			want := tc.want(updates)
			if out.Len() != 2*len(want) {
				t.Fatalf("%d bytes for %d updates, want %d", out.Len(), updates, 2*len(want))
			}
			got := make([]int16, len(want))
			binary.Read(&out, binary.LittleEndian, got)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("sample frame %d (update %d): %d, want %d", i/2, i/2/apu.SamplesPerFrame, got[i], want[i])
				}
			}
			if tc.name == "wasm4" && (got[0] == 0 && got[2] == 0 || got[2*3*apu.SamplesPerFrame-2] != 0) {
				t.Fatalf("start's tone is not at sample 0, or still sounds at update 3")
			}
		})
	}
}
