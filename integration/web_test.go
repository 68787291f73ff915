//go:build !js

package integration

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/internal/wasm4test"
	"github.com/ebicart/ebicart/web"
)

// These tests drive the browser build's pages and check the pixels of
// page screenshots.

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
	if got := rgbaAt(img, pageW/2, stripH+20); got != backdrop {
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
	p.waitUpdates(30)
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

// TestCartHashOnPage: the page names a cart by the same SHA-256 as the
// command line, on both of its sides, where each takes it from the
// browser's own (crypto.subtle): the host, in the recording it offers,
// and the cart's worker, in the save state F5 keeps; and where the page
// has no crypto.subtle, by Go's.
func TestCartHashOnPage(t *testing.T) {
	demo, err := os.ReadFile(filepath.Join(testcarts.Root(), "assets", "carts", "demo.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(demo)
	want := hex.EncodeToString(sum[:])
	p := openPage(t, "")
	p.waitCart("demo")
	if !eval[bool](p, `!!(self.crypto && crypto.subtle)`) {
		t.Fatal("the page has no crypto.subtle: the test site is served from localhost, a secure context")
	}
	rec := eval[string](p, `ebicart.recording() || ''`)
	if line := "cart sha256:" + want + "\n"; !strings.Contains(rec, line) {
		t.Errorf("the recording names its cart %q, want %q", strings.SplitN(rec, "\n", 3)[1], strings.TrimSpace(line))
	}
	key(t, p, "F5", 116, true, true)
	states := `(async () => {
		const r = indexedDB.open('ebicart', 1);
		r.onupgradeneeded = () => r.result.createObjectStore('states');
		await new Promise(ok => r.onsuccess = ok);
		const all = await new Promise(ok => { const q = r.result.transaction('states').objectStore('states').getAll(); q.onsuccess = () => ok(q.result); });
		const magic = new TextEncoder().encode(%q);
		return all.map(v => {
			const at = v.findIndex((_, i) => magic.every((m, j) => v[i + j] === m));
			// the state's magic, its version (u32), then the cart's hash
			return at < 0 ? 'no state in ' + v.length + ' bytes' : Array.from(v.slice(at + magic.length + 4, at + magic.length + 36), b => b.toString(16).padStart(2, '0')).join('');
		});
	})()`
	states = fmt.Sprintf(states, guest.StateMagic)
	p.wait(`(`+states+`).then(l => l.length > 0)`, 20*time.Second)
	got := evalAwait[[]string](p, states)
	if len(got) != 1 || got[0] != want {
		t.Errorf("the worker's save state names its cart %v, want [%s]", got, want)
	}
	// A page outside a secure context (plain http off localhost) has no
	// crypto.subtle: there the host hashes with internal/digest's SHA-256.
	p.reloadWith(`Object.defineProperty(Crypto.prototype, 'subtle', {get: () => undefined})`)
	p.waitCart("demo")
	if eval[bool](p, `!!(self.crypto && crypto.subtle)`) {
		t.Fatal("crypto.subtle is still there after the test took it away")
	}
	if eval[bool](p, `ebicart.stats().firstCartHashed`) {
		t.Error("without crypto.subtle, the host says the page hashed its first cart")
	}
	rec = eval[string](p, `ebicart.recording() || ''`)
	if line := "cart sha256:" + want + "\n"; !strings.Contains(rec, line) {
		t.Errorf("without crypto.subtle, the recording names its cart %q, want %q", strings.SplitN(rec, "\n", 3)[1], strings.TrimSpace(line))
	}
}

// TestWorkerPreparesFirstCart: the cart's Web Worker downloads the page's
// first cart itself, off the page's busy thread, while the host still
// loads, and compiles and boots it then: the host's boot of it takes that
// boot (bootedAhead), of the module compiled (the worker's
// ebicartCompiles: one module made, one reused). The host gets the
// worker's bytes: the cart is downloaded once, by the worker; and their
// hash, which the page made meanwhile. The demo's rewrite is the one the
// site's build prepared: the worker makes none of its own, unless that
// file is not the site's.
func TestWorkerPreparesFirstCart(t *testing.T) {
	site(t)
	prepared := filepath.Join(siteDir, "carts", "demo.wasm.prepared")
	for _, tc := range []struct {
		name, query, cart string
		rewrites          int
		setup             func(t *testing.T)
	}{
		{"demo", "", "demo", 0, nil},
		{"seed", "?cart=carts/seed.wasm", "seed", 1, nil},
		// A prepared rewrite that is not the one the site's build made
		// (its SHA-256 is in cartworker.js) is not taken.
		{"demo, its prepared rewrite changed", "", "demo", 1, func(t *testing.T) {
			b, err := os.ReadFile(prepared)
			if err != nil {
				t.Fatalf("the site has no prepared rewrite of the demo: %v", err)
			}
			gz, _ := os.ReadFile(prepared + ".gz")
			t.Cleanup(func() {
				os.WriteFile(prepared, b, 0o644)
				if gz != nil {
					os.WriteFile(prepared+".gz", gz, 0o644)
				}
			})
			changed := slices.Clone(b)
			changed[len(changed)-1] ^= 1
			os.WriteFile(prepared, changed, 0o644)
			os.Remove(prepared + ".gz")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			p := openPage(t, tc.query)
			p.waitCart(tc.cart)
			targets, err := chromedp.Targets(p.ctx)
			if err != nil {
				t.Fatal(err)
			}
			type counts struct {
				Made     int `json:"made"`
				Reused   int `json:"reused"`
				Loads    int `json:"loads"`    // the worker's downloads of the cart
				Rewrites int `json:"rewrites"` // the rewrites it made itself
				Held     int `json:"held"`     // boots of the cart it held, asked by its hash
			}
			loads := `performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '/carts/` + tc.cart + `.wasm').length`
			if n := eval[int](p, loads); n != 0 {
				t.Errorf("the page downloaded the cart %d times, want 0: the worker does", n)
			}
			// The page hashed the bytes while the host loaded: the host
			// took that hash (TestCartHashOnPage checks it is right).
			if !eval[bool](p, `ebicart.stats().firstCartHashed`) {
				t.Error("the host hashed the first cart itself, on the way to its first frame: want the page's hash, made while the host loaded")
			}
			// The worker booted it too, before the host asked: the
			// recording has the clock the worker picked.
			if !eval[bool](p, `ebicart.stats().bootedAhead`) {
				t.Error("the host's boot did not take the boot the worker made ahead")
			}
			var got []counts
			for _, tg := range targets {
				if path, _, _ := strings.Cut(tg.URL, "?"); tg.Type != "worker" || !strings.HasSuffix(path, "/cartworker.js") { // ?build=...
					continue
				}
				wctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(tg.TargetID))
				c, err := chromedp.Run(wctx, chromedp.Evaluate[counts](`({...(self.ebicartCompiles || {made: 0, reused: 0}), loads: `+loads+`, rewrites: self.ebicartRewrites(), held: self.ebicartHeldBoots()})`))
				cancel()
				if err != nil {
					t.Fatalf("reading the worker's counts: %v", err)
				}
				got = append(got, c)
			}
			// The site prepared the demo's rewrite (make web): the worker
			// took it. The seed is small: the worker rewrote it.
			// The host's boot named the cart the worker held: it did not
			// send its bytes back.
			if want := (counts{Made: 1, Reused: 1, Loads: 1, Rewrites: tc.rewrites, Held: 1}); len(got) != 1 || got[0] != want {
				t.Fatalf("the page's cart workers compiled %+v, want one worker that downloaded the cart once, made one module and reused it, made %d rewrites, and booted the cart it held", got, tc.rewrites)
			}
		})
	}
}

// TestFirstCartBeforeEbitengine: the host waits for its first cart before
// it starts Ebitengine, a while (main_js.go's firstCartWait, 1 s). A cart
// loaded by then is Ebitengine's first frame: the loading screen is never
// drawn. A busy machine may take longer; then the host waited the whole
// while, and went on.
func TestFirstCartBeforeEbitengine(t *testing.T) {
	p := openPage(t, "?cart=carts/seed.wasm")
	p.waitCart("seed")
	type stats struct {
		LoadedFirst  bool    `json:"loadedFirst"`
		StartWait    float64 `json:"startWait"`
		LoadingDraws int     `json:"loadingDraws"`
	}
	s := eval[stats](p, `ebicart.stats()`)
	t.Logf("%+v", s)
	switch {
	case s.LoadedFirst && s.LoadingDraws != 0:
		t.Errorf("the cart loaded before Ebitengine started, yet the loading screen was drawn %d times", s.LoadingDraws)
	case !s.LoadedFirst && s.StartWait < 1000:
		t.Errorf("the host started Ebitengine after %.0f ms, without its cart: want it to wait for it, up to 1 s", s.StartWait)
	}
}

// TestRestartFirstCart: R on the error screen, or a tap on a touch
// screen, loads the page's first cart again, through the same load as the
// page's start: it fails again, and the host runs on.
func TestRestartFirstCart(t *testing.T) {
	for _, tc := range []struct {
		name string
		vp   viewport
	}{
		{"R", desktop},
		{"tap", viewport{w: 390, h: 844, scale: 3, mobile: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openPageOn(t, "?cart=carts/test/trap_update.wasm", tc.vp)
			for i := range 2 {
				p.wait(`!!document.body.dataset.error`, 60*time.Second)
				if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "update trapped") {
					t.Fatalf("load %d: the page's error is %q, want the trap", i+1, text)
				}
				eval[bool](p, `delete document.body.dataset.error`)
				if tc.vp.mobile {
					if i == 0 {
						p.waitDrawn()
						p.screenshot() // the error screen on a phone, for a person to look at, with EBICART_SHOTS
					}
					p.tap(float64(tc.vp.w)/2, float64(tc.vp.h)/2, `!!document.body.dataset.error`)
					continue
				}
				keyDown(t, p, "r", "KeyR", 82)
				keyUp(t, p, "r", "KeyR", 82)
			}
			p.wait(`!!document.body.dataset.error`, 60*time.Second)
		})
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
	p.waitUpdates(5)
	got := rgbaAt(p.screenshot(), x, y)
	if want := uint8(1<<1 | 1<<4); got.R != want {
		t.Fatalf("buttons with ArrowRight and Z held: %08b, want %08b", got.R, want)
	}
}

// TestPointerReachesCart: the mouse over a frame pixel reaches the cart
// as that pixel, wherever the page puts the canvas (below the strip,
// centred when it fits the frame): Ebitengine measures the pointer from
// the page's corner, and the game takes the canvas's place off. The
// pointer goes 1 CSS pixel short of the pixel's far corner, so an offset
// of a pixel or more shows as the next pixel. The tab is 830 wide, so the
// 32x1 frame (25 CSS pixels a pixel) sits 15 pixels in from the left.
func TestPointerReachesCart(t *testing.T) {
	p := openPageOn(t, "?cart=carts/test/input_echo.wasm", viewport{w: 830, h: pageH})
	p.waitCart("input_echo")
	for _, px := range []struct{ x, y int }{{10, 0}, {3, 0}} {
		x0, y0 := p.framePixel(32, 1, px.x, px.y) // the pixel's centre
		x1, y1 := p.framePixel(32, 1, px.x+1, px.y+1)
		x, y := x0+(x1-x0)/2-1, y0+(y1-y0)/2-1
		if _, err := chromedp.Call(p.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{
			Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y}); err != nil {
			t.Fatal(err)
		}
		p.waitUpdates(3)
		p.waitDrawn()
		// The frame is the input block as grey levels: bytes 4 and 8 are
		// the low bytes of mouse_x and mouse_y.
		shot := p.screenshot()
		gx, gy := p.framePixel(32, 1, 4, 0)
		hx, hy := p.framePixel(32, 1, 8, 0)
		mx, my := rgbaAt(shot, int(gx), int(gy)).R, rgbaAt(shot, int(hx), int(hy)).R
		if int(mx) != px.x || int(my) != px.y {
			t.Fatalf("the pointer at (%.1f, %.1f) on the page, in frame pixel (%d, %d): the cart got (%d, %d)", x, y, px.x, px.y, mx, my)
		}
	}
}

func TestBrokenCartShowsError(t *testing.T) {
	tests := []struct {
		cart, want string
	}{
		{"trap_update", "update trapped: wasm error: unreachable"},
		{"missing_update", `guest: export "update" missing`},
		{"exit_update", "cart exited with status 7 (in update)"},
		// The browser's engine runs what WebAssembly 2.0 has not; the core
		// refuses it, as on the desktop (a second memory would escape the
		// cap, a tail call the stack bound).
		{"multi_memory", "guest: the cart has 2 memories (multi-memory): ebicart runs WebAssembly 2.0 carts"},
		{"tail_call", "guest: the cart uses an instruction past WebAssembly 2.0"},
		// The browser's engine refused it too, in its own words; wazero
		// ran it.
		{"elem_past_table", "guest: element segment 1 puts 2 elements at 3 in table 0 of 4, past its end"},
		{"nope", "cannot fetch cart carts/test/nope.wasm: HTTP 404"},
	}
	for _, tc := range tests {
		t.Run(tc.cart, func(t *testing.T) {
			p := openPage(t, "?cart=carts/test/"+tc.cart+".wasm")
			p.wait(`!!document.body.dataset.error`, 60*time.Second)
			if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, tc.want) {
				t.Fatalf("the page's error is %q, want it to contain %q", text, tc.want)
			}
			// Shown once: on the game's error screen, not in the page's text.
			p.waitDrawn()
			if got := rgbaAt(p.screenshot(), pageW/2, pageH-4); got != errorScreen {
				t.Fatalf("the canvas's bottom centre is %v, want the error screen %v", got, errorScreen)
			}
			if text := eval[string](p, `document.body.innerText`); strings.Contains(text, tc.want) {
				t.Fatalf("the page's text shows the error too: %q", text)
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

// TestErrorStateFollowsTheCart: the page's error state (data-error,
// data-error-cart) is the error screen's, cleared whenever a cart runs. A
// cart that did not load while another ran on set it, and it stayed, the
// running cart's page saying it had failed, until a cart loaded after.
func TestErrorStateFollowsTheCart(t *testing.T) {
	open := func(p *page, path string) {
		t.Helper()
		if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.CSS("#picker"), []string{path})); err != nil {
			t.Fatal(err)
		}
	}
	const state = `[document.body.dataset.error || '', document.body.dataset.errorCart || '', document.getElementById('cartname').textContent].join('|')`
	p := openPage(t, "?cart=carts/seed.wasm")
	p.waitCart("seed")
	open(p, testcarts.GuestTestdata("missing_update"))
	p.wait(`!!document.body.dataset.loadError`, 60*time.Second)
	if got := eval[string](p, `document.body.dataset.loadError`); !strings.Contains(got, `guest: export "update" missing`) {
		t.Fatalf("the load error is %q", got)
	}
	p.waitUpdates(5) // seed runs on
	if got := eval[string](p, state); got != "||seed" {
		t.Fatalf("with seed running on after a cart that did not load, the page's error, its cart and the strip's name are %q, want none and seed", got)
	}
	open(p, testcarts.GuestTestdata("trap_update"))
	p.wait(`!!document.body.dataset.error`, 60*time.Second)
	if got := eval[string](p, state); !strings.Contains(got, "update trapped") || !strings.HasSuffix(got, "|trap_update|trap_update") {
		t.Fatalf("after trap_update trapped, the page says %q", got)
	}
	open(p, testcarts.SeedPath())
	p.waitCart("seed")
	if got := eval[string](p, state+` + '|' + (document.body.dataset.loadError || '')`); got != "||seed|" {
		t.Fatalf("with seed running again, the page's state is %q, want no error", got)
	}
}

func TestMemoryGrowthAndLog(t *testing.T) {
	p := openPage(t, "?cart=carts/test/grow.wasm")
	p.waitCart("grow")
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
func keyDown(t testing.TB, p *page, key, code string, vk int64) {
	t.Helper()
	sendKey(t, p, input.DispatchKeyEventTypeKeyDown, key, code, vk)
}

// keyUp lets go of a key keyDown pressed.
func keyUp(t testing.TB, p *page, key, code string, vk int64) {
	t.Helper()
	sendKey(t, p, input.DispatchKeyEventTypeKeyUp, key, code, vk)
}

func sendKey(t testing.TB, p *page, typ input.DispatchKeyEventType, key, code string, vk int64) {
	t.Helper()
	_, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
		Type: typ, Key: key, Code: code, WindowsVirtualKeyCode: vk,
	})
	if err != nil {
		t.Fatalf("key %s %s: %v", typ, key, err)
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

// TestEndlessLoopDoesNotFreezeTab: a cart that spins in update gets the
// "not responding" prompt at its limit, as a slow page does in a browser,
// while the page answers throughout; Enter waits (the prompt comes back a
// limit later), Esc stops it with the deadline's error, and another cart
// runs.
func TestEndlessLoopDoesNotFreezeTab(t *testing.T) {
	p := openPage(t, "?cart=carts/test/update_loop.wasm")
	const asking = `!!(window.ebicart && ebicart.stats && ebicart.stats() && ebicart.stats().asking)`
	p.wait(asking, 60*time.Second)
	// The page's thread is free: evaluating is quick.
	start := time.Now()
	if got := eval[int](p, `1 + 1`); got != 2 || time.Since(start) > time.Second {
		t.Fatalf("the page answered %d after %v", got, time.Since(start))
	}
	// The wait is granted after Enter goes in, so the time since then
	// bounds it from above however late a poll sees the prompt go.
	waited := time.Now()
	key(t, p, "Enter", 13, true, true)
	p.wait("!"+asking, 10*time.Second)
	p.wait(asking, 30*time.Second)
	if d := time.Since(waited); d < 900*time.Millisecond {
		t.Fatalf("the prompt came back %v after Wait, want another 1s first", d)
	}
	key(t, p, "Escape", 27, true, true)
	p.wait(`!!document.body.dataset.error`, 10*time.Second)
	if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "update did not return within 1s") {
		t.Fatalf("the page's error is %q, want the deadline", text)
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
	p.waitConsole(10*time.Second, "console lacks boot 1 then boot 2", "[w4_io] boot 1", "[w4_io] boot 2")
}

// TestWASM4TouchGamepad: on a touch screen a WASM-4 cart gets on-screen
// controls, beside its frame; touching the X button presses player 1's X
// (gamepad bit 0), which the test cart traces, and lights the button.
func TestWASM4TouchGamepad(t *testing.T) {
	p := openPage(t, "?cart=carts/test/w4_io.wasm")
	p.waitCart("w4_io")
	// A first touch, on the frame, shows the controls.
	fx, fy := frameAt(160, 160, 80, 80)
	p.tap(float64(fx), float64(fy), `!!ebicart.stats().touch.b`)
	x, y, r := p.touchButton("b")
	p.touch(input.DispatchTouchEventTypeTouchStart, x, y)
	p.waitConsole(10*time.Second, "no update saw X pressed by the touch", "[w4_io] pad 1 0 0 0")
	p.waitDrawn()
	// The button is drawn, lit while held (beside its label).
	if got := rgbaAt(p.screenshot(), int(x-r/2), int(y)); got != padPressed {
		t.Fatalf("the X button is %v, want it lit %v", got, padPressed)
	}
}

// padPressed is a held touch button's colour (game.padPressed).
var padPressed = color.RGBA{0x90, 0x60, 0xa0, 0xff}

// touch sends a one-finger touch event at (x, y), in CSS pixels.
func (p *page) touch(typ input.DispatchTouchEventType, x, y float64) {
	p.t.Helper()
	points := []*input.TouchPoint{{X: x, Y: y}}
	if typ == input.DispatchTouchEventTypeTouchEnd {
		points = []*input.TouchPoint{}
	}
	if _, err := chromedp.Call(p.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: points}); err != nil {
		p.t.Fatalf("touch %s at (%.0f,%.0f): %v", typ, x, y, err)
	}
}

// tap touches (x, y) and lifts the finger once the JavaScript condition
// cond holds (within 10 s): the game sees a touch only if it lasts until
// one of its frames, which a touch sent and lifted at once may not.
func (p *page) tap(x, y float64, cond string) {
	p.t.Helper()
	p.touch(input.DispatchTouchEventTypeTouchStart, x, y)
	p.wait(cond, 10*time.Second)
	p.touch(input.DispatchTouchEventTypeTouchEnd, x, y)
}

// touchButton returns the centre of the on-screen control name and half
// its width, in CSS pixels.
func (p *page) touchButton(name string) (x, y, r float64) {
	p.t.Helper()
	type pt struct{ X, Y, R float64 }
	c := eval[pt](p, fmt.Sprintf(`(() => {
		const c = document.querySelector('canvas'), cr = c.getBoundingClientRect(), k = cr.width / c.width;
		const r = ebicart.stats().touch[%q];
		return {x: cr.left + (r[0] + r[2]) / 2 * k, y: cr.top + (r[1] + r[3]) / 2 * k, r: (r[2] - r[0]) / 2 * k};
	})()`, name))
	return c.X, c.Y, c.R
}

// key presses and releases a key on the page, as a player's keyboard does.
func key(t *testing.T, p *page, name string, vk int64, down, up bool) {
	t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		if typ == input.DispatchKeyEventTypeRawKeyDown && !down || typ == input.DispatchKeyEventTypeKeyUp && !up {
			continue
		}
		if _, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: name, Code: name, WindowsVirtualKeyCode: vk,
		}); err != nil {
			t.Fatalf("key %s: %v", name, err)
		}
	}
}

// TestPageStatesRewindReplay: in the page, F5 saves a state in IndexedDB,
// F8 loads it, holding Backspace rewinds, none of them reaching the
// browser (no reload, no navigation back); the session downloads as a
// replay, and a replay file opened plays on the cart.
func TestPageStatesRewindReplay(t *testing.T) {
	p := openPage(t, "?cart=carts/test/input_echo.wasm")
	p.waitCart("input_echo")
	eval[bool](p, `window.stillHere = true`)
	frames := func() int { return eval[int](p, `ebicart.stats().frames`) }
	p.waitUpdates(30)
	pressed := frames() // the state is of a frame from here to the save's end
	key(t, p, "F5", 116, true, true)
	p.wait(`(async () => { const r = indexedDB.open('ebicart', 1); r.onupgradeneeded = () => r.result.createObjectStore('states'); await new Promise(ok => r.onsuccess = ok); return await new Promise(ok => { const q = r.result.transaction('states').objectStore('states').count(); q.onsuccess = () => ok(q.result > 0); }); })()`, 20*time.Second)
	saved := frames()
	p.waitUpdates(60)
	key(t, p, "F8", 119, true, true)
	p.wait(fmt.Sprintf(`ebicart.stats().frames < %d`, saved+30), 20*time.Second)
	if f := frames(); f < pressed || f > saved+30 {
		t.Fatalf("after F8 the cart is at frame %d, saved between frames %d and %d", f, pressed, saved)
	}
	p.waitUpdates(60)
	before := frames()
	key(t, p, "Backspace", 8, true, false)
	p.wait(fmt.Sprintf(`ebicart.stats().frames < %d`, before-20), 20*time.Second)
	key(t, p, "Backspace", 8, false, true)
	p.wait(fmt.Sprintf(`ebicart.stats().frames > %d`, before), 20*time.Second) // plays on
	if !eval[bool](p, `window.stillHere === true && location.search.includes('input_echo')`) {
		t.Fatal("the page reloaded or navigated: a player's key reached the browser")
	}
	if rec := eval[string](p, `ebicart.recording() || ''`); !strings.HasPrefix(rec, "ebicart replay 1\ncart sha256:") {
		t.Fatalf("the recording: %q", rec)
	}
	// A replay file through Open…: the cart starts over with its input.
	file := filepath.Join(t.TempDir(), "buttons.replay.txt")
	os.WriteFile(file, []byte("ebicart replay 1\n# A and B from the start, for a long while\n0 pad1=30\n100000 pad1=30\n"), 0o644)
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.CSS("#picker"), []string{file})); err != nil {
		t.Fatal(err)
	}
	p.wait(`ebicart.stats().frames < 20`, 20*time.Second)
	p.waitUpdates(5)
	x, y := frameAt(32, 1, 0, 0)
	if got := rgbaAt(p.screenshot(), x, y); got.R != 0x30 {
		t.Fatalf("buttons under the replay: %02x, want 30", got.R)
	}
	// The next visit: F8 loads the state the last one kept. The cart goes
	// on from it, and the session has no recording to give (it would
	// replay from frame 0 to other frames): the strip says why.
	if _, err := chromedp.Run(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	p.waitCart("input_echo")
	p.waitUpdates(5)
	key(t, p, "F8", 119, true, true)
	p.wait(fmt.Sprintf(`ebicart.stats().frames >= %d`, pressed), 20*time.Second)
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS("#record"))); err != nil {
		t.Fatal(err)
	}
	p.wait(`document.getElementById('status').textContent.startsWith('no recording: a state this session did not save was loaded')`, 10*time.Second)
}

