package apu

import (
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The golden WAVs in testdata are what WASM-4's own APU (apu.c at
// aduros/wasm4 b6dcb6a, built outside this repository by
// internal/w4diff/ref/build.sh with a driver of ours, tones.c) plays for
// the tone sequences below, update by update; TestGolden requires the
// same samples from Synth. make w4-diff compares them with apu.c again; by
// hand, with DIR where build.sh built it:
//
//	go test ./wasm4/apu -run TestGolden -tones-cases /tmp/tones
//	for f in /tmp/tones/*.txt; do DIR/w4tones < $f > ${f%.txt}.raw; done
//	go test ./wasm4/apu -run TestGolden -tones-ref /tmp/tones [-update]
//
// -update rewrites the WAVs from apu.c's output.
var (
	update     = flag.Bool("update", false, "rewrite testdata's golden WAVs from -tones-ref")
	tonesCases = flag.String("tones-cases", "", "write the golden sequences to this directory, NAME.txt each, for WASM-4's apu.c driver")
	tonesRef   = flag.String("tones-ref", "", "compare with apu.c's output in this directory, NAME.raw each")
)

// piece is a golden tone sequence: tone() calls at updates, and how many
// updates it lasts.
type piece struct {
	name    string
	updates int
	calls   []timed
}

func call(frame int, freq, dur, vol, flags uint32) timed {
	return timed{frame, toneCall{freq, dur, vol, flags}}
}

// pieces are the golden sequences: each channel on its own (single-channel
// sequences), then the envelope, note mode and a mix of all four.
func pieces() []piece {
	var ps []piece
	// Pulse: the four duty modes, pans, a slide up and down, volumes, and a
	// tone replacing one still playing (its phase goes on).
	{
		var c []timed
		for m := range uint32(4) {
			c = append(c, call(int(m)*12, 440, 10, 100, TonePulse1|m<<2))
		}
		c = append(c,
			call(48, 330, 8, 60, TonePulse1|ToneMode3|TonePanLeft),
			call(56, 330, 8, 60, TonePulse1|ToneMode3|TonePanRight),
			call(64, Frequency(200, 2000), 20, 100, TonePulse1|ToneMode2),
			call(84, Frequency(3000, 100), 12, 80, TonePulse1|ToneMode1),
			call(96, 523, 6, 30, TonePulse1|ToneMode3),
			call(99, 659, 6, 30, TonePulse1|ToneMode3), // replaces the 523 Hz mid-tone
			call(108, 12000, 4, 100, TonePulse1|ToneMode3),
		)
		ps = append(ps, piece{"pulse", 114, c})
	}
	// Pulse 2 alone, the other pulse channel, 25 % and 50 %.
	ps = append(ps, piece{"pulse2", 30, []timed{
		call(0, 262, 10, 90, TonePulse2|ToneMode2),
		call(12, Frequency(262, 524), 15, 90, TonePulse2|ToneMode3|TonePanRight),
	}})
	// Triangle: without a release (WASM-4 adds 1 ms), with one, a slide,
	// panned, low and high.
	ps = append(ps, piece{"triangle", 84, []timed{
		call(0, 220, 10, 100, ToneTriangle),
		call(12, 220, Duration(0, 0, 6, 10), 100, ToneTriangle),
		call(30, Frequency(110, 880), 20, 70, ToneTriangle|TonePanLeft),
		call(52, 55, 12, 100, ToneTriangle|TonePanRight),
		call(66, 4000, 8, 50, ToneTriangle),
		call(76, 1000, 2, 100, ToneTriangle),
		call(78, 1500, 4, 100, ToneTriangle), // replaces the 1000 Hz still releasing
	}})
	// Noise: low to high, a slide, panned, quiet.
	ps = append(ps, piece{"noise", 84, []timed{
		call(0, 100, 10, 100, ToneNoise),
		call(12, 800, 10, 100, ToneNoise),
		call(24, 3000, 10, 80, ToneNoise|TonePanLeft),
		call(36, 9000, 10, 80, ToneNoise|TonePanRight),
		call(48, Frequency(200, 6000), 20, 100, ToneNoise),
		call(70, 60000, 6, 40, ToneNoise),
		call(78, 500, Duration(0, 0, 0, 6), 100, ToneNoise),
	}})
	// ADSR on each kind of channel: attack, decay, sustain, release, a
	// peak of 0 (which means 100), volumes above 100 (clamped), and a
	// release shorter than 1 ms's worth is none.
	ps = append(ps, piece{"adsr", 120, []timed{
		call(0, 440, Duration(10, 10, 10, 10), Volume(100, 40), TonePulse1|ToneMode3),
		call(42, 440, Duration(5, 0, 10, 15), Volume(0, 60), TonePulse2|ToneMode2),
		call(42, 220, Duration(20, 5, 0, 20), Volume(200, 250), ToneTriangle),
		call(90, 2000, Duration(8, 8, 4, 8), Volume(90, 20), ToneNoise),
		call(90, 660, Duration(0, 20, 0, 0), Volume(100, 0), TonePulse1|ToneMode1),
	}})
	// Note mode: notes with bends, a slide between notes, on the pulses
	// and the triangle.
	{
		var c []timed
		for i, n := range []uint8{60, 62, 64, 65, 67, 69, 71, 72} {
			c = append(c, call(i*6, uint32(Note(n, uint8(i*32))), Duration(0, 1, 3, 2), 80, TonePulse1|ToneMode2|ToneNoteMode))
		}
		c = append(c,
			call(50, Frequency(Note(48, 0), Note(72, 128)), 30, 90, ToneTriangle|ToneNoteMode),
			call(50, Frequency(Note(84, 64), Note(36, 0)), 30, 50, TonePulse2|ToneMode3|ToneNoteMode|TonePanLeft),
		)
		ps = append(ps, piece{"notes", 84, c})
	}
	// All four channels at once at full volume, with pans, and tones on
	// channels still playing.
	ps = append(ps, piece{"mix", 60, []timed{
		call(0, 262, 40, 100, TonePulse1|ToneMode3),
		call(0, 330, 40, 100, TonePulse2|ToneMode1|TonePanLeft),
		call(0, 392, 40, 100, ToneTriangle),
		call(0, 4000, 40, 100, ToneNoise|TonePanRight),
		call(20, 523, 30, 100, TonePulse1|ToneMode2),
		call(20, 196, 30, 100, ToneTriangle|TonePanLeft),
	}})
	return ps
}

// play renders p with a Synth as WASM-4 does: each update's tones, the
// update's end, 735 sample frames.
func play(p piece) []int16 {
	out := make([]int16, 2*SamplesPerFrame*p.updates)
	s := NewSynth()
	i := 0
	for u := range p.updates {
		for i < len(p.calls) && p.calls[i].frame == u {
			c := p.calls[i]
			s.Tone(c.freq, c.dur, c.vol, c.flags)
			i++
		}
		s.Tick()
		s.Render(out[2*SamplesPerFrame*u : 2*SamplesPerFrame*(u+1)])
	}
	return out
}

func TestGolden(t *testing.T) {
	total := 0
	for _, p := range pieces() {
		t.Run(p.name, func(t *testing.T) {
			if *tonesCases != "" {
				var b strings.Builder
				fmt.Fprintf(&b, "%d\n", p.updates)
				for _, c := range p.calls {
					fmt.Fprintf(&b, "%d %d %d %d %d\n", c.frame, c.freq, c.dur, c.vol, c.flags)
				}
				if err := os.MkdirAll(*tonesCases, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(*tonesCases, p.name+".txt"), []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := play(p)
			path := filepath.Join("testdata", p.name+".wav")
			var want []int16
			if *tonesRef != "" {
				raw, err := os.ReadFile(filepath.Join(*tonesRef, p.name+".raw"))
				if err != nil {
					t.Fatal(err)
				}
				want = make([]int16, len(raw)/2)
				for i := range want {
					want[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
				}
				if *update {
					if err := os.WriteFile(path, EncodeWAV(want), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			} else {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if want, err = DecodeWAV(b); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
			}
			total += len(want)
			if len(got) != len(want) {
				t.Fatalf("%d samples, WASM-4's apu.c %d", len(got), len(want))
			}
			diffs, first := 0, -1
			for i := range got {
				if got[i] != want[i] {
					if first < 0 {
						first = i
					}
					diffs++
				}
			}
			if diffs > 0 {
				t.Fatalf("%d of %d samples differ from WASM-4's apu.c, the first at frame %d (%s): %d, want %d",
					diffs, len(got), first/2, [2]string{"left", "right"}[first%2], got[first], want[first])
			}
		})
	}
	if size := 2 * total; size > 1_900_000 {
		t.Errorf("the golden WAVs hold %d bytes of samples: keep them under 2 MB in all", size)
	}
}
