//go:build js

package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"
	"unicode/utf8"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/digest"
	"github.com/ebicart/ebicart/internal/promise"
	"github.com/ebicart/ebicart/internal/safetext"
)

// The browser build. The page (assets/web/index.html) loads this program
// with wasm_exec.js; this side picks the cart and tells the page what
// happens through window.ebicartPage:
//
//	ebicartPage.started(name)       a cart is running
//	ebicartPage.error(name, text, onScreen)
//	                                a cart failed (to load or while running);
//	                                onScreen: the error screen shows it, else
//	                                the cart running runs on
//	ebicartPage.fit(w, h)           the canvas may shrink to a whole multiple
//	                                of a w x h frame; 0, 0: it fills the page
//	                                (game.Options.FitFrame; player.js fits it)
//
// and offers window.ebicart.load(bytes, name) for the page's file picker
// and drop zone. The page's URL parameters are the run flags of the command
// line (flags.go): ?cart=carts/seed.wasm&cpu-limit=2s.
func main() {
	page := js.Global().Get("ebicartPage")
	notify := func(method string, args ...any) {
		if page.Type() == js.TypeObject && page.Get(method).Type() == js.TypeFunction {
			page.Call(method, args...)
		}
	}
	cart.Prewarm() // the cart's Web Worker loads while the page starts
	// No collection before the first frame: in the browser Go collects on
	// the page's one thread, 15-20 ms a time at start-up, and the first
	// cart's megabytes would call for one or two. The host's heap is a
	// few megabytes; the default comes back with the first frame (or the
	// first error), and a heap past startMemoryLimit is collected anyway.
	gcPercent := debug.SetGCPercent(startGCPercent)
	memLimit := debug.SetMemoryLimit(startMemoryLimit) // a huge load-state= still collects
	restoreGC := sync.OnceFunc(func() {
		debug.SetGCPercent(gcPercent)
		debug.SetMemoryLimit(memLimit)
	})
	console := js.Global().Get("console")
	c, cfgErr := pageConfig(pageQuery())
	// The parameters that are addresses, checked before anything is
	// fetched: one that is none is a setting to fix, not a download to
	// retry.
	for _, p := range []struct{ name, value, what string }{
		{"cart", c.cart, "a .wasm file"}, {"replay", c.replay, "a replay file"}, {"load-state", c.loadState, "a save state"},
	} {
		if _, err := parseURL(p.value); cfgErr == nil && p.value != "" && err != nil {
			cfgErr = fmt.Errorf("URL parameter %s: %w: give the address of %s", p.name, err, p.what)
		}
	}
	mode, _ := cart.ParseMode(c.mode)
	engine, _ := cart.ParseEngine(c.engine)
	palette, _ := parsePalette(c.palette)
	// The cart running, for a replay opened on the page.
	var current struct {
		wasm []byte
		name string
	}
	options := func(name string, rp *cart.Replay) *cart.Options {
		return &cart.Options{Name: name, Engine: engine, Mode: mode, Palette: palette,
			CPULimit: c.cpuLimit, StartLimit: c.startLimit, CompileLimit: c.compileLimit,
			MaxMemory: uint64(c.maxMemory), MaxCartSize: int64(c.maxCartSize),
			Interactive: true, // a player is there to answer "not responding"
			Sound:       true, Saves: localStorageSaves{}, Rewind: c.rewind, Record: true, Replay: rp,
			Log: func(line string) { console.Call("log", "["+safetext.Clean(name)+"] "+line) }}
	}
	replayLoader := func(wasm []byte, name string, rp *cart.Replay) game.Loader {
		opts := options(name, rp)
		asPageCart(opts, name)
		return func(ctx context.Context) (*cart.Cart, error) {
			c, err := cart.LoadContext(ctx, wasm, opts)
			if err == nil {
				// A cart that fails to load leaves the one running, and
				// a replay opened after is for that one.
				current.wasm, current.name = wasm, name
			}
			return c, err
		}
	}
	loader := func(wasm []byte, name string) game.Loader { return replayLoader(wasm, name, nil) }

	var g *game.Game
	opts := asPageGame(game.Options{
		NoQuitKey:   true,
		States:      indexedDBStates{},
		Loader:      loader,
		MaxCartSize: int64(c.maxCartSize),
		OnError: func(name string, err error) {
			restoreGC() // no first frame to wait for
			console.Call("error", "ebicart: "+game.Describe(name, err))
			notify("error", safetext.Clean(name), safetext.CleanLines(err.Error()), g == nil || g.Err() != nil)
		},
		OnStart: func(name string) { notify("started", safetext.Clean(name)) },
		OnFirstFrame: func() {
			restoreGC()
			notify("shown")
		},
		FitFrame: func(w, h int) { notify("fit", w, h) },
	})

	// The first cart, with the replay and the state the URL names: fetched
	// as the cart loads, behind the game's loading screen. The demo is a
	// cart of the site like any other: the host does not carry its 1.9 MB.
	src := cmp.Or(pageCart(c.cart), defaultCart)
	name := pageCartName(src)
	maxSize := cmp.Or(int64(c.maxCartSize), cart.DefaultMaxCartSize)
	// loaded is closed when the first cart's first load has ended, well or
	// not; a restart (R on the error screen) runs load again.
	loaded := make(chan struct{})
	loadedOnce := sync.OnceFunc(func() { close(loaded) })
	load := func(ctx context.Context) (*cart.Cart, error) {
		defer loadedOnce()
		if cfgErr != nil {
			return nil, &game.SettingsError{Err: cfgErr, Fix: "fix the URL and reload the page"}
		}
		wasm, err := fetchBytes("cart", src, maxSize)
		if err != nil {
			return nil, err
		}
		var rp *cart.Replay
		if c.replay != "" {
			b, err := fetchBytes("replay", c.replay, maxReplaySize) // not the cart's limit
			if err == nil {
				rp, err = cart.ParseReplay(bytes.NewReader(b))
			}
			if err != nil {
				return nil, settingUnlessRetry(fmt.Errorf("replay=%s: %w", c.replay, err), pageFixes.replay)
			}
		}
		var state []byte
		if c.loadState != "" {
			b, err := fetchBytes("state", c.loadState, 1<<30)
			if err != nil {
				return nil, settingUnlessRetry(fmt.Errorf("load-state=%s: %w", c.loadState, err), pageFixes.state)
			}
			state = b
		}
		cc, err := replayLoader(wasm, name, rp)(ctx)
		return startFrom(cc, err, state, "load-state="+c.loadState, pageFixes)
	}
	g = game.NewAsync(load, name, opts)
	// Let the first cart load before Ebitengine starts, for a while
	// (firstCartWait): its worker has usually fetched and prepared it by
	// now (player.js), and what is left is a few messages, which this
	// thread can answer now. Ebitengine's start-up then runs without a
	// break, its first frames too, in which no message is answered: a
	// cart booted after it had begun was seen waiting 100-300 ms for this
	// thread. Loaded by then, the cart's frame is Ebitengine's first, and
	// the loading screen is never drawn. A cart that takes longer gets the
	// loading screen and its clock.
	waitBegan := time.Now()
	loadedFirst := false
	select {
	case <-loaded:
		loadedFirst = true
	case <-time.After(firstCartWait):
	}
	startWait := time.Since(waitBegan)

	js.Global().Set("ebicart", js.ValueOf(map[string]any{
		// stats() reports the host's measurements, in microseconds: the
		// benchmarks (make bench-web) read them.
		"stats": hook(func([]js.Value) any {
			c := g.Cart()
			if c == nil {
				return nil
			}
			us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
			list := func(ds []time.Duration) []any {
				out := make([]any, len(ds))
				for i, d := range ds {
					out[i] = us(d)
				}
				return out
			}
			u, w, p := c.UpdateTiming(), c.WorkTiming(), c.UploadTiming()
			r := g.FrameRect()
			touch := map[string]any{} // the on-screen controls: name: [x0, y0, x1, y1]
			for _, b := range g.TouchControls() {
				touch[b.Name] = []any{b.Rect.Min.X, b.Rect.Min.Y, b.Rect.Max.X, b.Rect.Max.Y}
			}
			return map[string]any{
				// frameRect is where the frame is on the screen, in its
				// pixels: [x0, y0, x1, y1].
				"frameRect": []any{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y}, "touch": touch,
				// firstFrame is when the first frame was drawn, in ms
				// since the navigation began (performance.now); 0 before.
				"firstFrame": sinceNavigation(g.FirstFrame()),
				"frames":     c.Frames(), "asking": g.Asking(), "notice": g.Notice(),
				"updates": u.Count, "uploads": p.Count, "draws": g.Draws(), "loadingDraws": g.LoadingDraws(),
				// startWait is how long the host waited for its first
				// cart before it started Ebitengine, in ms,
				// loadedFirst whether the cart had loaded by then, and
				// firstCartHashed whether its load took its hash from
				// the page (fetchBytes).
				"startWait": float64(startWait.Microseconds()) / 1000, "loadedFirst": loadedFirst, "firstCartHashed": digest.NotedUsed() > 0,
				// bootedAhead: the cart's worker had booted it before
				// the host asked (guest.Server.Prepare).
				"bootedAhead": c.BootedAhead(),
				"fps":         ebiten.ActualFPS(), "tps": ebiten.ActualTPS(),
				"updateP50": us(u.P50), "updateP95": us(u.P95),
				// work is the update's time in the cart's Web Worker,
				// without the round trip; its mean is exact where the
				// worker's clock is coarse (0.1 ms).
				"workP50": us(w.P50), "workMean": us(w.Mean),
				"uploadP50": us(p.P50), "uploadP95": us(p.P95),
				"update": list(u.Samples), "upload": list(p.Samples),
			}
		}),
		// counts() is [updates, uploads], cheaply: the frame benchmarks
		// poll it while they measure the page's CPU. counts(true) adds
		// [heap allocations, heap bytes allocated], which stops the
		// world to read: the test of the frame path reads them.
		"counts": hook(func(args []js.Value) any {
			c := g.Cart()
			if c == nil {
				return nil
			}
			updates, uploads := c.Counts()
			if len(args) == 0 || !args[0].Truthy() {
				return []any{updates, uploads}
			}
			m := new(runtime.MemStats) // 5 KB: not on the callback's fresh stack, which it would grow
			runtime.ReadMemStats(m)
			return []any{updates, uploads, float64(m.Mallocs), float64(m.TotalAlloc)}
		}),
		// replay(text) plays a replay file on the cart running, from its
		// start; an error comes back as a string (a promise of one, or of
		// null, while the page's first cart still loads).
		"replay": hook(func(args []js.Value) any {
			if len(args) < 1 || args[0].Type() != js.TypeString {
				return "replay(text): text must be a string, a replay file's"
			}
			text := args[0].String()
			play := func() any {
				if current.wasm == nil {
					return "no cart to play it on: open its cart, then the replay"
				}
				rp, err := cart.ParseReplay(strings.NewReader(text))
				if err != nil {
					return err.Error()
				}
				if rp.Cart != "" && rp.Cart != cart.CartHash(current.wasm) {
					return fmt.Sprintf("the replay is for cart sha256:%s, not %s: open that cart, then the replay", rp.Cart, current.name)
				}
				g.Swap(replayLoader(current.wasm, current.name, rp), current.name)
				return nil
			}
			select {
			case <-loaded:
				return play()
			default:
				// The page's first cart still loads, on the loading
				// screen: the replay is for it, and plays once it has
				// loaded. The answer is a promise of the same.
				return later(func() any { <-loaded; return play() })
			}
		}),
		// recordingError() is why the cart running has no recording (a
		// state from elsewhere was loaded), or null.
		"recordingError": hook(func([]js.Value) any {
			if c := g.Cart(); c != nil && c.RecordingLost() != nil {
				return "no recording: " + c.RecordingLost().Error()
			}
			return nil
		}),
		// recording() returns the session of the cart running as a replay
		// file, for the page's download link.
		"recording": hook(func([]js.Value) any {
			c := g.Cart()
			if c == nil || c.Recording() == nil {
				return nil
			}
			var b strings.Builder
			c.Recording().WriteTo(&b)
			return b.String()
		}),
		// cartSizeError(name, bytes) is why a file of that size is not
		// read as a cart (max-cart-size), or null: the page asks before it
		// reads a file opened or dropped.
		"cartSizeError": hook(func(args []js.Value) any {
			if len(args) < 2 || args[1].Type() != js.TypeNumber || !(args[1].Float() > float64(maxSize)) {
				return nil
			}
			size := int64(min(args[1].Float(), 1<<62)) // a float past int64 would wrap
			return cart.TooBig(shortName(args[0].String()), size, maxSize).Error() + ": not read"
		}),
		// load(bytes, name) runs a cart: bytes a Uint8Array or an
		// ArrayBuffer (a File's arrayBuffer()). A call it cannot use
		// returns why.
		"load": hook(func(args []js.Value) any {
			if len(args) < 1 {
				return "load(bytes, name): no bytes"
			}
			v := byteView().Invoke(args[0])
			if v.IsNull() {
				return "load(bytes, name): bytes must be a Uint8Array or an ArrayBuffer"
			}
			n, file := "cart", "cart"
			if len(args) > 1 && args[1].Type() == js.TypeString {
				n = cmp.Or(shortName(strings.TrimSuffix(args[1].String(), ".wasm")), "cart")
				file = cmp.Or(shortName(args[1].String()), "cart")
			}
			// Refused before it is copied: this program's memory, which
			// never shrinks, would grow by the size of the bytes.
			if size := int64(v.Get("length").Int()); size > maxSize {
				return cart.TooBig(file, size, maxSize).Error() + ": not read"
			}
			b := make([]byte, v.Get("length").Int())
			js.CopyBytesToGo(b, v)
			g.Swap(loader(b, n), n)
			return nil
		}),
	}))
	notify("hostReady")
	if err := game.RunGame(g); err != nil {
		console.Call("error", "ebicart: "+err.Error())
		js.Global().Set("ebicartStopReason", safetext.Clean(err.Error())) // for the page's word (player.js)
	}
}