// TestPageURLParams: the page's URL parameters are the run flags of the
// command line, of the same names: a palette, a CPU limit, a replay to
// play; a parameter the page cannot take is an error on the game's
// screen (a settings error: game.SettingsError), which names the cart the
// URL asks for.
func TestPageURLParams(t *testing.T) {
	site(t)
	os.WriteFile(filepath.Join(siteDir, "carts", "test", "ab.replay.txt"), []byte("ebicart replay 1\n0 pad1=30\n100000 pad1=30\n"), 0o644)
	t.Run("palette", func(t *testing.T) {
		p := openPage(t, "?cart=carts/test/w4_io.wasm&palette=ff0000,00ff00,0000ff,ffffff")
		p.waitCart("w4_io")
		x, y := frameAt(160, 160, 80, 80)
		if got := rgbaAt(p.screenshot(), x, y); got != (color.RGBA{255, 0, 0, 255}) {
			t.Fatalf("the background is %v, want the palette's first colour, red", got)
		}
	})
	t.Run("cpu-limit", func(t *testing.T) {
		p := openPage(t, "?cart=carts/test/update_loop.wasm&cpu-limit=300ms&start-limit=20s")
		p.wait(`!!(window.ebicart && ebicart.stats && ebicart.stats() && ebicart.stats().asking)`, 60*time.Second)
		key(t, p, "Escape", 27, true, true)
		p.wait(`!!document.body.dataset.error`, 10*time.Second)
		if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "update did not return within 300ms (cpu-limit") {
			t.Fatalf("the error is %q, want the deadline of cpu-limit=300ms", text)
		}
	})
	// The first cart's worker boots it before the host asks (Server.Prepare):
	// its start, stuck there, is held to start-limit, not to the compile's
	// limit (20 s), and named.
	t.Run("start-limit", func(t *testing.T) {
		began := time.Now()
		p := openPage(t, "?cart=carts/test/start_loop.wasm&start-limit=2s")
		p.wait(`!!document.body.dataset.error`, 60*time.Second)
		if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "start did not return within 2s (start-limit") {
			t.Fatalf("the error is %q, want the deadline of start-limit=2s", text)
		}
		if took := time.Since(began); took > 15*time.Second {
			t.Errorf("the stuck start was said after %v: want start-limit=2s, not the compile's 20 s", took)
		}
	})
	t.Run("replay", func(t *testing.T) {
		p := openPage(t, "?cart=carts/test/input_echo.wasm&replay=carts/test/ab.replay.txt")
		p.waitCart("input_echo")
		x, y := frameAt(32, 1, 0, 0)
		if got := rgbaAt(p.screenshot(), x, y); got.R != 0x30 {
			t.Fatalf("buttons under the replay: %02x, want 30", got.R)
		}
	})
	// The error names the cart the URL asks for, the default one without.
	for _, tc := range []struct{ query, want, cart string }{
		{"?cpu-limit=x", `URL parameter cpu-limit=x: want a duration`, "demo"},
		{"?cart=carts/test/w4_io.wasm&palette=bogus", `URL parameter palette: "bogus"`, "w4_io"},
		{"?headless&cart=carts/test/w4_io.wasm", "URL parameter headless: not in the browser", "w4_io"},
		{"?cart=carts/seed.wasm&replay=nope.txt", "replay=nope.txt: cannot fetch replay nope.txt: HTTP 404", "seed"},
		{"?cart=carts/seed.wasm&load-state=nope.state", "load-state=nope.state: cannot fetch state nope.state: HTTP 404", "seed"},
		// The page's script reads the first of a parameter given twice:
		// the host refuses the URL rather than read another one.
		{"?cart=carts/seed.wasm&cart=http://%5B", "URL parameter cart: given 2 times: give it once", "seed"},
		{"?cart=https://", `URL parameter cart: "https://" is not a URL: give the address of a .wasm file`, "cart"},
		// So are replay= and load-state=: a setting to fix, not a
		// download to retry (it was "the cart stopped", R: restart).
		{"?cart=carts/seed.wasm&replay=http://%5B::1", `URL parameter replay: "http://[::1" is not a URL: give the address of a replay file`, "seed"},
		{"?cart=carts/seed.wasm&load-state=http://%5B", `URL parameter load-state: "http://[" is not a URL: give the address of a save state`, "seed"},
		// A data: URL's path is its bytes: not a name.
		{"?cart=data:application/wasm;base64,AAAA", "not a WebAssembly module", "cart"},
		{"?cart=javascript:alert(1)", "(the page reads files at http: and https: addresses, not javascript:)", "alert(1)"},
		// A name is shown as written, not as the URL escapes it.
		{"?cart=carts/my%2520game%25E3%2583%2580.wasm", "HTTP 404", "my gameダ"},
		// A blob: address is of the page that made it: "Failed to fetch"
		// said nothing of that.
		{"?cart=blob:" + "https://example.com/0f6c7a2e-5b1d-4c1e-9a51-7d2b8e1f3c4a", "(a blob: address lives only in the page that made it, while it is open: save the file and open it with Open…, or drop it on this page)", "cart"},
		// An address the server answers with a web page (a directory's
		// listing, a site's fallback page): said as such, not as a file
		// that does not start with \0asm.
		{"?cart=carts/", "cannot fetch cart carts/: the server sent a web page (HTML), not the file: is the address right?", "carts"},
		// Another site that does not answer: the browser says "Failed to
		// fetch" as for one that does not allow the page to read it, and
		// the hint was only of the latter.
		{"?cart=http://127.0.0.1:1/x.wasm", "(another site's file is read only where that site answers and allows it, Access-Control-Allow-Origin: is the address right?)", "x"},
		// A cart named as the replay: what it is, not its bytes escaped.
		{"?cart=carts/seed.wasm&replay=carts/seed.wasm", "replay=carts/seed.wasm: replay: a WebAssembly module (a cart), not a replay file: give it as the cart", "seed"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			p := openPage(t, tc.query)
			p.wait(`!!document.body.dataset.error`, 60*time.Second)
			if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, tc.want) {
				t.Fatalf("the error is %q, want %q", text, tc.want)
			}
			if name := eval[string](p, `document.body.dataset.errorCart`); name != tc.cart {
				t.Fatalf("the error names cart %q, want %q", name, tc.cart)
			}
			// The strip and the title name the cart that failed too: a
			// first cart that did not load left them empty.
			if name, title := eval[string](p, `document.getElementById('cartname').textContent`), eval[string](p, `document.title`); name != tc.cart || title != tc.cart+" - ebicart" {
				t.Fatalf("the strip names %q and the title is %q, want %q", name, title, tc.cart)
			}
		})
	}
}

