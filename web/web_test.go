//go:build !js

package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/internal/wasm4test"
)

// These tests build the real site, serve it on a loopback port and drive
// Debian's Chromium (headless, software WebGL) against it, checking the
// pixels of page screenshots.

const chromiumPath = "/usr/bin/chromium"

// extraFlags are added to Chromium's command line, from
// EBICART_CHROMIUM_FLAGS (space-separated, e.g. "--disable-gpu-vsync").
var extraFlags = strings.Fields(os.Getenv("EBICART_CHROMIUM_FLAGS"))

var (
	siteURL  string
	siteErr  error
	siteOnce sync.Once
)

const pageW, pageH = 800, 600

// site builds and serves the site once for all tests.
func site(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing in CI: make deps installs chromium", chromiumPath)
		}
		t.Skipf("%s not installed: the browser tests need Debian's chromium (make deps)", chromiumPath)
	}
	siteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ebicart-site")
		if err != nil {
			siteErr = err
			return
		}
		if siteErr = Build(context.Background(), testcarts.Root(), dir); siteErr != nil {
			return
		}
		os.MkdirAll(filepath.Join(dir, "carts", "test"), 0o755)
		for _, name := range []string{"trap_update", "missing_update", "input_echo", "grow", "lifecycle", "exit_update", "good", "hostile/update_loop", "w4_io", "../../wasm4/testdata/draw"} {
			b, err := os.ReadFile(testcarts.GuestTestdata(name))
			if err != nil {
				siteErr = err
				return
			}
			os.WriteFile(filepath.Join(dir, "carts", "test", filepath.Base(name)+".wasm"), b, 0o644)
		}
		siteURL = httptest.NewServer(Handler(dir)).URL
	})
	if siteErr != nil {
		t.Fatalf("building the site: %v", siteErr)
	}
	return siteURL
}

// page is a browser tab on the site.
type page struct {
	t          testing.TB
	ctx        context.Context
	mu         sync.Mutex
	exceptions []string
	console    []string
}

func openPage(t testing.TB, query string) *page {
	t.Helper()
	base := site(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.WindowSize(pageW, pageH),
		chromedp.UserDataDir(t.TempDir()),
	)
	for _, f := range extraFlags {
		name, value, ok := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if ok {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	p := &page{t: t, ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			if m.IsException() {
				p.exceptions = append(p.exceptions, m.String())
			}
			p.console = append(p.console, string(m.Type)+": "+m.Text)
			p.mu.Unlock()
		}
	}()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(pageW, pageH), chromedp.Navigate(base+"/"+query)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if t.Failed() {
			t.Logf("console:\n%s", strings.Join(p.console, "\n"))
		}
		if len(p.exceptions) > 0 {
			t.Errorf("uncaught exceptions on the page:\n%s", strings.Join(p.exceptions, "\n"))
		}
	})
	return p
}

// wait polls a JavaScript expression until it is true.
func (p *page) wait(expr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](expr))
		if err != nil {
			p.t.Fatalf("evaluate %s: %v", expr, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`JSON.stringify(document.body.dataset)`))
			p.t.Fatalf("timed out after %v waiting for %s (page state %s)", timeout, expr, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (p *page) waitCart(name string) {
	p.t.Helper()
	p.wait(fmt.Sprintf(`document.body.dataset.cart === %q && !!document.querySelector('canvas')`, name), 60*time.Second)
	time.Sleep(300 * time.Millisecond) // a few frames drawn
}

func eval[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (p *page) screenshot() image.Image {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	if dir := os.Getenv("EBICART_SHOTS"); dir != "" {
		// For a person to look at: EBICART_SHOTS=/tmp/shots go test ./web
		name := strings.NewReplacer("/", "_", " ", "_").Replace(p.t.Name())
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, time.Now().UnixMilli())), b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		p.t.Fatal(err)
	}
	if img.Bounds().Dx() != pageW || img.Bounds().Dy() != pageH {
		p.t.Fatalf("screenshot is %v, want %dx%d", img.Bounds(), pageW, pageH)
	}
	return img
}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

// backdrop is the game's colour around the frame (game.backdrop).
var backdrop = color.RGBA{0x10, 0x10, 0x14, 0xff}

// frameAt maps frame pixel (x, y) of a w x h frame to the centre of its
// square on the page, scaled and centred as the game draws it.
func frameAt(w, h, x, y int) (int, int) {
	s := min(pageW/w, pageH/h)
	ox, oy := (pageW-w*s)/2, (pageH-h*s)/2
	return ox + x*s + s/2, oy + y*s + s/2
}

func TestSeedCart(t *testing.T) {
	p := openPage(t, "?cart=carts/seed.wasm")
	p.waitCart("seed")
	img := p.screenshot()
	for _, c := range []struct {
		x    int
		want color.RGBA
	}{{0, color.RGBA{255, 0, 0, 255}}, {1, color.RGBA{60, 70, 90, 255}}} {
		px, py := frameAt(2, 1, c.x, 0)
		if got := rgbaAt(img, px, py); got != c.want {
			t.Errorf("seed pixel %d at (%d,%d) = %v, want %v", c.x, px, py, got, c.want)
		}
	}
	if got := rgbaAt(img, pageW/2, 20); got != backdrop {
		t.Errorf("letterbox = %v, want %v", got, backdrop)
	}
}

