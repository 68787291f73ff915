//go:build !js

package guest

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ebicart/ebicart/guest/engine/wazero"
	"github.com/ebicart/ebicart/internal/digest"
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

// tickAheadLink is a direct link whose client asks the core to run the
// first update as it boots, as a browser worker's does.
type tickAheadLink struct{ *DirectLink }

func (tickAheadLink) TicksAhead() bool { return true }

// TestTickAhead: where the link gains from it, the core runs the cart's
// first update, with no input, as it boots (BootConfig.TickAhead), and the
// client's first Tick takes that update's result whatever input it is
// given; the next ticks are the client's. A save or load of a state before
// the first Tick first takes that update. A link that does not gain from
// it, or a boot that leaves TickAhead false (a replay's), has its first
// update asked for, with its input.
func TestTickAhead(t *testing.T) {
	wasm := readTestdata(t, "input_echo")
	pressed := Input{Buttons: 0x30, MouseX: 5, MouseY: 6}
	cases := []struct {
		name   string
		ahead  bool // the link gains from it
		frames bool // results carry the frame (no shared memory: a worker's)
		cfg    BootConfig
		before func(t *testing.T, cl *Client) // between the boot and the first tick
		want   bool                           // the first update ran unasked
	}{
		{"a browser worker's", true, true, BootConfig{TickAhead: true}, nil, true},
		{"sharing memory", true, false, BootConfig{TickAhead: true}, nil, true},
		{"a replay's", true, true, BootConfig{}, nil, false},
		{"another link's", false, true, BootConfig{TickAhead: true}, nil, false},
		{"a state saved first", true, false, BootConfig{TickAhead: true}, func(t *testing.T, cl *Client) {
			if _, err := cl.SaveState(); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"a state loaded first", true, false, BootConfig{TickAhead: true}, func(t *testing.T, cl *Client) {
			state, err := cl.SaveState()
			if err != nil {
				t.Fatal(err)
			}
			if err := cl.LoadState(state); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewDirectLink(&wazero.Engine{}, nil)
			d.copying = c.frames
			var l Link = d
			if c.ahead {
				l = tickAheadLink{d}
			}
			cl := NewClient(l, Output{})
			if err := cl.Boot(context.Background(), wasm, c.cfg, Limits{}, false); err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			if cl.TickAhead() != c.want {
				t.Errorf("TickAhead after the boot: %v", cl.TickAhead())
			}
			if c.before != nil {
				c.before(t, cl)
			}
			buttons := func() byte {
				mem, _, err := cl.Frame()
				if err != nil {
					t.Fatal(err)
				}
				if c.frames {
					return mem[0] // the packed frame: pixel 0's grey is the input's first byte
				}
				return mem[256]
			}
			if c.before == nil {
				if err := cl.Tick(pressed); err != nil {
					t.Fatal(err)
				}
				if got, want := buttons(), map[bool]byte{true: 0, false: 0x30}[c.want]; got != want {
					t.Errorf("the first update saw buttons %#x, want %#x", got, want)
				}
			}
			if err := cl.Tick(pressed); err != nil {
				t.Fatal(err)
			}
			if got := buttons(); got != 0x30 {
				t.Errorf("a later update saw buttons %#x, want the tick's 0x30", got)
			}
			if cl.TickAhead() {
				t.Error("TickAhead after the first tick")
			}
		})
	}
}

// holderLink is a direct link whose worker was given a cart to prepare,
// as a browser's first-cart worker was.
type holderLink struct {
	*DirectLink
	sum [32]byte
}

func (l holderLink) Holds(sum [32]byte) bool { return sum == l.sum }

// TestBootHeldCart: a worker that holds the cart (it was given it to
// prepare) is asked to boot it by its SHA-256, without its bytes, and
// boots those bytes, taking the boot it made ahead or not. Asked for a
// cart it does not hold, it asks for it.
func TestBootHeldCart(t *testing.T) {
	cart, other := readTestdata(t, "lifecycle"), readTestdata(t, "good")
	sum, otherSum := digest.Sum256(cart), digest.Sum256(other)
	palette := [4]uint32{1, 2, 3, 4}
	for _, c := range []struct {
		name  string
		cfg   BootConfig
		taken bool
	}{
		{"taking the boot made ahead", BootConfig{AnyClock: true, Hash: sum}, true},
		{"booting it again", BootConfig{AnyClock: true, Hash: sum, Palette: &palette}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := NewDirectLink(&wazero.Engine{}, nil)
			d.srv.Prepare(slices.Clone(cart), nil)
			cl := NewClient(holderLink{d, sum}, Output{})
			// The bytes the client gives are not sent: the worker boots
			// its own.
			if err := cl.Boot(context.Background(), other, c.cfg, Limits{}, false); err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			if _, _, taken := cl.Clock(); taken != c.taken {
				t.Errorf("the boot made ahead taken: %v, want %v", taken, c.taken)
			}
			if got := d.srv.core.hash; got != sum {
				t.Errorf("the worker booted cart %x, want the one it holds, %x", got[:4], sum[:4])
			}
		})
	}
	// Named a cart it does not hold (a race, a bug), the worker asks for
	// the cart, and boots the bytes the client then sends.
	t.Run("a cart it does not hold", func(t *testing.T) {
		for _, given := range [][]byte{cart, nil} {
			d := NewDirectLink(&wazero.Engine{}, nil)
			if given != nil {
				d.srv.Prepare(slices.Clone(given), nil)
			}
			cl := NewClient(holderLink{d, otherSum}, Output{})
			if err := cl.Boot(context.Background(), other, BootConfig{AnyClock: true, Hash: otherSum}, Limits{}, false); err != nil {
				t.Fatalf("the boot of a cart the worker does not hold: %v", err)
			}
			if got := d.srv.core.hash; got != otherSum {
				t.Errorf("the worker booted cart %x, want the one sent, %x", got[:4], otherSum[:4])
			}
			cl.Close()
		}
	})
}

// TestBootAheadStartLimit: a boot made ahead whose start ran past the
// client's start limit before the client asked fails the client's boot as
// the client's own deadline would have.
func TestBootAheadStartLimit(t *testing.T) {
	d := NewDirectLink(&wazero.Engine{}, nil)
	d.srv.Prepare(readTestdata(t, "lifecycle"), nil)
	<-d.srv.ahead.done
	cl := NewClient(d, Output{})
	err := cl.Boot(context.Background(), readTestdata(t, "lifecycle"), BootConfig{AnyClock: true}, Limits{Start: time.Nanosecond}, false)
	var de *DeadlineError
	if !errors.As(err, &de) || de.Func != "start" || de.Setting() != "start-limit" {
		t.Fatalf("the boot of a cart whose start, made ahead, ran past the limit: %v", err)
	}
}