// TestPageCaptures: in the page, F12 downloads the frame as PNGs (native
// and 4x) and F9 records a WebM video, both encoded by the browser.
func TestPageCaptures(t *testing.T) {
	c := testcarts.Carts[5] // INDEXED8, opaque
	p := openPage(t, "?cart=carts/"+c.Name+".wasm")
	p.waitCart(c.Name)
	eval[bool](p, `(() => { window.blobs = []; const orig = URL.createObjectURL.bind(URL);
		URL.createObjectURL = (b) => { window.blobs.push(b); return orig(b); }; return true; })()`)
	key(t, p, "F12", 123, true, true)
	p.wait(`window.blobs.filter((b) => b.type === 'image/png').length === 2`, 20*time.Second)
	shots := evalAwait[[]string](p, `Promise.all(window.blobs.map(async (b) => {
		const u8 = new Uint8Array(await b.arrayBuffer()); let s = '';
		for (const x of u8) s += String.fromCharCode(x);
		return btoa(s);
	}))`)
	// The browser encodes the two at once: they come in either order.
	var imgs []image.Image
	for i, shot := range shots {
		b, err := base64.StdEncoding.DecodeString(shot)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("screenshot %d: %v", i, err)
		}
		imgs = append(imgs, img)
	}
	slices.SortFunc(imgs, func(a, b image.Image) int { return a.Bounds().Dx() - b.Bounds().Dx() })
	for i, k := range []int{1, 4} {
		img := imgs[i]
		if img.Bounds().Dx() != testcarts.Width*k || img.Bounds().Dy() != testcarts.Height*k {
			t.Fatalf("screenshot %d is %v, want x%d", i, img.Bounds(), k)
		}
		for _, xy := range [][2]int{{0, 0}, {60, 36}, {17, 9}} {
			got := color.RGBAModel.Convert(img.At(xy[0]*k, xy[1]*k)).(color.RGBA)
			if want := testcarts.Pixel(c.Format, xy[0], xy[1]); got != want {
				t.Fatalf("screenshot %d pixel %v = %v, want %v", i, xy, got, want)
			}
		}
	}
	key(t, p, "F9", 120, true, true)
	p.waitUpdates(30)
	key(t, p, "F9", 120, true, true)
	p.wait(`window.blobs.some((b) => b.type === 'video/webm' && b.size > 0)`, 20*time.Second)
}

