//go:build !js

package cart_test

import (
	"bytes"
	"errors"
	"hash/fnv"
	"os"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// script is scripted input for update number i.
func script(i int) cart.Input {
	return cart.Input{Buttons: uint32(i/7) & 0xff, MouseX: int32(i%200) - 20, MouseY: int32(i*3%150) - 10,
		MouseButtons: uint32(i/11) & 7, WheelY: int32(i%3) - 1, Players: [3]uint32{uint32(i/5) & 0x3f}}
}

func frameHash(t *testing.T, c *cart.Cart) uint64 {
	t.Helper()
	img, err := c.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	h := fnv.New64a()
	h.Write(img.Pix)
	return h.Sum64()
}

// run plays n updates of scripted input and returns each frame's hash.
func run(t *testing.T, c *cart.Cart, from, n int, in func(int) cart.Input) []uint64 {
	t.Helper()
	var hashes []uint64
	for i := from; i < from+n; i++ {
		c.SetInput(in(i))
		if err := c.Update(); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, frameHash(t, c))
	}
	return hashes
}

var determinismCarts = []string{"wasi_clock", "input_echo", "w4_io"}

// TestRecordReplay: a recorded session, written and parsed back, replays
// to the same frames on every engine, and the replay's input gives way to
// live input after its last line.
func TestRecordReplay(t *testing.T) {
	for _, name := range determinismCarts {
		t.Run(name, func(t *testing.T) {
			wasm, err := os.ReadFile(testcarts.GuestTestdata(name))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := cart.Load(wasm, &cart.Options{Record: true})
			if err != nil {
				t.Fatal(err)
			}
			want := run(t, rec, 0, 400, script)
			var file bytes.Buffer
			rec.Recording().WriteTo(&file)
			rec.Close()
			for _, engine := range []cart.Engine{cart.EngineInProcess, cart.EngineProcess} {
				r, err := cart.ParseReplay(bytes.NewReader(file.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				c, err := cart.Load(wasm, &cart.Options{Replay: r, Engine: engine})
				if err != nil {
					t.Fatal(err)
				}
				got := run(t, c, 0, 400, func(int) cart.Input { return cart.Input{Buttons: 0xff} }) // live input, ignored while the replay plays
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%s: frame %d of the replay differs from the recording", engine, i+1)
					}
				}
				if c.Replaying() {
					t.Errorf("%s: still replaying after the last line", engine)
				}
				c.EndReplay()
				c.SetInput(cart.Input{Buttons: 0x20})
				if c.Update(); !c.Changed() && name == "input_echo" {
					t.Errorf("%s: live input did not take over after EndReplay", engine)
				}
				c.Close()
			}
		})
	}
}

// TestReplayOfAnotherCart: a replay names its cart by hash.
func TestReplayOfAnotherCart(t *testing.T) {
	r := &cart.Replay{Cart: "00000000000000000000000000000000000000000000000000000000000000ff"}
	_, err := cart.LoadFile(testcarts.GuestTestdata("good"), &cart.Options{Replay: r})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("replay is for cart sha256:0000")) {
		t.Fatalf("got %v, want the replay refused", err)
	}
}

