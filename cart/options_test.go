//go:build !js

package cart_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestOptionsRefused: options no cart can load with are refused by Load
// with what is wrong in them, on every engine, before anything starts:
// they reached the core before, and failed there as a broken worker
// ("the cart's worker ended during boot … malformed message"), or an
// unknown engine ran as the default one.
func TestOptionsRefused(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts cart.Options
		want string
	}{
		{"mode", cart.Options{Mode: cart.Mode(42)}, "cart: Options.Mode is 42, not a mode: use ModeAuto, ModeABI1 or ModeWASM4"},
		{"negative mode", cart.Options{Mode: cart.Mode(-1)}, "cart: Options.Mode is -1, not a mode"},
		{"engine", cart.Options{Engine: cart.Engine(7)}, "cart: Options.Engine is 7, not an engine: use EngineAuto, EngineProcess or EngineInProcess"},
		{"replay's disk", cart.Options{Replay: &cart.Replay{Disk: make([]byte, 2000)}}, "cart: Options.Replay's saved data is 2000 bytes, more than a cart's 1024"},
		// A key DirSaves cannot name a file by loaded, and its saves
		// were dropped as if a save could not be read.
		{"SaveKey with SaveDir", cart.Options{SaveDir: t.TempDir(), SaveKey: "../up"}, `cart: Options.SaveKey is "../up": DirSaves keeps a save in a file named for its key: want a file name (no / or \, not . or ..)`},
		{"SaveKey with DirSaves", cart.Options{Saves: cart.DirSaves(t.TempDir()), SaveKey: "a/b"}, `cart: Options.SaveKey is "a/b": DirSaves keeps a save`},
		{"SaveKey ..", cart.Options{SaveDir: t.TempDir(), SaveKey: ".."}, `cart: Options.SaveKey is "..": DirSaves keeps a save`},
	}
	for _, tc := range tests {
		for _, engine := range []cart.Engine{cart.EngineInProcess, cart.EngineProcess} {
			t.Run(tc.name+"/"+engine.String(), func(t *testing.T) {
				opts := tc.opts
				if opts.Engine == cart.EngineAuto {
					opts.Engine = engine
				}
				c, err := cart.Load(wasm, &opts)
				if err == nil {
					c.Close()
					t.Fatalf("loaded, want %q", tc.want)
				}
				if !strings.HasPrefix(err.Error(), tc.want) {
					t.Fatalf("error %q, want %q", err, tc.want)
				}
			})
		}
	}
}