// gamepadScript, run in the page before its own scripts, gives the page a
// gamepad of the standard layout through the Gamepad API
// (navigator.getGamepads, which Ebitengine polls), window.fakePad, whose
// buttons a test presses. Chromium has no gamepad to emulate.
const gamepadScript = `(() => {
  window.fakePad = {index: 0, id: 'ebicart test pad', mapping: 'standard', connected: true, timestamp: 0,
    axes: [0, 0, 0, 0], buttons: Array.from({length: 17}, () => ({pressed: false, touched: false, value: 0}))};
  Object.defineProperty(Navigator.prototype, 'getGamepads', {value: function () { return [window.fakePad, null, null, null]; }});
})()`

// TestPageGamepad: a gamepad's buttons reach an ABI v1 cart through the
// Gamepad API: the standard layout's bottom face button is A (the input
// echo cart's pixel 0, its buttons byte, shows 0x10), the d-pad's left is
// left (0x01).
func TestPageGamepad(t *testing.T) {
	p := openPage(t, "?cart=carts/test/input_echo.wasm")
	p.reloadWith(gamepadScript)
	p.waitCart("input_echo")
	for _, tc := range []struct {
		button int
		want   uint8
	}{{0, 0x10}, {14, 0x01}} {
		eval[bool](p, fmt.Sprintf(`(fakePad.buttons[%d] = {pressed: true, touched: true, value: 1}, true)`, tc.button))
		deadline := time.Now().Add(10 * time.Second)
		for {
			p.waitDrawn()
			x, y := p.framePixel(32, 1, 0, 0)
			got := rgbaAt(p.screenshot(), int(x), int(y))
			if got == (color.RGBA{tc.want, tc.want, tc.want, 255}) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("gamepad button %d held: frame pixel 0 = %v, want %#x", tc.button, got, tc.want)
			}
		}
		eval[bool](p, fmt.Sprintf(`(fakePad.buttons[%d] = {pressed: false, touched: false, value: 0}, true)`, tc.button))
	}
}

