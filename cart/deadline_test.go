//go:build !js

package cart_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// updateUntil calls Update until it returns something other than nil,
// or the cart has run frames updates, for at most 60 s.
func updateUntil(t *testing.T, c *cart.Cart, frames int) error {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for c.Frames() < frames {
		if err := c.Update(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cart is at frame %d after 60 s, want %d", c.Frames(), frames)
		}
		time.Sleep(time.Millisecond) // a game's tick, shortened
	}
	return nil
}

// TestInteractiveDeadline: with Options.Interactive, an update past
// CPULimit in a worker is a question (NotRespondingError) rather than the
// cart's end; Wait grants another CPULimit, Stop ends the cart with the
// deadline's error, a slow update that ends lets the cart play on. In
// this process, and without Interactive, the limit stops the cart.
func TestInteractiveDeadline(t *testing.T) {
	const limit = 50 * time.Millisecond
	tests := []struct {
		name        string
		cart        string
		engine      cart.Engine
		interactive bool
		want        string // "asks", "plays on" or the error the limit stops it with
	}{
		{"endless loop, worker, interactive", "hostile/update_loop", cart.EngineProcess, true, "asks"},
		{"slow update, worker, interactive", "slow_update", cart.EngineProcess, true, "plays on"},
		{"endless loop, worker", "hostile/update_loop", cart.EngineProcess, false, "guest: update did not return within 50ms"},
		{"slow update, worker", "slow_update", cart.EngineProcess, false, "guest: update did not return within 50ms"},
		{"endless loop, in process, interactive", "hostile/update_loop", cart.EngineInProcess, true, "guest: update did not return within 50ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wasm, err := os.ReadFile(testcarts.GuestTestdata(tc.cart))
			if err != nil {
				t.Fatal(err)
			}
			c, err := cart.Load(wasm, &cart.Options{Engine: tc.engine, CPULimit: limit, Interactive: tc.interactive})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			err = updateUntil(t, c, 10)
			var nr *cart.NotRespondingError
			var de *cart.DeadlineError
			switch tc.want {
			case "asks":
				if !errors.As(err, &nr) || nr.Func != "update" || nr.Frame != 2 || nr.Running < limit || c.Err() != nil || !c.NotResponding() {
					t.Fatalf("Update: %v (Err %v), want a NotRespondingError at frame 2 and the cart not stopped", err, c.Err())
				}
				if err := c.Update(); !errors.As(err, &nr) {
					t.Fatalf("Update again, unanswered: %v, want the question again", err)
				}
				// The frame is the update's to write while it runs on: no
				// snapshot of it half drawn.
				if _, err := c.Snapshot(); !errors.As(err, &nr) {
					t.Fatalf("Snapshot while the update runs on: %v, want the NotRespondingError", err)
				}
				// The game draws meanwhile: the last frame stays, and the
				// cart is not stopped by it (the prompt is the player's).
				ebitest.Run(t, gameFunc{update: func() error { return nil }, draw: func(s *ebiten.Image) { c.Draw(s, nil) }}, 2, nil)
				if c.Err() != nil || !c.NotResponding() {
					t.Fatalf("after a draw while the update runs on: Err %v, want the cart still asking", c.Err())
				}
				granted := time.Now()
				c.Wait()
				if err := c.Update(); err != nil {
					t.Fatalf("Update after Wait: %v, want nil within the time granted", err)
				}
				for err = c.Update(); err == nil; err = c.Update() {
					time.Sleep(time.Millisecond)
				}
				if !errors.As(err, &nr) || time.Since(granted) < limit {
					t.Fatalf("Update %v after Wait: %v, want the question again after %v", time.Since(granted), err, limit)
				}
				stopped := c.Stop()
				if !errors.As(stopped, &de) || !strings.HasPrefix(stopped.Error(), "guest: update did not return within 50ms (cpu-limit; stopped after it ran ") || c.Update() != stopped || c.Err() != stopped {
					t.Fatalf("Stop: %v, Update %v, Err %v; want the deadline's error from then on", stopped, c.Update(), c.Err())
				}
			case "plays on":
				for errors.As(err, &nr) {
					c.Wait()
					err = updateUntil(t, c, 10)
				}
				if err != nil || c.Frames() != 10 {
					t.Fatalf("after waiting: %v at frame %d, want the cart at frame 10", err, c.Frames())
				}
				img, err := c.Snapshot()
				if err != nil || img.Pix[0] != 10 {
					t.Fatalf("the frame after 10 updates: %v %v, want red 10", img.Pix[:4], err)
				}
			default:
				if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) || c.NotResponding() {
					t.Fatalf("Update: %v, want %q", err, tc.want)
				}
			}
		})
	}
}

