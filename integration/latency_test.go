//go:build !js

package integration

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// latencyScript, run in the page before its own scripts, watches every
// WebGL draw to the screen: after each it reads the screen's pixel at
// window.latencyAt (set once the cart runs: frame pixel 0 of the input
// echo cart, its buttons byte), and notes the time from a Z key's down
// (the event's own time stamp, when the browser took it in) to the first
// draw that shows its bit, 0x10.
const latencyScript = `(() => {
  const st = window.latency = {downAt: 0, shown: -1, out: []};
  addEventListener('keydown', (e) => { if (e.code === 'KeyZ' && !e.repeat) st.downAt = e.timeStamp; }, true);
  const px = new Uint8Array(4);
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of ['drawElements', 'drawArrays']) {
      const f = proto[name];
      proto[name] = function (...args) {
        f.apply(this, args);
        const at = window.latencyAt;
        if (!at || this.getParameter(this.FRAMEBUFFER_BINDING) !== null) return;
        this.readPixels(at.x, at.y, 1, 1, this.RGBA, this.UNSIGNED_BYTE, px);
        st.shown = px[0];
        if (st.downAt && px[0] === 0x10) { st.out.push(performance.now() - st.downAt); st.downAt = 0; }
      };
    }
  }
})()`

// BenchmarkWebKeyLatency measures, in the page, the time from a key down
// (Z: the A button) to the first frame drawn that shows it, with the input
// echo cart: the median of 20 presses. Its window twin is
// BenchmarkKeyLatency of package game (make bench-frame's machine, Xvfb).
func BenchmarkWebKeyLatency(b *testing.B) {
	for b.Loop() {
		p := openPage(b, "?cart=carts/test/input_echo.wasm")
		p.reloadWith(latencyScript)
		p.waitCart("input_echo")
		// Frame pixel 0's centre in the drawing buffer's pixels, from the
		// bottom (WebGL's rows go up).
		eval[bool](p, `(() => { const c = document.querySelector('canvas'), r = ebicart.stats().frameRect, s = (r[2] - r[0]) / 32;
			window.latencyAt = {x: Math.floor(r[0] + s / 2), y: c.height - 1 - Math.floor(r[1] + s / 2)}; return true; })()`)
		p.wait(`latency.shown === 0`, 10*time.Second)
		const presses = 20
		for i := range presses {
			keyDown(b, p, "z", "KeyZ", 90)
			p.wait(fmt.Sprintf(`latency.out.length > %d && latency.shown === 0x10`, i), 10*time.Second)
			keyUp(b, p, "z", "KeyZ", 90)
			p.wait(`latency.shown === 0`, 10*time.Second)
		}
		out := eval[[]float64](p, `latency.out`)
		slices.Sort(out)
		med := out[len(out)/2]
		b.ReportMetric(med, "key-to-frame-ms")
		b.Logf("page: key down to the first frame showing it, median of %d: %.1f ms (all %.1f)", len(out), med, out)
	}
}
