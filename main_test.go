//go:build !js

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/internal/bundle/manifest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestMain: run() loads carts in worker processes started from this test
// binary, which serves them here.
func TestMain(m *testing.M) {
	if cart.ServeWorker() {
		return
	}
	// The command keeps saves, states and compiled carts in the user's
	// directories: here, in a temporary one. The go command, which some
	// tests run, keeps its own build cache.
	if os.Getenv("GOCACHE") == "" {
		if d, err := os.UserCacheDir(); err == nil {
			os.Setenv("GOCACHE", filepath.Join(d, "go-build"))
		}
	}
	home, err := os.MkdirTemp("", "ebicart-home")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	os.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	code := m.Run()
	os.RemoveAll(home)
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// decodePNG reads a PNG written by -screenshot.
func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

// sameImage compares a screenshot with the premultiplied frame it must
// show, pixel for pixel, through the straight-alpha colours PNG stores.
func sameImage(t *testing.T, got image.Image, want *image.RGBA) {
	t.Helper()
	if got.Bounds() != want.Bounds() {
		t.Fatalf("screenshot is %v, want %v", got.Bounds(), want.Bounds())
	}
	for y := want.Rect.Min.Y; y < want.Rect.Max.Y; y++ {
		for x := want.Rect.Min.X; x < want.Rect.Max.X; x++ {
			w := color.NRGBAModel.Convert(want.RGBAAt(x, y)).(color.NRGBA)
			g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
			if g != w {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, g, w)
			}
		}
	}
}

// runCLI runs the command line in this process: its exit status and what
// it wrote to standard error. The compile limit is 5 minutes unless args
// set theirs: the demo's 1.9 MB
// compile, in a worker built with -race on a busy machine, can pass the
// default 20 s, and these tests are not about it.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stderr bytes.Buffer
	code := run(append([]string{"-compile-limit", "5m"}, args...), &stderr)
	return code, stderr.String()
}

func TestHeadlessScreenshotEveryFormat(t *testing.T) {
	for _, c := range testcarts.Carts {
		t.Run(c.Name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "shot.png")
			code, stderr := runCLI(t, "-headless", "-frames", "3", "-screenshot", out, c.Path())
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			sameImage(t, decodePNG(t, out), testcarts.Image(c.Format))
		})
	}
}

func TestHeadlessSeed(t *testing.T) {
	out := filepath.Join(t.TempDir(), "seed.png")
	if code, stderr := runCLI(t, "-headless", "-frames", "1", "-screenshot", out, testcarts.SeedPath()); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := image.NewRGBA(image.Rect(0, 0, 2, 1))
	want.SetRGBA(0, 0, color.RGBA{255, 0, 0, 255})
	want.SetRGBA(1, 0, color.RGBA{60, 70, 90, 255})
	sameImage(t, decodePNG(t, out), want)
}