// sinceNavigation converts t to the page's clock, milliseconds since the
// navigation began (performance.now), 0 for the zero time.
func sinceNavigation(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return js.Global().Get("performance").Call("now").Float() - float64(time.Since(t).Microseconds())/1e3
}

// startGCPercent is the host's GOGC until its first frame or error (see
// main), and startMemoryLimit the heap past which it collects anyway.
const (
	startGCPercent   = 800
	startMemoryLimit = 256 << 20
)

// firstCartWait bounds how long the page waits for its first cart before
// it starts Ebitengine (main).
const firstCartWait = time.Second

// defaultCart is the cart the page runs without ?cart=, in the site.
const defaultCart = "carts/demo.wasm"

// pageQuery returns the page's URL parameters, read by the browser (Go's
// net/url would add to the download what the page already has).
func pageQuery() map[string][]string {
	q := map[string][]string{}
	params := js.Global().Get("URL").New(js.Global().Get("location").Get("href")).Get("searchParams")
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		q[args[1].String()] = append(q[args[1].String()], args[0].String())
		return nil
	})
	defer each.Release()
	params.Call("forEach", each)
	return q
}

// cartName is the cart's file name without .wasm, cut short; "cart" for
// a data: or blob: URL (whose path is its bytes), or one that is not a URL.
func cartName(src string) string {
	u, err := parseURL(src)
	if err != nil {
		return "cart"
	}
	if p := u.Get("protocol").String(); p == "data:" || p == "blob:" {
		return "cart"
	}
	return shortName(strings.TrimSuffix(unescapePath(path.Base(u.Get("pathname").String())), ".wasm"))
}

