//go:build !js

package integration

import (
	"fmt"
	"testing"
	"time"
)

// TestFramePathAllocates: a cart whose frame changes every update costs
// the page no frame-sized allocation per update: the frame comes in a
// buffer that goes back to the worker with the next tick, into a Go buffer
// kept from frame to frame, and is uploaded from there. What the page does
// allocate per update (syscall/js's handles for every JavaScript value it
// touches, Ebitengine's own) is small and bounded here. The same holds on
// a page that does not give its host's exports to the queue. Rewind is
// off: its history takes a state every second or so by design
// (docs/design.md).
func TestFramePathAllocates(t *testing.T) {
	for _, tc := range []struct {
		name, cart string
		frame      int  // bytes of its packed frame
		noExports  bool // a page that hides its host's exports from the queue
	}{
		{"idx160", "idx160", 160 * 160 * 4, false},
		{"rgba", "rgba", 320 * 180 * 4, false},
		// An embedder's page that does not set ebicartGoExports: the
		// queue copies through views instead.
		{"rgba-no-exports", "rgba", 320 * 180 * 4, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openPage(t, "?cart=carts/"+tc.cart+".wasm&rewind=false")
			if tc.noExports {
				const hide = `Object.defineProperty(window, 'ebicartGoExports', {get() {}, set() {}});`
				p.reloadWith(hide)
			}
			p.waitCart(tc.cart)
			if !tc.noExports && !eval[bool](p, `!!(window.ebicartGoExports && ebicartGoExports.mem)`) {
				t.Error("the page does not give its host's exports (ebicartGoExports): the worker's messages go through views")
			}
			p.waitUpdates(30)
			// Over 120 animation frames, measured in the page.
			r := evalAwait[[]float64](p, `(async () => {
				const a = ebicart.counts(true);
				`+awaitFrames(120)+`
				const b = ebicart.counts(true);
				return b.map((x, i) => x - a[i]);
			})()`)
			updates, uploads, mallocs, bytes := r[0], r[1], r[2], r[3]
			t.Logf("%s: %.0f updates, %.0f uploads; per update %.1f allocations, %.0f bytes", tc.cart, updates, uploads, mallocs/updates, bytes/updates)
			if uploads < 10 {
				t.Fatalf("%.0f uploads in 120 animation frames: the cart does not play", uploads)
			}
			if per := bytes / updates; per > float64(tc.frame)/16 {
				t.Fatalf("the page allocates %.0f bytes per update for a %d-byte frame: a frame-sized buffer per update", per, tc.frame)
			}
		})
	}
}

// TestFrameEveryAnimationFrame: for a cart whose frame changes every
// update, the page shows a new frame on nearly every animation frame of
// the browser's, and runs no tick it does not show. Before, Ebitengine's
// clock caught up on a page whose animation frames came slower than 60 Hz
// with up to five ticks a frame, each a round trip to the worker, of which
// only the last was drawn: about three updates per frame shown, a new
// frame on 0.7 of the animation frames (docs/design.md). Both are counts
// over 120 animation frames of the page's own, no timing: the bounds hold
// on a busy machine, where the frames merely come slower.
func TestFrameEveryAnimationFrame(t *testing.T) {
	for _, cart := range []string{"idx160", "rgba"} {
		t.Run(cart, func(t *testing.T) {
			p := openPage(t, "?cart=carts/"+cart+".wasm")
			p.waitCart(cart)
			p.waitUpdates(30)
			const frames = 120
			r := evalAwait[[]float64](p, fmt.Sprintf(`(async () => {
				const a = ebicart.counts();
				%s
				const b = ebicart.counts();
				return b.map((x, i) => x - a[i]);
			})()`, awaitFrames(frames)))
			updates, uploads := r[0], r[1]
			t.Logf("%s: %.0f new frames shown and %.0f updates in %d animation frames", cart, uploads, updates, frames)
			if uploads < 0.8*frames {
				t.Errorf("%.0f new frames in %d animation frames (%.2f), want at least 0.8 a frame", uploads, frames, uploads/frames)
			}
			if updates > uploads+2 {
				t.Errorf("%.0f updates for %.0f frames shown: the page runs ticks it never shows (catching up on a slow page?)", updates, uploads)
			}
		})
	}
}

// TestFramePathNoGPUWait: the page's thread does not wait for the GPU to
// upload a frame, on ebicart's page and on an embedder's (the arcade of
// examples/embed, four carts through package cart). Ebitengine's OpenGL
// driver calls WebGL's finish before each upload that follows a draw,
// which made the thread wait, every frame, for a round trip to the GPU
// process and for the last frame's drawing (internal/webgl). Counted, not
// timed: WebGL's own finish and texSubImage2D, wrapped before the page's
// scripts run; over 120 animation frames of play the page uploads and
// never calls finish.
func TestFramePathNoGPUWait(t *testing.T) {
	const count = `window.glFinishes = 0; window.glUploads = 0;
for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
  if (!C) continue;
  const finish = C.prototype.finish, upload = C.prototype.texSubImage2D;
  C.prototype.finish = function () { window.glFinishes++; return finish.call(this); };
  C.prototype.texSubImage2D = function (...a) { window.glUploads++; return upload.apply(this, a); };
}`
	for _, tc := range []struct{ name, query string }{
		{"player", "?cart=carts/rgba.wasm"},
		{"embed", "embed/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openPage(t, tc.query)
			p.reloadWith(count)
			p.wait(`window.glUploads >= 30`, 60*time.Second) // carts running
			r := evalAwait[[]float64](p, `(async () => {
				const u = glUploads, f = glFinishes;
				`+awaitFrames(120)+`
				return [glUploads - u, glFinishes - f];
			})()`)
			uploads, finishes := r[0], r[1]
			t.Logf("%s: %.0f uploads, %.0f calls of WebGL's finish", tc.name, uploads, finishes)
			if uploads < 10 {
				t.Fatalf("%.0f uploads in 120 animation frames: the carts do not play", uploads)
			}
			if finishes > 0 {
				t.Fatalf("WebGL's finish was called %.0f times in %.0f uploads: the page's thread waits for the GPU", finishes, uploads)
			}
		})
	}
}