func TestHeadlessDefaultCartAnimates(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png")
	for _, run := range []struct {
		frames, out string
	}{{"1", a}, {"40", b}} {
		if code, stderr := runCLI(t, "-headless", "-frames", run.frames, "-screenshot", run.out); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	ia, ib := decodePNG(t, a), decodePNG(t, b)
	if ia.Bounds() != image.Rect(0, 0, 320, 180) {
		t.Fatalf("default cart frame is %v, want 320x180", ia.Bounds())
	}
	diff := 0
	for y := range 180 {
		for x := range 320 {
			if ia.At(x, y) != ib.At(x, y) {
				diff++
			}
		}
	}
	if diff < 1000 {
		t.Fatalf("frames 1 and 40 differ in %d pixels; the default cart should animate", diff)
	}
}

func TestExitStatus(t *testing.T) {
	trap := testcarts.GuestTestdata("trap_update")
	missing := testcarts.GuestTestdata("missing_update")
	nowhere := filepath.Join(t.TempDir(), "nowhere")
	good, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	goodCopy := filepath.Join(t.TempDir(), "game.wasm")
	if err := os.WriteFile(goodCopy, good, 0o644); err != nil {
		t.Fatal(err)
	}
	goodLink := filepath.Join(t.TempDir(), "link.wasm")
	if err := os.Symlink(goodCopy, goodLink); err != nil {
		t.Fatal(err)
	}
	// A link left pointing into a build folder that was cleaned.
	danglingLink := filepath.Join(t.TempDir(), "out.txt")
	if err := os.Symlink(filepath.Join(nowhere, "out.txt"), danglingLink); err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	replayFile, replayLink := filepath.Join(files, "session.txt"), filepath.Join(files, "link.txt")
	stateFile, emptyReplay := filepath.Join(files, "a.state"), filepath.Join(files, "empty.txt")
	for _, f := range []struct{ path, text string }{
		{replayFile, "ebicart replay 1\n0 pad1=01\n9\n"}, {stateFile, "state"}, {emptyReplay, "ebicart replay 1 # and nothing else\n"},
	} {
		if err := os.WriteFile(f.path, []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(replayFile, replayLink); err != nil {
		t.Fatal(err)
	}
	emptyFile, garbage := writeTemp(t, ""), writeTemp(t, "garbage\x00\xff")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"-h"}, 0, "usage: ebicart [flags] [cart.wasm]"},
		{"unknown flag", []string{"-nope"}, 2, "ebicart: flag provided but not defined: -nope"},
		{"bad frames", []string{"-frames", "x"}, 2, `ebicart: invalid value "x" for flag -frames`},
		{"negative frames", []string{"-frames", "-1"}, 2, "ebicart: -frames -1: want 0 or more"},
		{"two carts", []string{"a.wasm", "b.wasm"}, 2, "ebicart: one cart at a time, got 2: a.wasm b.wasm"},
		{"two carts between flags", []string{"a.wasm", "-headless", "b.wasm"}, 2, "ebicart: one cart at a time, got 2: a.wasm b.wasm"},
		{"flags after the cart", []string{missing, "-headless", "-frames", "5"}, 1, `ebicart: missing_update: guest: export "update" missing`},
		{"a bad flag after the cart", []string{missing, "-frames", "x"}, 2, `ebicart: invalid value "x" for flag -frames`},
		{"screenshot without frames", []string{"-screenshot", "x.png"}, 2, "ebicart: -screenshot needs -frames"},
		{"no such file", []string{"-headless", "nope.wasm"}, 1, "ebicart: cart: nope.wasm: no such file or directory\n"},
		{"trap", []string{"-headless", "-frames", "10", trap}, 1, "ebicart: trap_update: guest: update trapped: wasm error: unreachable"},
		{"stack trace names the cart", []string{"-headless", "-frames", "10", trap}, 1, "wasm stack trace:\n\ttrap_update.check_frame()"},
		{"stack trace names the cart in-process", []string{"-headless", "-frames", "10", "-engine", "inprocess", trap}, 1, "wasm stack trace:\n\ttrap_update.check_frame()"},
		{"load error", []string{"-headless", missing}, 1, `ebicart: missing_update: guest: export "update" missing`},
		{"runs", []string{"-headless", "-frames", "5"}, 0, ""},
		{"record from a state", []string{"-record", "r.txt", "-load-state", "s"}, 2, "ebicart: -record with -load-state: a recording plays back from the cart's start"},
		{"no replay", []string{"-headless", "-replay", "nope.txt"}, 1, "ebicart: -replay: nope.txt: no such file or directory\n"},
		{"a cart as the replay", []string{"-headless", "-replay", trap, trap}, 1, ": replay: a WebAssembly module (a cart), not a replay file: give it as the cart, and as the replay a file recorded of it"},
		{"no state", []string{"-headless", "-load-state", "nope.state"}, 1, "ebicart: -load-state: nope.state: no such file or directory\n"},
		{"malformed replay", []string{"-headless", "-replay", writeTemp(t, "ebicart replay 1\n5 pad1=1\n3 pad1=2\n")}, 1, ": replay: line 3: frame 3 after frame 5: frames must increase"},
		{"replay of another cart", []string{"-headless", "-replay", writeTemp(t, "ebicart replay 1\ncart sha256:"+strings.Repeat("0", 64)+"\n"), testcarts.GuestTestdata("good")}, 1,
			"replay is for cart sha256:" + strings.Repeat("0", 64) + ", this cart is sha256:"},
		// Headless, a state or replay that does not fit says what to do,
		// as the window's error screen does.
		{"not a state", []string{"-headless", "-load-state", writeTemp(t, "nope")}, 1, "ebicart: demo: -load-state"},
		{"a truncated state", []string{"-headless", "-load-state", writeTemp(t, "ebicart-cart-state\n\x01"), testcarts.GuestTestdata("good")}, 1,
			"guest: cannot load the state: truncated: run it without -load-state, or with a state of this cart\n"},
		{"a replay of another cart, what to do", []string{"-headless", "-replay", writeTemp(t, "ebicart replay 1\ncart sha256:"+strings.Repeat("0", 64)+"\n"), testcarts.GuestTestdata("good")}, 1,
			": run it without -replay, or with a replay of this cart\n"},
		// A state or replay that is a device, or larger than it can be, is
		// refused before it is read (/dev/zero would never end).
		{"a device as a state", []string{"-headless", "-load-state", os.DevNull}, 1, "ebicart: -load-state: " + os.DevNull + " is a device, not a file: a state is a file -save-state or F5 wrote\n"},
		{"a device as a replay", []string{"-headless", "-replay", os.DevNull}, 1, "ebicart: -replay: " + os.DevNull + " is a device, not a file: a replay is a file -record wrote\n"},
		{"a replay over its cap", []string{"-headless", "-replay", sparseTemp(t, 65<<20)}, 1, "is 65.0 MiB, more than the 64.0 MiB it can be: a replay is a file -record wrote\n"},
		{"a state larger than memory", []string{"-headless", "-max-memory", "1MiB", "-load-state", sparseTemp(t, 20<<20)}, 1, "is 20.0 MiB, more than the 17.0 MiB it can be: a state holds the cart's memory, up to -max-memory (1MiB here): a state of a cart run with a larger -max-memory loads with that -max-memory\n"},
		{"bad start limit", []string{"-start-limit", "0s"}, 2, "ebicart: -start-limit 0s: want a duration of 1ms or more, such as 10s"},
		{"cpu limit below a millisecond", []string{"-cpu-limit", "1ns"}, 2, "ebicart: -cpu-limit 1ns: want a duration of 1ms or more, such as 500ms"},
		// Headless, no one is there to ask: the limit stops the cart.
		{"endless loop headless", []string{"-headless", "-cpu-limit", "200ms", testcarts.GuestTestdata("hostile/update_loop")}, 1, "update_loop: guest: update did not return within 200ms"},
		// A wasm32 memory of 65,536 pages cannot be stored to at its last
		// byte on every engine: refused before any cart runs.
		{"max-memory 4GiB", []string{"-headless", "-max-memory", "4GiB"}, 2, "ebicart: -max-memory 4096MiB: at most 4095.9375MiB (65535 pages)"},
		{"max-memory below the cart's", []string{"-headless", "-frames", "1", "-max-memory", "64KiB", filepath.Join("assets", "carts", "demo.wasm")}, 1,
			"guest: memory declares 38 pages (2.4 MiB), more than the limit of 1 page (64.0 KiB, max-memory): give it more max-memory"},
		// Shown whole: a size rounded down to 4095MiB read as within the limit.
		{"max-memory just past it, in KiB", []string{"-headless", "-max-memory", "4194300KiB"}, 2, "ebicart: -max-memory 4194300KiB: at most 4095.9375MiB (65535 pages)"},
		{"max-memory just past it, in bytes", []string{"-headless", "-max-memory", "4294967295"}, 2, "ebicart: -max-memory 4294967295B: at most 4095.9375MiB (65535 pages)"},
		{"max-memory just fits", []string{"-headless", "-frames", "2", "-max-memory", "4095MiB", testcarts.GuestTestdata("good")}, 0, ""},
		{"cart over max-cart-size", []string{"-headless", "-max-cart-size", "64KiB", filepath.Join("assets", "carts", "demo.wasm")}, 1, "more than the limit"},
		{"a directory as a cart", []string{"-headless", t.TempDir()}, 1, "is a directory, not a file: a cart is a .wasm file"},
		// Each mode refuses the other's carts, which would run blank.
		{"an ABI v1 cart as WASM-4", []string{"-headless", "-frames", "2", "-mode", "wasm4", testcarts.SeedPath()}, 1, "an ebicart ABI v1 cart run as WASM-4"},
		{"a WASM-4 cart as ABI v1", []string{"-headless", "-frames", "2", "-mode", "abi1", testcarts.GuestTestdata("w4_io")}, 1, "a WASM-4 cart run as ABI v1"},
		// Every flag of a window's is refused headless, by name, the same
		// way: -rewind and -watch were let by (-watch with its own words).
		{"a window's flags headless", []string{"-headless", "-frames", "2", "-scale", "3", "-fullscreen"}, 2, "ebicart: -fullscreen and -scale: a window's flags, and -headless opens no window: drop them or -headless\n"},
		{"rewind headless", []string{"-headless", "-frames", "2", "-rewind"}, 2, "ebicart: -rewind: a window's flag, and -headless opens no window: drop it or -headless\n"},
		{"no rewind headless", []string{"-headless", "-frames", "2", "-rewind=false"}, 2, "ebicart: -rewind: a window's flag, and -headless opens no window"},
		{"watch headless", []string{"-headless", "-watch", testcarts.GuestTestdata("good")}, 2, "ebicart: -watch: a window's flag, and -headless opens no window"},
		{"all a window's flags headless", []string{"-watch", "-rewind", "-scale", "2", "-fullscreen", "-headless", testcarts.GuestTestdata("good")}, 2, "ebicart: -fullscreen, -rewind, -scale and -watch: a window's flags, and -headless opens no window"},
		{"a palette for an ABI v1 cart", []string{"-headless", "-frames", "2", "-palette", "000000,111111,222222,333333", testcarts.SeedPath()}, 0, "seed: the palette is WASM-4's: this ABI v1 cart draws its own colours\n"},
		// What a run writes as it ends is checked before it starts, so that
		// a long session is not lost to a typo in a path.
		{"record into a missing directory", []string{"-headless", "-frames", "2", "-record", filepath.Join(nowhere, "r.txt")}, 1,
			"ebicart: -record: cannot write " + filepath.Join(nowhere, "r.txt") + ": no such file or directory\n"},
		{"record through a link to a missing directory", []string{"-headless", "-frames", "2", "-record", danglingLink}, 1,
			"ebicart: -record: cannot write " + danglingLink + ", a link to " + filepath.Join(nowhere, "out.txt") + ": " + nowhere + ": no such file or directory\n"},
		{"save state onto a directory", []string{"-headless", "-frames", "2", "-save-state", filepath.Dir(nowhere)}, 1, "is a directory: name a file\n"},
		{"screenshot into a missing directory", []string{"-headless", "-frames", "2", "-screenshot", filepath.Join(nowhere, "s.png")}, 1, "ebicart: -screenshot: cannot write "},
		// An output never overwrites the cart, a wasm module (the cart
		// forgotten: -record game.wasm), or another output.
		{"record over a wasm module", []string{"-headless", "-frames", "2", "-record", goodCopy}, 1,
			"ebicart: -record: " + goodCopy + " is a WebAssembly module, which a replay would overwrite: name another file"},
		{"save state over the cart", []string{"-headless", "-frames", "2", "-save-state", goodLink, goodCopy}, 1,
			"ebicart: -save-state: " + goodLink + " is the cart being run: name another file"},
		{"save state of a cart that stopped", []string{"-headless", "-frames", "10", "-save-state", filepath.Join(filepath.Dir(nowhere), "trap.state"), trap}, 1,
			"update trapped: wasm error: unreachable [process engine]\nwasm stack trace:\n\ttrap_update.check_frame()\n\ttrap_update.$1()\nebicart: -save-state: not written: the cart had stopped"},
		// Nor a file the run reads, nor the cart as a sound file.
		{"record over the replay", []string{"-headless", "-record", replayLink, "-replay", replayFile, testcarts.GuestTestdata("good")}, 1,
			"ebicart: -replay and -record name the same file, " + replayLink + ", which a replay would overwrite: name two"},
		{"screenshot over the replay", []string{"-headless", "-screenshot", replayFile, "-replay", replayFile, testcarts.GuestTestdata("good")}, 1,
			"ebicart: -replay and -screenshot name the same file"},
		{"screenshot over the state", []string{"-headless", "-frames", "2", "-screenshot", stateFile, "-load-state", stateFile, testcarts.GuestTestdata("good")}, 1,
			"ebicart: -load-state and -screenshot name the same file"},
		// -audio-out is checked as the other outputs are, in their words.
		{"sound into a directory", []string{"-headless", "-frames", "2", "-audio-out", filepath.Dir(nowhere)}, 1, "ebicart: -audio-out: " + filepath.Dir(nowhere) + " is a directory: name a file\n"},
		{"sound into a missing directory", []string{"-headless", "-frames", "2", "-audio-out", filepath.Join(nowhere, "s.wav")}, 1, "ebicart: -audio-out: cannot write " + filepath.Join(nowhere, "s.wav") + ": no such file or directory\n"},
		{"sound over the cart", []string{"-headless", "-frames", "2", "-audio-out", goodLink, goodCopy}, 1,
			"ebicart: -audio-out: " + goodLink + " is the cart being run: name another file"},
		{"sound and record in one file", []string{"-headless", "-frames", "2", "-audio-out", filepath.Join(filepath.Dir(nowhere), "o"), "-record", filepath.Join(filepath.Dir(nowhere), "o")}, 1,
			"ebicart: -record and -audio-out name the same file"},
		// A file the run reads that will not do exits 1, whatever is
		// wrong with it: an empty replay exited 2, a garbled one 1.
		{"a replay with no input lines", []string{"-headless", "-replay", emptyReplay, "-audio-out", stateFile, testcarts.GuestTestdata("good")}, 1,
			"ebicart: -replay " + emptyReplay + " has no input lines, so it does not say how long to play: give -frames N\n"},
		{"an empty file as a replay", []string{"-headless", "-replay", emptyFile, testcarts.GuestTestdata("good")}, 1, "ebicart: -replay " + emptyFile + ": replay: empty"},
		{"garbage as a replay", []string{"-headless", "-replay", garbage, testcarts.GuestTestdata("good")}, 1, "ebicart: -replay " + garbage + ": replay: a binary file, not a replay file"},
		{"a directory as a replay", []string{"-headless", "-replay", t.TempDir(), testcarts.GuestTestdata("good")}, 1, "is a directory, not a file: a replay is a file -record wrote\n"},
		{"an empty file as a state", []string{"-headless", "-frames", "1", "-load-state", writeTemp(t, ""), testcarts.GuestTestdata("good")}, 1, "-load-state "},
		{"a directory as a state", []string{"-headless", "-frames", "1", "-load-state", t.TempDir(), testcarts.GuestTestdata("good")}, 1, "is a directory, not a file: a state is a file -save-state or F5 wrote\n"},
		{"an empty file as a cart", []string{"-headless", "-frames", "1", writeTemp(t, "")}, 1, "ebicart: "},
		{"two outputs in one file", []string{"-headless", "-frames", "2", "-record", filepath.Join(filepath.Dir(nowhere), "out"), "-save-state", filepath.Join(filepath.Dir(nowhere), "out")}, 1,
			"ebicart: -record and -save-state name the same file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.stderr)
			}
		})
	}
	if b, _ := os.ReadFile(goodCopy); !bytes.Equal(b, good) {
		t.Error("a run overwrote the cart")
	}
	for _, f := range []struct{ path, text string }{{replayFile, "ebicart replay 1\n0 pad1=01\n9\n"}, {stateFile, "state"}} {
		if b, _ := os.ReadFile(f.path); string(b) != f.text {
			t.Errorf("a run overwrote %s", f.path)
		}
	}
}

