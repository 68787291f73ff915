//go:build !js

package integration

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/internal/testcarts"
)

// BenchmarkWebFrame measures the browser host's cost per frame in the page,
// for three carts, next to a JavaScript baseline measured in the same page:
// Uint8Array.set of the same number of bytes. Per frame, over 600 frames:
//
//   - update-p50: the update as the page's thread sees it, a round trip to
//     the cart's Web Worker (the cart's own work happens there);
//   - upload-p50: copying the packed frame into Go and WritePixels, on the
//     page's thread (timed with performance.now, Go's clock there);
//   - main-ms/frame: all the page thread's work (Chromium's TaskDuration
//     over the run, divided by the updates): scripts, Ebitengine's drawing,
//     layout, everything;
//   - fps and tps as Ebitengine counts them.
//
// make bench-web runs it; one iteration per cart is the measurement.
func BenchmarkWebFrame(b *testing.B) {
	carts := []struct {
		name  string
		bytes int // bytes the page copies per frame: the packed RGBA frame
	}{
		{"idx160", 160 * 160 * 4},
		{"rgba", 320 * 180 * 4},
		{"rgb360", 640 * 360 * 4},
	}
	for _, c := range carts {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				res := measureWebFrame(b, c.name, c.bytes)
				b.ReportMetric(res.hostP50, "frame-p50-µs")
				b.ReportMetric(res.hostP95, "frame-p95-µs")
				b.ReportMetric(res.uploadP50, "upload-p50-µs")
				b.ReportMetric(res.copyP50, "copy-p50-µs")
				b.ReportMetric(res.uploadP50/res.copyP50, "upload/copy")
				b.ReportMetric(res.mainMs, "main-ms/frame")
				b.ReportMetric(res.fps, "fps")
				b.ReportMetric(res.tps, "tps")
			}
		})
	}
}

type webFrameResult struct {
	hostP50, hostP95, uploadP50, copyP50, fps, tps, mainMs float64
}

func measureWebFrame(b *testing.B, cart string, nbytes int) webFrameResult {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	p := openPage(b, "?cart=carts/"+cart+".wasm")
	p.waitCart(cart)
	if _, err := chromedp.Call(p.ctx, performance.Enable, performance.EnableParams{}); err != nil {
		b.Fatal(err)
	}
	taskSeconds := func() float64 {
		r, err := chromedp.Call(p.ctx, performance.GetMetrics, cdp.Empty{})
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range r.Metrics {
			if m.Name == "TaskDuration" {
				return m.Value
			}
		}
		return 0
	}
	startUpdates, startTask := eval[int](p, `ebicart.stats().updates`), taskSeconds()
	// 600 drawn frames: headless Chromium draws at 25-45 fps while the
	// cart updates at 60 Hz, so this takes 15-25 s.
	startUploads := eval[int](p, `ebicart.stats().uploads`)
	p.wait(fmt.Sprintf(`ebicart.stats().uploads >= %d`, startUploads+600), 120*time.Second)
	endUpdates, endTask := eval[int](p, `ebicart.stats().updates`), taskSeconds()
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
	res := webFrameResult{hostP50: pct(st.Frames, 50), hostP95: pct(st.Frames, 95), uploadP50: st.UploadP50, copyP50: pct(copies, 50), fps: st.FPS, tps: st.TPS,
		mainMs: (endTask - startTask) * 1e3 / float64(max(1, endUpdates-startUpdates))}
	b.Logf("%s: frame (update round trip + copy + WritePixels) p50 %.1fµs p95 %.1fµs over %d frames, of which copy+WritePixels p50 %.1fµs; Uint8Array.set of %d bytes p50 %.2fµs: upload/copy %.1f; page thread %.2f ms per frame; %.0f fps %.0f tps",
		cart, res.hostP50, res.hostP95, len(st.Frames), res.uploadP50, nbytes, res.copyP50, res.uploadP50/res.copyP50, res.mainMs, res.fps, res.tps)
	return res
}

