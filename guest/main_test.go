//go:build !js

package guest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/worker"
)

func TestMain(m *testing.M) {
	if worker.Serve() {
		return
	}
	os.Exit(m.Run())
}

// opts are test options: compiled code cached in memory, log lines in the
// test log.
func opts(t testing.TB) enginetest.Options {
	return enginetest.Options{Limits: enginetest.Short, Output: guest.Output{Log: func(line string) { t.Logf("cart: %s", line) }}}
}

func readCart(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)+".wasm"))
	if err != nil {
		t.Fatalf("%v (run make carts)", err)
	}
	return b
}

// load boots testdata/<name>.wasm on e.
func load(t testing.TB, e enginetest.Engine, name string) *enginetest.Cart {
	t.Helper()
	c, err := enginetest.Load(context.Background(), e, readCart(t, name), opts(t))
	if err != nil {
		t.Fatalf("Load(%s) on %s: %v", name, e.Name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// forEngines runs f as a subtest on each engine.
func forEngines(t *testing.T, f func(t *testing.T, e enginetest.Engine)) {
	for _, e := range enginetest.Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, e) })
	}
}