// TestParseFlagsAfterCart: flags go before or after the cart; after "--"
// everything is a cart.
func TestParseFlagsAfterCart(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		cart   string
		frames int
		shot   string
	}{
		{"before", []string{"-frames", "5", "c.wasm"}, "c.wasm", 5, ""},
		{"after", []string{"c.wasm", "-frames", "5", "-screenshot", "s.png"}, "c.wasm", 5, "s.png"},
		{"both sides", []string{"-frames", "5", "c.wasm", "-screenshot", "s.png"}, "c.wasm", 5, "s.png"},
		{"after --", []string{"-frames", "5", "--", "-odd.wasm"}, "-odd.wasm", 5, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseArgs(tc.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.cart != tc.cart || c.frames != tc.frames || c.screenshot != tc.shot {
				t.Errorf("cart %q, frames %d, screenshot %q; want %q, %d, %q", c.cart, c.frames, c.screenshot, tc.cart, tc.frames, tc.shot)
			}
		})
	}
	// And for real: the flags after the cart take effect.
	out := filepath.Join(t.TempDir(), "seed.png")
	if code, stderr := runCLI(t, testcarts.SeedPath(), "-headless", "-frames", "1", "-screenshot", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b := decodePNG(t, out).Bounds(); b.Dx() != 2 || b.Dy() != 1 {
		t.Fatalf("screenshot %v, want the seed cart's 2x1 frame", b)
	}
}