// unescapePath decodes a URL path's %XX escapes, as a name to show
// (my%20game is "my game"), escaping what a message should not hold; a
// path that does not decode to text is shown as it is.
func unescapePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	b := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			if v, err := strconv.ParseUint(p[i+1:i+3], 16, 8); err == nil {
				b = append(b, byte(v))
				i += 2
				continue
			}
		}
		b = append(b, p[i])
	}
	if !utf8.Valid(b) {
		return p
	}
	return safetext.Clean(string(b))
}

// nameMax is the most of a cart's name a page shows (its strip, its
// title, the error screen's title): a long one would push the error off
// the screen.
const nameMax = 40

// shortName is name cut to nameMax characters.
func shortName(name string) string { return shorten(name, nameMax) }

// shortSrc is a file's address for a message, cut to 100 characters: a
// data: URL is the file itself.
func shortSrc(src string) string { return shorten(src, 100) }

// shorten cuts s to n characters, the last of them "…" where it cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// parseURL reads src as the browser does, relative to the page: a string
// it cannot read is an error, not a JavaScript exception.
func parseURL(src string) (u js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%q is not a URL", src)
		}
	}()
	return js.Global().Get("URL").New(src, js.Global().Get("location").Get("href")), nil
}

// later returns a JavaScript promise of what f returns, run on a
// goroutine of its own: f may wait, where a call from the page may not.
func later(f func() any) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve := args[0]
		executor.Release() // the Promise constructor calls it once, now
		go func() { resolve.Invoke(f()) }()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

