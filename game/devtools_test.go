//go:build !js

package game

import (
	"bytes"
	"context"
	"errors"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

func bytesLoader(t *testing.T) func(wasm []byte, name string) Loader {
	return func(wasm []byte, name string) Loader {
		opts := &cart.Options{Name: name, Log: func(l string) { t.Log(l) }}
		return func(ctx context.Context) (*cart.Cart, error) { return cart.LoadContext(ctx, wasm, opts) }
	}
}

// TestWatchReloads rewrites a watched cart file for real: a good new build
// replaces the running cart; a broken one, written in two halves, leaves
// it running with the error in a notice.
func TestWatchReloads(t *testing.T) {
	for _, linked := range []bool{false, true} {
		t.Run(map[bool]string{false: "the file", true: "through a link"}[linked], func(t *testing.T) {
			testWatchReloads(t, linked)
		})
	}
}

// testWatchReloads watches a cart, or, linked, a symbolic link in another
// directory to it (as a Rust or Zig build's output is often linked), and
// writes new builds to the cart.
func testWatchReloads(t *testing.T, linked bool) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mycart.wasm")
	seed, _ := os.ReadFile(testcarts.SeedPath())
	rgb, _ := os.ReadFile(testcarts.Carts[2].Path())
	if err := os.WriteFile(path, seed, 0o644); err != nil {
		t.Fatal(err)
	}
	watchPath := path
	if linked {
		watchPath = filepath.Join(t.TempDir(), "run.wasm")
		if err := os.Symlink(path, watchPath); err != nil {
			t.Fatal(err)
		}
	}
	load := bytesLoader(t)
	g := New(load(seed, "mycart"), "mycart", Options{Loader: load})
	stop, err := g.Watch(watchPath, load)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if w, h := g.FrameSize(); w != 2 || h != 1 {
		t.Fatalf("before: %dx%d", w, h)
	}
	// A new build, written in two halves 100ms apart: the debounce waits
	// for the second.
	writeSlowly := func(b []byte) {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(b[:len(b)/2])
		time.Sleep(100 * time.Millisecond)
		f.Write(b[len(b)/2:])
		f.Close()
	}
	writeSlowly(rgb)
	ebitest.RunUntil(t, g, 600, func() bool { w, _ := g.FrameSize(); return w != 2 || g.Err() != nil })
	if w, h := g.FrameSize(); w != testcarts.Width || h != testcarts.Height || g.Err() != nil {
		t.Fatalf("after a new build: %dx%d, err %v; want the %dx%d cart", w, h, g.Err(), testcarts.Width, testcarts.Height)
	}
	old := g.Cart()
	writeSlowly([]byte("\x00asm\x01\x00\x00\x00\x01\xff")) // broken
	ebitest.RunUntil(t, g, 600, func() bool { return g.dev.noticeBad })
	if g.Cart() != old || g.Err() != nil {
		t.Fatalf("a broken build replaced the running cart (err %v)", g.Err())
	}
	if !g.dev.noticeBad || !strings.Contains(g.dev.notice, "did not load") {
		t.Fatalf("notice %q, want the load error beside the running cart", g.dev.notice)
	}
}

// TestWatchDirRemoved: the watched cart's directory removed and made
// again (make clean, rm -rf build, a build tool's fresh output folder)
// loses no reload: the watch waits for it, says so, and loads the build
// written into it. The watch went with the directory before, without a
// word.
func TestWatchDirRemoved(t *testing.T) {
	build := filepath.Join(t.TempDir(), "build")
	path := filepath.Join(build, "mycart.wasm")
	seed, _ := os.ReadFile(testcarts.SeedPath())
	rgb, _ := os.ReadFile(testcarts.Carts[2].Path())
	if err := os.MkdirAll(build, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, seed, 0o644); err != nil {
		t.Fatal(err)
	}
	load := bytesLoader(t)
	g := New(load(seed, "mycart"), "mycart", Options{Loader: load})
	defer g.Close()
	stop, err := g.Watch(path, load)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := os.RemoveAll(build); err != nil {
		t.Fatal(err)
	}
	ebitest.RunUntil(t, g, 600, func() bool { return strings.Contains(g.Notice(), "is gone") })
	if !strings.Contains(g.Notice(), build+" is gone: mycart loads again when it is back") {
		t.Fatalf("notice %q, want the directory said to be gone", g.Notice())
	}
	if err := os.MkdirAll(build, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, rgb, 0o644); err != nil {
		t.Fatal(err)
	}
	ebitest.RunUntil(t, g, 600, func() bool { w, _ := g.FrameSize(); return w != 2 || g.Err() != nil })
	if w, h := g.FrameSize(); w != testcarts.Width || h != testcarts.Height || g.Err() != nil {
		t.Fatalf("after the new build in the new directory: %dx%d, err %v; want the %dx%d cart", w, h, g.Err(), testcarts.Width, testcarts.Height)
	}
}