// TestWindowRun runs the real binary in a window (Xvfb in CI) for some
// frames and checks the screenshot it writes and its exit status.
func TestWindowRun(t *testing.T) {
	needDisplay(t)
	bin := buildEbicart(t)
	out := filepath.Join(t.TempDir(), "shot.png")
	cmd := exec.Command(bin, "-frames", "30", "-scale", "2", "-screenshot", out, testcarts.Carts[2].Path())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("window run: %v\n%s", err, b)
	}
	sameImage(t, decodePNG(t, out), testcarts.Image(testcarts.Carts[2].Format))

	// A cart that fails in a -frames run exits with status 1; one stuck in
	// a loop is stopped at its limit, as headless: no one is asked.
	// Its -screenshot is the frame as the cart left it (both carts draw
	// the seed's two pixels).
	seed := image.NewRGBA(image.Rect(0, 0, 2, 1))
	seed.SetRGBA(0, 0, color.RGBA{255, 0, 0, 255})
	seed.SetRGBA(1, 0, color.RGBA{60, 70, 90, 255})
	for _, c := range []struct{ cart, want string }{
		{"trap_update", "update trapped"},
		{"hostile/update_loop", "update did not return within 200ms"},
	} {
		out := filepath.Join(t.TempDir(), "failed.png")
		cmd = exec.Command(bin, "-frames", "30", "-cpu-limit", "200ms", "-screenshot", out, testcarts.GuestTestdata(c.cart))
		b, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(b), c.want) {
			t.Fatalf("%s in a -frames window: %v, want exit status 1 and %q\n%s", c.cart, err, c.want, b)
		}
		sameImage(t, decodePNG(t, out), seed)
	}
}

func needDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no X display in CI: run the tests with make test (xvfb-run)")
		}
		t.Skip("no X display: run under xvfb-run (make test) for the window tests")
	}
}

// TestWindowDrawRate runs the real binary in a window: a cart that changes
// its frame every update is drawn (and presented) about once per update,
// never more; a cart whose frame never changes is drawn once.
func TestWindowDrawRate(t *testing.T) {
	needDisplay(t)
	bin := buildEbicart(t)
	type stats struct {
		Updates, Draws, Uploads int
		LoadingDraws            int `json:"loading_draws"`
	}
	runStats := func(cart string) stats {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "-frames", "120", "-stats", filepath.Join("assets", "carts", cart+".wasm"))
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", cart, err, stderr.String())
		}
		for _, line := range strings.Split(stderr.String(), "\n") {
			if js, ok := strings.CutPrefix(line, "ebicart-stats "); ok {
				var s stats
				if err := json.Unmarshal([]byte(js), &s); err != nil {
					t.Fatal(err)
				}
				return s
			}
		}
		t.Fatalf("%s: no stats line in %q", cart, stderr.String())
		return stats{}
	}
	moving := runStats("idx160")
	t.Logf("animated cart: %d updates, %d draws (%d of the loading screen)", moving.Updates, moving.Draws, moving.LoadingDraws)
	// Never more than one draw per update. How many updates get drawn
	// depends on how fast this machine renders (llvmpipe under Xvfb takes
	// most of a core per present): all of them on an idle machine, a third
	// under a loaded CI run; fewer than a fifth would mean frames are lost.
	if d := moving.Draws - moving.LoadingDraws; moving.Updates != 120 || d > moving.Updates || d < moving.Updates/5 {
		t.Errorf("animated cart: %d updates, %d draws (%d of the loading screen): want 120 updates, a draw for most, never more",
			moving.Updates, moving.Draws, moving.LoadingDraws)
	}
	// The loading screen is drawn while the cart loads, more than once
	// when a busy machine takes more than its first clock step (300 ms):
	// those draws are not the cart's.
	idle := runStats("idle")
	t.Logf("static cart: %+v", idle)
	if d := idle.Draws - idle.LoadingDraws; idle.Updates != 120 || d < 1 || d > 2 || idle.Uploads != 1 {
		t.Errorf("static cart: %d updates, %d draws (%d of the loading screen), %d uploads: want 120, the frame drawn once or twice, 1",
			idle.Updates, idle.Draws, idle.LoadingDraws, idle.Uploads)
	}
}

