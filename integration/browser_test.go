//go:build !js

package integration

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/internal/worker"
	"github.com/ebicart/ebicart/web"
)

// The tests of this package build the real site once, serve it on a
// loopback port, and drive one Debian Chromium (headless, software WebGL)
// against it: each test gets a tab of its own in that one browser.

const chromiumPath = "/usr/bin/chromium"

// coldWasm, given to V8 when benchmarks run, makes every load compile its
// wasm anew. V8 keeps a compiled module, its optimised code included, in
// a cache of the renderer process for as long as something still holds
// it, and a later load of the same bytes takes it from there. Whether a
// load found its module there depended on when the last page's memory
// had been collected: the no-op page's first frame came at about 600 or
// about 1,250 ms within one run, and its median, the start-up ratios'
// denominator, moved by half between runs. Without the cache every load
// is a first visit, for every page, as BenchmarkWebStart's disabled HTTP
// cache means it to be. Tests keep the cache: they load the same host a
// hundred times.
const coldWasm = "--no-wasm-native-module-cache"

// benchmarking reports whether this test binary runs benchmarks.
func benchmarking() bool {
	f := flag.Lookup("test.bench")
	return f != nil && f.Value.String() != ""
}

// extraFlags are added to Chromium's command line, from
// EBICART_CHROMIUM_FLAGS (space-separated, e.g. "--disable-gpu-vsync").
var extraFlags = strings.Fields(os.Getenv("EBICART_CHROMIUM_FLAGS"))

const pageW, pageH = 800, 600

var (
	siteURL  string
	siteDir  string
	siteErr  error
	siteOnce sync.Once

	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
	browserOnce   sync.Once
)

func TestMain(m *testing.M) {
	if worker.Serve() { // the process engine's workers run this binary
		return
	}
	if os.Getenv(busyEnv) != "" { // a busy process of busyCPUs
		//lint:ignore SA5002 spinning is its work
		for {
		}
	}
	code := m.Run()
	if browserCancel != nil {
		browserCancel() // ends the browser
	}
	if siteDir != "" {
		os.RemoveAll(siteDir)
	}
	os.Exit(code)
}

// needChromium skips a test where Chromium is missing, and fails it in CI.
func needChromium(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing in CI: make deps installs chromium", chromiumPath)
		}
		t.Skipf("%s not installed: the browser tests need Debian's chromium (make deps)", chromiumPath)
	}
}

// site builds and serves the site once for all tests: the browser build,
// the test carts under carts/test/, and the conformance harness.
func site(t testing.TB) string {
	t.Helper()
	needChromium(t)
	siteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ebicart-site")
		if err != nil {
			siteErr = err
			return
		}
		siteDir = dir
		root := testcarts.Root()
		if siteErr = web.Build(context.Background(), root, dir); siteErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "harness.wasm"), "./guest/conformance/harness")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			siteErr = fmt.Errorf("building the conformance harness: %v\n%s", err, out)
			return
		}
		if siteErr = os.WriteFile(filepath.Join(dir, "harness.html"), []byte(harnessPage), 0o644); siteErr != nil {
			return
		}
		os.MkdirAll(filepath.Join(dir, "carts", "test"), 0o755)
		for _, name := range []string{"trap_update", "missing_update", "input_echo", "grow", "lifecycle", "exit_update", "good", "hostile/update_loop", "hostile/start_loop", "hostile/multi_memory", "hostile/tail_call", "hostile/elem_past_table", "w4_io", "../../wasm4/testdata/draw"} {
			b, err := os.ReadFile(testcarts.GuestTestdata(name))
			if err != nil {
				siteErr = err
				return
			}
			os.WriteFile(filepath.Join(dir, "carts", "test", filepath.Base(name)+".wasm"), b, 0o644)
		}
		if siteErr = web.BuildNoop(context.Background(), root, dir); siteErr != nil {
			return
		}
		if siteErr = web.Precompress(dir); siteErr != nil { // as make web does
			return
		}
		siteURL = httptest.NewServer(web.Handler(dir)).URL
	})
	if siteErr != nil {
		t.Fatalf("building the site: %v", siteErr)
	}
	return siteURL
}

// browser starts the one Chromium of this test binary.
func browser(t testing.TB) context.Context {
	t.Helper()
	needChromium(t)
	browserOnce.Do(func() {
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
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.WindowSize(pageW, pageH),
		)
		var jsFlags []string
		if benchmarking() {
			jsFlags = append(jsFlags, coldWasm)
		}
		for _, f := range extraFlags {
			name, value, ok := strings.Cut(strings.TrimPrefix(f, "--"), "=")
			switch {
			case name == "js-flags":
				jsFlags = append(jsFlags, value)
			case ok:
				opts = append(opts, chromedp.Flag(name, value))
			default:
				opts = append(opts, chromedp.Flag(name, true))
			}
		}
		if len(jsFlags) > 0 {
			opts = append(opts, chromedp.Flag("js-flags", strings.Join(jsFlags, " ")))
		}
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelB := chromedp.NewContext(actx)
		browserCancel = func() { cancelB(); cancelA() }
		browserErr = chromedp.Do(ctx) // starts it
		browserCtx = ctx
	})
	if browserErr != nil {
		t.Fatalf("starting Chromium: %v", browserErr)
	}
	return browserCtx
}