// TestSaveKeyOfAnyStore: a key only DirSaves refuses loads with a store
// of its own, and with a replay, which writes to none.
func TestSaveKeyOfAnyStore(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts cart.Options
	}{
		{"memory", cart.Options{SaveKey: "a/b"}},
		{"MemorySaves", cart.Options{Saves: cart.MemorySaves(), SaveKey: "../up"}},
		{"replay", cart.Options{SaveDir: t.TempDir(), SaveKey: "a/b", Replay: &cart.Replay{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Engine = cart.EngineInProcess
			c, err := cart.Load(wasm, &tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.SaveError(); err != nil {
				t.Errorf("SaveError: %v", err)
			}
		})
	}
}

// oversizedSaves is a SaveStore whose save is larger than a cart's.
type oversizedSaves struct{ cart.SaveStore }

func (oversizedSaves) Load(string) ([]byte, error) { return bytes.Repeat([]byte{7}, 2000), nil }

// TestOptionsAtTheirEdges: settings past their useful range load as the
// nearest that works, said where it is not the default: a cap on the
// cart's size of 0 or less is the default's, as ReadCartFile reads it
// (Load refused every cart against "16.0 EiB"); a store's save longer
// than a cart's is cut, and Log says so (the boot failed as a broken
// worker); a rewind of more seconds than a day is a day's (it overflowed
// to 59 updates of history).
func TestOptionsAtTheirEdges(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("negative MaxCartSize", func(t *testing.T) {
		c, err := cart.Load(wasm, &cart.Options{MaxCartSize: -1})
		if err != nil {
			t.Fatalf("Load with MaxCartSize -1: %v, want the default cap", err)
		}
		c.Close()
	})
	t.Run("a save longer than a cart's", func(t *testing.T) {
		var logged []string
		c, err := cart.Load(wasm, &cart.Options{Saves: oversizedSaves{cart.MemorySaves()}, Engine: cart.EngineProcess, Log: func(l string) { logged = append(logged, l) }})
		if err != nil {
			t.Fatalf("Load with a store's save of 2000 bytes: %v, want the first 1024", err)
		}
		c.Close()
		if !strings.Contains(strings.Join(logged, "\n"), "is 2000 bytes, more than a cart's 1024: the cart gets its first 1024") {
			t.Fatalf("log %q, want the cut said", logged)
		}
	})
	t.Run("RewindSeconds past a day", func(t *testing.T) {
		var logged []string
		c, err := cart.Load(wasm, &cart.Options{Rewind: true, RewindSeconds: 1 << 62, Log: func(l string) { logged = append(logged, l) }})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for range 200 {
			if err := c.Update(); err != nil {
				t.Fatal(err)
			}
		}
		// A day of this cart's states is over the budget: the
		// history is off, and said to be, for a day's seconds.
		if h := c.RewindHistory(); h != 0 || !strings.Contains(strings.Join(logged, "\n"), "and 86400 s of history would take") {
			t.Fatalf("%d updates of history, log %q; want the history off for a day's budget", h, logged)
		}
	})
}

// TestCloseWhileNotResponding: a cart closed while an update runs past
// its limit (Interactive) is closed like any other: it no longer asks,
// and every call says ErrClosed. Stop said the deadline's error before,
// and Update and Err said it from then on.
func TestCloseWhileNotResponding(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("hostile/update_loop"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cart.Load(wasm, &cart.Options{Engine: cart.EngineProcess, CPULimit: 50 * time.Millisecond, Interactive: true})
	if err != nil {
		t.Fatal(err)
	}
	err = updateUntil(t, c, 10)
	var nr *cart.NotRespondingError
	if !errors.As(err, &nr) {
		t.Fatalf("Update: %v, want the cart not responding", err)
	}
	c.Close()
	if c.NotResponding() {
		t.Error("NotResponding after Close")
	}
	c.Wait()
	for name, err := range map[string]error{"Stop": c.Stop(), "Update": c.Update(), "Err": c.Err()} {
		if !errors.Is(err, cart.ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
}

// TestNotWasmRefusedAtOnce: bytes that are not a WebAssembly module are
// refused before a worker starts (a page took 2 s to say so of a file
// dropped by mistake), with the error a worker would have given.
func TestNotWasmRefusedAtOnce(t *testing.T) {
	for _, b := range [][]byte{{1, 2, 3}, []byte("#!/bin/sh\n"), nil} {
		_, err := cart.Load(b, &cart.Options{Engine: cart.EngineProcess})
		if err == nil || !strings.HasPrefix(err.Error(), "guest: not a WebAssembly module") || cart.EngineOf(err) != "" {
			t.Errorf("Load(%q): %v (engine %q), want the error before any engine", b, err, cart.EngineOf(err))
		}
	}
}

// TestLimitsOutOfBounds: a limit out of the bounds the command line's
// flags hold it to is refused by Load with the flag's reason, before any
// engine starts. Load took MaxMemory 4 GiB (and more), which -max-memory
// refuses, and time limits under a millisecond, or negative.
func TestLimitsOutOfBounds(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts cart.Options
		want string // "": loads
	}{
		{"MaxMemory 4GiB", cart.Options{MaxMemory: 4 << 30}, "cart: Options.MaxMemory is 4.0 GiB: at most 4095.9375MiB (65535 pages): a wasm32 memory of 4GiB cannot be addressed to its last byte"},
		{"MaxMemory past 4GiB", cart.Options{MaxMemory: 1 << 40}, "cart: Options.MaxMemory is 1.0 TiB: at most 4095.9375MiB"},
		{"MaxMemory 65535 pages", cart.Options{MaxMemory: 65535 << 16}, ""},
		{"MaxCartSize past 4GiB", cart.Options{MaxCartSize: 5 << 30}, "cart: Options.MaxCartSize is 5.0 GiB: at most 4GiB"},
		{"CPULimit 1ns", cart.Options{CPULimit: 1}, "cart: Options.CPULimit is 1ns: want a duration of 1ms or more, such as 500ms (0: the default, 1s)"},
		{"CPULimit negative", cart.Options{CPULimit: -time.Second}, "cart: Options.CPULimit is -1s: want a duration of 1ms or more"},
		{"StartLimit 1µs", cart.Options{StartLimit: time.Microsecond}, "cart: Options.StartLimit is 1µs: want a duration of 1ms or more, such as 10s (0: the default, 10s)"},
		{"CompileLimit negative", cart.Options{CompileLimit: -1}, "cart: Options.CompileLimit is -1ns: want a duration of 1ms or more, such as 20s"},
		{"limits of a millisecond", cart.Options{CPULimit: time.Millisecond, StartLimit: time.Second, CompileLimit: time.Minute}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cart.Load(wasm, &tc.opts)
			if err == nil {
				c.Close()
			}
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)) {
				t.Errorf("Load: %v, want %q", err, tc.want)
			}
		})
	}
}

// TestEngineAndModeString: String names a value as its flag spells it,
// and a value that is no engine or mode as what it is; it named one
// "auto", so a log of the Options a load refused showed a valid setting.
func TestEngineAndModeString(t *testing.T) {
	tests := []struct {
		name string
		got  fmt.Stringer
		want string
	}{
		{"EngineAuto", cart.EngineAuto, "auto"},
		{"EngineProcess", cart.EngineProcess, "process"},
		{"EngineInProcess", cart.EngineInProcess, "inprocess"},
		{"Engine 7", cart.Engine(7), "Engine(7)"},
		{"Engine -1", cart.Engine(-1), "Engine(-1)"},
		{"ModeAuto", cart.ModeAuto, "auto"},
		{"ModeABI1", cart.ModeABI1, "abi1"},
		{"ModeWASM4", cart.ModeWASM4, "wasm4"},
		{"Mode 9", cart.Mode(9), "Mode(9)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if s := tc.got.String(); s != tc.want {
				t.Errorf("String() = %q, want %q", s, tc.want)
			}
		})
	}
}