// byteView returns a JavaScript function of one value: the bytes of an
// ArrayBuffer or a typed array, as a Uint8Array, or null. It asks the
// browser (ArrayBuffer.isView), not instanceof: an object that only
// claims Uint8Array's prototype (a Proxy of one, Object.create) throws
// when its length is read, and an exception in Value.Get, unlike one in a
// call, unwinds the whole Go program.
var byteView = sync.OnceValue(func() js.Value {
	return js.Global().Get("Function").New("v", `
if (v instanceof ArrayBuffer) return new Uint8Array(v);
if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
return null;`)
})

// hook makes f a function the page may call (window.ebicart's): a call
// that would panic (arguments of another type than f expects) returns why
// as a string instead, and the host goes on; a Go program that panics
// here ends, and the page with it.
func hook(f func(args []js.Value) any) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) (res any) {
		defer func() {
			if r := recover(); r != nil {
				res = fmt.Sprintf("ebicart: %v", r)
				js.Global().Get("console").Call("error", res)
			}
		}()
		return f(args)
	})
}

// fetchResponse fetches src, or takes the response the page began to
// fetch before the host started (window.ebicartPrefetch, the first cart's),
// whose worker gives up a stalled server itself (cartworker.js). stop
// aborts the host's own fetch, nil for the page's.
func fetchResponse(src string) (resp js.Value, stop func()) {
	if pf := js.Global().Get("ebicartPrefetch"); pf.Truthy() {
		js.Global().Delete("ebicartPrefetch") // once, for the first fetch
		if u, err := parseURL(src); err == nil && pf.Get("url").String() == u.Get("href").String() {
			return pf.Get("response"), nil
		}
	}
	ctl := js.Global().Get("AbortController").New()
	return js.Global().Call("fetch", src, map[string]any{"signal": ctl.Get("signal")}), func() { ctl.Call("abort") }
}