var soak = flag.Bool("soak", false, "run the 100,000-frame soak test (make soak)")

// TestSoak runs the demo cart headless for 100,000 frames in a separate
// process, sampling its resident memory: it must not grow. Behind -soak.
func TestSoak(t *testing.T) {
	if !*soak {
		t.Skip("the soak test runs with -soak (make soak)")
	}
	bin := buildEbicart(t)
	cmd := exec.Command(bin, "-headless", "-frames", "100000", "-stats")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The process's RSS and its worker's (the cart runs in a child).
	rss := func() int64 {
		var total int64
		pids := []string{strconv.Itoa(cmd.Process.Pid)}
		if kids, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", cmd.Process.Pid, cmd.Process.Pid)); err == nil {
			pids = append(pids, strings.Fields(string(kids))...)
		}
		for _, pid := range pids {
			b, err := os.ReadFile("/proc/" + pid + "/status")
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(b), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
					kb, _ := strconv.ParseInt(f[1], 10, 64)
					total += kb << 10
				}
			}
		}
		return total
	}
	var samples []int64
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("soak run: %v\n%s", err, stderr.String())
			}
			waiting = false
		case <-tick.C:
			if r := rss(); r > 0 {
				samples = append(samples, r)
			}
		}
	}
	if len(samples) < 4 {
		t.Fatalf("only %d RSS samples: the run was too short to judge", len(samples))
	}
	start, end := samples[1], samples[len(samples)-1] // after start-up
	peak := slices.Max(samples)
	t.Logf("100,000 frames in %d samples: RSS %.1f MiB after start-up, %.1f MiB at the end, peak %.1f MiB\n%s",
		len(samples), float64(start)/(1<<20), float64(end)/(1<<20), float64(peak)/(1<<20), stderr.String())
	if end > start+16<<20 {
		t.Fatalf("RSS grew by %.1f MiB over the run", float64(end-start)/(1<<20))
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildEbicart builds the ebicart command once for the tests that run it.
func buildEbicart(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ebicart-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "ebicart")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// sparseTemp makes a file of size bytes that takes no room, for limits.
func sparseTemp(t *testing.T, size int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeTemp writes s to a temporary file and returns its path.
func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReplayAndStates: a hand-written replay drives a cart headless until
// its last line; a state saved at frame 50 and loaded with -frames 70 ends
// on the frame a straight run of 120 ends on; a recording replays.
func TestReplayAndStates(t *testing.T) {
	dir := t.TempDir()
	cartPath := testcarts.GuestTestdata("input_echo")
	replay := writeTemp(t, `ebicart replay 1   # scripted input for the echo cart
seed 9
0 pad1=11 mouse=5,-3,1
40 pad1=02 wheel=1,-1
100 mouse=none
130 pad1=80
`)
	shot := func(name string, args ...string) string {
		t.Helper()
		p := filepath.Join(dir, name+".png")
		args = append(append([]string{"-headless", "-screenshot", p}, args...), cartPath)
		if code, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	full := shot("full", "-replay", replay, "-frames", "120")
	state := filepath.Join(dir, "s.state")
	shot("first", "-replay", replay, "-frames", "50", "-save-state", state)
	if got := shot("second", "-replay", replay, "-load-state", state, "-frames", "70"); got != full {
		t.Fatal("50 frames, a state, then 70 more do not end on the frame of 120")
	}
	// Headless without -frames: until the last line (131 updates).
	untilShot := shot("until", "-replay", replay)
	if untilShot == full {
		t.Fatal("the run until the last line ends where 120 frames do")
	}
	img := decodePNG(t, filepath.Join(dir, "until.png"))
	// The echo cart shows the input block: byte 16 is the frame count.
	if r, _, _, _ := img.At(16, 0).RGBA(); r>>8 != 130 {
		t.Fatalf("the run until the replay's last line showed frame count %d, want 130", r>>8)
	}
	// Record a headless run of the replay and replay the recording.
	rec := filepath.Join(dir, "rec.txt")
	shot("recorded", "-replay", replay, "-frames", "120", "-record", rec)
	if got := shot("rerun", "-replay", rec, "-frames", "120"); got != full {
		t.Fatal("the recording of a replay does not replay to the same frame")
	}
	b, _ := os.ReadFile(rec)
	if !strings.HasPrefix(string(b), "ebicart replay 1\ncart sha256:") || !strings.Contains(string(b), "seed 9\n") {
		t.Fatalf("the recording:\n%s", b)
	}
}

// TestNothingRawReachesTheTerminal: a cart's log lines and its file name
// reach standard error with their control, bidi and invalid bytes escaped.
func TestNothingRawReachesTheTerminal(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("hostile/log_escape"))
	if err != nil {
		t.Fatal(err)
	}
	evil := filepath.Join(t.TempDir(), "evil\x1b[31m\u202e.wasm")
	if err := os.WriteFile(evil, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	trap := filepath.Join(t.TempDir(), "trap\x1b]0;x\x07.wasm")
	trapWasm, _ := os.ReadFile(testcarts.GuestTestdata("trap_update"))
	os.WriteFile(trap, trapWasm, 0o644)
	for _, args := range [][]string{{"-headless", "-frames", "2", evil}, {"-headless", "-frames", "5", trap}} {
		_, stderr := runCLI(t, args...)
		if !utf8.ValidString(stderr) {
			t.Fatalf("stderr is not UTF-8:\n%q", stderr)
		}
		for _, r := range stderr {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || r == '\u202e' {
				t.Fatalf("stderr holds %U raw:\n%q", r, stderr)
			}
		}
		for _, want := range []string{`\x1b`} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks the escaped %s:\n%s", want, stderr)
			}
		}
	}
}

// TestSavesSurviveKills kills ebicart with SIGKILL again and again while a
// cart writes its save 200 times an update: the save file always holds a
// whole save, and the temporary files the kills leave are gone at the next
// start.
func TestSavesSurviveKills(t *testing.T) {
	bin := buildEbicart(t)
	home := t.TempDir()
	env := append(os.Environ(), "XDG_DATA_HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
	flood := testcarts.GuestTestdata("hostile/save_flood")
	wasm, _ := os.ReadFile(flood)
	save := filepath.Join(home, "ebicart", "saves", cart.SaveKey(wasm)+".disk")
	whole := func() {
		t.Helper()
		b, err := os.ReadFile(save)
		if err != nil {
			t.Fatalf("no save after the kills: %v", err)
		}
		if len(b) != 16 || !bytes.Equal(b[:4], b[4:8]) || !bytes.Equal(b[:4], b[8:12]) || !bytes.Equal(b[:4], b[12:]) {
			t.Fatalf("the save is torn: %v", b)
		}
	}
	for i := range 8 {
		cmd := exec.Command(bin, "-headless", flood)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for a save to land, then kill at once or a little later.
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, err := os.Stat(save); err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(i*70) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		whole()
	}
	// Make what the kills left look old, then start once more.
	tmps, _ := filepath.Glob(save + ".tmp*")
	for _, p := range tmps {
		old := time.Now().Add(-time.Hour)
		os.Chtimes(p, old, old)
	}
	cmd := exec.Command(bin, "-headless", "-frames", "1", flood)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	whole()
	if left, _ := filepath.Glob(save + ".tmp*"); len(left) > 0 {
		t.Fatalf("temporary files left after a clean start: %v", left)
	}
	t.Logf("%d temporary files left by 8 kills, removed at the next start", len(tmps))
}

// TestWindowEscWhileLoading runs the real binary in a window on a cart that
// takes a minute to compile: the window opens at once, Esc ends the run
// within a second, and the worker compiling the cart goes with it.
func TestWindowEscWhileLoading(t *testing.T) {
	needDisplay(t)
	if runtime.GOOS != "linux" {
		t.Skip("the worker check reads /proc")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xdotool missing in CI: make deps installs it")
		}
		t.Skip("xdotool not installed")
	}
	bin := buildEbicart(t)
	bomb := filepath.Join(t.TempDir(), "bomb.wasm")
	if err := os.WriteFile(bomb, testcarts.CompileBomb("blocks", 100000), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-compile-limit", "5m", bomb)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()
	xdo := func(args ...string) string {
		out, err := exec.Command("xdotool", args...).Output()
		if err != nil {
			t.Logf("xdotool %v: %v %s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	// The window, once mapped (search --sync waits for it).
	found := make(chan string, 1)
	go func() { found <- xdo("search", "--sync", "--onlyvisible", "--name", "^bomb - ebicart$") }()
	var win string
	select {
	case win = <-found:
	case err := <-exited:
		t.Fatalf("ebicart exited before its window showed: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("no window within 30s")
	}
	workers := childPids(cmd.Process.Pid)
	if len(workers) == 0 {
		t.Fatal("no worker process compiling the cart")
	}
	xdo("mousemove", "--window", win, "--sync", "50", "50")
	xdo("windowfocus", "--sync", win)
	pressed := time.Now()
	xdo("key", "--window", win, "Escape")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after Esc: %v\n%s", err, stderr.String())
		}
		t.Logf("ended %v after Esc", time.Since(pressed))
	case <-time.After(5 * time.Second):
		t.Fatal("Esc during the load did not end the run within 5s")
	}
	for _, pid := range workers {
		for deadline := time.Now().Add(5 * time.Second); processAlive(pid); {
			if time.Now().After(deadline) {
				t.Fatalf("worker %d still runs after the window closed", pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// childPids lists the processes whose parent is pid.
func childPids(pid int) []int {
	out, _ := exec.Command("pgrep", "-P", strconv.Itoa(pid)).Output()
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		if n, err := strconv.Atoi(f); err == nil {
			pids = append(pids, n)
		}
	}
	return pids
}

// processAlive reports whether pid is a live process (not a zombie).
func processAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, after, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(after, "Z")
}

// TestNewUnknownLanguage: ebicart new in a language it has no template
// for is a usage error (status 2) that lists the languages and writes
// nothing.
func TestNewUnknownLanguage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x")
	var stderr bytes.Buffer
	if code := run([]string{"new", "cobol", dir}, &stderr); code != 2 {
		t.Fatalf("exit status %d, want 2 (stderr %q)", code, stderr.String())
	}
	if want := `ebicart new: no template for "cobol": choose one of go, c, rust, zig, assemblyscript`; !strings.Contains(stderr.String(), want) {
		t.Fatalf("stderr %q, want %q", stderr.String(), want)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the project directory was made: %v", err)
	}
}

// TestNewKeepsWork: ebicart new never writes into a directory that holds
// anything: not the current one for an empty name (an unset "$DIR"), and
// takes "--" before a name that starts with "-".
func TestNewKeepsWork(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("README.md", []byte("mine"), 0o644)
	var stderr bytes.Buffer
	if code := run([]string{"new", "c", ""}, &stderr); code != 1 || !strings.Contains(stderr.String(), "no directory given") {
		t.Fatalf("ebicart new c \"\": status %d, %q", code, stderr.String())
	}
	if b, _ := os.ReadFile("README.md"); string(b) != "mine" {
		t.Fatalf("README.md is now %.40q", b)
	}
	if code := run([]string{"new", "c", "--", "-dash"}, &stderr); code != 0 {
		t.Fatalf("ebicart new c -- -dash: status %d, %q", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join("-dash", "main.c")); err != nil {
		t.Fatal(err)
	}
	// A language in another case, or AssemblyScript as "as": its
	// template (ebicart new refused them before the template's lookup).
	for lang, file := range map[string]string{"Go": "main.go", "AS": "package.json", "ts": "package.json"} {
		if code := run([]string{"new", lang, "p-" + lang}, &stderr); code != 0 {
			t.Fatalf("ebicart new %s: status %d, %q", lang, code, stderr.String())
		}
		if _, err := os.Stat(filepath.Join("p-"+lang, file)); err != nil {
			t.Errorf("ebicart new %s: %v", lang, err)
		}
	}
}

// TestInfoAfterDashes: ebicart info takes "--" before a cart whose name
// starts with "-", as the main command does.
func TestInfoAfterDashes(t *testing.T) {
	dir := t.TempDir()
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "-dash.wasm"), wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var stderr bytes.Buffer
	if code := run([]string{"info", "--", "-dash.wasm"}, &stderr); code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr.String())
	}
	if code := run([]string{"info", "-dash.wasm"}, &stderr); code != 2 {
		t.Fatalf("without --, -dash.wasm: exit status %d, want the usage error (2)", code)
	}
}

// TestStartFromSettings: a replay or a saved state that does not fit the
// cart is wrong settings, with the advice of the command line or the page
// (the error screen then offers no restart, which would fail the same
// way); any other load error is the cart's.
func TestStartFromSettings(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	load := func(rp *cart.Replay) (*cart.Cart, error) {
		return cart.Load(wasm, &cart.Options{Replay: rp, Engine: cart.EngineInProcess})
	}
	other := &cart.Replay{Cart: strings.Repeat("0", 64)}
	for _, tc := range []struct {
		name    string
		replay  *cart.Replay
		state   []byte
		fixes   runFixes
		wantFix string // "": not a settings error
		wantErr string
	}{
		{"replay of another cart", other, nil, commandFixes, commandFixes.replay, "replay is for cart sha256:000"},
		{"another advice", other, nil, runFixes{replay: "do this"}, "do this", "replay is for cart sha256:000"},
		{"not a state", nil, []byte("nope"), commandFixes, commandFixes.state, "-load-state s: "},
		{"no state", nil, nil, commandFixes, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc, err := load(tc.replay)
			cc, err = startFrom(cc, err, tc.state, "-load-state s", tc.fixes)
			if cc != nil {
				defer cc.Close()
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one with %q", err, tc.wantErr)
			}
			se, ok := errors.AsType[*game.SettingsError](err)
			if !ok || se.Fix != tc.wantFix {
				t.Fatalf("error %#v, want a *game.SettingsError with fix %q", err, tc.wantFix)
			}
		})
	}
}

// TestScreenshotOfFailedRun: a run whose cart fails still writes its
// -screenshot, the frame as the cart's memory held it when it stopped,
// where that memory is still there: after a trap on both engines, and
// after the deadline where a worker process was killed. In-process, a
// call stopped at its deadline leaves no memory to read: the run says so
// beside the cart's error.
func TestScreenshotOfFailedRun(t *testing.T) {
	want := image.NewRGBA(image.Rect(0, 0, 2, 1))
	want.SetRGBA(0, 0, color.RGBA{255, 0, 0, 255})
	want.SetRGBA(1, 0, color.RGBA{60, 70, 90, 255})
	for _, tc := range []struct {
		name, cart, engine string
		wantErr            string
		wantShot           bool
	}{
		{"trap", "trap_update", "process", "update trapped", true},
		{"trap in-process", "trap_update", "inprocess", "update trapped", true},
		{"deadline", "hostile/update_loop", "process", "update did not return within 300ms", true},
		{"deadline in-process", "hostile/update_loop", "inprocess", "update did not return within 300ms", false},
		{"proc_exit in-process", "exit_update", "inprocess", "cart exited with status 7", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "shot.png")
			code, stderr := runCLI(t, "-headless", "-frames", "10", "-cpu-limit", "300ms", "-engine", tc.engine, "-screenshot", out, testcarts.GuestTestdata(tc.cart))
			if code != 1 || !strings.Contains(stderr, tc.wantErr) {
				t.Fatalf("exit %d, %q; want 1 and %q", code, stderr, tc.wantErr)
			}
			if !tc.wantShot {
				if _, err := os.Stat(out); err == nil {
					t.Fatal("a screenshot was written from no memory")
				}
				return
			}
			sameImage(t, decodePNG(t, out), want)
		})
	}
}

// TestSubcommandMisuse: a subcommand given what it does not take says
// what is wrong before its usage; "help" is -h, unless a file has the
// name.
func TestSubcommandMisuse(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"info", "-x", "c.wasm"}, 2, "ebicart info: -x: not a flag of info, which takes -mode, -engine, -max-cart-size, -max-memory, -compile-limit, -start-limit, -cpu-limit (a cart whose name starts with -: put -- before it)\nusage: ebicart info"},
		{[]string{"info", "c.wasm", "-max-memory", "4GiB"}, 2, "ebicart info: -max-memory 4096MiB: at most 4095.9375MiB"},
		{[]string{"info", "c.wasm", "-cpu-limit", "0"}, 2, "ebicart info: -cpu-limit 0s: want a duration of 1ms or more"},
		{[]string{"info"}, 2, "ebicart info: want one cart, got 0 arguments\n"},
		{[]string{"new", "-x", "go", "d"}, 2, "ebicart new: -x: it takes no flags"},
		{[]string{"new", "go", "x", "y"}, 2, "ebicart new: want a language and a directory, got 3 arguments\n"},
		{[]string{"new", "go"}, 2, "ebicart new: want a language and a directory, got 1 argument\n"},
		{[]string{"info", "--", "-x.wasm", "y.wasm"}, 2, "ebicart info: want one cart, got 2 arguments\n"},
		{[]string{"info", "-"}, 2, "ebicart info: -: not a cart file (a cart named -: put -- before it)"},
		{[]string{"info", "-h"}, 0, "usage: ebicart info"},
		{[]string{"help"}, 0, "usage: ebicart [flags] [cart.wasm]"},
		// A second word that asks for help, or looks like a flag, is not
		// a directory's name: it made a directory called -h.
		{[]string{"new", "go", "-h"}, 0, "usage: ebicart new <language> [--] <directory>"},
		{[]string{"new", "go", "--help"}, 0, "usage: ebicart new"},
		{[]string{"new", "go", "-x"}, 2, "ebicart new: -x: it takes no flags (a name that starts with -: put -- before it)"},
		{[]string{"new", "cobol", "d"}, 2, `ebicart new: no template for "cobol": choose one of go, c, rust, zig, assemblyscript`},
		// help names a command: that command's usage.
		{[]string{"help", "bundle"}, 0, "usage: ebicart bundle"},
		{[]string{"help", "new"}, 0, "usage: ebicart new"},
		{[]string{"help", "info"}, 0, "usage: ebicart info"},
		{[]string{"help", "help"}, 0, "usage: ebicart [flags] [cart.wasm]"},
		// A word help does not know is a mistyped command, not two carts.
		{[]string{"help", "run"}, 2, "ebicart help: no command \"run\": want new, info or bundle, or no word for ebicart's own usage\n"},
		{[]string{"help", "new", "go"}, 2, "ebicart help: want at most one command, got 2 arguments\n"},
		{[]string{"version", "x"}, 2, "ebicart version: it takes no arguments, got 1\n"},
		{[]string{"version", "-x"}, 2, "ebicart version: it takes no arguments, got 1\n"},
		{[]string{"version", "-h"}, 0, "usage: ebicart version\n"},
		{[]string{"-version"}, 0, ""},
		{[]string{"--version"}, 0, ""},
	} {
		var stderr bytes.Buffer
		if code := run(tc.args, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("ebicart %s: exit %d, %q; want %d and %q", strings.Join(tc.args, " "), code, stderr.String(), tc.code, tc.want)
		}
		if tc.code == 0 && strings.Contains(stderr.String(), "ebicart info:") {
			t.Errorf("ebicart %s: a reason printed for a question: %q", strings.Join(tc.args, " "), stderr.String())
		}
	}
}

