//go:build !js

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/guest/conformance"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/guest/replay"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestDeterminism records a session of 3,000 frames of each determinism
// cart (the Go demo, a WASM-4 cart, a cart that reads random_get and the
// clocks, a C cart with float math), writes it as a replay file, and plays
// the file back on the in-process, worker-process and browser engines:
// every frame's hash must be the same on each.
func TestDeterminism(t *testing.T) {
	base := site(t)
	dir := filepath.Join(siteDir, "carts", "conformance")
	os.MkdirAll(dir, 0o755)
	ctx, cancel := chromedp.NewContext(browser(t))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/harness.html"),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
		t.Fatalf("the harness page: %v", err)
	}
	cache := t.TempDir()
	var table []string
	for _, c := range conformance.Determinism() {
		t.Run(c.Name, func(t *testing.T) {
			wasm, err := os.ReadFile(filepath.Join(testcarts.Root(), c.Cart))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, c.Name+".wasm"), wasm, 0o644); err != nil {
				t.Fatal(err)
			}
			file := conformance.Record(c, wasm)
			r, err := replay.Parse(strings.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			played := c
			played.Input, played.Replay = nil, r
			var outs []conformance.Outcome
			for _, e := range enginetest.Engines() {
				link, stops, err := e.Open()
				if err != nil {
					t.Fatal(err)
				}
				outs = append(outs, conformance.Run(context.Background(), link, stops, wasm, played, cache))
			}
			js, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`ebicartConformance.replay(%q, %q)`, c.Name, file), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("browser: %v", err)
			}
			var b conformance.Outcome
			if err := json.Unmarshal([]byte(js), &b); err != nil {
				t.Fatalf("browser: %v", err)
			}
			outs = append(outs, b)
			for _, o := range outs {
				if o.Err != nil {
					t.Fatalf("%s: %+v", o.Engine, *o.Err)
				}
				if len(o.Hashes) != c.Frames+1 {
					t.Fatalf("%s: %d frames hashed, want %d", o.Engine, len(o.Hashes), c.Frames+1)
				}
				if d := conformance.Diff(outs[0], o); d != "" {
					t.Errorf("%s vs %s: %s", outs[0].Engine, o.Engine, d)
				}
			}
			table = append(table, fmt.Sprintf("| %s | %d | %d input lines | %s |", c.Name, c.Frames, len(r.Lines), strings.Join(engineList(outs), ", ")))
		})
	}
	t.Logf("determinism (a recorded session replayed, every frame's hash):\n| cart | frames | replay | identical on |\n|---|---|---|---|\n%s", strings.Join(table, "\n"))
}

func engineList(outs []conformance.Outcome) []string {
	var n []string
	for _, o := range outs {
		n = append(n, o.Engine)
	}
	return n
}