// page is a browser tab on the site.
type page struct {
	t          testing.TB
	ctx        context.Context
	vp         viewport
	mu         sync.Mutex
	exceptions []string
	console    []string
	close      func() // closes the tab: a page left open keeps drawing
}

// viewport is the screen a tab emulates.
type viewport struct {
	w, h   int64
	scale  float64 // device pixels per CSS pixel; 0 is 1
	mobile bool    // a phone: mobile and touch emulation
}

// desktop is the tab of most tests.
var desktop = viewport{w: pageW, h: pageH}

// openPage opens a tab of the one browser on the site's page with query,
// with the site's storage cleared.
func openPage(t testing.TB, query string) *page {
	t.Helper()
	return openPageOn(t, query, desktop)
}

// openPageOn is openPage on the screen vp.
func openPageOn(t testing.TB, query string, vp viewport) *page {
	t.Helper()
	return openPageAt(t, site(t), query, vp)
}

// openPageAt is openPageOn of the site at base.
func openPageAt(t testing.TB, base, query string, vp viewport) *page {
	t.Helper()
	ctx, cancelTab := chromedp.NewContext(browser(t))
	// A test's tab is a hang's bound; a benchmark's loads its pages tens
	// of times, minutes on a busy machine.
	limit := 120 * time.Second
	if benchmarking() {
		limit = 30 * time.Minute
	}
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancelTab() })
	p := &page{t: t, ctx: ctx, vp: vp, close: func() { cancelT(); cancelTab() }}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			if m.IsException() {
				p.exceptions = append(p.exceptions, m.String()+stackText(m.Stack))
			}
			p.console = append(p.console, string(m.Type)+": "+m.Text)
			p.mu.Unlock()
		}
	}()
	if _, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: base, StorageTypes: "all"}); err != nil {
		t.Fatalf("clearing the site's storage: %v", err)
	}
	emulate := []chromedp.EmulateViewportOption{chromedp.EmulateScale(max(vp.scale, 1))}
	if vp.mobile {
		emulate = append(emulate, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
		if vp.w > vp.h {
			emulate[len(emulate)-1] = chromedp.EmulateLandscape
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h, emulate...), chromedp.Navigate(base+"/"+query)); err != nil {
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

// stackText is an exception's stack, a frame a line, so that a report of
// one says where it was thrown.
func stackText(st *cdpruntime.StackTrace) string {
	var b strings.Builder
	for ; st != nil; st = st.Parent {
		for _, f := range st.CallFrames {
			fmt.Fprintf(&b, "\n    at %s (%s:%d:%d)", cmp.Or(f.FunctionName, "?"), f.URL, f.LineNumber+1, f.ColumnNumber+1)
		}
	}
	return b.String()
}

// reloadWith reloads the page with script run before the page's own on
// every document it loads from now on (a wrapper of a browser API the
// test counts or fakes).
func (p *page) reloadWith(script string) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: script}); err != nil {
		p.t.Fatal(err)
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Reload()); err != nil {
		p.t.Fatal(err)
	}
}

// awaitFrames is a JavaScript statement, for an async function, that waits
// for n of the page's animation frames.
func awaitFrames(n int) string {
	return fmt.Sprintf(`await new Promise((ok) => { let i = 0; const f = () => (++i < %d ? requestAnimationFrame(f) : ok()); requestAnimationFrame(f); });`, n)
}

// wait polls a JavaScript expression until it is true.
func (p *page) wait(expr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			p.t.Fatalf("evaluate %s: %v", expr, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](pageState, chromedp.EvalAwaitPromise))
			p.t.Fatalf("timed out after %v waiting for %s (page state %s)", timeout, expr, state)
		}
		time.Sleep(50 * time.Millisecond) // the poll's interval
	}
}

// waitConsole waits until the page has written each of texts on its
// console: what it reported before then (an exception thrown before it
// wrote them) has been recorded. A wait that times out fails the test
// with why and the console's last lines.
func (p *page) waitConsole(timeout time.Duration, why string, texts ...string) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		p.mu.Lock()
		console := strings.Join(p.console, "\n")
		p.mu.Unlock()
		if !slices.ContainsFunc(texts, func(text string) bool { return !strings.Contains(console, text) }) {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s (after %v), the console:\n%s", why, timeout, console[max(0, len(console)-2000):])
		}
		time.Sleep(50 * time.Millisecond) // the poll's interval
	}
}