// TestSpareWorkerAfterFirstFrames: the page starts the cart's Web Worker,
// and the spare one for the next cart (a reload, a drop) only once the cart
// has run a while: compiling the core a second time beside the first
// frames would hold them back.
func TestSpareWorkerAfterFirstFrames(t *testing.T) {
	p := openPage(t, "?cart=carts/seed.wasm")
	const count = `(() => {
		const W = window.Worker, made = window.workersMade = [];
		window.Worker = class extends W { constructor(...a) { super(...a); made.push(performance.now()); } };
	})()`
	p.reloadWith(count)
	p.waitCart("seed")
	first := eval[float64](p, `ebicart.stats().firstFrame`)
	p.wait(`workersMade.length >= 2`, 30*time.Second) // the spare, in time
	made := eval[[]float64](p, `workersMade`)
	if made[1] <= first {
		t.Fatalf("the spare worker was made at %.0f ms, before the cart's first frame at %.0f ms", made[1], first)
	}
}

// TestCartFromAnotherSite: a cart on another origin plays where that site
// allows it (CORS), and where it does not, the error says that is why
// (the browser's own message is only "Failed to fetch"). Either way, and
// when the site answers 404, the cart is requested once: the page does
// not fetch again what its worker could not.
func TestCartFromAnotherSite(t *testing.T) {
	seed, err := os.ReadFile(testcarts.SeedPath())
	if err != nil {
		t.Fatal(err)
	}
	serve := func(cors bool, status int) (string, *atomic.Int32) {
		var requests atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			if cors {
				w.Header().Set("Access-Control-Allow-Origin", "*")
			}
			w.Header().Set("Content-Type", "application/wasm")
			w.WriteHeader(status)
			if status == http.StatusOK {
				w.Write(seed)
			}
		}))
		t.Cleanup(srv.Close)
		// Another origin than the site's 127.0.0.1: the same server by
		// another name.
		return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), &requests
	}
	for _, tc := range []struct {
		name      string
		cors      bool
		status    int
		wantError string // "": the cart plays
	}{
		{"allowed", true, http.StatusOK, ""},
		{"not allowed", false, http.StatusOK, "Access-Control-Allow-Origin"},
		{"not there", true, http.StatusNotFound, "cannot fetch cart"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, requests := serve(tc.cors, tc.status)
			p := openPage(t, "?cart="+url+"/seed.wasm")
			if tc.wantError == "" {
				p.waitCart("seed")
			} else {
				p.wait(`!!document.body.dataset.error`, 60*time.Second)
				if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, tc.wantError) || tc.status != http.StatusOK && !strings.Contains(text, fmt.Sprintf("HTTP %d", tc.status)) {
					t.Fatalf("the error is %q, want %q and the status", text, tc.wantError)
				}
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("the cart was requested %d times, want once", n)
			}
		})
	}
}

// TestWebWorkerRefused: a page may not start the Web Worker carts run in
// (a Content-Security-Policy, a sandboxed frame): the page says so, on the
// error screen, and the host does not crash, whether new Worker throws or
// the browser refuses the worker's script after. Where the cart's own
// download fails too (its site does not allow it): its error, once, and
// no unhandled rejection. A policy that allows the site's own workers and
// no others (worker-src 'self', which refuses blob: workers) plays carts,
// the first and the next, each in a worker of its own.
func TestWebWorkerRefused(t *testing.T) {
	const refuse = `window.Worker = class { constructor() { throw new DOMException('workers are off here', 'SecurityError'); } }`
	t.Run("no worker", func(t *testing.T) {
		p := openPage(t, "?cart=carts/seed.wasm")
		p.waitCart("seed")
		p.reloadWith(refuse)
		p.wait(`!!document.body.dataset.error`, 60*time.Second)
		if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "Web Worker") || !strings.Contains(text, "Content-Security-Policy") {
			t.Errorf("the error is %q, want it to say the page may not start a Web Worker, and why", text)
		}
	})
	t.Run("no worker, no cart", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("not for other sites")) // no Access-Control-Allow-Origin
		}))
		defer srv.Close()
		p := openPage(t, "")
		p.waitCart("demo")
		p.reloadWith(refuse)
		if _, err := chromedp.Run(p.ctx, chromedp.Navigate(site(t)+"/?cart="+strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)+"/x.wasm")); err != nil {
			t.Fatal(err)
		}
		p.wait(`!!document.body.dataset.error`, 60*time.Second)
		if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "cannot fetch cart") {
			t.Errorf("the error is %q, want the cart's download's", text)
		}
	})
	withPolicy := func(policy string) string {
		site(t)
		h := web.Handler(siteDir)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", policy)
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	t.Run("worker-src none", func(t *testing.T) {
		// The browser refuses the worker's script after new Worker
		// returned (an error event): the boot fails then, not at the
		// handshake's limit of a minute.
		p := openPageAt(t, withPolicy("worker-src 'none'"), "?cart=carts/seed.wasm", desktop)
		p.wait(`!!document.body.dataset.error`, 30*time.Second)
		if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "Web Worker") || !strings.Contains(text, "Content-Security-Policy") {
			t.Errorf("the error is %q, want it to say the Web Worker did not run, and why", text)
		}
	})
	t.Run("worker-src self", func(t *testing.T) {
		p := openPageAt(t, withPolicy("worker-src 'self'"), "?cart=carts/seed.wasm", desktop)
		p.waitCart("seed")
		evalAwait[bool](p, `(async () => { ebicart.load(new Uint8Array(await (await fetch('carts/idx160.wasm')).arrayBuffer()), 'next.wasm'); return true; })()`)
		p.waitCart("next")
		if n := eval[int](p, `ebicart.stats().updates`); n < 5 {
			t.Errorf("the next cart ran %d updates", n)
		}
	})
}

// goTimers, run before a page's own scripts, keeps the timers that
// wasm_exec.js arms for the Go program (its goroutines' sleeps and
// limits) until they fire or are cleared: goTimersPending() counts those
// still armed.
const goTimers = `(() => {
  const armed = new Set(), set = window.setTimeout, clear = window.clearTimeout;
  window.setTimeout = function (f, ms, ...args) {
    const ours = /wasm_exec\.js/.test(new Error().stack || '');
    const id = set.call(window, function (...a) { armed.delete(id); return f.apply(this, a); }, ms, ...args);
    if (ours) armed.add(id);
    return id;
  };
  window.clearTimeout = function (id) { armed.delete(id); return clear.call(window, id); };
  window.goTimersPending = () => armed.size;
})();`

// workersLeft, run before a page's own scripts, counts the Web Workers
// the page starts that were not terminated: workersLeft().
const workersLeft = `(() => {
  const made = [], Base = window.Worker;
  window.Worker = function (...args) {
    const w = new Base(...args), end = w.terminate.bind(w);
    w.terminate = () => { w.ended = true; end(); };
    made.push(w);
    return w;
  };
  window.Worker.prototype = Base.prototype;
  window.workersLeft = () => made.filter((w) => !w.ended).length;
})();`