// TestPlayerUsageExitStatus: a bundled game's -h gives the exit statuses
// its runs end with. It said 130 only for Ctrl-C in a -headless run,
// where a window ended by Ctrl-C exits 130 too, and SIGTERM 143.
func TestPlayerUsageExitStatus(t *testing.T) {
	bundled = &manifest.Game{Name: "Duck", Slug: "duck", Stamp: "Duck 1.0"}
	defer func() { bundled = nil }()
	var stderr bytes.Buffer
	if code := run([]string{"-h"}, &stderr); code != 0 {
		t.Fatalf("-h: exit %d: %s", code, stderr.String())
	}
	want := "128 + the signal's number\nfor a run a signal ends, headless or in a window (130 Ctrl-C, 143\nSIGTERM)"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("a bundled game's -h: %q, want the exit statuses %q", stderr.String(), want)
	}
}

// TestSubcommandNamesOnlyItsFlags: what ebicart info prints about a cart
// that a setting stops names only flags info takes, and with the flag
// raised the cart goes further. info named max-memory and start-limit,
// run flags it did not take.
func TestSubcommandNamesOnlyItsFlags(t *testing.T) {
	runFlags := flagSet(&config{})
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		named string // the flag info's text names
	}{
		{"memory", []string{"info", testcarts.GuestTestdata("huge_memory")}, 1, "max-memory"},
		{"start", []string{"info", "-start-limit", "50ms", testcarts.GuestTestdata("hostile/start_loop")}, 1, "start-limit"},
		{"update", []string{"info", "-cpu-limit", "50ms", testcarts.GuestTestdata("hostile/save_then_loop")}, 1, "cpu-limit"},
		{"cart size", []string{"info", "-max-cart-size", "64KiB", filepath.Join(testcarts.Root(), "assets", "carts", "demo.wasm")}, 1, "max-cart-size"},
		{"usage", []string{"info", "-h"}, 0, "-cpu-limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			var code int
			stdout := captureStdout(t, func() { code = run(tc.args, &stderr) })
			text := stdout + stderr.String()
			if code != tc.code {
				t.Errorf("exit status %d, want %d: %s", code, tc.code, text)
			}
			if !strings.Contains(text, tc.named) {
				t.Errorf("the text does not name %s: %s", tc.named, text)
			}
			runFlags.VisitAll(func(f *flag.Flag) {
				// -name, or (name) and (..., name) as the guest's errors say it.
				named := regexp.MustCompile(`(^|[^a-z-])-` + regexp.QuoteMeta(f.Name) + `\b|[(, ]` + regexp.QuoteMeta(f.Name) + `\)`)
				if named.MatchString(text) && !slices.Contains(infoFlags, f.Name) {
					t.Errorf("the text names -%s, which info does not take: %s", f.Name, text)
				}
			})
			var usage bytes.Buffer
			if code := run([]string{"info", "-" + tc.named + "=1s"}, &usage); code != 2 || strings.Contains(usage.String(), "not a flag") {
				t.Errorf("info -%s: exit status %d: %s", tc.named, code, usage.String())
			}
		})
	}
}

