//go:build !js

package cart_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/wasm4/apu"
)

// TestStateSoundWithoutOutput: every state of a WASM-4 cart holds its
// sound chip, whether or not sound plays or AudioOut is written where it
// was saved: a cart loaded from it sounds on with the notes held across
// it. A state saved headless without AudioOut used to hold none, and
// AudioOut once ignored a loaded state's sound.
func TestStateSoundWithoutOutput(t *testing.T) {
	const saved, updates = 6, 12 // update 5's tones last to update 11
	path := filepath.Join(testcarts.Root(), "wasm4", "testdata", "tones.wasm")
	for _, tc := range []struct {
		name  string
		first cart.Options
	}{
		{"no output", cart.Options{}},
		{"audio out", cart.Options{AudioOut: new(bytes.Buffer)}},
		{"rewind", cart.Options{Rewind: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cart.LoadFile(path, &tc.first)
			if err != nil {
				t.Fatal(err)
			}
			for range saved {
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			state, err := c.SaveState()
			c.Close()
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			c, err = cart.LoadFile(path, &cart.Options{AudioOut: &out})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.LoadState(state); err != nil {
				t.Fatal(err)
			}
			for range updates - saved {
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			checkSound(t, out.Bytes(), tonesCartSound(updates)[2*apu.SamplesPerFrame*saved:])
		})
	}
}

// TestAudioOutRewound: AudioOut goes on from the frame a rewind stops at,
// with the chip as it was then: the sound after the rewind is the one
// the updates from that frame make. Its synthesiser used to go on from
// the frame the rewind began at.
func TestAudioOutRewound(t *testing.T) {
	path := filepath.Join(testcarts.Root(), "wasm4", "testdata", "tones.wasm")
	for _, tc := range []struct {
		name         string
		played, back int
	}{
		{"into held notes", 12, 6}, // back to update 6: update 5's notes sound on
		{"to the start of the history", 9, 8},
		{"one update", 8, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			c, err := cart.LoadFile(path, &cart.Options{AudioOut: &out, Rewind: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for range tc.played {
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			for range tc.back {
				if ok, err := c.Rewind(); !ok || err != nil {
					t.Fatalf("Rewind: %v, %v", ok, err)
				}
			}
			for range tc.back {
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			all := tonesCartSound(tc.played)
			want := append(all[:len(all):len(all)], all[2*apu.SamplesPerFrame*(tc.played-tc.back):]...)
			checkSound(t, out.Bytes(), want)
		})
	}
}

// checkSound compares AudioOut's bytes with the samples wanted.
func checkSound(t *testing.T, out []byte, want []int16) {
	t.Helper()
	if len(out) != 2*len(want) {
		t.Fatalf("%d bytes, want %d", len(out), 2*len(want))
	}
	got := make([]int16, len(want))
	binary.Read(bytes.NewReader(out), binary.LittleEndian, got)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample frame %d (update %d of the output): %d, want %d", i/2, i/2/apu.SamplesPerFrame, got[i], want[i])
		}
	}
}

// TestRewindWritesNoSave: the updates a rewind runs again (to show the
// frames, and to resume) do not write the cart's save, which they used
// to with their older data; once play resumes the save is the one the
// cart had at the frame resumed from.
func TestRewindWritesNoSave(t *testing.T) {
	for _, tc := range []struct {
		name         string
		played, back int
		resume       func(c *cart.Cart) error // ends the rewind without an update
	}{
		{"resumed by SaveState", 100, 30, func(c *cart.Cart) error { _, err := c.SaveState(); return err }},
		{"resumed by Update", 100, 30, nil},
		{"within the first keyframe's stretch", 40, 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &countingSaves{SaveStore: cart.MemorySaves()}
			c, err := cart.LoadFile(testcarts.GuestTestdata("save_counter"), &cart.Options{Saves: store, SaveKey: "counter", Rewind: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for range tc.played {
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			if err := c.FlushSaves(); err != nil {
				t.Fatal(err)
			}
			writes, _ := store.state()
			for range tc.back {
				if ok, err := c.Rewind(); !ok || err != nil {
					t.Fatalf("Rewind: %v, %v", ok, err)
				}
			}
			if w, last := store.state(); w != writes || counter(last) != tc.played {
				t.Errorf("while rewound: %d writes more, the save %d; want none, %d", w-writes, counter(last), tc.played)
			}
			if n := c.Saves(); n != tc.played {
				t.Errorf("Saves while rewound: %d, want the %d the cart made", n, tc.played)
			}
			c.FlushSaves() // what is pending: the played frames' last
			if _, last := store.state(); counter(last) != tc.played {
				t.Errorf("FlushSaves while rewound: the save %d, want %d", counter(last), tc.played)
			}
			at := tc.played - tc.back
			if tc.resume != nil {
				if err := tc.resume(c); err != nil {
					t.Fatal(err)
				}
			} else {
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
				at++
			}
			c.FlushSaves()
			if _, last := store.state(); counter(last) != at {
				t.Errorf("after the rewind: the save %d, want the frame's %d", counter(last), at)
			}
		})
	}
}

// counter is save_counter's count in its save.
func counter(save []byte) int {
	if len(save) < 4 {
		return -1
	}
	return int(binary.LittleEndian.Uint32(save))
}

// TestStateRefusedSaysWhy: a state that does not load says what is wrong
// with it and, where another ebicart or cart would load it, which; the
// cart runs on. A state of another format version said only the numbers.
func TestStateRefusedSaysWhy(t *testing.T) {
	c, err := cart.LoadFile(testcarts.GuestTestdata("good"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	state, err := c.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	const magic = "ebicart-cart-state\n"
	version := binary.LittleEndian.Uint32(state[len(magic):])
	newer := bytes.Clone(state)
	binary.LittleEndian.PutUint32(newer[len(magic):], version+1)
	for _, tc := range []struct {
		name  string
		state []byte
		want  string
	}{
		{"a newer format", newer, "it is of format version " + strconv.Itoa(int(version+1)) + "; this ebicart reads version " + strconv.Itoa(int(version)) + ": load it with the ebicart that saved it"},
		{"truncated", state[:len(state)/2], "truncated"},
		{"not a state", []byte("nope"), "not an ebicart save state"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := c.LoadState(tc.state)
			var se *cart.StateError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadState: %v, want a StateError with %q", err, tc.want)
			}
			if err := c.Update(); err != nil {
				t.Errorf("Update after the refused state: %v", err)
			}
		})
	}
}
