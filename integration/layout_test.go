//go:build !js

package integration

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// frameLayout is where the cart's frame is on the page and which page
// elements overlap it, from layoutScript.
type frameLayout struct {
	Frame  struct{ Left, Top, Right, Bottom float64 }
	Canvas struct{ Left, Top, Right, Bottom float64 }
	// Backing is the canvas's width in its own pixels and the frame's.
	Backing  struct{ Width, Frame float64 }
	Overlaps []string
}

// layoutScript finds the cart's frame on the page, in CSS pixels (the
// game reports it in the canvas's pixels), and every visible element of
// the page that overlaps it.
const layoutScript = `(() => {
  const c = document.querySelector('canvas'), cr = c.getBoundingClientRect(), r = ebicart.stats().frameRect;
  const k = cr.width / c.width;
  const frame = {left: cr.left + r[0] * k, top: cr.top + r[1] * k, right: cr.left + r[2] * k, bottom: cr.top + r[3] * k};
  const overlaps = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e === c || e.contains(c) || e.closest('[hidden]')) continue;
    const st = getComputedStyle(e);
    if (st.display === 'none' || st.visibility === 'hidden' || st.opacity === '0') continue;
    const b = e.getBoundingClientRect();
    if (b.width === 0 || b.height === 0) continue;
    if (b.left < frame.right && b.right > frame.left && b.top < frame.bottom && b.bottom > frame.top)
      overlaps.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' at ' + JSON.stringify(b));
  }
  return {frame, canvas: {left: cr.left, top: cr.top, right: cr.right, bottom: cr.bottom}, backing: {width: c.width, frame: r[2] - r[0]}, overlaps};
})()`

// TestPageNeverCoversCart: on a phone held upright, a laptop and a desktop
// screen, no element of the page overlaps the cart's frame while it
// plays, the pointer over the page or not; and the frame fills the screen
// at the largest whole scale that fits.
func TestPageNeverCoversCart(t *testing.T) {
	for _, tc := range []struct {
		vp             viewport
		cart           string
		frameW, frameH int
	}{
		// Carts that would fill the screen: the strip must take room.
		{viewport{w: 390, h: 844, scale: 3, mobile: true}, "idx160", 160, 160},
		{viewport{w: 1280, h: 720}, "rgba", 320, 180},
		{viewport{w: 1920, h: 1080}, "rgba", 320, 180},
		// A phone held sideways: the touch controls go beside the frame.
		{viewport{w: 844, h: 390, scale: 3, mobile: true}, "idx160", 160, 160},
		// A small phone with a wide cart, and a short, wide window.
		{viewport{w: 360, h: 640, scale: 2, mobile: true}, "rgba", 320, 180},
		{viewport{w: 1500, h: 300}, "idx160", 160, 160},
	} {
		vp := tc.vp
		t.Run(fmt.Sprintf("%dx%d", vp.w, vp.h), func(t *testing.T) {
			p := openPageOn(t, "?cart=carts/"+tc.cart+".wasm", vp)
			p.waitCart(tc.cart)
			for _, hover := range []string{"", "#toolbar", "canvas"} {
				if hover != "" {
					p.hover(hover)
				}
				p.waitDrawn()
				l := eval[frameLayout](p, layoutScript)
				if len(l.Overlaps) > 0 {
					t.Fatalf("pointer over %q: page elements over the cart's frame %+v:\n%s", hover, l.Frame, strings.Join(l.Overlaps, "\n"))
				}
				// The frame at the largest whole scale of the page's device
				// pixels below the strip, and the canvas fitted to it
				// (player.js fit): no pixel around the frame to fill.
				dpr := max(vp.scale, 1)
				aw, ah := int(float64(vp.w)*dpr), int(float64(vp.h-stripH)*dpr)
				want := float64(tc.frameW * min(aw/tc.frameW, ah/tc.frameH))
				if got := (l.Frame.Right - l.Frame.Left) * dpr; got < want-1 || got > want+1 {
					t.Fatalf("the frame is %.0f device pixels wide on a %dx%d page, want %.0f", got, aw, ah, want)
				}
				// In the canvas's own pixels: the page rounds its size up
				// to whole CSS pixels, at most dpr device pixels more.
				if cw, fw := l.Backing.Width, l.Backing.Frame; cw > fw+math.Ceil(dpr) {
					t.Fatalf("the canvas has %.0f pixels across for a frame of %.0f: it should fit the frame", cw, fw)
				}
				if l.Frame.Top < l.Canvas.Top || l.Frame.Bottom > l.Canvas.Bottom || l.Frame.Left < l.Canvas.Left || l.Frame.Right > l.Canvas.Right {
					t.Fatalf("the frame %+v is not within the canvas %+v", l.Frame, l.Canvas)
				}
			}
			if vp.mobile {
				checkTouchControls(t, p, vp)
			}
			p.screenshot() // for a person to look at, with EBICART_SHOTS
		})
	}
}