// pageState is what a timed-out wait reports of the page: its data
// attributes and, where it has them, its caches and service workers.
const pageState = `(async () => {
  const s = {body: {...document.body.dataset}, html: {...document.documentElement.dataset}};
  try {
    if (window.caches) s.caches = await caches.keys();
    const r = navigator.serviceWorker && await navigator.serviceWorker.getRegistration();
    if (r) s.workers = ['installing', 'waiting', 'active'].map((k) => k + ':' + (r[k] ? r[k].state : '-')).join(' ');
  } catch (e) { s.stateError = String(e); }
  return JSON.stringify(s);
})()`

// waitCart waits until the cart name runs and has been drawn.
func (p *page) waitCart(name string) {
	p.t.Helper()
	p.wait(fmt.Sprintf(`document.body.dataset.cart === %q && !!document.querySelector('canvas')`, name), 60*time.Second)
	p.waitUpdates(5)
}

// waitUpdates waits until the running cart has run n more updates, and
// the screen has been drawn since.
func (p *page) waitUpdates(n int) {
	p.t.Helper()
	const stats = `(window.ebicart && ebicart.stats && ebicart.stats())`
	now := eval[int](p, stats+` ? ebicart.stats().updates : 0`)
	p.wait(fmt.Sprintf(`%s && %s.updates >= %d && %s.draws > 0`, stats, stats, now+n, stats), 30*time.Second)
}

func eval[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// evalAwait is eval of an expression whose value is a promise: its
// result.
func evalAwait[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
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
		// For a person to look at: EBICART_SHOTS=/tmp/shots go test ./integration
		name := strings.NewReplacer("/", "_", " ", "_").Replace(p.t.Name())
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, time.Now().UnixMilli())), b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		p.t.Fatal(err)
	}
	if p.vp == desktop && (img.Bounds().Dx() != pageW || img.Bounds().Dy() != pageH) {
		p.t.Fatalf("screenshot is %v, want %dx%d", img.Bounds(), pageW, pageH)
	}
	return img
}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

// backdrop is the game's colour around the frame (game.backdrop), and
// errorScreen its error screen's (game.errorBackground).
var (
	backdrop    = color.RGBA{0x10, 0x10, 0x14, 0xff}
	errorScreen = color.RGBA{0x40, 0x10, 0x18, 0xff}
)

// waitDrawn waits for two more animation frames: what the game last drew
// is on the screen.
func (p *page) waitDrawn() {
	p.t.Helper()
	p.wait(`new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(true))))`, 10*time.Second)
}

// stripH is the height of the page's strip of controls above the game
// (index.html's --strip): the canvas is the page below it.
const stripH = 36

// canvasW and canvasH are the canvas's size in the desktop tab.
const canvasW, canvasH = pageW, pageH - stripH

// framePixel returns the centre of pixel (x, y) of the w x h frame on the
// page, in CSS pixels, from where the game says it drew the frame.
func (p *page) framePixel(w, h, x, y int) (float64, float64) {
	p.t.Helper()
	type pt struct{ X, Y float64 }
	c := eval[pt](p, fmt.Sprintf(`(() => {
		const c = document.querySelector('canvas'), cr = c.getBoundingClientRect(), k = cr.width / c.width;
		const r = ebicart.stats().frameRect, sx = (r[2] - r[0]) / %d, sy = (r[3] - r[1]) / %d;
		return {x: cr.left + (r[0] + (%d + 0.5) * sx) * k, y: cr.top + (r[1] + (%d + 0.5) * sy) * k};
	})()`, w, h, x, y))
	return c.X, c.Y
}

// frameAt maps frame pixel (x, y) of a w x h frame to the centre of its
// square on the page, scaled and centred in the canvas as the game draws
// it.
func frameAt(w, h, x, y int) (int, int) {
	s := min(canvasW/w, canvasH/h)
	ox, oy := (canvasW-w*s)/2, stripH+(canvasH-h*s)/2
	return ox + x*s + s/2, oy + y*s + s/2
}

// serveRewritten answers r as h does, headers and status too (a worker's
// script needs the page's cross-origin headers), with its body passed
// through rewrite: a file of another build, say. The body is h's whole
// file, never a 304's nothing.
func serveRewritten(w http.ResponseWriter, r *http.Request, h http.Handler, rewrite func([]byte) []byte) {
	r = r.Clone(r.Context())
	r.Header.Del("Accept-Encoding")
	r.Header.Del("If-Modified-Since") // the body is not the file's
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	w.Write(rewrite(rec.Body.Bytes()))
}