// TestPageSurvivesBadInput: what a page's own script or a browser's
// settings can do to the host does not stop it: site storage that throws
// on access, and window.ebicart's functions called with what they do not
// take (an ArrayBuffer, null, no size), which return why instead. The
// host then still runs the next cart.
func TestPageSurvivesBadInput(t *testing.T) {
	t.Run("storage blocked", func(t *testing.T) {
		p := openPage(t, "?cart=carts/seed.wasm")
		p.waitCart("seed")
		p.reloadWith(`Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('site data is blocked', 'SecurityError'); }})`)
		p.waitCart("seed")
		if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS("#mute"))); err != nil {
			t.Fatal(err)
		}
		p.wait(`document.getElementById('mute').textContent === 'Sound off'`, 10*time.Second)
	})
	t.Run("cart over max-cart-size", func(t *testing.T) {
		// The first cart's worker honours the page's max-cart-size=: it
		// downloaded up to 64 MiB whatever the page said, then left the
		// cart to the page, which fetched it again. A cart sent without a
		// Content-Length that never ends is stopped at the limit; one that
		// says its size is refused before its body, in the host's words.
		site(t)
		h := web.Handler(siteDir)
		for _, tc := range []struct{ name, path, want string }{
			{"endless", "/endless.wasm", "cart: endless.wasm is more than the limit of 1.0 MiB (max-cart-size): its download was stopped there"},
			{"sized", "/sized.wasm", "cart: sized.wasm is 2.0 MiB, more than the limit of 1.0 MiB (max-cart-size)"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var sent, requests atomic.Int64
				done := make(chan struct{}, 2)
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path != tc.path {
						h.ServeHTTP(w, r)
						return
					}
					requests.Add(1)
					defer func() { done <- struct{}{} }()
					w.Header().Set("Content-Type", "application/wasm")
					if tc.path == "/sized.wasm" {
						w.Header().Set("Content-Length", strconv.Itoa(2<<20))
					}
					chunk := make([]byte, 64<<10)
					for sent.Load() < 1<<30 && (tc.path != "/sized.wasm" || sent.Load() < 2<<20) {
						if _, err := w.Write(chunk); err != nil {
							return // the page stopped reading
						}
						sent.Add(int64(len(chunk)))
					}
				}))
				defer srv.Close()
				p := openPageAt(t, srv.URL, "?cart="+tc.path[1:]+"&max-cart-size=1MiB", desktop)
				p.wait(`!!document.body.dataset.error`, 60*time.Second)
				if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, tc.want) {
					t.Fatalf("the error is %q, want %q", text, tc.want)
				}
				select {
				case <-done:
				case <-time.After(60 * time.Second):
					t.Fatalf("the download of the cart did not stop (%d bytes sent)", sent.Load())
				}
				if n := requests.Load(); n != 1 {
					t.Errorf("the cart was asked for %d times, want once: the worker's refusal is the page's", n)
				}
				if n := sent.Load(); n > 8<<20 {
					t.Errorf("the server sent %d bytes of a cart over 1 MiB before the page stopped reading", n)
				}
			})
		}
	})
	t.Run("gamepads forbidden", func(t *testing.T) {
		// A host that may not use gamepads (its Permissions-Policy, an
		// iframe's allow): navigator.getGamepads() throws, and thrown into
		// Ebitengine's frame it ended the Go program before the first
		// frame.
		site(t)
		h := web.Handler(siteDir)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Permissions-Policy", "gamepad=()")
			h.ServeHTTP(w, r)
		}))
		defer srv.Close()
		p := openPageAt(t, srv.URL, "?cart=carts/seed.wasm", desktop)
		if !eval[bool](p, `(() => { try { Navigator.prototype.getGamepads.call(navigator); return false; } catch (e) { return e.name === 'SecurityError'; } })()`) {
			t.Fatal("the browser lets the page use gamepads: the test proves nothing")
		}
		p.waitCart("seed")
		p.wait(`ebicart.stats().frames > 60 && !document.body.dataset.error`, 30*time.Second)
	})
	t.Run("storage full", func(t *testing.T) {
		// A full quota aborts the IndexedDB transaction after its put
		// succeeded, with no error event: F5 waited for it for ever, and
		// the game with it.
		p := openPage(t, "?cart=carts/test/input_echo.wasm")
		p.waitCart("input_echo")
		quota := float64(1000)
		if _, err := chromedp.Call(p.ctx, storage.OverrideQuotaForOrigin, storage.OverrideQuotaForOriginParams{Origin: site(t), QuotaSize: &quota}); err != nil {
			t.Fatal(err)
		}
		p.waitUpdates(5)
		key(t, p, "F5", 116, true, true)
		p.wait(`ebicart.stats().notice.startsWith('state not saved: ')`, 20*time.Second)
		p.waitUpdates(30) // and the game plays on
	})
	t.Run("worker of another build", func(t *testing.T) {
		// The site deployed again while the page was open, and its
		// worker fetched from the new build: the handshake says so, in a
		// player's words.
		site(t)
		h := web.Handler(siteDir)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/cartworker.js" {
				h.ServeHTTP(w, r)
				return
			}
			serveRewritten(w, r, h, func(b []byte) []byte {
				return regexp.MustCompile(`self\.ebicartVersion = '[0-9a-f]+';`).ReplaceAll(b, []byte("self.ebicartVersion = 'another';"))
			})
		}))
		t.Cleanup(srv.Close)
		p := openPageAt(t, srv.URL, "?cart=carts/seed.wasm", desktop)
		p.wait(`!!document.body.dataset.error`, 20*time.Second) // not the 60 s of a worker that never answers
		if e := eval[string](p, `document.body.dataset.error`); !strings.Contains(e, `of build "web another", this host `) || !strings.Contains(e, "the site was updated since this page was opened: reload the page") {
			t.Fatalf("the error is %q", e)
		}
	})
	t.Run("no WebGL", func(t *testing.T) {
		// Where WebGL is turned off, a canvas gives no context: the host
		// cannot draw and ends, and the page says why, not "reload".
		p := openPage(t, "?cart=carts/seed.wasm")
		p.waitCart("seed")
		p.reloadWith(`HTMLCanvasElement.prototype.getContext = function() { return null; };
` + goTimers + workersLeft)
		p.wait(`document.body.dataset.stopped === '1'`, 60*time.Second)
		// The timers the Go program had armed when it ended are cleared
		// with it: one left would fire into a program that is gone.
		if n := eval[int](p, `goTimersPending()`); n != 0 {
			t.Errorf("%d timers of the ended host are still armed", n)
		}
		// And its cart workers end with it: the one the page started for
		// it, and any it started.
		if n := eval[int](p, `workersLeft()`); n != 0 {
			t.Errorf("%d workers of the ended host still run", n)
		}
		if text := eval[string](p, `document.body.innerText`); !strings.Contains(text, "no WebGL here (see the browser's settings): ebicart needs it to draw") {
			t.Fatalf("the page says %q", text)
		}
		// Once the host has ended, the page calls into it no more:
		// Ebitengine's listeners stay on the page, and would throw "Go
		// program has already exited" (player.js: quietExit).
		eval[bool](p, `(() => {
  window.dispatchEvent(new Event('resize'));
  for (const el of [window, document, document.querySelector('canvas')].filter(Boolean)) {
    el.dispatchEvent(new KeyboardEvent('keydown', {key: 'a', code: 'KeyA', bubbles: true}));
    el.dispatchEvent(new MouseEvent('mousemove', {bubbles: true}));
  }
  console.log('ebicart test: events sent after the end');
  return true;
})()`)
		p.waitConsole(10*time.Second, "the page's mark after the events is not on its console", "ebicart test: events sent after the end")
		// The strip's controls ask a host that is gone: the Recording
		// button said "no recording: no cart is playing" over why the
		// page stopped, and the strip went blank 10 s on; a file dropped
		// did nothing.
		stopped := eval[string](p, `document.getElementById('status').textContent`)
		if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS("#record"))); err != nil {
			t.Fatal(err)
		}
		evalAwait[bool](p, `(async () => {
  const dt = new DataTransfer();
  dt.items.add(new File([await (await fetch('carts/seed.wasm')).arrayBuffer()], 'seed.wasm'));
  window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, cancelable: true}));
  `+awaitFrames(2)+`
  return true;
})()`)
		if now := eval[string](p, `document.getElementById('status').textContent`); now != stopped {
			t.Errorf("after a click on Recording and a drop the strip says %q, want still %q", now, stopped)
		}
		if !eval[bool](p, `document.getElementById('record').disabled && document.getElementById('picker').disabled`) {
			t.Error("the strip's Recording and Open… are still enabled after the host ended")
		}
		// The page says "reload the page": F5 does, no longer the
		// game's key to save a state.
		if !eval[bool](p, `window.dispatchEvent(new KeyboardEvent('keydown', {key: 'F5', code: 'F5', cancelable: true, bubbles: true}))`) {
			t.Error("F5 does not reload the page that says to reload it: its keydown is prevented")
		}
	})
	t.Run("hooks", func(t *testing.T) {
		p := openPage(t, "?cart=carts/seed.wasm")
		p.waitCart("seed")
		for _, tc := range []struct{ call, want string }{
			{`ebicart.load(null)`, "bytes must be a Uint8Array or an ArrayBuffer"},
			{`ebicart.load()`, "no bytes"},
			// Neither has the length of an array: reading it threw
			// inside the Go program, which ended it and the page.
			{`ebicart.load(Object.create(Uint8Array.prototype))`, "bytes must be a Uint8Array or an ArrayBuffer"},
			{`ebicart.load(new Proxy(new Uint8Array(4), {}))`, "bytes must be a Uint8Array or an ArrayBuffer"},
			{`ebicart.replay(5)`, "text must be a string"},
			{`String(ebicart.cartSizeError('x'))`, "null"},
			{`String(ebicart.cartSizeError('x.wasm', 100))`, "null"},
			{`String(ebicart.cartSizeError('x.wasm', NaN))`, "null"},
			{`ebicart.cartSizeError('x.wasm', 1e20)`, "cart: x.wasm is 4.0 EiB, more than the limit of 64.0 MiB (max-cart-size): not read"},
		} {
			if got := eval[string](p, tc.call); !strings.Contains(got, tc.want) {
				t.Errorf("%s = %q, want %q", tc.call, got, tc.want)
			}
		}
		// Bytes over max-cart-size are refused before they are copied
		// into the host: a 1.5 GiB array grew its memory (which never
		// shrinks) by as much, and only then failed to load.
		grew := eval[float64](p, `(() => {
  const before = ebicartGoExports.mem.buffer.byteLength;
  window.loadTooBig = ebicart.load(new Uint8Array(200 << 20), 'huge.wasm');
  return ebicartGoExports.mem.buffer.byteLength - before;
})()`)
		if want := "cart: huge.wasm is 200.0 MiB, more than the limit of 64.0 MiB (max-cart-size): not read"; eval[string](p, `String(window.loadTooBig)`) != want {
			t.Errorf("load of 200 MiB = %q, want %q", eval[string](p, `String(window.loadTooBig)`), want)
		}
		if grew >= 64<<20 {
			t.Errorf("the host's memory grew by %.0f MiB for bytes it refused", grew/(1<<20))
		}
		// An ArrayBuffer is bytes too.
		evalAwait[bool](p, `(async () => { ebicart.load(await (await fetch('carts/idx160.wasm')).arrayBuffer(), 'buffer.wasm'); return true; })()`)
		p.waitCart("buffer")
	})
}

