//go:build !js

package integration

import (
	"bytes"
	"image/color"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/web"
)

// TestOfflineAfterFirstFrame: the page registers its service worker,
// which starts and downloads what it keeps, and links its web app
// manifest, which has the browser offer to install it (an animation of
// the browser's own), only once the cart's first frame is drawn, not
// beside the cart's start.
func TestOfflineAfterFirstFrame(t *testing.T) {
	p := openPage(t, "?cart=carts/seed.wasm")
	p.waitCart("seed")
	p.reloadWith(`(() => {
  new MutationObserver(() => {
    if (!window.manifestAt && document.querySelector('link[rel="manifest"]')) window.manifestAt = performance.now();
  }).observe(document, {childList: true, subtree: true});
  const sw = navigator.serviceWorker;
  if (!sw) return;
  const register = sw.register.bind(sw);
  sw.register = (...args) => { window.registeredAt = performance.now(); return register(...args); };
})();`)
	p.waitCart("seed")
	p.wait(`window.registeredAt > 0 && window.manifestAt > 0`, 30*time.Second)
	first := eval[float64](p, `ebicart.stats().firstFrame`)
	for _, c := range []struct{ what, at string }{
		{"the service worker was registered", "registeredAt"},
		{"the manifest was linked", "manifestAt"},
	} {
		if at := eval[float64](p, c.at); first == 0 || at <= first {
			t.Errorf("%s at %.0f ms, the first frame drawn at %.0f ms: want it after", c.what, at, first)
		}
	}
}

// TestPageOffline: the page is an installable app (Chromium finds nothing
// missing), keeps the host, its worker and the cart played once it plays;
// a new build's service worker replaces the cached files with its own;
// and with its server gone, a reload plays the cart from the cache.
func TestPageOffline(t *testing.T) {
	site(t)
	var next atomic.Bool       // serve the next build: its page and service worker name it
	var workerGone atomic.Bool // the worker's files are refused
	files := web.Handler(siteDir)
	sw, err := os.ReadFile(filepath.Join(siteDir, "sw.js"))
	if err != nil {
		t.Fatal(err)
	}
	build := regexp.MustCompile(`const version = 'ebicart-([0-9a-f]+)';`).FindSubmatch(sw)
	if build == nil {
		t.Fatal("sw.js names no build")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if workerGone.Load() && strings.HasPrefix(r.URL.Path, "/cartworker.") {
			http.Error(w, "gone", http.StatusNotFound)
			return
		}
		// The next build: the files that name the build name another.
		switch r.URL.Path {
		case "/sw.js", "/", "/index.html", "/cartworker.js":
			if next.Load() {
				break
			}
			fallthrough
		default:
			files.ServeHTTP(w, r)
			return
		}
		serveRewritten(w, r, files, func(b []byte) []byte { return bytes.ReplaceAll(b, build[1], append([]byte("next-"), build[1]...)) })
	}))
	defer srv.Close()

	p := openPageAt(t, srv.URL, "?cart=carts/idx160.wasm", desktop)
	p.waitCart("idx160")
	p.wait(`document.documentElement.dataset.offline === 'ready'`, 60*time.Second)
	res, err := chromedp.Call(p.ctx, cdppage.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.InstallabilityErrors {
		t.Errorf("not installable: %s %v", e.ErrorID, e.ErrorArguments)
	}
	caches := func() []string { return evalAwait[[]string](p, `caches.keys()`) }
	keys := caches()
	if len(keys) != 1 || !strings.HasPrefix(keys[0], "ebicart-") || keys[0] == "ebicart-dev" {
		t.Fatalf("caches %q, want one named after the build", keys)
	}
	q := "?build=" + string(build[1])
	for _, f := range []string{"./", "ebicart.wasm" + q, "cartworker.wasm" + q, "cartworker.js" + q, "wasm_exec.js" + q, "player.js" + q, "carts/idx160.wasm"} {
		if !evalAwait[bool](p, `caches.match(new URL('`+f+`', location.href).href).then((r) => !!r)`) {
			t.Errorf("%s is not in the cache", f)
		}
	}

	// The site changes under the open page (a deploy): the page's new
	// workers are still of its build, from the service worker's cache.
	workerGone.Store(true)
	for _, name := range []string{"seed", "idx160"} {
		evalAwait[bool](p, `(async () => { ebicart.load(await (await fetch('carts/`+name+`.wasm')).arrayBuffer(), '`+name+`.wasm'); return true; })()`)
		p.waitCart(name)
		p.waitUpdates(10)
	}
	workerGone.Store(false)

	// A new build: its worker installs on the next visit and its cache is
	// then the only one.
	next.Store(true)
	if _, err := chromedp.Run(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	p.waitCart("idx160")
	p.wait(`caches.keys().then((k) => k.length === 1 && k[0].startsWith('ebicart-next-'))`, 60*time.Second)

	// The server goes away: the page, the host and the cart come from the
	// cache.
	srv.Close()
	if _, err := chromedp.Run(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	p.waitCart("idx160")
	p.waitUpdates(30)
	if e := eval[string](p, `document.body.dataset.error || ''`); e != "" {
		t.Fatalf("offline, the cart stopped: %s", e)
	}

	// A cart never played online was not kept: offline, the page says
	// so, not only "Failed to fetch".
	if _, err := chromedp.Call(p.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.Navigate(srv.URL+"/?cart=carts/rgba.wasm")); err != nil {
		t.Fatal(err)
	}
	p.wait(`!!document.body.dataset.error`, 60*time.Second)
	if e := eval[string](p, `document.body.dataset.error`); !strings.Contains(e, "the browser is offline, and this file was not kept for offline play") {
		t.Fatalf("offline, a cart not kept: %q", e)
	}
}

// TestPageEmbeddedCrossOrigin: the page in an iframe of another origin
// (a page with no special headers, as itch.io's) plays: the input echo
// cart's frame counter, pixel 16 of its 32x1 frame, changes.
func TestPageEmbeddedCrossOrigin(t *testing.T) {
	base := site(t)
	embed := `<!doctype html><body style="margin:0;background:#fff">` +
		`<iframe src="` + base + `/?cart=carts/test/input_echo.wasm" width="640" height="360" style="border:0;display:block" allow="autoplay; fullscreen; gamepad"></iframe>`
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(embed))
	}))
	defer host.Close()
	p := openPageAt(t, strings.Replace(host.URL, "127.0.0.1", "localhost", 1), "", desktop)
	// The strip, 36 px, above a 640x324 canvas: the frame at scale 20,
	// rows 188 to 208.
	const x, y = 16*20 + 10, stripH + (360-stripH-20)/2 + 10
	var first color.RGBA
	deadline := time.Now().Add(60 * time.Second)
	for {
		got := rgbaAt(p.screenshot(), x, y)
		if got != backdrop && got != (color.RGBA{}) {
			if first == (color.RGBA{}) {
				first = got
			} else if got != first {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("in a cross-origin iframe the frame counter's pixel stays %v: the page does not play", got)
		}
		p.waitDrawn()
	}
}

