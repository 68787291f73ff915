package guest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ebicart/ebicart/guest/conformance"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestConformance runs the conformance suite on every engine of this
// process (the integration tests add the browser's) and requires the same
// frames, logs, saves and errors from each.
func TestConformance(t *testing.T) {
	cache := t.TempDir()
	for _, c := range conformance.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			wasm, err := os.ReadFile(filepath.Join(testcarts.Root(), c.Cart))
			if err != nil {
				t.Fatalf("%v (run make carts)", err)
			}
			var first conformance.Outcome
			for i, e := range enginetest.Engines() {
				link, stops, err := e.Open()
				if err != nil {
					t.Fatal(err)
				}
				out := conformance.Run(context.Background(), link, stops, wasm, c, cache)
				if out.Err != nil && out.Err.Kind == "worker" {
					t.Fatalf("%s: %+v", e.Name, out.Err)
				}
				if i == 0 {
					first = out
					t.Logf("%s: %s", e.Name, out.Summary())
					continue
				}
				if d := conformance.Diff(first, out); d != "" {
					t.Errorf("%s vs %s: %s", first.Engine, out.Engine, d)
				}
			}
		})
	}
}