// TestStateRoundTrip: a state saved on one engine loads on the other and
// plays on to the frames of the uninterrupted run; the sound chip comes
// along.
func TestStateRoundTrip(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("w4_io"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := cart.Load(wasm, &cart.Options{Engine: cart.EngineProcess})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	run(t, a, 0, 100, script)
	state, err := a.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	want := run(t, a, 100, 60, script)
	b, err := cart.Load(wasm, &cart.Options{Engine: cart.EngineInProcess})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.LoadState(state); err != nil {
		t.Fatal(err)
	}
	if got := run(t, b, 100, 60, script); !equal(got, want) {
		t.Fatal("the loaded state plays on differently")
	}
	var se *cart.StateError
	if err := b.LoadState([]byte("nope")); !errors.As(err, &se) {
		t.Fatalf("a broken state: %v, want a StateError", err)
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRewind: rewinding shows the frames played, backwards, and playing on
// from a rewound frame continues from exactly that state.
func TestRewind(t *testing.T) {
	for _, name := range determinismCarts {
		t.Run(name, func(t *testing.T) {
			wasm, err := os.ReadFile(testcarts.GuestTestdata(name))
			if err != nil {
				t.Fatal(err)
			}
			c, err := cart.Load(wasm, &cart.Options{Rewind: true, Record: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			played := append([]uint64{frameHash(t, c)}, run(t, c, 0, 300, script)...) // played[f]: after f updates
			if h := c.RewindHistory(); h < 240 {
				t.Fatalf("%d updates of history after 300, want 240 or more", h)
			}
			for f := 299; f >= 150; f-- {
				ok, err := c.Rewind()
				if err != nil || !ok {
					t.Fatalf("rewind to %d: %v %v", f, ok, err)
				}
				if got := frameHash(t, c); got != played[f] {
					t.Fatalf("rewound to frame %d: the frame shown is not the one played", f)
				}
			}
			// Play on from 150 with other input: the same as a fresh run
			// of that history.
			other := func(i int) cart.Input {
				if i < 150 {
					return script(i)
				}
				return cart.Input{Buttons: uint32(i) & 0x3, MouseX: cart.NoPointer, MouseY: cart.NoPointer}
			}
			got := run(t, c, 150, 50, other)
			r := c.Recording()
			fresh, err := cart.Load(wasm, &cart.Options{Replay: r})
			if err != nil {
				t.Fatal(err)
			}
			defer fresh.Close()
			want := run(t, fresh, 0, 200, other)[150:]
			if !equal(got, want) {
				t.Fatal("after the rewind the cart plays on differently from its recording replayed")
			}
		})
	}
}

// TestRewindFirstFrameFirst: the rewind history's first keyframe is saved
// after the first update, not before it: saving a big state would hold the
// cart's first frame back.
func TestRewindFirstFrameFirst(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata(determinismCarts[0]))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cart.Load(wasm, &cart.Options{Rewind: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	if n := cart.RewindBytes(c); n != 0 {
		t.Fatalf("a keyframe of %d bytes before the first frame", n)
	}
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	if cart.RewindBytes(c) == 0 {
		t.Fatal("no keyframe by the second update")
	}
}

// TestRecordingAcrossStates: loading a state this session saved (F5, then
// F8) takes the recording back to its frame, and the recording still
// replays to the session's frames; loading a state from elsewhere (a
// file, an earlier run's quick slot) ends the recording, which would
// otherwise replay from the cart's start to other frames, and says why.
func TestRecordingAcrossStates(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("input_echo"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cart.Load(wasm, &cart.Options{Record: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	run(t, c, 0, 50, script)
	own, err := c.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	run(t, c, 50, 30, script)
	if err := c.LoadState(own); err != nil {
		t.Fatal(err)
	}
	want := run(t, c, 200, 40, script) // other input from frame 50 on
	if c.Recording() == nil || c.RecordingLost() != nil {
		t.Fatalf("after loading its own state the session has no recording: %v", c.RecordingLost())
	}
	var file bytes.Buffer
	c.Recording().WriteTo(&file)
	rp, err := cart.ParseReplay(&file)
	if err != nil {
		t.Fatal(err)
	}
	r, err := cart.Load(wasm, &cart.Options{Replay: rp})
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, r, 0, 90, func(int) cart.Input { return cart.Input{} })
	r.Close()
	for i, h := range want {
		if got[50+i] != h {
			t.Fatalf("the recording replays frame %d to another frame than the session's", 51+i)
		}
	}

	other, err := cart.Load(wasm, nil) // another session, its own state
	if err != nil {
		t.Fatal(err)
	}
	run(t, other, 0, 70, func(i int) cart.Input { return script(i + 1000) })
	foreign, err := other.SaveState()
	other.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoadState(foreign); err != nil {
		t.Fatal(err)
	}
	if c.Recording() != nil {
		t.Fatal("after loading another session's state the cart still offers a recording, which would replay to other frames")
	}
	if err := c.RecordingLost(); err == nil || !strings.Contains(err.Error(), "a state this session did not save was loaded") {
		t.Fatalf("RecordingLost() = %v", err)
	}
}

// TestRewindAcrossStates: loading a state starts the rewind history again
// from it, whatever its frame, and a recording follows a state only while
// it still holds the inputs that led there. Before, a state of a later
// frame than the history left a gap in it, and the next rewind, or the
// history's trim some seconds later, panicked; and a state saved before a
// rewind back past it was taken for one the recording led to.
func TestRewindAcrossStates(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("input_echo"))
	if err != nil {
		t.Fatal(err)
	}
	rewindTo := func(t *testing.T, c *cart.Cart, n int) {
		t.Helper()
		for range n {
			if ok, err := c.Rewind(); err != nil || !ok {
				t.Fatalf("rewind: %v %v", ok, err)
			}
		}
	}
	// rewindAll rewinds as far as the history goes, checking each frame
	// shown against played (played[i] is the frame after update from+i).
	rewindAll := func(t *testing.T, c *cart.Cart, from int, played []uint64) {
		t.Helper()
		n := 0
		for {
			ok, err := c.Rewind()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			n++
			f := len(played) - 1 - n
			if f < 0 {
				t.Fatalf("rewound %d frames, past the state loaded at %d", n, from)
			}
			if frameHash(t, c) != played[f] {
				t.Fatalf("rewound to frame %d: not the frame played after the state", from+f)
			}
		}
		if n == 0 {
			t.Fatal("no history after the state")
		}
	}
	saveState := func(t *testing.T, c *cart.Cart) []byte {
		t.Helper()
		s, err := c.SaveState()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name string
		run  func(t *testing.T, c *cart.Cart)
	}{
		{"F5, rewind past it, play, F8, rewind", func(t *testing.T, c *cart.Cart) {
			run(t, c, 0, 30, script)
			s := saveState(t, c)
			run(t, c, 30, 30, script)
			rewindTo(t, c, 40)                                                 // to frame 20
			run(t, c, 20, 5, func(i int) cart.Input { return script(i + 55) }) // and on from there
			if err := c.LoadState(s); err != nil {
				t.Fatal(err)
			}
			played := append([]uint64{frameHash(t, c)}, run(t, c, 30, 20, script)...)
			rewindAll(t, c, 30, played)
			// The recording was taken back to frame 20: the inputs that
			// led to the state at 30 are not in it.
			if c.Recording() != nil || c.RecordingLost() == nil {
				t.Fatal("the recording goes on after a state its inputs no longer lead to: it would replay to other frames")
			}
		}},
		{"a later state, then the history's trim", func(t *testing.T, c *cart.Cart) {
			other, err := cart.Load(wasm, nil)
			if err != nil {
				t.Fatal(err)
			}
			run(t, other, 0, 500, script)
			late, err := other.SaveState()
			other.Close()
			if err != nil {
				t.Fatal(err)
			}
			run(t, c, 0, 20, script)
			if err := c.LoadState(late); err != nil {
				t.Fatal(err)
			}
			// Two seconds of history: 150 updates trim it.
			played := append([]uint64{frameHash(t, c)}, run(t, c, 500, 150, script)...)
			if h := c.RewindHistory(); h <= 0 || h > 150 {
				t.Fatalf("%d frames of history, 150 updates after the state", h)
			}
			rewindAll(t, c, 500, played[150-c.RewindHistory():])
		}},
		{"an earlier own state, after a rewind not past it", func(t *testing.T, c *cart.Cart) {
			run(t, c, 0, 30, script)
			s := saveState(t, c)
			run(t, c, 30, 70, script)
			rewindTo(t, c, 40) // to frame 60
			run(t, c, 60, 10, func(i int) cart.Input { return script(i + 77) })
			if err := c.LoadState(s); err != nil {
				t.Fatal(err)
			}
			want := run(t, c, 30, 40, func(i int) cart.Input { return script(i + 300) })
			if c.Recording() == nil {
				t.Fatalf("the recording ended: %v", c.RecordingLost())
			}
			r, err := cart.Load(wasm, &cart.Options{Replay: c.Recording()})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := run(t, r, 0, 70, func(int) cart.Input { return cart.Input{} })[30:]
			if !equal(got, want) {
				t.Fatal("the recording does not replay to the session's frames")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cart.Load(wasm, &cart.Options{Rewind: true, RewindSeconds: 2, Record: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			tc.run(t, c)
		})
	}
}

// updates runs n updates of c.
func updates(t *testing.T, c *cart.Cart, n int) {
	t.Helper()
	for range n {
		if err := c.Update(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRewindOffForHugeMemory: a cart whose memory is over four times the
// rewind budget gets no history, said once, before any state is saved:
// saving one reads the whole memory, which for gigabytes took longer than
// the worker's limit in a browser and stopped the cart.
func TestRewindOffForHugeMemory(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("hostile/grow_to_cap"))
	if err != nil {
		t.Fatal(err)
	}
	var logs []string
	c, err := cart.Load(wasm, &cart.Options{Rewind: true, RewindBudget: 1 << 20, MaxMemory: 8 << 20, Log: func(l string) { logs = append(logs, l) }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	updates(t, c, 10)
	if len(logs) != 1 || !strings.HasPrefix(logs[0], "rewind is off: this cart's memory is ") || !strings.HasSuffix(logs[0], " MiB, over four times the 1.0 MiB budget") {
		t.Fatalf("logs %q, want the one line that says rewind is off", logs)
	}
	if bytes := cart.RewindBytes(c); bytes != 0 || c.RewindHistory() != 0 {
		t.Fatalf("%d bytes of history", bytes)
	}

	// A cart that grows past it later: grow adds a page an update, to 8.
	wasm, err = os.ReadFile(testcarts.GuestTestdata("grow"))
	if err != nil {
		t.Fatal(err)
	}
	logs = nil
	g, err := cart.Load(wasm, &cart.Options{Rewind: true, RewindSeconds: 2, RewindBudget: 64 << 10, Log: func(l string) { logs = append(logs, l) }})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	updates(t, g, 30)
	if len(logs) != 0 || cart.RewindBytes(g) == 0 {
		t.Fatalf("at 30 updates: logs %q, %d bytes of history; want the history kept", logs, cart.RewindBytes(g))
	}
	updates(t, g, 60)
	if want := "rewind is off: this cart's memory is 512.0 KiB, over four times the 64.0 KiB budget"; len(logs) != 1 || logs[0] != want || cart.RewindBytes(g) != 0 {
		t.Fatalf("logs %q, %d bytes of history; want %q at the next keyframe", logs, cart.RewindBytes(g), want)
	}
}
