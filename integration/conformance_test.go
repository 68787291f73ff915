//go:build !js

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ebicart/ebicart/guest/conformance"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// harnessPage runs the conformance harness (guest/conformance/harness):
// the cart's Web Worker and the suite's driver, no Ebitengine host.
const harnessPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>ebicart conformance</title></head>
<body>
<script src="wasm_exec.js"></script>
<script>
(async () => {
  const go = new Go();
  const {instance} = await WebAssembly.instantiateStreaming(fetch('harness.wasm'), go.importObject);
  go.run(instance);
})();
</script>
</body></html>
`

// TestEngineConformance runs the conformance suite on every engine this
// machine has, the browser's in headless Chromium included, and requires
// the same frames (a hash of each of up to 600), log lines, saves and
// errors from each. With -v it prints the table.
func TestEngineConformance(t *testing.T) {
	base := site(t)
	cases := conformance.Cases()
	dir := filepath.Join(siteDir, "carts", "conformance")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	wasms := map[string][]byte{}
	for _, c := range cases {
		b, err := os.ReadFile(filepath.Join(testcarts.Root(), c.Cart))
		if err != nil {
			t.Fatalf("%v (run make carts)", err)
		}
		wasms[c.Name] = b
		if err := os.WriteFile(filepath.Join(dir, c.Name+".wasm"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := chromedp.NewContext(browser(t))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/harness.html"),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
		t.Fatalf("the harness page: %v", err)
	}
	cache := t.TempDir()
	table := map[string][]string{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var outs []conformance.Outcome
			for _, e := range enginetest.Engines() {
				link, stops, err := e.Open()
				if err != nil {
					t.Fatal(err)
				}
				outs = append(outs, conformance.Run(context.Background(), link, stops, wasms[c.Name], c, cache))
			}
			js, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`ebicartConformance.run(%q)`, c.Name), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("browser: %v", err)
			}
			var b conformance.Outcome
			if err := json.Unmarshal([]byte(js), &b); err != nil {
				t.Fatalf("browser: %v", err)
			}
			outs = append(outs, b)
			for _, o := range outs {
				if o.Err != nil && o.Err.Kind == "worker" {
					t.Fatalf("%s: %+v", o.Engine, *o.Err)
				}
				if d := conformance.Diff(outs[0], o); d != "" {
					t.Errorf("%s vs %s: %s", outs[0].Engine, o.Engine, d)
				}
			}
			row := []string{}
			for _, o := range outs {
				row = append(row, o.Engine)
			}
			table[c.Name] = []string{outs[0].Summary(), strings.Join(row, ", ")}
		})
	}
	names := make([]string, 0, len(table))
	for n := range table {
		names = append(names, n)
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteString("| case | outcome (identical on) |\n|---|---|\n")
	for _, n := range names {
		fmt.Fprintf(&sb, "| %s | %s (%s) |\n", n, table[n][0], table[n][1])
	}
	t.Logf("conformance, %d cases, engines %v:\n%s", len(names), append(engineNames(), "browser"), sb.String())
}

func engineNames() []string {
	var n []string
	for _, e := range enginetest.Engines() {
		n = append(n, e.Name)
	}
	return n
}
