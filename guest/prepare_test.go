//go:build !js

package guest

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/ebicart/ebicart/guest/engine/wazero"
)

// TestPrepareThenBoot: a cart prepared ahead of its boot (Prepare, as a
// browser worker does with the page's first cart while the host loads) is
// rewritten once: the Boot of the same bytes with the same settings finds
// the rewrite made, or waits for the one under way. A boot of another
// cart, or with settings that change the rewrite, makes its own.
func TestPrepareThenBoot(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good, other := read("good"), read("lifecycle")
	ctx, eng := context.Background(), &wazero.Engine{}
	forget := func() {
		rewrites.Lock()
		rewrites.last = nil
		rewrites.Unlock()
	}
	boot := func(wasm []byte, cfg BootConfig) {
		t.Helper()
		c, err := Boot(ctx, eng, append([]byte(nil), wasm...), cfg, CoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	steps := []struct {
		name  string
		do    func()
		wants int64 // rewrites made by the step
	}{
		{"prepare", func() { Prepare(ctx, eng, good, BootConfig{}, CoreOptions{}) }, 1},
		{"boot the prepared cart", func() { boot(good, BootConfig{}) }, 0},
		{"boot it again", func() { boot(good, BootConfig{}) }, 0},
		{"boot another cart", func() { boot(other, BootConfig{}) }, 1},
		{"boot the first again", func() { boot(good, BootConfig{}) }, 1},
		{"prepare and boot at once", func() {
			forget()
			var wg sync.WaitGroup
			wg.Go(func() { Prepare(ctx, eng, good, BootConfig{}, CoreOptions{}) })
			boot(good, BootConfig{})
			wg.Wait()
		}, 1},
		{"prepare a cart that is not one", func() { Prepare(ctx, eng, []byte("not wasm"), BootConfig{}, CoreOptions{}) }, 0},
	}
	forget()
	for _, s := range steps {
		before := rewritesMade.Load()
		s.do()
		if got := rewritesMade.Load() - before; got != s.wants {
			t.Errorf("%s: %d rewrites, want %d", s.name, got, s.wants)
		}
	}
}