// TestPageRefitsOnResize: the canvas fitted to the frame has the frame's
// own pixels and follows the window: made smaller, the frame takes the
// largest whole scale that still fits, and the canvas on the page its
// size, centred below the strip.
func TestPageRefitsOnResize(t *testing.T) {
	p := openPageOn(t, "?cart=carts/rgba.wasm", viewport{w: 1280, h: 720})
	p.waitCart("rgba")
	for _, vp := range []viewport{{w: 1000, h: 600}, {w: 1920, h: 1080}} {
		if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(vp.w, vp.h)); err != nil {
			t.Fatal(err)
		}
		s := min(int(vp.w)/320, int(vp.h-stripH)/180)
		p.wait(fmt.Sprintf(`(() => { const c = document.querySelector('canvas'), r = ebicart.stats().frameRect;
			return c.width === 320 && c.height === 180 && r[2] - r[0] === 320 && c.getBoundingClientRect().width === %d; })()`, 320*s), 10*time.Second)
		p.waitDrawn()
		l := eval[frameLayout](p, layoutScript)
		wantLeft, wantTop := float64((int(vp.w)-320*s)/2), float64(stripH+(int(vp.h-stripH)-180*s)/2)
		if l.Canvas.Left != wantLeft || l.Canvas.Top != wantTop || l.Frame.Left != wantLeft || l.Frame.Top != wantTop {
			t.Fatalf("in %dx%d the canvas is at (%.0f, %.0f) and the frame at (%.0f, %.0f), want both at (%.0f, %.0f)",
				vp.w, vp.h, l.Canvas.Left, l.Canvas.Top, l.Frame.Left, l.Frame.Top, wantLeft, wantTop)
		}
	}
}

// checkTouchControls touches the frame, which shows the on-screen
// controls, and checks that they fit on the screen, cover neither the
// frame nor each other's page elements, and sit below the frame held
// upright and beside it held sideways.
func checkTouchControls(t *testing.T, p *page, vp viewport) {
	t.Helper()
	fx, fy := p.framePixel(160, 160, 80, 80)
	p.tap(fx, fy, `!!ebicart.stats().touch.a`)
	p.waitDrawn()
	l := eval[frameLayout](p, layoutScript)
	// The controls need the page: the canvas fills it again.
	if w, h := l.Canvas.Right-l.Canvas.Left, l.Canvas.Bottom-l.Canvas.Top; w != float64(vp.w) || h != float64(vp.h-stripH) {
		t.Fatalf("with the touch controls shown, the canvas is %.0fx%.0f, want the page below the strip, %dx%d", w, h, vp.w, vp.h-stripH)
	}
	if len(l.Overlaps) > 0 {
		t.Fatalf("with the touch controls shown, page elements over the cart's frame %+v:\n%s", l.Frame, strings.Join(l.Overlaps, "\n"))
	}
	for _, name := range []string{"dpad", "a", "b", "start", "select"} {
		type rect struct{ Left, Top, Right, Bottom float64 }
		b := eval[rect](p, fmt.Sprintf(`(() => {
			const c = document.querySelector('canvas'), cr = c.getBoundingClientRect(), k = cr.width / c.width;
			const r = ebicart.stats().touch[%q];
			return {left: cr.left + r[0] * k, top: cr.top + r[1] * k, right: cr.left + r[2] * k, bottom: cr.top + r[3] * k};
		})()`, name))
		x, y := (b.Left+b.Right)/2, (b.Top+b.Bottom)/2
		if b.Left < l.Canvas.Left-1 || b.Right > l.Canvas.Right+1 || b.Top < l.Canvas.Top-1 || b.Bottom > l.Canvas.Bottom+1 {
			t.Errorf("the %s control %+v is off the screen %+v", name, b, l.Canvas)
		}
		if b.Left < l.Frame.Right && b.Right > l.Frame.Left && b.Top < l.Frame.Bottom && b.Bottom > l.Frame.Top {
			t.Errorf("the %s control %+v covers the frame %+v", name, b, l.Frame)
		}
		if vp.h > vp.w && y < l.Frame.Bottom {
			t.Errorf("held upright, the %s control (y %.0f) is not below the frame (bottom %.0f)", name, y, l.Frame.Bottom)
		}
		if vp.w > vp.h && x > l.Frame.Left && x < l.Frame.Right {
			t.Errorf("held sideways, the %s control (x %.0f) is not beside the frame (%.0f to %.0f)", name, x, l.Frame.Left, l.Frame.Right)
		}
	}
}