// stallLimit is how long a server may send nothing (no answer, or no more
// of a body) before its download is given up: the loading screen would
// otherwise wait for ever. A slow download that goes on is not stopped.
// cartworker.js's stallLimit is the same.
const stallLimit = 20 * time.Second

// stalled is the error of a download given up after stallLimit.
func stalled(what, src string) error {
	return &fetchError{msg: fmt.Sprintf("cannot fetch %s %s: the server sent nothing for %d s (is it down, or the network?)", what, shortSrc(src), int(stallLimit/time.Second)), retry: true}
}

// awaitData awaits p, a step of a download, for stallLimit at most; past
// it, stop (if not nil) stops the download and the error says the server
// stalled. A nil stop waits as long as p takes.
func awaitData(p js.Value, stop func(), what, src string) (js.Value, error) {
	if stop == nil {
		return promise.Await(p)
	}
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := promise.Await(p)
		ch <- result{v, err}
	}()
	t := time.NewTimer(stallLimit)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-t.C:
		stop() // p settles with it, and its goroutine ends
		return js.Value{}, stalled(what, src)
	}
}

// tooBig is the error of a download over its limit: a cart's says so as
// a cart read any other way does.
// A size below 0 is not known: the download was stopped at the limit.
func tooBig(what, src string, size, max int64) error {
	src = shortSrc(src)
	switch {
	case size < 0 && what == "cart":
		return fmt.Errorf("cart: %s is more than the limit of %s (max-cart-size): its download was stopped there", src, bytesize.Text(uint64(max)))
	case size < 0:
		return fmt.Errorf("%s %s is more than the limit of %s: its download was stopped there", what, src, bytesize.Text(uint64(max)))
	case what == "cart":
		return cart.TooBig(src, size, max)
	}
	return fmt.Errorf("%s %s is %s, more than the limit of %s", what, src, bytesize.Text(uint64(size)), bytesize.Text(uint64(max)))
}

