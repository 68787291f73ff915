//go:build !js

package guest

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/guest/engine/wazero"
)

// TestBootAhead: a boot a worker made before it was asked (Server.Prepare,
// as a browser worker does with the page's first cart) is taken by a boot
// request of the same cart, with the default settings, that lets the core
// pick its clock: the client hears what the boot said (start's log line,
// once), learns the clock, and the cart runs on from there. Any other
// request gets a boot of its own, with its own clock, and the one made
// ahead is closed.
func TestBootAhead(t *testing.T) {
	cart, other := readTestdata(t, "lifecycle"), readTestdata(t, "good")
	palette := [4]uint32{1, 2, 3, 4}
	cases := []struct {
		name  string
		wasm  []byte
		cfg   BootConfig
		taken bool
	}{
		{"default settings", cart, BootConfig{AnyClock: true, Name: "lifecycle"}, true},
		{"the clock is the client's (a replay)", cart, BootConfig{Seed: 7, Start: 9}, false},
		{"saved data", cart, BootConfig{AnyClock: true, Disk: []byte("saved")}, false},
		{"another memory cap", cart, BootConfig{AnyClock: true, MaxPages: 64}, false},
		{"a palette", cart, BootConfig{AnyClock: true, Palette: &palette}, false},
		{"a mode", cart, BootConfig{AnyClock: true, Mode: ModeABI1}, false},
		{"another cart", other, BootConfig{AnyClock: true}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := NewDirectLink(&wazero.Engine{}, nil)
			l.srv.Prepare(slices.Clone(cart), nil)
			var logs []string
			cl := NewClient(l, Output{Log: func(line string) { logs = append(logs, line) }})
			if err := cl.Boot(context.Background(), slices.Clone(c.wasm), c.cfg, Limits{}, false); err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			seed, start, taken := cl.Clock()
			if taken != c.taken {
				t.Fatalf("the boot made ahead taken: %v, want %v", taken, c.taken)
			}
			if taken && start == 0 {
				t.Errorf("clock taken: seed %d, start %d: the boot's own was not said", seed, start)
			}
			if c.wasm[0] != cart[0] || len(c.wasm) != len(cart) {
				return // another cart: booted, that is all
			}
			if err := cl.Tick(Input{}); err != nil {
				t.Fatal(err)
			}
			text := strings.Join(logs, "\n")
			if strings.Count(text, "hello, start!") != 1 || !strings.Contains(text, "from stdout") {
				t.Errorf("the cart's log: %q, want start's line once, then update's", logs)
			}
			if l.srv.core == nil || l.srv.core.cfg.Name != c.cfg.Name {
				t.Errorf("the core running is not named %q as the request asked", c.cfg.Name)
			}
		})
	}
}

// TestBootAheadClosed: a boot made ahead that no request takes is closed
// with the server.
func TestBootAheadClosed(t *testing.T) {
	l := NewDirectLink(&wazero.Engine{}, nil)
	l.srv.Prepare(readTestdata(t, "lifecycle"), nil)
	a := l.srv.ahead
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	<-a.done
	if a.core == nil {
		t.Fatal("the boot made ahead failed")
	}
	if a.core.inst != nil {
		t.Error("the boot made ahead is still open after the server closed")
	}
	l.srv.Prepare(readTestdata(t, "lifecycle"), nil)
	if l.srv.ahead != nil {
		t.Error("a closed server boots ahead")
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".wasm")
	if err != nil {
		t.Fatalf("%v (run make carts)", err)
	}
	return b
}

// TestBootAheadClockRepeats: the clock a boot made ahead says it picked
// (Client.Clock) is the one it ran with: a boot given that clock, as a
// replay of the session is, draws the same frames (wasi_clock shows the
// clocks and the seeded generator).
func TestBootAheadClockRepeats(t *testing.T) {
	wasm := readTestdata(t, "wasi_clock")
	run := func(ahead bool, cfg BootConfig) (frames [][]byte, seed, start uint64) {
		l := NewDirectLink(&wazero.Engine{}, nil)
		if ahead {
			l.srv.Prepare(slices.Clone(wasm), nil)
		}
		cl := NewClient(l, Output{})
		if err := cl.Boot(context.Background(), slices.Clone(wasm), cfg, Limits{}, false); err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		seed, start, taken := cl.Clock()
		if taken != ahead {
			t.Fatalf("the boot made ahead taken: %v, want %v", taken, ahead)
		}
		for range 30 {
			if err := cl.Tick(Input{}); err != nil {
				t.Fatal(err)
			}
			mem, d, err := cl.Frame()
			if err != nil {
				t.Fatal(err)
			}
			at, n := d.PixelSpan()
			frames = append(frames, slices.Clone(mem[at:int(at)+n]))
		}
		return frames, seed, start
	}
	first, seed, start := run(true, BootConfig{AnyClock: true})
	again, _, _ := run(false, BootConfig{Seed: seed, Start: start})
	for i := range first {
		if !slices.Equal(first[i], again[i]) {
			t.Fatalf("frame %d differs when booted with the clock the boot made ahead said it had (seed %d, start %d)", i+1, seed, start)
		}
	}
}