// captureStdout returns what f writes to os.Stdout.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	tmp, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	saved := os.Stdout
	os.Stdout = tmp
	defer func() { os.Stdout = saved }()
	f()
	b, err := os.ReadFile(tmp.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPlayerUsageNamesOnlyItsFlags: a bundled game's -h names only flags
// the game takes: without -dev not the author's, and never -watch, which
// it refuses (the text of -record named it).
func TestPlayerUsageNamesOnlyItsFlags(t *testing.T) {
	for _, dev := range []bool{false, true} {
		bundled = &manifest.Game{Name: "Duck", Slug: "duck", Stamp: "Duck 1.0", Dev: dev}
		var stderr bytes.Buffer
		code := run([]string{"-h"}, &stderr)
		bundled = nil
		if code != 0 {
			t.Fatalf("-h: exit %d: %s", code, stderr.String())
		}
		flagSet(&config{}).VisitAll(func(f *flag.Flag) {
			refused := f.Name == "watch" || !dev && authorFlags[f.Name]
			if refused && regexp.MustCompile(`(^|[^a-z-])-`+regexp.QuoteMeta(f.Name)+`\b`).MatchString(stderr.String()) {
				t.Errorf("dev %v: -h names -%s, which the game refuses:\n%s", dev, f.Name, stderr.String())
			}
		})
	}
}
