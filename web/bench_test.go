//go:build !js

package web

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkWebFrame measures the browser host's cost per frame, in the page:
// update + copy out of the cart + pack + WritePixels, timed with
// performance.now over 600 frames, next to a JavaScript baseline measured in
// the same page: Uint8Array.set of the same number of bytes. make bench-web
// runs it (one iteration per cart is the measurement).
func BenchmarkWebFrame(b *testing.B) {
	carts := []struct {
		name  string
		bytes int // bytes the host copies per frame
	}{
		{"w4", 160 * 160 / 4},
		{"rgba", 320 * 180 * 4},
		{"rgb360", 640 * 360 * 3},
	}
	for _, c := range carts {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				res := measureWebFrame(b, c.name, c.bytes)
				b.ReportMetric(res.hostP50, "host-p50-µs")
				b.ReportMetric(res.hostP95, "host-p95-µs")
				b.ReportMetric(res.uploadP50, "upload-p50-µs")
				b.ReportMetric(res.copyP50, "copy-p50-µs")
				b.ReportMetric(res.hostP50/res.copyP50, "ratio")
				b.ReportMetric(res.fps, "fps")
				b.ReportMetric(res.tps, "tps")
			}
		})
	}
}

type webFrameResult struct {
	hostP50, hostP95, uploadP50, copyP50, fps, tps float64
}

func measureWebFrame(b *testing.B, cart string, nbytes int) webFrameResult {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	p := openPage(b, "?cart=carts/"+cart+".wasm")
	p.waitCart(cart)
	p.wait(`ebicart.stats().updates >= 620`, 60*time.Second)
	type stats struct {
		Frames    []float64 `json:"-"`
		Update    []float64 `json:"update"`
		Upload    []float64 `json:"upload"`
		UploadP50 float64   `json:"uploadP50"`
		FPS       float64   `json:"fps"`
		TPS       float64   `json:"tps"`
	}
	st := eval[stats](p, `(() => { const s = ebicart.stats(); return {update: s.update, upload: s.upload, uploadP50: s.uploadP50, fps: s.fps, tps: s.tps}; })()`)
	// A frame's host cost: its update plus the upload of what it drew
	// (every update of these carts changes the frame).
	n := min(len(st.Update), len(st.Upload))
	st.Frames = make([]float64, n)
	for i := range n {
		st.Frames[i] = st.Update[len(st.Update)-n+i] + st.Upload[len(st.Upload)-n+i]
	}
	copies := eval[[]float64](p, fmt.Sprintf(`(() => {
		const n = %d, src = new Uint8Array(n), dst = new Uint8Array(n), out = [];
		const reps = Math.max(20, Math.ceil(4e6 / n)); // batches long enough for the timer
		for (let i = 0; i < n; i++) src[i] = i;
		for (let r = 0; r < 600; r++) {
			const t0 = performance.now();
			for (let k = 0; k < reps; k++) dst.set(src);
			out.push((performance.now() - t0) / reps * 1000);
		}
		return out;
	})()`, nbytes))
	slices.Sort(st.Frames)
	slices.Sort(copies)
	pct := func(s []float64, p int) float64 { return s[min(len(s)-1, len(s)*p/100)] }
	res := webFrameResult{hostP50: pct(st.Frames, 50), hostP95: pct(st.Frames, 95), uploadP50: st.UploadP50, copyP50: pct(copies, 50), fps: st.FPS, tps: st.TPS}
	b.Logf("%s: frame (update+copy+pack+WritePixels) p50 %.1fµs p95 %.1fµs over %d frames, of which copy+pack+WritePixels p50 %.1fµs; Uint8Array.set of %d bytes p50 %.2fµs; ratio %.1f (frame) %.1f (upload); %.0f fps %.0f tps",
		cart, res.hostP50, res.hostP95, len(st.Frames), res.uploadP50, nbytes, res.copyP50, res.hostP50/res.copyP50, res.uploadP50/res.copyP50, res.fps, res.tps)
	return res
}
