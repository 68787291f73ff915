//go:build !js

package cart_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image/color"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/race"
	"github.com/ebicart/ebicart/internal/testcarts"
)

const testW, testH = 640, 360

func TestMain(m *testing.M) { ebitest.Main(m, testW, testH, "ebicart cart tests") }

func loadFile(t testing.TB, path string) *cart.Cart {
	t.Helper()
	c, err := cart.LoadFile(path, &cart.Options{Log: func(l string) { t.Log(l) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// twoCarts is a host game: the seed cart at (10, 10) scaled 20x, and a
// format cart at (200, 100) scaled 3x and tinted half-bright.
type twoCarts struct{ seed, rgb *cart.Cart }

func (g *twoCarts) Update() error {
	if err := g.seed.Update(); err != nil {
		return err
	}
	return g.rgb.Update()
}

func (g *twoCarts) Draw(screen *ebiten.Image) {
	screen.Fill(color.RGBA{0, 0, 0, 255})
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(20, 20)
	op.GeoM.Translate(10, 10)
	g.seed.Draw(screen, op)
	op = &ebiten.DrawImageOptions{}
	op.GeoM.Scale(3, 3)
	op.GeoM.Translate(200, 100)
	op.ColorScale.Scale(0.5, 0.5, 0.5, 1)
	g.rgb.Draw(screen, op)
}

func TestTwoCartsOnScreen(t *testing.T) {
	g := &twoCarts{seed: loadFile(t, testcarts.SeedPath()), rgb: loadFile(t, testcarts.Carts[2].Path())}
	s := ebitest.Run(t, g, 5, nil)
	check := func(x, y int, want color.RGBA, tol int) {
		t.Helper()
		got := s.At(x, y)
		d := func(a, b uint8) bool { return int(a)-int(b) <= tol && int(b)-int(a) <= tol }
		if !d(got.R, want.R) || !d(got.G, want.G) || !d(got.B, want.B) {
			t.Errorf("screen (%d,%d) = %v, want %v", x, y, got, want)
		}
	}
	// The seed cart, 2x1 scaled 20x at (10, 10): pixel 0 covers x 10..29,
	// pixel 1 x 30..49, both y 10..29.
	check(10, 10, color.RGBA{255, 0, 0, 255}, 0)
	check(29, 29, color.RGBA{255, 0, 0, 255}, 0)
	check(30, 10, color.RGBA{60, 70, 90, 255}, 0)
	check(49, 29, color.RGBA{60, 70, 90, 255}, 0)
	check(50, 10, color.RGBA{0, 0, 0, 255}, 0) // past the seed cart
	check(10, 30, color.RGBA{0, 0, 0, 255}, 0) // below it
	for _, p := range [][2]int{{0, 0}, {60, 36}, {17, 9}, {33, 21}} {
		want := testcarts.Pixel(3, p[0], p[1])
		half := color.RGBA{want.R / 2, want.G / 2, want.B / 2, 255}
		check(200+3*p[0]+1, 100+3*p[1]+1, half, 1) // tinted by the ColorScale
	}
	check(199, 100, color.RGBA{0, 0, 0, 255}, 0)
	check(200+3*61, 100, color.RGBA{0, 0, 0, 255}, 0)
}

// TestMouseThroughDrawTransform checks that EbitenInput maps the cursor
// through where Draw put the cart: a cart the test never drew sees no
// mouse at all.
func TestMouseThroughDrawTransform(t *testing.T) {
	c, err := cart.LoadFile(testcarts.GuestTestdata("input_echo"), &cart.Options{EbitenInput: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	img, _ := c.Snapshot()
	mx := int32(uint32(img.Pix[16]) | uint32(img.Pix[20])<<8 | uint32(img.Pix[24])<<16 | uint32(img.Pix[28])<<24)
	if mx != -1 {
		t.Fatalf("mouse x before any Draw = %d, want -1", mx)
	}
}

func TestTrapStopsOnlyThatCart(t *testing.T) {
	good := loadFile(t, testcarts.SeedPath())
	bad := loadFile(t, testcarts.GuestTestdata("trap_update"))
	var trapErr error
	for i := range 10 {
		if err := good.Update(); err != nil {
			t.Fatalf("the good cart failed at update %d: %v", i, err)
		}
		if err := bad.Update(); err != nil && trapErr == nil {
			trapErr = err
		}
	}
	var ce *guest.CallError
	if !errors.As(trapErr, &ce) || !strings.Contains(trapErr.Error(), "unreachable") {
		t.Fatalf("trapping cart: Update error %v, want the trap", trapErr)
	}
	if bad.Err() != trapErr || bad.Update() != trapErr {
		t.Fatalf("Err() = %v after the trap, want the same error from then on", bad.Err())
	}
	if good.Frames() != 10 || good.Err() != nil {
		t.Fatalf("good cart: %d frames, err %v; want 10, nil", good.Frames(), good.Err())
	}
}

// TestUnchangedFrameIsNotUploaded: a cart whose frame stays the same costs
// no WritePixels after the first.
func TestUnchangedFrameIsNotUploaded(t *testing.T) {
	idle := loadFile(t, testcarts.GuestTestdata("good"))
	moving := loadFile(t, testcarts.GuestTestdata("grow"))
	// Ebitengine may run two updates before a draw on a busy machine: the
	// moving cart's frame is uploaded once per draw that follows an update.
	updated, fresh := false, 0
	g := gameFunc{update: func() error {
		updated = true
		if err := idle.Update(); err != nil {
			return err
		}
		return moving.Update()
	}, draw: func(s *ebiten.Image) {
		if updated {
			updated, fresh = false, fresh+1
		}
		idle.Draw(s, nil)
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(100, 0)
		moving.Draw(s, op)
	}}
	ebitest.Run(t, g, 30, nil)
	if n := idle.UploadTiming().Count; n != 1 {
		t.Errorf("static cart: %d uploads in 30 updates, want 1", n)
	}
	if n := moving.UploadTiming().Count; n != fresh || n < 2 {
		t.Errorf("changing cart: %d uploads in 30 updates and %d draws after one, want one per such draw", n, fresh)
	}
	for _, c := range []*cart.Cart{idle, moving} {
		if u, p := c.Counts(); u != c.UpdateTiming().Count || p != c.UploadTiming().Count {
			t.Errorf("Counts() = %d, %d; the timings count %d updates, %d uploads", u, p, c.UpdateTiming().Count, c.UploadTiming().Count)
		}
	}
}

// TestDrawOver: a translucent frame drawn with DrawOver replaces what the
// screen held with the frame composited over the colour given, at the
// place and scale of op.
func TestDrawOver(t *testing.T) {
	c := loadFile(t, testcarts.Carts[1].Path()) // RGBA8888 straight
	under := color.RGBA{0x20, 0x60, 0x30, 0xff}
	const scale, ox, oy = 4, 30, 20
	s := ebitest.Run(t, gameFunc{update: c.Update, draw: func(s *ebiten.Image) {
		s.Fill(color.RGBA{0xff, 0, 0xff, 0xff}) // must not show through
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(scale, scale)
		op.GeoM.Translate(ox, oy)
		c.DrawOver(s, op, under)
	}}, 2, nil)
	for y := range testcarts.Height {
		for x := range testcarts.Width {
			want := testcarts.Over(testcarts.Pixel(testcarts.Carts[1].Format, x, y), under)
			got := s.At(ox+x*scale+scale-1, oy+y*scale)
			if !testcarts.Near(got, want, 1) || got.A != 255 {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
	if got := s.At(ox-1, oy); got != (color.RGBA{0xff, 0, 0xff, 0xff}) {
		t.Errorf("outside the frame %v, want what the screen held", got)
	}
}

// TestOpaque: a frame is opaque exactly when every pixel of it is: always
// when its format has no alpha; the test carts of the RGBA formats have
// translucent pixels, and the demo (RGBA) none.
func TestOpaque(t *testing.T) {
	var carts []*cart.Cart
	for _, c := range testcarts.Carts {
		carts = append(carts, loadFile(t, c.Path()))
	}
	d := loadFile(t, filepath.Join("..", "assets", "carts", "demo.wasm"))
	carts = append(carts, d)
	ebitest.Run(t, gameFunc{update: func() error {
		for _, c := range carts {
			if err := c.Update(); err != nil {
				return err
			}
		}
		return nil
	}, draw: func(s *ebiten.Image) {
		for _, c := range carts {
			c.Draw(s, nil)
		}
	}}, 2, nil)
	for i, c := range testcarts.Carts {
		if got, want := carts[i].Opaque(), c.Format > 2; got != want {
			t.Errorf("%s: Opaque() = %v, want %v", c.Name, got, want)
		}
	}
	if f := d.Descriptor().Format; !f.HasAlpha() || !d.Opaque() {
		t.Errorf("the demo, format %v: Opaque() = %v, want an RGBA format and true", f, d.Opaque())
	}
}

type gameFunc struct {
	update func() error
	draw   func(*ebiten.Image)
}

func (g gameFunc) Update() error             { return g.update() }
func (g gameFunc) Draw(screen *ebiten.Image) { g.draw(screen) }

// rssBytes reads the resident set size of this process.
func rssBytes(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc: RSS not measurable here")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmRSS")
	return 0
}

func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// TestLoadCloseHundred loads, runs and closes 100 carts in this process in
// a loop: the process's memory must come back to where it started.
func TestLoadCloseHundred(t *testing.T) {
	opts := &cart.Options{Engine: cart.EngineInProcess, CacheDir: t.TempDir()}
	wasm, err := fs.ReadFile(assets.Carts, "mandel.wasm")
	if err != nil {
		t.Fatal(err)
	}
	big, err := fs.ReadFile(assets.Carts, "rgb720.wasm")
	if err != nil {
		t.Fatal(err)
	}
	cycle := func(i int) {
		w := wasm
		if i%2 == 1 {
			w = big
		}
		c, err := cart.Load(w, opts)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := c.Update(); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.Snapshot(); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	cycle(0) // warm the compilation cache and the runtime
	cycle(1)
	settle()
	startRSS, startHeap := rssBytes(t), heap()
	n := 100
	if race.Enabled {
		n = 20 // wazero runs several times slower under -race; the heap check stands
	}
	for i := range n {
		cycle(i)
	}
	settle()
	endRSS, endHeap := rssBytes(t), heap()
	mib := func(n int64) float64 { return float64(n) / (1 << 20) }
	t.Logf("%d load/run/close cycles: RSS %.1f -> %.1f MiB, Go heap in use %.1f -> %.1f MiB",
		n, mib(startRSS), mib(endRSS), mib(int64(startHeap)), mib(int64(endHeap)))
	// Each rgb720 cart has a 2.7 MiB frame in a 4 MiB memory: leaking
	// carts would add hundreds of MiB.
	if grow := int64(endHeap) - int64(startHeap); grow > 8<<20 {
		t.Errorf("Go heap grew by %.1f MiB", mib(grow))
	}
	if grow := endRSS - startRSS; grow > 24<<20 && !race.Enabled { // -race keeps shadow memory of freed heap
		t.Errorf("RSS grew by %.1f MiB", mib(grow))
	}
}

// TestUpdateNoAllocs: a steady-state update through the public API
// allocates nothing.
func TestUpdateNoAllocs(t *testing.T) {
	c := loadFile(t, testcarts.GuestTestdata("input_echo"))
	c.SetInput(cart.Input{Buttons: cart.ButtonA, MouseX: 3})
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	if n := ebitest.AllocsPerRun(100, func() {
		if err := c.Update(); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations per update, want 0", n)
	}
}

// TestWASM4Sound plays a WASM-4 cart's tones through Ebitengine's audio,
// into ALSA's null device (a real audio stack with no sound card): every
// update feeds the sound chip one frame, and nothing fails.
func TestWASM4Sound(t *testing.T) {
	ebitest.NeedDisplay(t)
	home := t.TempDir()
	if err := os.WriteFile(home+"/.asoundrc", []byte("pcm.!default { type null }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	c, err := cart.LoadFile(testcarts.GuestTestdata("w4_io"), &cart.Options{Sound: true, SaveDir: t.TempDir(), Log: func(l string) { t.Log(l) }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	g := gameFunc{update: c.Update, draw: func(s *ebiten.Image) { c.Draw(s, nil) }}
	ebitest.Run(t, g, 30, nil)
	if n := cart.SoundFrames(c); n != 30 {
		t.Fatalf("the sound chip got %d frames for 30 updates (-1: no sound)", n)
	}
	if len(c.Tones()) != 1 {
		t.Fatalf("tones of the last update: %v", c.Tones())
	}
}

// TestLoadContextCancelled: cancelling the context of a load stops it,
// killing the worker mid-compile, and the error is the context's.
func TestLoadContextCancelled(t *testing.T) {
	wasm, err := fs.ReadFile(assets.Carts, "demo.wasm") // 1.9 MB: a compile of a good fraction of a second
	if err != nil {
		t.Fatal(err)
	}
	for _, engine := range []cart.Engine{cart.EngineProcess, cart.EngineInProcess} {
		t.Run(engine.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := cart.LoadContext(ctx, wasm, &cart.Options{Engine: engine}); !errors.Is(err, context.Canceled) || err.Error() != "context canceled" {
				t.Fatalf("a load with a cancelled context: %v, want context.Canceled", err)
			}
			if engine != cart.EngineProcess {
				return // a compile in this process cannot be stopped
			}
			ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := cart.LoadContext(ctx, wasm, &cart.Options{Engine: engine})
			if !errors.Is(err, context.DeadlineExceeded) || err.Error() != "context deadline exceeded" {
				t.Fatalf("a load cancelled mid-compile: %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the cancelled load returned after %v", d)
			}
		})
	}
}

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc: descriptors not countable here")
	}
	return len(ents)
}

// TestWorkersLeaveNothing loads, runs and closes 20 carts in worker
// processes: no descriptor, mapping or goroutine of theirs stays behind in
// the host.
func TestWorkersLeaveNothing(t *testing.T) {
	wasm, err := fs.ReadFile(assets.Carts, "rgba.wasm")
	if err != nil {
		t.Fatal(err)
	}
	opts := &cart.Options{Engine: cart.EngineProcess, CacheDir: t.TempDir()}
	cycle := func() {
		c, err := cart.Load(wasm, opts)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := c.Update(); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.Snapshot(); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	cycle() // the spare worker starts: it stays, one at a time
	settle()
	fds, goroutines := openFDs(t), runtime.NumGoroutine()
	n := 20
	if race.Enabled {
		n = 5 // a race-instrumented worker takes a second to start
	}
	for range n {
		cycle()
	}
	settle()
	if n := openFDs(t); n > fds {
		t.Errorf("%d open descriptors after the carts, %d before", n, fds)
	}
	if n := runtime.NumGoroutine(); n > goroutines+2 {
		t.Errorf("%d goroutines after the carts, %d before", n, goroutines)
	}
}

// TestReadCartFileBounded: a FIFO, a device and a file over the limit are
// refused before they are read, at once.
func TestReadCartFileBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := dir + "/fifo.wasm"
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := dir + "/big.wasm"
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{fifo, "is a named pipe, not a file"},
		{"/dev/zero", "is a device, not a file"},
		{dir, "is a directory, not a file"},
		{big, "is 2.0 MiB, more than the limit of 1.0 MiB (max-cart-size)"},
	} {
		start := time.Now()
		_, err := cart.LoadFile(tc.path, &cart.Options{MaxCartSize: 1 << 20})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refused after %v", tc.path, d)
		}
	}
	if _, err := cart.Load(make([]byte, 2<<20), &cart.Options{MaxCartSize: 1 << 20}); err == nil || !strings.Contains(err.Error(), "more than the limit of 1.0 MiB") {
		t.Errorf("2 MiB of bytes: %v", err)
	}
}

// countingSaves counts the writes that reach a store.
type countingSaves struct {
	cart.SaveStore
	mu     sync.Mutex
	writes int
	times  []time.Time
	last   []byte
}

func (c *countingSaves) Store(key string, data []byte) error {
	c.mu.Lock()
	c.writes++
	c.times = append(c.times, time.Now())
	c.last = append([]byte(nil), data...)
	c.mu.Unlock()
	return c.SaveStore.Store(key, data)
}

func (c *countingSaves) state() (int, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes, c.last
}

// TestSavesCoalesced: a cart that writes its save 200 times an update gets
// at most two writes a second to its store, the last content there within
// a second while it runs, and at Close.
func TestSavesCoalesced(t *testing.T) {
	store := &countingSaves{SaveStore: cart.MemorySaves()}
	c, err := cart.LoadFile(testcarts.GuestTestdata("hostile/save_flood"), &cart.Options{Saves: store})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	updates := 0
	for time.Since(start) < 1200*time.Millisecond {
		if err := c.Update(); err != nil {
			t.Fatal(err)
		}
		updates++
	}
	elapsed := time.Since(start)
	want := func() []byte {
		b := make([]byte, 16)
		for i := range 4 {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(updates))
		}
		return b
	}()
	// Within a second of the last write, it is in the store.
	deadline := time.Now().Add(time.Second)
	for {
		if _, last := store.state(); bytes.Equal(last, want) {
			break
		}
		if time.Now().After(deadline) {
			_, last := store.state()
			t.Fatalf("a second after the last of %d updates the store holds %v, want %v", updates, last, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	writes, _ := store.state()
	if max := int(elapsed/(500*time.Millisecond)) + 2; writes > max {
		t.Errorf("%d writes reached the store for %d updates (200 saves each) in %v, want at most %d", writes, updates, elapsed, max)
	}
	c.Close()
	t.Logf("%d updates, %d saves by the cart, %d writes to the store", updates, updates*200, writes)
	for i := 1; i < len(store.times); i++ {
		if d := store.times[i].Sub(store.times[i-1]); d < 450*time.Millisecond {
			t.Errorf("writes %d and %d only %v apart, want at most two a second", i-1, i, d)
		}
	}
}

// TestStaleTempSavesRemoved: the temporary files of writes a kill
// interrupted are gone at the next start; a fresh one (another process's,
// being written) stays.
func TestStaleTempSavesRemoved(t *testing.T) {
	dir := t.TempDir()
	stale, fresh := filepath.Join(dir, "abc.disk.tmp123"), filepath.Join(dir, "abc.disk.tmp456")
	os.WriteFile(stale, []byte("half"), 0o644)
	os.WriteFile(fresh, []byte("half"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	if _, err := cart.DirSaves(dir).Load("abc"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file is still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("the fresh temporary file is gone: %v", err)
	}
}

// TestWorkTiming: each update's time where the cart runs is measured there
// and reported beside the round trip that contains it, on each engine.
func TestWorkTiming(t *testing.T) {
	for _, engine := range []cart.Engine{cart.EngineInProcess, cart.EngineProcess} {
		t.Run(engine.String(), func(t *testing.T) {
			c, err := cart.LoadFile(testcarts.GuestTestdata("busy_update"), &cart.Options{Engine: engine, CPULimit: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for range 3 { // the third spins: milliseconds, or a fraction of a second in process
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			work, update := c.WorkTiming(), c.UpdateTiming()
			if work.Count != 3 || len(work.Samples) != 3 {
				t.Fatalf("work timing has %d samples, want 3", work.Count)
			}
			for i, w := range work.Samples {
				if w <= 0 || w > update.Samples[i] {
					t.Errorf("update %d: work %v, want more than 0 and at most its round trip %v", i+1, w, update.Samples[i])
				}
			}
			// The first update may pay for first touches of memory, and
			// either quick one may be preempted on a loaded machine: the
			// quicker of the two is the one to stand the spin beside.
			if slow, quick := work.Samples[2], min(work.Samples[0], work.Samples[1]); slow < time.Millisecond || slow < 10*quick {
				t.Errorf("the spinning update's work is %v, the quicker of the others' %v: the spin was not measured", slow, quick)
			}
			if want := (work.Samples[0] + work.Samples[1] + work.Samples[2]) / 3; work.Mean != want {
				t.Errorf("mean %v, want %v", work.Mean, want)
			}
		})
	}
}

// TestWorkerKeepsRewrites: a worker keeps its rewrites of a cart beside
// the compile cache, one file per cart, and the next worker boots from
// it; a damaged file is made again.
func TestWorkerKeepsRewrites(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("worker processes are Linux's")
	}
	wasm, err := fs.ReadFile(assets.Carts, "rgba.wasm")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	opts := &cart.Options{Engine: cart.EngineProcess, CacheDir: dir}
	run := func() []byte {
		t.Helper()
		c, err := cart.Load(wasm, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for range 3 {
			if err := c.Update(); err != nil {
				t.Fatal(err)
			}
		}
		img, err := c.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		return img.Pix
	}
	kept := func() []string {
		names, _ := filepath.Glob(filepath.Join(dir, "ebicart-rewrites", "*"))
		return names
	}
	first := run()
	if len(kept()) == 0 {
		if ents, _ := os.ReadDir(dir); len(ents) == 0 {
			t.Skip("the worker has no compile cache here (no Landlock)")
		}
	}
	for _, step := range []string{"again", "damaged"} {
		names := kept()
		if len(names) != 1 {
			t.Fatalf("%s: %d rewrites kept, want 1: %v", step, len(names), names)
		}
		if step == "damaged" {
			if err := os.WriteFile(names[0], []byte("ebicart rewrite 1\nnot a rewrite"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if got := run(); !bytes.Equal(got, first) {
			t.Fatalf("%s: the frame differs from the first run's", step)
		}
	}
	if b, err := os.ReadFile(kept()[0]); err != nil || len(b) < len(wasm) {
		t.Fatalf("the damaged rewrite was not made again: %d bytes, %v", len(b), err)
	}
}

// TestAfterClose: after Close every call says the cart is closed, a
// running cart's or a failed one's, and reports no frame or memory. LoadState, which boots a new worker
// for a cart that stopped, brought a closed cart back to life: a worker
// process and a texture the game thought freed.
func TestAfterClose(t *testing.T) {
	for _, engine := range []cart.Engine{cart.EngineProcess, cart.EngineInProcess} {
		for _, name := range []string{"good", "trap_update"} {
			t.Run(engine.String()+"/"+name, func(t *testing.T) {
				wasm, err := os.ReadFile(testcarts.GuestTestdata(name))
				if err != nil {
					t.Fatal(err)
				}
				c, err := cart.Load(wasm, &cart.Options{Engine: engine, Rewind: true})
				if err != nil {
					t.Fatal(err)
				}
				state, err := c.SaveState()
				if err != nil {
					t.Fatal(err)
				}
				for range 3 {
					c.Update()
				}
				c.Close()
				_, serr := c.SaveState()
				_, rerr := c.Rewind()
				_, snerr := c.Snapshot()
				for _, tc := range []struct {
					call string
					err  error
				}{
					{"Update", c.Update()},
					{"LoadState", c.LoadState(state)},
					{"Update after LoadState", c.Update()},
					{"SaveState", serr},
					{"Rewind", rerr},
					{"Snapshot", snerr},
					{"Err", c.Err()},
				} {
					if !errors.Is(tc.err, cart.ErrClosed) {
						t.Errorf("%s after Close: %v, want ErrClosed", tc.call, tc.err)
					}
				}
				// Nor do the reports without an error: the frame and the
				// memory are gone. Changed said true for ever, so a game
				// that skips idle redraws never idled with a closed cart.
				for _, tc := range []struct {
					call string
					got  any
					want any
				}{
					{"Changed", c.Changed(), false},
					{"MemorySize", c.MemorySize(), uint64(0)},
					{"Image", c.Image() == nil, true},
				} {
					if tc.got != tc.want {
						t.Errorf("%s after Close: %v, want %v", tc.call, tc.got, tc.want)
					}
				}
				c.Close() // twice is harmless
			})
		}
	}
}

// TestMaxMemorySmall: a cap under a page is a page, not the 256 MiB
// default that 0 pages means.
func TestMaxMemorySmall(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	for _, max := range []uint64{1, 65535, 65536} {
		c, err := cart.Load(wasm, &cart.Options{MaxMemory: max})
		if err == nil {
			c.Close()
			t.Fatalf("MaxMemory %d: the cart (and its 1 MiB of stack) loaded", max)
		}
		if !strings.Contains(err.Error(), "more than the limit of 64.0 KiB") {
			t.Errorf("MaxMemory %d: %v, want the 64 KiB limit", max, err)
		}
	}
}

// TestFlushSavesAfterClose: a closed cart's FlushSaves returns ErrClosed
// and writes nothing. It used to write the cart's last save again, over
// the newer one of the cart that replaced it (a rebuild, the same key).
func TestFlushSavesAfterClose(t *testing.T) {
	saves := cart.MemorySaves()
	opts := &cart.Options{Saves: saves, SaveKey: "counter"}
	run := func(updates int) *cart.Cart {
		t.Helper()
		c, err := cart.LoadFile(testcarts.GuestTestdata("save_counter"), opts)
		if err != nil {
			t.Fatal(err)
		}
		for range updates {
			if err := c.Update(); err != nil {
				t.Fatal(err)
			}
		}
		return c
	}
	old := run(3)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	rebuilt := run(2) // from the 3 saved: 5
	defer rebuilt.Close()
	if err := rebuilt.FlushSaves(); err != nil {
		t.Fatal(err)
	}
	if err := old.FlushSaves(); !errors.Is(err, cart.ErrClosed) {
		t.Errorf("FlushSaves after Close: %v, want ErrClosed", err)
	}
	if disk, err := saves.Load("counter"); err != nil || len(disk) < 1 || disk[0] != 5 {
		t.Errorf("the save after the closed cart's FlushSaves: %v (%v), want the rebuilt cart's 5", disk, err)
	}
}

// unreadableSaves is a store whose saves cannot be read (a file the user
// may not read, an I/O error), and which counts the writes it is given.
type unreadableSaves struct{ countingSaves }

func (*unreadableSaves) Load(key string) ([]byte, error) {
	return nil, errors.New("cart: save: open x.disk: permission denied")
}

// TestUnreadableSaveNotOverwritten: a cart whose save cannot be read as
// it loads boots without it, and its own saves do not replace it (they
// used to, at the cart's first write: the player's progress lost to an
// error in reading it); Log and SaveError say so.
func TestUnreadableSaveNotOverwritten(t *testing.T) {
	store := &unreadableSaves{countingSaves{SaveStore: cart.MemorySaves()}}
	var logged []string
	c, err := cart.LoadFile(testcarts.GuestTestdata("save_counter"), &cart.Options{Saves: store, Log: func(l string) { logged = append(logged, l) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SaveError(); err != nil {
		t.Errorf("SaveError before any save: %v, want nil", err)
	}
	for range 3 {
		if err := c.Update(); err != nil {
			t.Fatal(err)
		}
	}
	const want = "cart: save: open x.disk: permission denied: this session's saves are not kept, so as not to overwrite the save that could not be read"
	if err := c.SaveError(); err == nil || err.Error() != want {
		t.Errorf("SaveError after the cart saved: %v, want %q", err, want)
	}
	if err := c.FlushSaves(); err == nil || err.Error() != want {
		t.Errorf("FlushSaves: %v, want %q", err, want)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if writes, _ := store.state(); writes != 0 {
		t.Errorf("%d writes reached the store whose save could not be read, want none", writes)
	}
	if !slices.Contains(logged, want) {
		t.Errorf("log %q lacks %q", logged, want)
	}
}