// TestLastDropWins: of two files dropped one after the other, the second
// runs, however long the first takes to read: a 50 MB cart dropped before
// a small one replaced it once its read ended, and an invalid one said it
// did not load after the small one had started.
func TestLastDropWins(t *testing.T) {
	p := openPage(t, "?cart=carts/seed.wasm")
	p.waitCart("seed")
	loads := evalAwait[[]string](p, `(async () => {
  window.loads = [];
  const load = ebicart.load;
  ebicart.load = (bytes, name) => { window.loads.push(name); return load(bytes, name); };
  const seed = new Uint8Array(await (await fetch('carts/seed.wasm')).arrayBuffer());
  const small = new Uint8Array(await (await fetch('carts/rgba.wasm')).arrayBuffer());
  // The seed cart with a custom section of 50 MiB after it.
  const pad = 50 << 20, head = [0, 0x80 | ((pad + 4) & 0x7f), 0x80 | (((pad + 4) >> 7) & 0x7f), 0x80 | (((pad + 4) >> 14) & 0x7f), ((pad + 4) >> 21) & 0x7f, 3, 0x70, 0x61, 0x64];
  const big = new Uint8Array(seed.length + head.length + pad);
  big.set(seed);
  big.set(head, seed.length);
  const drop = (file) => {
    const dt = new DataTransfer();
    dt.items.add(file);
    window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, cancelable: true}));
  };
  const bigFile = new File([big], 'bigseed.wasm');
  drop(bigFile);
  drop(new File([small], 'rgba.wasm'));
  await bigFile.arrayBuffer(); // read after the page's read of the same file began: it has ended
  await new Promise((r) => setTimeout(r, 0));
  return window.loads;
})()`)
	if len(loads) != 1 || loads[0] != "rgba.wasm" {
		t.Fatalf("the page loaded %q, want only the file dropped last, rgba.wasm", loads)
	}
	p.waitCart("rgba")
}

// TestStalledDownload: a server that stops sending (before it answers, or
// halfway through a body) is given up after 20 s of silence, with an
// error that says so: the page showed "loading stall... 250.0s" for as
// long as the tab was open. One that is slow but goes on is not.
func TestStalledDownload(t *testing.T) {
	site(t)
	h := web.Handler(siteDir)
	seed, err := os.ReadFile(filepath.Join(siteDir, "carts", "seed.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	// A site of its own for each case: the service worker a cart that
	// plays registers answers every tab of its origin. stops are the
	// downloads of a stalled file the page stopped, by its path.
	// workerFails: the first cart's worker does not load (its script's
	// first request fails), and the page fetches the cart itself.
	newSite := func(stops map[string]chan struct{}, workerFails bool) *httptest.Server {
		var workers atomic.Int32
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/cartworker.js" && workers.Add(1) == 1 && workerFails {
				http.Error(w, "down for a moment", http.StatusServiceUnavailable)
				return
			}
			switch r.URL.Path {
			case "/stall.wasm", "/stall.replay.txt":
				<-r.Context().Done()
				select {
				case stops[r.URL.Path] <- struct{}{}:
				default: // counted enough
				}
			case "/half.wasm":
				w.Header().Set("Content-Type", "application/wasm")
				w.Write(seed[:len(seed)/2])
				w.(http.Flusher).Flush()
				<-r.Context().Done()
				select {
				case stops[r.URL.Path] <- struct{}{}:
				default: // counted enough
				}
			case "/slow.wasm": // 12 pieces 2.5 s apart: 27 s in all
				w.Header().Set("Content-Type", "application/wasm")
				n := len(seed)/12 + 1
				for i := 0; i < len(seed); i += n {
					if i > 0 {
						select {
						case <-time.After(2500 * time.Millisecond): // the server's pace
						case <-r.Context().Done():
							return
						}
					}
					w.Write(seed[i:min(i+n, len(seed))])
					w.(http.Flusher).Flush()
				}
			default:
				h.ServeHTTP(w, r)
			}
		}))
	}
	for _, tc := range []struct {
		name, query, want, path string
		visited                 bool // the site's service worker answers (sw.js)
		workerFails             bool
	}{
		{"cart never answers", "?cart=stall.wasm", "cannot fetch cart stall.wasm: the server sent nothing for 20 s", "/stall.wasm", false, false},
		{"cart never answers the page", "?cart=stall.wasm", "cannot fetch cart stall.wasm: the server sent nothing for 20 s", "/stall.wasm", false, true},
		{"cart stops halfway", "?cart=half.wasm", "cannot fetch cart half.wasm: the server sent nothing for 20 s", "/half.wasm", false, false},
		{"cart stops halfway for the page", "?cart=half.wasm", "cannot fetch cart half.wasm: the server sent nothing for 20 s", "/half.wasm", false, true},
		{"cart stops halfway, second visit", "?cart=half.wasm", "cannot fetch cart half.wasm: the server sent nothing for 20 s", "/half.wasm", true, false},
		{"replay never answers", "?cart=carts/seed.wasm&replay=stall.replay.txt", "cannot fetch replay stall.replay.txt: the server sent nothing for 20 s", "/stall.replay.txt", false, false},
		{"slow cart", "?cart=slow.wasm", "", "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stops := map[string]chan struct{}{"/stall.wasm": make(chan struct{}, 4), "/stall.replay.txt": make(chan struct{}, 4), "/half.wasm": make(chan struct{}, 4)}
			srv := newSite(stops, tc.workerFails)
			t.Cleanup(srv.Close)
			var p *page
			if tc.visited {
				p = openPageAt(t, srv.URL, "?cart=carts/seed.wasm", desktop)
				p.wait(`document.documentElement.dataset.offline === 'ready'`, 60*time.Second)
				if err := chromedp.Do(p.ctx, chromedp.Navigate(srv.URL+"/"+tc.query)); err != nil {
					t.Fatal(err)
				}
			} else {
				p = openPageAt(t, srv.URL, tc.query, desktop)
			}
			if tc.want == "" {
				p.waitCart("slow")
				return
			}
			p.wait(`!!document.body.dataset.error`, 50*time.Second)
			if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, tc.want) {
				t.Fatalf("the error is %q, want %q", text, tc.want)
			}
			select { // the tab is still open: its download was stopped
			case <-stops[tc.path]:
			case <-time.After(10 * time.Second):
				t.Errorf("the page said the server stalled but did not stop its download of %s", tc.path)
			}
		})
	}
}

