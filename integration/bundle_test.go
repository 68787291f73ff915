//go:build !js

package integration

import (
	"archive/zip"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/internal/testcarts"
)

// bundleEchoGame builds ebicart and bundles the input echo cart as "Echo
// Game" for the web with it, with flags added, in a temporary folder: dir,
// and out, the bundle's folder in it.
func bundleEchoGame(t *testing.T, flags ...string) (dir, out string) {
	t.Helper()
	dir = t.TempDir()
	bin := filepath.Join(dir, "ebicart")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = testcarts.Root()
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	out = filepath.Join(dir, "dist")
	args := append(append([]string{"bundle", "-q"}, flags...), "-name", "Echo Game", "-target", "web", "-o", out, testcarts.GuestTestdata("input_echo"))
	bundle := exec.Command(bin, args...)
	bundle.Dir = dir
	if msg, err := bundle.CombinedOutput(); err != nil {
		t.Fatalf("ebicart bundle: %v\n%s", err, msg)
	}
	return dir, out
}

// TestBundledWebPage makes the web bundle of a cart with ebicart bundle,
// unzips the zip meant for itch.io, serves the folder with Go's plain
// http.FileServer (no extra headers) and plays it in Chromium: the page
// opens straight into the game (no Open… button), has a fullscreen button,
// and on a touch screen shows touch controls that drive the cart, an ABI
// v1 cart (the input echo cart, whose pixel 0 is its buttons byte).
func TestBundledWebPage(t *testing.T) {
	needChromium(t)
	dir, out := bundleEchoGame(t)
	site := filepath.Join(dir, "site")
	unzip(t, filepath.Join(out, "echo-game-web.zip"), site)
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()

	p := openPageAt(t, srv.URL, "", viewport{w: pageW, h: pageH, mobile: true})
	p.waitCart("Echo Game")
	if title := eval[string](p, `document.title`); title != "Echo Game" {
		t.Errorf("title %q, want the game's name", title)
	}
	if eval[bool](p, `!!document.getElementById('picker') || !!document.getElementById('toolbar')`) {
		t.Error("the page has the Open… button of ebicart's own page: a bundle without -dev must not")
	}
	if !eval[bool](p, `!!document.getElementById('fullscreen')`) {
		t.Error("no fullscreen button")
	}
	if !eval[bool](p, `!!document.getElementById('mute') && !!window.ebicartAudio`) {
		t.Error("no mute button, or no gain to mute")
	}
	if got := eval[string](p, `document.documentElement.dataset.compile`); got != "streaming" {
		t.Errorf("the host compiled %q, want while streaming (Go's file server sends wasm as application/wasm)", got)
	}
	// Pixel 0 of the 32x1 frame is the buttons byte: 0 until the touch.
	p.waitDrawn()
	px, py := p.framePixel(32, 1, 0, 0)
	if got := rgbaAt(p.screenshot(), int(px), int(py)); got != (color.RGBA{0, 0, 0, 255}) {
		t.Fatalf("frame pixel 0 = %v, want black (no button)", got)
	}
	// A first touch, on the frame, shows the controls; then the A button
	// (the Z key), where the game drew it.
	p.tap(px, py, `!!ebicart.stats().touch.a`)
	p.waitDrawn()
	px, py = p.framePixel(32, 1, 0, 0) // the frame makes room for the controls
	x, y, _ := p.touchButton("a")
	p.touch(input.DispatchTouchEventTypeTouchStart, x, y)
	deadline := time.Now().Add(20 * time.Second)
	for {
		img := p.screenshot()
		got := rgbaAt(img, int(px), int(py))
		if got == (color.RGBA{0x10, 0x10, 0x10, 255}) {
			if pad := rgbaAt(img, int(x), int(y)); pad == backdrop {
				t.Errorf("the A button is not drawn at (%v,%v)", x, y)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("frame pixel 0 = %v after touching A, want the A bit (0x10)", got)
		}
		p.waitDrawn()
	}
	p.touch(input.DispatchTouchEventTypeTouchEnd, x, y)
	// The pointer moving shows the fullscreen button, never over the frame.
	p.hover("canvas")
	p.waitDrawn()
	if l := eval[frameLayout](p, layoutScript); len(l.Overlaps) > 0 {
		t.Errorf("with the pointer moving, page elements over the frame %+v:\n%s", l.Frame, strings.Join(l.Overlaps, "\n"))
	}

	// In an iframe of 640x360 on another origin, as itch.io embeds it, the
	// game fits the frame at a whole scale: 20, a 640x20 strip at y 170;
	// and a click on it gives it the keyboard.
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	embed := `<!doctype html><body style="margin:0;background:#fff">` +
		`<iframe src="` + srv.URL + `/index.html" width="640" height="360" style="border:0;display:block" allowfullscreen></iframe>`
	if err := os.WriteFile(filepath.Join(site, "embed.html"), []byte(embed), 0o644); err != nil {
		t.Fatal(err)
	}
	p2 := openPageAt(t, other, "embed.html", desktop)
	deadline = time.Now().Add(60 * time.Second)
	for {
		img := p2.screenshot()
		// Pixel 16 of the input block is the frame count's low byte:
		// not the backdrop once the game runs; outside the strip, the
		// backdrop; outside the iframe, the page's white.
		inStrip, above, outside := rgbaAt(img, 16*20+10, 180), rgbaAt(img, 320, 100), rgbaAt(img, 700, 100)
		if inStrip != backdrop && above == backdrop && outside == (color.RGBA{255, 255, 255, 255}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("in a 640x360 iframe of another origin: strip %v, above it %v, beside the iframe %v: want the frame at x20, the backdrop, white", inStrip, above, outside)
		}
		p2.waitDrawn()
	}
	for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
		if _, err := chromedp.Call(p2.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: typ, X: 320, Y: 100, Button: input.MouseButtonLeft, ClickCount: 1}); err != nil {
			t.Fatal(err)
		}
	}
	keyDown(t, p2, "z", "KeyZ", 90)
	deadline = time.Now().Add(20 * time.Second)
	for {
		// Pixel 0, the buttons byte: the A bit (Z) once the key reaches
		// the game in the iframe.
		if got := rgbaAt(p2.screenshot(), 10, 180); got == (color.RGBA{0x10, 0x10, 0x10, 255}) {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("after a click on the game in the iframe and Z pressed, frame pixel 0 = %v, want the A bit (0x10): the game did not get the keyboard", got)
		}
		p2.waitDrawn()
	}
}

