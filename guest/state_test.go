//go:build !js

package guest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/conformance"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestSaveLoadState: a state saved at frame 100 and loaded (into the same
// cart, and into a fresh one on another engine) continues with exactly the
// frames the uninterrupted run had.
func TestSaveLoadState(t *testing.T) {
	for _, name := range []string{"wasi_clock", "input_echo", "wasm4_io", "rgba", "demo"} {
		t.Run(name, func(t *testing.T) {
			c, _ := conformance.Find(name)
			wasm, err := os.ReadFile(filepath.Join(testcarts.Root(), c.Cart))
			if err != nil {
				t.Fatal(err)
			}
			input := func(i int) Input {
				if c.Input != nil {
					return c.Input(i)
				}
				return Input{}
			}
			o := opts(t)
			o.Config = BootConfig{Seed: 7, Start: 1e18}
			engines := enginetest.Engines()
			// The uninterrupted run, hashing frames 100..160.
			ref, err := enginetest.Load(context.Background(), engines[0], wasm, o)
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close()
			var want []string
			var state []byte
			for i := range 160 {
				if i == 100 {
					if state, err = ref.SaveState(); err != nil {
						t.Fatal(err)
					}
				}
				if err := ref.Update(input(i)); err != nil {
					t.Fatal(err)
				}
				if i >= 100 {
					want = append(want, hashFrame(t, ref))
				}
			}
			// The same cart, after running on, loaded back; and a fresh cart
			// on each engine.
			for _, e := range engines {
				fresh, err := enginetest.Load(context.Background(), e, wasm, o)
				if err != nil {
					t.Fatal(err)
				}
				defer fresh.Close()
				for _, target := range []*enginetest.Cart{ref, fresh} {
					if err := target.LoadState(state); err != nil {
						t.Fatalf("%s: %v", e.Name, err)
					}
					if f := target.Frames(); f != 100 {
						t.Fatalf("%s: %d frames after loading, want 100", e.Name, f)
					}
					for i := 100; i < 160; i++ {
						if err := target.Update(input(i)); err != nil {
							t.Fatal(err)
						}
						if got := hashFrame(t, target); got != want[i-100] {
							t.Fatalf("%s: frame %d after loading differs from the uninterrupted run", e.Name, i+1)
						}
					}
				}
			}
		})
	}
}

func hashFrame(t *testing.T, c *enginetest.Cart) string {
	t.Helper()
	f, err := c.Frame()
	if err != nil {
		t.Fatal(err)
	}
	return string(f.Pix)
}

// TestLoadStateRefused: a state of another cart, or broken, is refused
// with a StateError, and the cart runs on as it was.
func TestLoadStateRefused(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		a, b := load(t, e, "input_echo"), load(t, e, "grow")
		a.Update(Input{})
		state, err := a.SaveState()
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			target *enginetest.Cart
			state  []byte
			want   string
		}{
			{"another cart", b, state, "the state is for cart sha256:"},
			{"not a state", a, []byte("hello"), "not an ebicart save state"},
			{"truncated", a, state[:len(state)-10], "malformed message"},
			{"another version", a, append(append([]byte(StateMagic), 9, 0, 0, 0), state[len(StateMagic)+4:]...), "format version 9"},
			// A frame counter that would wrap within minutes: the clocks
			// would go back, a recording's frames too.
			{"a frame counter near 2^32", a, withFrames(state, 0xffffff00), "its frame counter 4294967040 is past 2^31"},
			{"a broken generator", a, withBrokenGenerator(t, state), "its random generator's state is malformed"},
		} {
			err := tc.target.LoadState(tc.state)
			var se *StateError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v, want a StateError saying %q", tc.name, err, tc.want)
			}
			if err := tc.target.Update(Input{}); err != nil {
				t.Fatalf("%s: the cart stopped: %v", tc.name, err)
			}
		}
	})
}

// withFrames is state with its frame counter set to n.
func withFrames(state []byte, n uint32) []byte {
	s := bytes.Clone(state)
	binary.LittleEndian.PutUint32(s[len(StateMagic)+4+32+1:], n) // after the version, the cart's hash and the mode
	return s
}

// withBrokenGenerator is state with a byte of its generator's state (a
// ChaCha8's, which starts "chacha8:") changed.
func withBrokenGenerator(t *testing.T, state []byte) []byte {
	t.Helper()
	i := bytes.Index(state, []byte("chacha8:"))
	if i < 0 {
		t.Fatal(`the state holds no "chacha8:"`)
	}
	s := bytes.Clone(state)
	s[i] = 'X'
	return s
}