// TestPageSound: a WASM-4 cart's sound goes through the page's gain, the
// mute button's; it starts on the player's first key (autoplay rules);
// the button mutes it and the page remembers that on a reload.
func TestPageSound(t *testing.T) {
	p := openPage(t, "?cart=carts/test/w4_io.wasm")
	p.waitCart("w4_io")
	p.wait(`ebicartAudio.gains.length > 0`, 20*time.Second)
	key(t, p, "ArrowLeft", 37, true, true)
	p.wait(`ebicartAudio.gains.every((g) => g.context.state === 'running' && g.gain.value === 1)`, 20*time.Second)
	if got := eval[string](p, `document.getElementById('mute').textContent`); got != "Sound on" {
		t.Errorf("the mute button says %q, want Sound on", got)
	}
	p.hover("#mute")
	p.click("#mute")
	p.wait(`ebicartAudio.gains.every((g) => g.gain.value === 0) && document.getElementById('mute').getAttribute('aria-pressed') === 'true'`, 10*time.Second)
	if !eval[bool](p, `document.activeElement === document.querySelector('canvas')`) {
		t.Error("after the mute button the game does not have the keyboard")
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	p.waitCart("w4_io")
	p.wait(`ebicartAudio.gains.length > 0 && ebicartAudio.gains.every((g) => g.gain.value === 0)`, 20*time.Second)
	if got := eval[string](p, `document.getElementById('mute').textContent`); got != "Sound off" {
		t.Errorf("after a reload the mute button says %q, want Sound off", got)
	}
}

// TestOfflineKeepsNoHugeFile: the service worker keeps a copy of what
// the page fetches for offline play, but not of a file larger than a cart
// may be (64 MiB), whose copy it stops reading there; it kept whole
// files of any size before (a 300 MB gzip bomb, an endless stream until
// the storage was full). A small file is kept as before.
func TestOfflineKeepsNoHugeFile(t *testing.T) {
	site(t)
	files := web.Handler(siteDir)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge.bin": // no Content-Length: counted as it comes
			w.Header().Set("Content-Type", "application/octet-stream")
			chunk := make([]byte, 1<<20)
			for range 70 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/small.bin":
			w.Write(make([]byte, 1000))
		default:
			files.ServeHTTP(w, r)
		}
	}))
	defer srv.Close()
	p := openPageAt(t, srv.URL, "?cart=carts/seed.wasm", desktop)
	p.waitCart("seed")
	p.wait(`document.documentElement.dataset.offline === 'ready' && !!navigator.serviceWorker.controller`, 60*time.Second)
	if n := evalAwait[float64](p, `fetch('huge.bin').then((r) => r.arrayBuffer()).then((b) => b.byteLength)`); n != 70<<20 {
		t.Fatalf("the page read %v bytes of huge.bin, want all 70 MiB", n)
	}
	evalAwait[float64](p, `fetch('small.bin').then((r) => r.arrayBuffer()).then((b) => b.byteLength)`)
	p.wait(`window.smallKept || (caches.match(new URL('small.bin', location.href).href).then((r) => { window.smallKept = !!r; }), false)`, 30*time.Second)
	if evalAwait[bool](p, `caches.match(new URL('huge.bin', location.href).href).then((r) => !!r)`) {
		t.Error("the service worker kept huge.bin, 70 MiB")
	}
}