// hover moves the mouse over the centre of the element sel.
func (p *page) hover(sel string) {
	p.t.Helper()
	type pt struct{ X, Y float64 }
	c := eval[pt](p, fmt.Sprintf(`(() => { const b = document.querySelector(%q).getBoundingClientRect(); return {x: b.left + b.width / 2, y: b.top + b.height / 2}; })()`, sel))
	p.mouse(input.DispatchMouseEventTypeMouseMoved, c.X, c.Y)
}

// mouse sends a mouse event of type typ at (x, y), in CSS pixels.
func (p *page) mouse(typ input.DispatchMouseEventType, x, y float64) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonNone}); err != nil {
		p.t.Fatalf("mouse %s at (%.0f,%.0f): %v", typ, x, y, err)
	}
}

// click clicks the left mouse button at the centre of the element sel.
func (p *page) click(sel string) {
	p.t.Helper()
	type pt struct{ X, Y float64 }
	c := eval[pt](p, fmt.Sprintf(`(() => { const b = document.querySelector(%q).getBoundingClientRect(); return {x: b.left + b.width / 2, y: b.top + b.height / 2}; })()`, sel))
	for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
		if _, err := chromedp.Call(p.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: typ, X: c.X, Y: c.Y, Button: input.MouseButtonLeft, ClickCount: 1}); err != nil {
			p.t.Fatalf("click %s: %v", sel, err)
		}
	}
}

// TestPageMessageOnPhone: a message of the strip is read whole on a phone,
// where it takes a second row and the strip grows without covering the
// cart; and a file opened is checked against the URL's max-cart-size.
func TestPageMessageOnPhone(t *testing.T) {
	vp := viewport{w: 390, h: 844, scale: 3, mobile: true}
	p := openPageOn(t, "?cart=carts/idx160.wasm&max-cart-size=64KiB", vp)
	p.waitCart("idx160")
	file := filepath.Join(t.TempDir(), "big.wasm")
	if err := os.WriteFile(file, make([]byte, 100<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.CSS("#picker"), []string{file})); err != nil {
		t.Fatal(err)
	}
	p.wait(`document.getElementById('status').textContent !== ''`, 10*time.Second)
	const want = "cart: big.wasm is 100.0 KiB, more than the limit of 64.0 KiB (max-cart-size): not read"
	if got := eval[string](p, `document.getElementById('status').textContent`); got != want {
		t.Fatalf("the strip says %q, want %q", got, want)
	}
	p.waitDrawn()
	clipped := eval[bool](p, `(() => {
	  const e = document.getElementById('status'), bar = document.getElementById('toolbar').getBoundingClientRect(), b = e.getBoundingClientRect();
	  return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1 || b.bottom > bar.bottom + 1 || b.right > bar.right + 1;
	})()`)
	if clipped {
		t.Fatalf("the message is cut off on a %dx%d phone", vp.w, vp.h)
	}
	if l := eval[frameLayout](p, layoutScript); len(l.Overlaps) > 0 {
		t.Fatalf("with the message shown, page elements over the cart's frame %+v:\n%s", l.Frame, strings.Join(l.Overlaps, "\n"))
	}
	p.screenshot() // for a person to look at, with EBICART_SHOTS
}