// pageFixes are the page's advice for a replay or a state that does not
// fit the cart, or that the URL names wrong.
var pageFixes = runFixes{
	replay: "remove replay= from the URL, or name a replay of this cart, and reload",
	state:  "remove load-state= from the URL, or name a state of this cart, and reload",
}

// fetchError is a download that failed. retry: trying again may work (the
// network, or the server's trouble: HTTP 5xx, 408, 429), unlike a file
// that is not there or that another site does not let the page read.
type fetchError struct {
	msg   string
	retry bool
}

func (e *fetchError) Error() string { return e.msg }

// settingUnlessRetry makes err, about a file the URL names, wrong
// settings with fix's advice, unless fetching it again may work: then R
// (a restart) tries again.
func settingUnlessRetry(err error, fix string) error {
	if fe, ok := errors.AsType[*fetchError](err); ok && fe.retry {
		return err
	}
	return &game.SettingsError{Err: err, Fix: fix}
}

// fetchBytes downloads a file (what names it: "cart", "replay"), relative
// to the page or absolute, of at most max bytes.
func fetchBytes(what, src string, max int64) ([]byte, error) {
	p, stop := fetchResponse(src)
	resp, err := awaitData(p, stop, what, src)
	if fe, ok := errors.AsType[*fetchError](err); ok {
		return nil, fe
	}
	if je, ok := errors.AsType[js.Error](err); ok && je.Value.Get("ebicartStalled").Truthy() {
		return nil, stalled(what, src) // the page's worker gave it up (cartworker.js)
	}
	if je, ok := errors.AsType[js.Error](err); ok && je.Value.Get("ebicartTooBig").Type() == js.TypeNumber {
		// The page's worker refused it, over the limit it was given
		// (cartworker.js): this one, unless the page read max-cart-size=
		// otherwise, when the host fetches it itself.
		if int64(je.Value.Get("ebicartLimit").Float()) == max {
			return nil, tooBig(what, src, int64(je.Value.Get("ebicartTooBig").Float()), max)
		}
		return fetchBytes(what, src, max)
	}
	if err != nil {
		// The browser says only "Failed to fetch" for a cart it was not
		// let read: on another site, that is the site's CORS headers.
		hint := ""
		loc := js.Global().Get("location")
		if u, err := parseURL(src); err == nil {
			switch p := u.Get("protocol").String(); {
			case p == "blob:":
				hint = " (a blob: address lives only in the page that made it, while it is open: save the file and open it with Open…, or drop it on this page)"
			case p != "http:" && p != "https:" && p != "data:" && p != "blob:":
				hint = " (the page reads files at http: and https: addresses, not " + p + ")"
			case u.Get("origin").String() != loc.Get("origin").String():
				// The browser says the same of a site that does not
				// answer (a wrong address) as of one that does not let
				// the page read the file.
				hint = " (another site's file is read only where that site answers and allows it, Access-Control-Allow-Origin: is the address right?)"
			}
		}
		if nav := js.Global().Get("navigator"); hint == "" && nav.Truthy() && nav.Get("onLine").Type() == js.TypeBoolean && !nav.Get("onLine").Bool() {
			// A retry may work once the network is back: retry stays.
			return nil, &fetchError{msg: fmt.Sprintf("cannot fetch %s %s: the browser is offline, and this file was not kept for offline play (only what was played online is)", what, shortSrc(src)), retry: true}
		}
		return nil, &fetchError{msg: fmt.Sprintf("cannot fetch %s %s: %v%s", what, shortSrc(src), err, hint), retry: hint == ""}
	}
	if !resp.Get("ok").Bool() {
		status := resp.Get("status").Int()
		return nil, &fetchError{
			msg:   fmt.Sprintf("cannot fetch %s %s: HTTP %d %s", what, shortSrc(src), status, resp.Get("statusText").String()),
			retry: status >= 500 || status == 408 || status == 429,
		}
	}
	// The page's first cart comes as the bytes its worker downloaded, with
	// their SHA-256, which the page made meanwhile (player.js): neither is
	// done again on the way to its first frame. The cart's load takes the
	// hash (digest.Note, guest.CartHashWait).
	u8, sum := resp.Get("ebicartBytes"), resp.Get("ebicartSum")
	if !u8.Truthy() {
		var err error
		if u8, err = readBody(what, src, resp, max, stop); err != nil {
			return nil, err
		}
	}
	n := u8.Get("length").Int()
	if int64(n) > max {
		return nil, tooBig(what, src, int64(n), max)
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, u8)
	if isWebPage(b) {
		// A server that answers an address it does not have with a page
		// (a site's fallback, a directory's listing) sends it with 200.
		return nil, &fetchError{msg: fmt.Sprintf("cannot fetch %s %s: the server sent a web page (HTML), not the file: is the address right?", what, shortSrc(src))}
	}
	if sum.Truthy() {
		if h, ok := digest.AwaitSubtle(sum); ok {
			digest.Note(b, h)
		}
	}
	return b, nil
}

