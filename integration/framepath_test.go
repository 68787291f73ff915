//go:build !js

package integration

import (
	"testing"
)

// TestFramePathAllocates: a cart whose frame changes every update costs
// the page no frame-sized allocation per update: the frame comes in a
// buffer that goes back to the worker with the next tick, into a Go buffer
// kept from frame to frame, and is uploaded from there. What the page does
// allocate per update (syscall/js's handles for every JavaScript value it
// touches, Ebitengine's own) is small and bounded here. Rewind is off: its
// history takes a state every second or so by design (docs/design.md).
func TestFramePathAllocates(t *testing.T) {
	for _, tc := range []struct {
		cart  string
		frame int // bytes of its packed frame
	}{{"idx160", 160 * 160 * 4}, {"rgba", 320 * 180 * 4}} {
		t.Run(tc.cart, func(t *testing.T) {
			p := openPage(t, "?cart=carts/"+tc.cart+".wasm&rewind=false")
			p.waitCart(tc.cart)
			p.waitUpdates(30)
			// Over 120 animation frames, measured in the page.
			r := evalAwait[[]float64](p, `(async () => {
				const a = ebicart.counts();
				await new Promise((ok) => { let n = 0; const f = () => (++n < 120 ? requestAnimationFrame(f) : ok()); requestAnimationFrame(f); });
				const b = ebicart.counts();
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