// TestLoadStateAfterStop: a state saved before a cart stopped brings the
// stopped cart back, on both engines: in place where its instance can be
// renewed, on a new core where it cannot (a worker killed at its
// deadline; a WASM-4 cart, whose memory went with its instance, which in
// this process crashed the host before).
func TestLoadStateAfterStop(t *testing.T) {
	for _, cartName := range []string{"trap_update", "hostile/update_loop", "w4_trap"} {
		for _, engine := range []cart.Engine{cart.EngineInProcess, cart.EngineProcess} {
			t.Run(cartName+"/"+engine.String(), func(t *testing.T) {
				c, err := cart.LoadFile(testcarts.GuestTestdata(cartName), &cart.Options{Engine: engine, CPULimit: 200 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				stopThenLoadState(t, c)
				if err := c.Update(); err != nil || c.Frames() != 2 {
					t.Fatalf("Update from the state: %v at frame %d, want frame 2", err, c.Frames())
				}
				if _, err := c.Snapshot(); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// stopThenLoadState runs c's first update, saves a state, runs c until it
// stops (a cart that traps or loops within 10 updates) and loads the state.
func stopThenLoadState(t *testing.T, c *cart.Cart) {
	t.Helper()
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	st, err := c.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	if err := updateUntil(t, c, 10); err == nil || c.Err() == nil {
		t.Fatalf("the cart did not stop: %v", err)
	}
	if err := c.LoadState(st); err != nil || c.Err() != nil {
		t.Fatalf("LoadState: %v (Err %v), want the cart back", err, c.Err())
	}
}

// TestStateOnNewCoreIsQuiet: a state loaded into a stopped cart boots a
// new core first, and that boot's start is not the cart's: its log lines
// and saves are dropped. Otherwise the start, run from the disk the cart
// was loaded with, overwrites the progress saved since (and logs again).
func TestStateOnNewCoreIsQuiet(t *testing.T) {
	for _, engine := range []cart.Engine{cart.EngineInProcess, cart.EngineProcess} {
		t.Run(engine.String(), func(t *testing.T) {
			saves := cart.MemorySaves()
			var boots []string
			c, err := cart.LoadFile(testcarts.GuestTestdata("w4_boot_trap"), &cart.Options{
				Engine: engine,
				Saves:  saves,
				Log: func(l string) {
					if strings.HasPrefix(l, "boot") {
						boots = append(boots, l)
					}
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			stopThenLoadState(t, c) // the second update saves 100, the third traps
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			wasm, err := os.ReadFile(testcarts.GuestTestdata("w4_boot_trap"))
			if err != nil {
				t.Fatal(err)
			}
			disk, err := saves.Load(cart.SaveKey(wasm))
			if err != nil {
				t.Fatal(err)
			}
			if len(disk) != 4 || disk[0] != 100 {
				t.Errorf("saved data after the state loaded: %v, want [100 0 0 0] (the update's save)", disk)
			}
			if len(boots) != 1 {
				t.Errorf("start's log lines: %q, want one", boots)
			}
		})
	}
}

// TestRefusedStateKeepsCartStopped: a state refused (another cart's,
// another format version's, no state at all), loaded into a cart that
// stopped (or whose update runs past its limit), is a *StateError and the
// cart stays stopped (or is stopped by its deadline, as LoadState ends
// such an update first), on both engines. Where the stop killed the
// worker, the state is tried on a new core: that core's fresh start was
// kept before, and the stopped cart played on from frame 0 as if the
// state had loaded. Bytes that were no state at all, or of another
// version, left an update past its limit running, unlike another cart's.
func TestRefusedStateKeepsCartStopped(t *testing.T) {
	good, err := cart.LoadFile(testcarts.GuestTestdata("good"), nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := good.SaveState()
	good.Close()
	if err != nil {
		t.Fatal(err)
	}
	version := bytes.Clone(other)
	version[bytes.IndexByte(version, '\n')+1]++ // the format version follows the magic line
	states := []struct {
		name  string
		state []byte
		want  string
	}{
		{"another cart's", other, "the state is for cart sha256:"},
		{"another version's", version, "it is of format version"},
		{"no state", []byte("not a state"), "not an ebicart save state"},
	}
	for _, tc := range []struct {
		name        string
		engine      cart.Engine
		interactive bool
	}{
		{"in process", cart.EngineInProcess, false},
		{"worker", cart.EngineProcess, false},
		{"worker, not responding", cart.EngineProcess, true},
	} {
		for _, st := range states {
			t.Run(tc.name+"/"+st.name, func(t *testing.T) {
				c, err := cart.LoadFile(testcarts.GuestTestdata("hostile/update_loop"), &cart.Options{Engine: tc.engine, CPULimit: 200 * time.Millisecond, Interactive: tc.interactive})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				var nr *cart.NotRespondingError
				if err := updateUntil(t, c, 10); err == nil || !tc.interactive && c.Err() == nil || tc.interactive && !errors.As(err, &nr) {
					t.Fatalf("the cart did not stop or ask: %v", err)
				}
				var se *cart.StateError
				if err := c.LoadState(st.state); !errors.As(err, &se) || !strings.Contains(err.Error(), st.want) {
					t.Fatalf("LoadState: %v, want a StateError saying %q", err, st.want)
				}
				var de *cart.DeadlineError
				if err := c.Err(); !errors.As(err, &de) {
					t.Fatalf("Err after the refused state: %v, want the deadline's error", err)
				}
				if err := c.Update(); !errors.As(err, &de) || c.Frames() != 2 {
					t.Fatalf("Update after the refused state: %v at frame %d, want the deadline's error at frame 2", err, c.Frames())
				}
			})
		}
	}
}

// TestStateOverMaxMemory: a state whose memory does not fit the cart's
// MaxMemory is refused saying so and what to do, not only that it "does
// not fit this cart's limit", in bytes.
func TestStateOverMaxMemory(t *testing.T) {
	big, err := cart.LoadFile(testcarts.GuestTestdata("grow"), nil) // a page more each update, to 8
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := big.Update(); err != nil {
			t.Fatal(err)
		}
	}
	state, err := big.SaveState()
	big.Close()
	if err != nil {
		t.Fatal(err)
	}
	// 1 MiB of stack and 2 pages: the cart loads, its state's 6 pages do
	// not fit.
	c, err := cart.LoadFile(testcarts.GuestTestdata("grow"), &cart.Options{MaxMemory: 1<<20 + 2<<16})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var se *cart.StateError
	const want = "guest: cannot load the state: the state's memory of 384.0 KiB does not fit within this cart's limit of 1.1 MiB (max-memory, which holds its stack too): raise the limit to load it"
	if err := c.LoadState(state); !errors.As(err, &se) || err.Error() != want {
		t.Fatalf("LoadState: %v, want %q", err, want)
	}
}