// isWebPage reports whether b is an HTML page, by how one starts (its
// first '<' and a letter or '!'): no cart, replay or state does. ASCII by
// hand, for the host's weight.
func isWebPage(b []byte) bool {
	i := 0
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf { // a byte-order mark
		i = 3
	}
	for i < len(b) && i < 512 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	if i+1 >= len(b) || b[i] != '<' {
		return false
	}
	c := b[i+1] | 0x20 // lower case
	return b[i+1] == '!' || c >= 'a' && c <= 'z'
}

// readBody reads the body of resp, a fetch's response, as a Uint8Array,
// refusing one that says it is over max bytes before it downloads, and
// giving up one that stalls (stop aborts its fetch; nil where the page
// made it).
func readBody(what, src string, resp js.Value, max int64, stop func()) (js.Value, error) {
	if n := resp.Get("headers").Call("get", "Content-Length"); n.Type() == js.TypeString {
		if size, err := strconv.ParseInt(n.String(), 10, 64); err == nil && size > max {
			if b := resp.Get("body"); b.Truthy() {
				b.Call("cancel").Call("catch", js.Global().Get("Boolean")) // its rejection, if any, is of no interest
			}
			return js.Value{}, tooBig(what, src, size, max)
		}
	}
	cannotRead := func(err error) error {
		return &fetchError{msg: fmt.Sprintf("cannot read %s %s: %v", what, shortSrc(src), err), retry: true}
	}
	body := resp.Get("body")
	if !body.Truthy() {
		buf, err := awaitData(resp.Call("arrayBuffer"), stop, what, src)
		if fe, ok := errors.AsType[*fetchError](err); ok {
			return js.Value{}, fe
		}
		if err != nil {
			return js.Value{}, cannotRead(err)
		}
		return js.Global().Get("Uint8Array").New(buf), nil
	}
	// Counted as it comes: a body sent without a Content-Length (or
	// compressed) is stopped at the limit, not read whole first (a
	// stream of gigabytes took the tab's memory with it).
	reader := body.Call("getReader")
	var chunks []js.Value
	n := int64(0)
	for {
		res, err := awaitData(reader.Call("read"), func() { reader.Call("cancel").Call("catch", js.Global().Get("Boolean")) }, what, src)
		if fe, ok := errors.AsType[*fetchError](err); ok {
			return js.Value{}, fe
		}
		if err != nil {
			return js.Value{}, cannotRead(err)
		}
		if res.Get("done").Bool() {
			break
		}
		v := res.Get("value")
		if n += int64(v.Get("length").Int()); n > max {
			reader.Call("cancel").Call("catch", js.Global().Get("Boolean"))
			return js.Value{}, tooBig(what, src, -1, max)
		}
		chunks = append(chunks, v)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := js.Global().Get("Uint8Array").New(n)
	at := 0
	for _, c := range chunks {
		out.Call("set", c, at)
		at += c.Get("length").Int()
	}
	return out, nil
}

// localStorageSaves keeps carts' saves in the page's localStorage, hex
// encoded under ebicart-save-<key>: they survive reloads.
type localStorageSaves struct{}

func (localStorageSaves) Load(key string) (b []byte, err error) {
	ls := localStorage()
	if !ls.Truthy() {
		return nil, nil
	}
	defer func() {
		if r := recover(); r != nil { // storage denied
			b, err = nil, fmt.Errorf("save %s: %v", key, r)
		}
	}()
	v := ls.Call("getItem", "ebicart-save-"+key)
	if v.Type() != js.TypeString {
		return nil, nil
	}
	if b, err = hex.DecodeString(v.String()); err != nil {
		return nil, fmt.Errorf("save %s: %v", key, err)
	}
	return b, nil
}

func (localStorageSaves) Store(key string, data []byte) (err error) {
	ls := localStorage()
	if !ls.Truthy() {
		return fmt.Errorf("save %s: no localStorage here: the save lasts until the page closes", key)
	}
	defer func() {
		if r := recover(); r != nil { // storage full or denied
			err = fmt.Errorf("save %s: %v", key, r)
		}
	}()
	ls.Call("setItem", "ebicart-save-"+key, hex.EncodeToString(data))
	return nil
}

// localStorage returns window.localStorage, or undefined where it is
// unavailable: where the browser blocks the site's data, reading it
// throws. Read through Reflect.get, a call: a JavaScript exception in a
// call comes back as a Go panic, which is recovered here, where one in
// Value.Get would unwind the whole Go program.
func localStorage() (v js.Value) {
	defer func() {
		if recover() != nil {
			v = js.Undefined()
		}
	}()
	return js.Global().Get("Reflect").Call("get", js.Global(), "localStorage")
}

// indexedDBSource is the JavaScript half of the page's state store: the
// states (a few MiB each) would not fit localStorage.
//
// The game waits for each call (F5, F8), so every way a request can end
// settles its promise: an error, an abort (a full quota aborts the
// transaction after its put succeeded, with no error event), a blocked
// open; and a call that has not ended after 10 s fails.
const indexedDBSource = `
const within = (p, what) => Promise.race([p, new Promise((_, reject) =>
  setTimeout(() => reject(new Error(what + ": the browser's storage did not answer within 10 s")), 10000))]);
const fail = (x, fallback) => x.error || new Error(fallback);
const open = () => new Promise((resolve, reject) => {
  const r = indexedDB.open('ebicart', 1);
  r.onupgradeneeded = () => r.result.createObjectStore('states');
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(fail(r, 'cannot open the storage'));
  r.onblocked = () => reject(new Error('the storage is held by another tab of this site'));
});
return {
  get(key) {
    return within(open().then((db) => new Promise((resolve, reject) => {
      const t = db.transaction('states');
      const r = t.objectStore('states').get(key);
      r.onsuccess = () => resolve(r.result || null);
      r.onerror = () => reject(fail(r, 'read failed'));
      t.onabort = () => reject(fail(t, 'read aborted'));
    })), 'read');
  },
  put(key, value) {
    return within(open().then((db) => new Promise((resolve, reject) => {
      const t = db.transaction('states', 'readwrite');
      t.objectStore('states').put(value, key);
      t.oncomplete = () => resolve(true);
      t.onerror = () => reject(fail(t, 'write failed'));
      t.onabort = () => reject(fail(t, 'write aborted (is the storage full?)'));
    })), 'write');
  },
};
`

var indexedDB = sync.OnceValue(func() js.Value { return js.Global().Get("Function").New(indexedDBSource).Invoke() })

// indexedDBStates keeps carts' quick slots (F5, F8) in the page's
// IndexedDB.
type indexedDBStates struct{}

func (indexedDBStates) Load(key string) ([]byte, error) {
	v, err := promise.Await(indexedDB().Call("get", key))
	if err != nil {
		return nil, fmt.Errorf("state %s: %v", key, err)
	}
	if !v.Truthy() {
		return nil, nil
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

func (indexedDBStates) Store(key string, data []byte) error {
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	if _, err := promise.Await(indexedDB().Call("put", key, u8)); err != nil {
		return fmt.Errorf("state %s: %v", key, err)
	}
	return nil
}