// TestStateAfterStop: a state saved before the cart stopped loads into
// the stopped cart on an engine whose instance is still there, and the
// cart runs on from it with its memory: after a trap, and after a
// deadline in this process, where the engine closed the instance and the
// load renews it. (A worker process killed at its deadline, and a WASM-4
// cart, whose memory wazero frees with its instance, cannot take a state:
// the cart package boots a new core.)
func TestStateAfterStop(t *testing.T) {
	for _, tc := range []struct{ cart, want string }{
		{"trap_update", "update trapped"},
		{"hostile/update_loop", "update did not return within 200ms"},
		{"w4_trap", "update trapped"}, // its memory is another module's
	} {
		t.Run(tc.cart, func(t *testing.T) {
			forEngines(t, func(t *testing.T, e enginetest.Engine) {
				if tc.cart == "hostile/update_loop" && e.Name != "inprocess" {
					t.Skip("the worker is killed at the deadline")
				}
				o := opts(t)
				o.Limits.Update = 200 * time.Millisecond
				c, err := enginetest.Load(context.Background(), e, readCart(t, tc.cart), o)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if err := c.Update(Input{}); err != nil {
					t.Fatal(err)
				}
				st, err := c.SaveState()
				if err != nil {
					t.Fatal(err)
				}
				for err == nil {
					err = c.Update(Input{})
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("the cart stopped with %v, want %q", err, tc.want)
				}
				err = c.LoadState(st)
				if tc.cart == "w4_trap" {
					// Its memory went with its instance: the cart package
					// boots it again (cart's TestLoadStateAfterStop).
					var se *StateError
					if err == nil || errors.As(err, &se) {
						t.Fatalf("LoadState into a stopped WASM-4 cart: %v, want an error that is not the state's", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("LoadState after the cart stopped: %v", err)
				}
				if err := c.Update(Input{}); err != nil {
					t.Fatalf("Update from the state: %v", err)
				}
				if _, err := c.Frame(); err != nil {
					t.Fatalf("the frame from the state: %v", err)
				}
			})
		})
	}
}

// TestStateCannotSetStackBudget: the stack budget the host adds to a cart
// is one of the mutable globals a state holds, and a state (a file
// someone sent) that sets it is overruled: here one that leaves no budget
// at all, which would make the next call overflow.
func TestStateCannotSetStackBudget(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "input_echo")
		if err := c.Update(Input{}); err != nil {
			t.Fatal(err)
		}
		state, err := c.SaveState()
		if err != nil {
			t.Fatal(err)
		}
		// The budget, whole between calls: an i32 global (type 0x7f) of
		// StackBytes, as a little-endian u64.
		whole := []byte{0x7f, 0, 0, byte(StackBytes >> 16), 0, 0, 0, 0, 0}
		i := bytes.Index(state, whole)
		if i < 0 || bytes.Contains(state[i+1:], whole) {
			t.Fatalf("the stack budget is not found once in the state")
		}
		crafted := bytes.Clone(state)
		crafted[i+3] = 0 // a budget of 0
		if err := c.LoadState(crafted); err != nil {
			t.Fatal(err)
		}
		if err := c.Update(Input{}); err != nil {
			t.Fatalf("the update after a state without a stack budget: %v", err)
		}
	})
}

// TestLoadStateGrowsZeros: a state loaded into a cart whose memory has
// grown since it was saved renews the cart's memory; what the memory then
// grows over reads as zeros again, as memory.grow promises, on every
// engine, and the frames are those of the first run.
func TestLoadStateGrowsZeros(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "grow_zero")
		var want []string
		var state []byte
		for i := range 25 {
			if i == 5 {
				var err error
				if state, err = c.SaveState(); err != nil {
					t.Fatal(err)
				}
			}
			if err := c.Update(Input{}); err != nil {
				t.Fatal(err)
			}
			if i >= 5 {
				want = append(want, hashFrame(t, c))
			}
		}
		if err := c.LoadState(state); err != nil {
			t.Fatal(err)
		}
		for i := 5; i < 25; i++ {
			if err := c.Update(Input{}); err != nil {
				t.Fatal(err)
			}
			if got := hashFrame(t, c); got != want[i-5] {
				t.Fatalf("frame %d after loading is % x, want % x (the first run's)", i+1, got, want[i-5])
			}
		}
	})
}