func TestFormatCarts(t *testing.T) {
	for _, c := range testcarts.Carts {
		t.Run(c.Name, func(t *testing.T) {
			p := openPage(t, "?cart=carts/"+c.Name+".wasm")
			p.waitCart(c.Name)
			img := p.screenshot()
			tol := 0
			if c.Format <= 2 {
				tol = 1
			}
			for y := range testcarts.Height {
				for x := range testcarts.Width {
					px, py := frameAt(testcarts.Width, testcarts.Height, x, y)
					want := testcarts.Over(testcarts.Pixel(c.Format, x, y), backdrop)
					if got := rgbaAt(img, px, py); !testcarts.Near(got, want, tol) {
						t.Fatalf("frame pixel (%d,%d) at (%d,%d) = %v, want %v", x, y, px, py, got, want)
					}
				}
			}
		})
	}
}

func TestDefaultCartAnimates(t *testing.T) {
	p := openPage(t, "")
	p.waitCart("demo")
	a := p.screenshot()
	time.Sleep(500 * time.Millisecond)
	b := p.screenshot()
	diff := 0
	for y := 0; y < pageH; y += 2 {
		for x := 0; x < pageW; x += 2 {
			if rgbaAt(a, x, y) != rgbaAt(b, x, y) {
				diff++
			}
		}
	}
	if diff < 500 {
		t.Fatalf("two screenshots 500ms apart differ in %d sampled pixels: the demo does not animate", diff)
	}
}

func TestInputReachesCart(t *testing.T) {
	p := openPage(t, "?cart=carts/test/input_echo.wasm")
	p.waitCart("input_echo")
	// The frame is the 32-byte input block as grey levels: pixel 0 is the
	// buttons byte.
	x, y := frameAt(32, 1, 0, 0)
	if got := rgbaAt(p.screenshot(), x, y); got.R != 0 {
		t.Fatalf("buttons before any key: %d, want 0", got.R)
	}
	keyDown(t, p, "ArrowRight", "ArrowRight", 39)
	keyDown(t, p, "z", "KeyZ", 90)
	time.Sleep(300 * time.Millisecond)
	got := rgbaAt(p.screenshot(), x, y)
	if want := uint8(1<<1 | 1<<4); got.R != want {
		t.Fatalf("buttons with ArrowRight and Z held: %08b, want %08b", got.R, want)
	}
}

func TestBrokenCartShowsError(t *testing.T) {
	tests := []struct {
		cart, want string
	}{
		{"trap_update", "update trapped: wasm error: unreachable"},
		{"missing_update", `guest: export "update" missing`},
		{"exit_update", "cart exited with status 7 (in update)"},
		{"nope", "cannot fetch cart carts/test/nope.wasm: HTTP 404"},
	}
	for _, tc := range tests {
		t.Run(tc.cart, func(t *testing.T) {
			p := openPage(t, "?cart=carts/test/"+tc.cart+".wasm")
			p.wait(`!!document.body.dataset.error`, 60*time.Second)
			text := eval[string](p, `document.getElementById('error-text').textContent`)
			visible := eval[bool](p, `getComputedStyle(document.getElementById('error')).display !== 'none'`)
			if !visible || !strings.Contains(text, tc.want) {
				t.Fatalf("error panel visible=%v text %q, want it to contain %q", visible, text, tc.want)
			}
			// The page stays usable: another cart, through the file picker.
			if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.CSS("#picker"), []string{testcarts.SeedPath()})); err != nil {
				t.Fatal(err)
			}
			p.waitCart("seed")
			px, py := frameAt(2, 1, 0, 0)
			if got := rgbaAt(p.screenshot(), px, py); got != (color.RGBA{255, 0, 0, 255}) {
				t.Fatalf("after loading the seed cart: pixel %v, want red", got)
			}
		})
	}
}

func TestMemoryGrowthAndLog(t *testing.T) {
	p := openPage(t, "?cart=carts/test/grow.wasm")
	p.waitCart("grow")
	time.Sleep(300 * time.Millisecond)
	px, py := frameAt(2, 1, 0, 0)
	if got := rgbaAt(p.screenshot(), px, py); got.G != 0x80 || got.B != 0x40 || got.R == 0 {
		t.Fatalf("grow cart pixel %v, want (frame, 0x80, 0x40)", got)
	}
	q := openPage(t, "?cart=carts/test/lifecycle.wasm")
	q.waitCart("lifecycle")
	q.mu.Lock()
	console := strings.Join(q.console, "\n")
	q.mu.Unlock()
	for _, want := range []string{"[lifecycle] hello, start!", "[lifecycle] from stdout"} {
		if !strings.Contains(console, want) {
			t.Errorf("console lacks %q:\n%s", want, console)
		}
	}
}