// TestPageSaysWhyFileNotOpened: what the player drops or opens that the
// page cannot play is said in the strip, with what to do: a link dropped
// (not a file) did nothing at all, and a replay of another cart named
// its hash but not what to do about it.
func TestPageSaysWhyFileNotOpened(t *testing.T) {
	const status = `document.getElementById('status').textContent`
	// The seed cart's recording, a replay of it.
	p := openPage(t, "?cart=carts/seed.wasm")
	p.waitCart("seed")
	seedReplay := eval[string](p, `ebicart.recording()`)
	for _, tc := range []struct{ name, query, drop, want string }{
		{"a link", "?cart=carts/seed.wasm", `dt.setData('text/uri-list', location.origin + '/carts/rgba.wasm');`,
			"nothing to open: drop a .wasm cart or a replay file (a link or text is not a file)"},
		{"another cart's replay", "?cart=carts/rgba.wasm", `dt.items.add(new File([` + strconv.Quote(seedReplay) + `], 'seed.replay.txt'));`,
			"seed.replay.txt: the replay is for cart sha256:"},
		// A text file is read as a replay, whose parser says what is
		// wrong with it: run as a cart, it was "not a WebAssembly module".
		{"a replay of another version", "?cart=carts/seed.wasm", `dt.items.add(new File(["ebicart replay 2\n0 pad1=01\n"], 'v2.replay.txt'));`,
			`v2.replay.txt: replay: line 1: it is of format version 2; this ebicart reads version 1: play it with the ebicart that recorded it`},
		{"a text file", "?cart=carts/seed.wasm", `dt.items.add(new File(["hello\n"], 'notes.txt'));`,
			`notes.txt: replay: line 1: want "ebicart replay 1" first, got "hello"`},
		{"a replay with no cart", "?cart=carts/test/missing_update.wasm", `dt.items.add(new File([` + strconv.Quote(seedReplay) + `], 'seed.replay.txt'));`,
			"seed.replay.txt: no cart to play it on: open its cart, then the replay"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openPage(t, tc.query)
			p.wait(`!!document.body.dataset.error || (!!window.ebicart && !!ebicart.stats() && ebicart.stats().updates > 5)`, 60*time.Second)
			eval[bool](p, `(() => { const dt = new DataTransfer(); `+tc.drop+` window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, cancelable: true})); return true; })()`)
			p.wait(status+` !== ''`, 10*time.Second)
			if got := eval[string](p, status); !strings.Contains(got, tc.want) {
				t.Fatalf("the strip says %q, want %q", got, tc.want)
			}
		})
	}
	// What to do about another cart's replay follows its hash.
	p = openPage(t, "?cart=carts/rgba.wasm")
	p.waitCart("rgba")
	if got, want := eval[string](p, `ebicart.replay(`+strconv.Quote(seedReplay)+`)`), ", not rgba: open that cart, then the replay"; !strings.HasSuffix(got, want) {
		t.Fatalf("replay of the seed cart's recording on rgba = %q, want it to end %q", got, want)
	}
}

// TestReplayWhileFirstCartLoads: a replay opened while the page's first
// cart still downloads plays on it once it has loaded: the page said "no
// cart to play it on", of the cart on its loading screen.
func TestReplayWhileFirstCartLoads(t *testing.T) {
	site(t)
	h := web.Handler(siteDir)
	echo, err := os.ReadFile(filepath.Join(siteDir, "carts", "test", "input_echo.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/late.wasm" {
			h.ServeHTTP(w, r)
			return
		}
		select { // the cart comes once the replay has been opened
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/wasm")
		w.Write(echo)
	}))
	t.Cleanup(srv.Close)
	p := openPageAt(t, srv.URL, "?cart=late.wasm", desktop)
	p.wait(`!!window.ebicart && !!document.querySelector('canvas')`, 60*time.Second)
	eval[bool](p, `(() => {
  const dt = new DataTransfer();
  dt.items.add(new File(['ebicart replay 1\n0 pad1=30\n100000 pad1=30\n'], 'ab.replay.txt'));
  window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, cancelable: true}));
  return true;
})()`)
	close(release)
	p.waitCart("late")
	// The cart runs, then again under the replay once its restart has
	// loaded.
	x, y := frameAt(32, 1, 0, 0)
	for deadline := time.Now().Add(20 * time.Second); ; {
		p.waitDrawn()
		got := rgbaAt(p.screenshot(), x, y)
		if got.R == 0x30 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("buttons: %02x, want 30, the replay's (the strip says %q)", got.R, eval[string](p, `document.getElementById('status').title`))
		}
	}
}

// TestDroppedCartWithReplayText: a cart is a cart even where its first
// bytes hold a line that reads as a replay file's first (a cart that
// carries a replay of its own, for its attract mode): the page took it
// for a replay.
func TestDroppedCartWithReplayText(t *testing.T) {
	p := openPage(t, "?cart=carts/rgba.wasm")
	p.waitCart("rgba")
	evalAwait[bool](p, `(async () => {
  const seed = new Uint8Array(await (await fetch('carts/seed.wasm')).arrayBuffer());
  // The seed cart with a custom section "demo" right after its header.
  const text = new TextEncoder().encode('\nebicart replay 1\n0 pad1=30\n');
  const section = [0, 5 + text.length, 4, ...new TextEncoder().encode('demo'), ...text];
  const cart = new Uint8Array(seed.length + section.length);
  cart.set(seed.subarray(0, 8));
  cart.set(section, 8);
  cart.set(seed.subarray(8), 8 + section.length);
  const dt = new DataTransfer();
  dt.items.add(new File([cart], 'attract.wasm'));
  window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, cancelable: true}));
  return true;
})()`)
	p.waitCart("attract")
}

// TestEmbedExampleSaysWhyItStopped: the arcade's page says why its game
// ended, as ebicart's own page does: where the browser has no WebGL the
// game cannot draw and exits, and the page was left blank.
func TestEmbedExampleSaysWhyItStopped(t *testing.T) {
	p := openPage(t, "embed/")
	p.wait(`document.body.dataset.started === 'true'`, 60*time.Second)
	p.reloadWith(`HTMLCanvasElement.prototype.getContext = function() { return null; };`)
	p.wait(`document.body.dataset.stopped === '1'`, 60*time.Second)
	if text := eval[string](p, `document.body.innerText`); !strings.Contains(text, "no WebGL here (see the browser's settings): the arcade needs it to draw") {
		t.Fatalf("the page says %q", text)
	}
}

// TestReplayOverMaxCartSize: a replay is capped as on the command line
// (64 MiB), not by max-cart-size=, the cart's: a page with a small cart
// limit refused a long session's replay, named in the URL or dropped, and
// called the dropped one a cart.
func TestReplayOverMaxCartSize(t *testing.T) {
	site(t)
	// A replay of the input echo cart, over 64 KiB with its comments.
	long := "ebicart replay 1\n" + strings.Repeat("# a long session's lines, or a person's notes on it\n", 2000) + "0 pad1=30\n100000 pad1=30\n"
	os.WriteFile(filepath.Join(siteDir, "carts", "test", "long.replay.txt"), []byte(long), 0o644)
	x, y := frameAt(32, 1, 0, 0)
	echoes := func(t *testing.T, p *page) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; {
			p.waitDrawn()
			if got := rgbaAt(p.screenshot(), x, y); got.R == 0x30 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the replay did not play (the page's error %q, the strip %q)", eval[string](p, `document.body.dataset.error || ''`), eval[string](p, `document.getElementById('status').title`))
			}
		}
	}
	t.Run("in the URL", func(t *testing.T) {
		p := openPage(t, "?cart=carts/test/input_echo.wasm&max-cart-size=64KiB&replay=carts/test/long.replay.txt")
		p.wait(`!!document.body.dataset.error || document.body.dataset.cart === 'input_echo'`, 60*time.Second)
		echoes(t, p)
	})
	t.Run("dropped", func(t *testing.T) {
		p := openPage(t, "?cart=carts/test/input_echo.wasm&max-cart-size=64KiB")
		p.waitCart("input_echo")
		eval[bool](p, `(() => {
  const dt = new DataTransfer();
  dt.items.add(new File([`+strconv.Quote(long)+`], 'long.replay.txt'));
  window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, cancelable: true}));
  return true;
})()`)
		echoes(t, p)
	})
}