// TestCaptures: F12 writes a native and a x4 PNG of the frame, F9 a GIF of
// the frames recorded in between; both decode to what the cart showed.
func TestCaptures(t *testing.T) {
	dir := t.TempDir()
	load := bytesLoader(t)
	// The INDEXED8 cart: 256 colours, so the GIF's palette holds them all.
	wasm, _ := os.ReadFile(testcarts.Carts[5].Path())
	g := New(load(wasm, "rgb"), "rgb", Options{CaptureDir: dir})
	run(t, g, 2, func(tick int) {
		if tick == 1 {
			g.screenshotKey()
			g.recordKey()
		}
	})
	run(t, g, 10, nil)
	g.recordKey() // stop and encode in the background
	deadline := time.Now().Add(10 * time.Second)
	var gifs []string
	for len(gifs) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		gifs, _ = filepath.Glob(filepath.Join(dir, "rgb-*.gif"))
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "rgb-*.png"))
	if len(pngs) != 2 || len(gifs) != 1 {
		t.Fatalf("captures %v %v, want two PNGs and a GIF", pngs, gifs)
	}
	for _, p := range pngs {
		b, _ := os.ReadFile(p)
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		k := 1
		if strings.HasSuffix(p, "-x4.png") {
			k = 4
		}
		if img.Bounds().Dx() != testcarts.Width*k || img.Bounds().Dy() != testcarts.Height*k {
			t.Fatalf("%s is %v, want x%d", p, img.Bounds(), k)
		}
		for _, xy := range [][2]int{{0, 0}, {60, 36}, {17, 9}} {
			r, g, b, _ := img.At(xy[0]*k+k-1, xy[1]*k).RGBA()
			want := testcarts.Pixel(6, xy[0], xy[1])
			if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(b>>8) != want.B {
				t.Fatalf("%s pixel %v = %v %v %v, want %v", p, xy, r>>8, g>>8, b>>8, want)
			}
		}
	}
	b, _ := os.ReadFile(gifs[0])
	anim, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(anim.Image); n < 4 || n > 7 {
		t.Fatalf("GIF has %d frames for ~11 ticks at every other tick", n)
	}
	for _, xy := range [][2]int{{0, 0}, {60, 36}, {17, 9}, {33, 21}} {
		want := testcarts.Pixel(6, xy[0], xy[1])
		if got := color.RGBAModel.Convert(anim.Image[0].At(xy[0], xy[1])).(color.RGBA); got != want {
			t.Fatalf("GIF pixel %v = %v, want %v", xy, got, want)
		}
	}
}