// keyDown presses a key and holds it: Ebitengine reads KeyboardEvent.code.
func keyDown(t *testing.T, p *page, key, code string, vk int64) {
	t.Helper()
	_, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
		Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: code, WindowsVirtualKeyCode: vk,
	})
	if err != nil {
		t.Fatalf("key %s: %v", key, err)
	}
}

// TestEmbedExample: the arcade example (package cart in a game of its own)
// runs in the browser too: its seed cabinet shows red and grey.
func TestEmbedExample(t *testing.T) {
	p := openPage(t, "embed/")
	p.wait(`document.body.dataset.started === 'true' && !!document.querySelector('canvas')`, 60*time.Second)
	// The 960x540 game is scaled to fit 800x600 and centred; the seed cart
	// sits on the fourth cabinet's screen once its worker has started. Look
	// for its colours anywhere.
	deadline := time.Now().Add(30 * time.Second)
	for {
		img := p.screenshot()
		red, grey := 0, 0
		for y := 0; y < pageH; y += 2 {
			for x := 0; x < pageW; x += 2 {
				switch rgbaAt(img, x, y) {
				case color.RGBA{255, 0, 0, 255}:
					red++
				case color.RGBA{60, 70, 90, 255}:
					grey++
				}
			}
		}
		if red >= 200 && grey >= 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the arcade page shows %d red and %d grey sampled pixels of the seed cart, want its two colours", red, grey)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestEndlessLoopDoesNotFreezeTab: a cart that spins in update is stopped
// at the deadline with the error panel, and the page answers throughout.
func TestEndlessLoopDoesNotFreezeTab(t *testing.T) {
	p := openPage(t, "?cart=carts/test/update_loop.wasm")
	p.wait(`!!document.body.dataset.error`, 60*time.Second)
	text := eval[string](p, `document.getElementById('error-text').textContent`)
	if !strings.Contains(text, "update did not return within 1s") {
		t.Fatalf("error panel says %q, want the deadline", text)
	}
	// The page's thread is free: evaluating is quick, and another cart runs.
	start := time.Now()
	if got := eval[int](p, `1 + 1`); got != 2 || time.Since(start) > time.Second {
		t.Fatalf("the page answered %d after %v", got, time.Since(start))
	}
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.CSS("#picker"), []string{testcarts.SeedPath()})); err != nil {
		t.Fatal(err)
	}
	p.waitCart("seed")
}

// TestWASM4InBrowser runs the WASM-4 drawing test cart in the page and
// compares the screen with the reference implementation's frame.
func TestWASM4InBrowser(t *testing.T) {
	p := openPage(t, "?cart=carts/test/draw.wasm")
	p.waitCart("draw")
	img := p.screenshot()
	want := wasm4test.RenderDrawCartReference()
	for y := 0; y < 160; y += 3 {
		for x := 0; x < 160; x += 3 {
			px, py := frameAt(160, 160, x, y)
			r, g, b, _ := want.At(x, y).RGBA()
			w := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
			if got := rgbaAt(img, px, py); got != w {
				t.Fatalf("pixel (%d,%d) at (%d,%d) = %v, want %v", x, y, px, py, got, w)
			}
		}
	}
}

// TestWASM4SaveSurvivesReload: a WASM-4 cart's diskw lands in
// localStorage and the cart reads it back after the page reloads.
func TestWASM4SaveSurvivesReload(t *testing.T) {
	p := openPage(t, "?cart=carts/test/w4_io.wasm")
	p.waitCart("w4_io")
	p.wait(`localStorage.length > 0`, 10*time.Second)
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	p.waitCart("w4_io")
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		console := strings.Join(p.console, "\n")
		p.mu.Unlock()
		if strings.Contains(console, "[w4_io] boot 1") && strings.Contains(console, "[w4_io] boot 2") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("console lacks boot 1 then boot 2:\n%s", console)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestWASM4TouchGamepad: on a touch screen a WASM-4 cart gets an on-screen
// gamepad; touching its X button presses player 1's X (gamepad bit 0),
// which the test cart traces.
func TestWASM4TouchGamepad(t *testing.T) {
	p := openPage(t, "?cart=carts/test/w4_io.wasm")
	p.waitCart("w4_io")
	// The X button of an 800x600 screen: (w - 0.12 s, h - 0.27 s), s = 600.
	x, y := 800-0.12*600, 600-0.27*600
	_, err := chromedp.Call(p.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{
		Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: []*input.TouchPoint{{X: x, Y: y}},
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		console := strings.Join(p.console, "\n")
		p.mu.Unlock()
		if strings.Contains(console, "[w4_io] pad 1 0 0 0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no update saw X pressed by the touch:\n%s", console[max(0, len(console)-2000):])
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The pad is drawn: the X button's centre is lighter than the backdrop.
	if got := rgbaAt(p.screenshot(), int(x), int(y)); got.R < 0x40 {
		t.Fatalf("no gamepad drawn at the X button: %v", got)
	}
}