// unzip extracts the zip at path into dir, refusing paths out of it.
func unzip(t *testing.T, path, dir string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if !filepath.IsLocal(f.Name) {
			t.Fatalf("%s: %q is not a path inside the zip's folder", path, f.Name)
		}
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatalf("no index.html at the zip's root: %v", err)
	}
}

// TestBundledDevPageSaysWhy: the Open… button of a -dev bundle's page says
// why a file does not run, as ebicart's own page does: a cart over
// max-cart-size is refused unread, and that refusal was dropped in
// silence.
func TestBundledDevPageSaysWhy(t *testing.T) {
	needChromium(t)
	_, out := bundleEchoGame(t, "-dev")
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(out, "web"))))
	defer srv.Close()
	p := openPageAt(t, srv.URL, "", desktop)
	p.waitCart("Echo Game")
	eval[bool](p, `(() => {
  const dt = new DataTransfer();
  dt.items.add(new File([new Uint8Array(65 << 20)], 'big.wasm'));
  const picker = document.getElementById('picker');
  picker.files = dt.files;
  picker.dispatchEvent(new Event('change'));
  return true;
})()`)
	p.wait(`!!document.getElementById('said') && document.getElementById('said').textContent !== ''`, 10*time.Second)
	if got, want := eval[string](p, `document.getElementById('said').textContent`), "cart: big.wasm is 65.0 MiB, more than the limit of 64.0 MiB (max-cart-size): not read"; got != want {
		t.Fatalf("after opening a 65 MiB file the page says %q, want %q", got, want)
	}
	p.waitUpdates(5) // the game plays on
	// A page whose game has ended says "reload the page": F5 does, no
	// longer the game's key to save a state.
	p.reloadWith(`HTMLCanvasElement.prototype.getContext = function() { return null; };`)
	p.wait(`document.body.innerText.includes('reload the page') || document.body.innerText.includes('no WebGL')`, 60*time.Second)
	if !eval[bool](p, `window.dispatchEvent(new KeyboardEvent('keydown', {key: 'F5', code: 'F5', cancelable: true, bubbles: true}))`) {
		t.Error("F5 does not reload the page of a game that has ended: its keydown is prevented")
	}
}