// BenchmarkWebWASM4 measures WASM-4 carts that make many drawing calls,
// in headless Chromium: updates per second against the rate at which a
// blank page of the same browser gets requestAnimationFrame callbacks,
// measured in the same run, and the median update (the page thread's round
// trip to the cart's Web Worker, the cart's work and its drawing calls
// included). The carts: stress (wasm4/testdata: 1,000 8x8 blits and 200
// texts an update) and, when W4_CARTS names a directory of WASM-4's
// archive (make w4-diff fetches it to W4REF/wasm4/site/static/carts),
// wasmstein3d, minicraft and plasma-cube from it. When W4_WEB_BENCH
// names the bundle make w4-diff builds from WASM-4's web runtime
// (W4REF/w4webbench.js, from internal/w4diff/ref/webbench.ts), each cart's
// update is timed there too, in a page of the same browser: WASM-4's own
// drawing code on the page thread, the median of 31 batches of 10
// updates.
//
//	cd integration && go test -run '^$' -bench BenchmarkWebWASM4 -benchtime 1x .
func BenchmarkWebWASM4(b *testing.B) {
	site(b) // siteDir, where the carts go
	carts := map[string]string{"stress": filepath.Join(testcarts.Root(), "wasm4", "testdata", "stress.wasm")}
	if dir := os.Getenv("W4_CARTS"); dir != "" {
		for _, name := range []string{"wasmstein3d", "minicraft", "plasma-cube"} {
			carts[name] = filepath.Join(dir, name+".wasm")
		}
	}
	for name, path := range carts {
		wasm, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(siteDir, "carts", "test", name+".wasm"), wasm, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(siteDir, "blank.html"), []byte("<!doctype html><title>blank</title>"), 0o644); err != nil {
		b.Fatal(err)
	}
	w4web := os.Getenv("W4_WEB_BENCH")
	if w4web != "" {
		js, err := os.ReadFile(w4web)
		if err != nil {
			b.Fatalf("W4_WEB_BENCH: %v (make w4-diff builds it)", err)
		}
		if err := os.WriteFile(filepath.Join(siteDir, "w4webbench.js"), js, 0o644); err != nil {
			b.Fatal(err)
		}
		page := `<!doctype html><title>w4webbench</title><script src="w4webbench.js"></script>`
		if err := os.WriteFile(filepath.Join(siteDir, "w4webbench.html"), []byte(page), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	// rate counts requestAnimationFrame callbacks over 300 frames and the
	// updates the cart ran meanwhile (0 on a page without one).
	const rate = `new Promise(done => {
		const updates = () => (window.ebicart && ebicart.stats && ebicart.stats()) ? ebicart.stats().updates : 0;
		let n = 0, t0 = 0, u0 = 0;
		const tick = t => {
			if (n === 0) { t0 = t; u0 = updates(); }
			if (n++ < 300) { requestAnimationFrame(tick); return; }
			const s = (t - t0) / 1000;
			done({raf: 300 / s, ups: (updates() - u0) / s});
		};
		requestAnimationFrame(tick);
	})`
	type rates struct {
		RAF float64 `json:"raf"`
		UPS float64 `json:"ups"`
	}
	measure := func(b *testing.B, query string, wait func(p *page)) (rates, *page) {
		p := openPage(b, query)
		wait(p)
		r, err := chromedp.Run(p.ctx, chromedp.Evaluate[rates](rate, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		return r, p
	}
	blank, _ := measure(b, "blank.html", func(*page) {})
	b.Logf("blank page: %.1f requestAnimationFrame callbacks a second", blank.RAF)
	names := slices.Sorted(maps.Keys(carts))
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				r, p := measure(b, "?cart=carts/test/"+name+".wasm", func(p *page) { p.waitCart(name) })
				p50 := eval[float64](p, `ebicart.stats().updateP50`)
				b.ReportMetric(r.UPS, "updates/s")
				b.ReportMetric(r.UPS/blank.RAF, "ups/blank-raf")
				b.ReportMetric(p50/1000, "update-p50-ms")
				b.Logf("%s: %.1f updates a second (%.2f of the blank page's %.1f requestAnimationFrame rate), median update %.2f ms",
					name, r.UPS, r.UPS/blank.RAF, blank.RAF, p50/1000)
				if w4web == "" {
					continue
				}
				w := openPage(b, "w4webbench.html")
				ms, err := chromedp.Run(w.ctx, chromedp.Evaluate[float64](fmt.Sprintf(`w4bench("carts/test/%s.wasm", 60, 31, 10)`, name), chromedp.EvalAwaitPromise))
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(ms, "w4web-update-ms")
				b.ReportMetric(p50/1000/ms, "update/w4web")
				b.Logf("%s: WASM-4's web runtime's drawing: update %.3f ms; ebicart's median update is %.1f times that", name, ms, p50/1000/ms)
			}
		})
	}
}