// TestCapturesNeverLost: two screenshots within a second are four files,
// not the second pair over the first; a recording of a cart that changes
// its frame's size ends there, saved, with the reason said. The second
// pair overwrote the first before, and the GIF's encoder refused the
// larger frames, losing the whole recording (in the browser, the video's
// frame threw).
func TestCapturesNeverLost(t *testing.T) {
	dir := t.TempDir()
	load := bytesLoader(t)
	wasm, _ := os.ReadFile(testcarts.GuestTestdata("resize"))
	g := New(load(wasm, "resize"), "resize", Options{CaptureDir: dir})
	run(t, g, 2, func(tick int) {
		if tick == 1 {
			g.screenshotKey()
			g.screenshotKey()
			g.recordKey()
		}
	})
	pngs, _ := filepath.Glob(filepath.Join(dir, "resize-*.png"))
	if len(pngs) != 4 {
		t.Fatalf("two screenshots made %v, want four files", pngs)
	}
	// The frame grows at update 10: the recording ends there.
	ebitest.RunUntil(t, g, 600, func() bool { return strings.Contains(g.Notice(), "saved ") })
	if n := g.Notice(); !strings.Contains(n, "frames): the frame changed size, from 2x1 to 4x2") {
		t.Fatalf("notice %q, want the recording saved where the frame changed size", n)
	}
	gifs, _ := filepath.Glob(filepath.Join(dir, "resize-*.gif"))
	if len(gifs) != 1 {
		t.Fatalf("GIFs %v, want one", gifs)
	}
	b, _ := os.ReadFile(gifs[0])
	anim, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(anim.Image); n < 3 || anim.Config.Width != 2 || anim.Config.Height != 1 {
		t.Fatalf("GIF of %d frames, %dx%d; want the 2x1 frames before the change", n, anim.Config.Width, anim.Config.Height)
	}
	// Another cart loaded (a drop, -watch) while one records: the
	// recording is saved, not dropped with the cart.
	seed, _ := os.ReadFile(testcarts.SeedPath())
	g2 := New(load(seed, "seed"), "seed", Options{CaptureDir: dir})
	defer g2.Close()
	g2.recordKey()
	run(t, g2, 4, nil)
	g2.Swap(load(wasm, "resize"), "resize")
	ebitest.RunUntil(t, g2, 600, func() bool { return strings.Contains(g2.Notice(), "another cart was loaded") })
	if gifs, _ := filepath.Glob(filepath.Join(dir, "seed-*.gif")); len(gifs) != 1 {
		t.Fatalf("GIFs %v, want the one saved when another cart was loaded", gifs)
	}
}

// TestPauseStepSlow: P stops updates, period runs one, comma runs one
// every fourth tick.
func TestPauseStepSlow(t *testing.T) {
	wasm, _ := os.ReadFile(testcarts.GuestTestdata("grow"))
	g := New(bytesLoader(t)(wasm, "grow"), "grow", Options{})
	run(t, g, 5, nil)
	if n := g.Cart().Frames(); n != 5 {
		t.Fatalf("%d updates in 5 ticks", n)
	}
	g.dev.paused = true
	run(t, g, 5, nil)
	if n := g.Cart().Frames(); n != 5 {
		t.Fatalf("paused: %d updates, want still 5", n)
	}
	g.dev.step = true
	run(t, g, 5, nil)
	if n := g.Cart().Frames(); n != 6 {
		t.Fatalf("one step: %d updates, want 6", n)
	}
	g.dev.paused, g.dev.slow = false, true
	run(t, g, 8, nil)
	if n := g.Cart().Frames(); n != 8 {
		t.Fatalf("slow motion: %d updates after 8 more ticks, want 8 (one in four)", n)
	}
}

// TestOverlayShows: with F3's overlay on, its box covers the top left.
func TestOverlayShows(t *testing.T) {
	wasm, _ := os.ReadFile(testcarts.SeedPath())
	g := New(bytesLoader(t)(wasm, "seed"), "seed", Options{})
	g.dev.overlay = true
	s := run(t, g, 3, nil)
	if got := s.At(2, 2); got == backdrop {
		t.Fatalf("top left %v: the overlay is not drawn", got)
	}
	g.dev.overlay = false
	g.redraw = true
	s = run(t, g, 2, nil)
	if got := s.At(2, 2); got != backdrop {
		t.Fatalf("top left %v without the overlay, want the backdrop", got)
	}
}

// fullSaves is a store that keeps nothing: a full disk.
type fullSaves struct{}

func (fullSaves) Load(string) ([]byte, error) { return nil, nil }
func (fullSaves) Store(string, []byte) error  { return errors.New("no space left on device") }

// TestSaveNotKeptIsShown: a save the store could not keep (a full disk, a
// page's full storage) is said on the screen, not only in the log: the
// cart was told its write succeeded.
func TestSaveNotKeptIsShown(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("w4_io")) // it writes its disk as it starts
	if err != nil {
		t.Fatal(err)
	}
	load := func(ctx context.Context) (*cart.Cart, error) {
		return cart.LoadContext(ctx, wasm, &cart.Options{Saves: fullSaves{}})
	}
	g := New(load, "w4_io", Options{})
	run(t, g, 5, nil)
	if n := g.Notice(); n != "the cart's save was not kept: no space left on device" {
		t.Fatalf("notice %q, want the save's error", n)
	}
}
