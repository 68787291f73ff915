//go:build !js

package guest

import (
	"context"
	"io/fs"
	"testing"

	"github.com/ebicart/ebicart/assets"
)

// BenchmarkUpdate measures one tick of a cart (input, update, framebuffer,
// descriptor check) under each way of running it:
//
//	compiled     wazero's compiler in this process, no CPU limit: the baseline
//	process      a worker process the host kills at the deadline (Linux)
//	closeondone  this process, wazero's context checks in every loop
//
// mandel is loop-heavy (a Mandelbrot zoom), rgba a light 320x180 frame.
// The ns/op ratios to compiled, same run, are what matter (make bench
// prints them).
func BenchmarkUpdate(b *testing.B) {
	mechanisms := []struct {
		name string
		iso  Isolation
	}{
		{"compiled", IsolationNone},
		{"process", IsolationProcess},
		{"closeondone", IsolationInProcess},
	}
	for _, c := range []string{"mandel", "rgba"} {
		wasm, err := fs.ReadFile(assets.Carts, c+".wasm")
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range mechanisms {
			if m.iso == IsolationProcess && !processSupported {
				continue
			}
			b.Run(c+"/"+m.name, func(b *testing.B) {
				cfg := Config{}.WithIsolation(m.iso).WithCPULimit(10 * 1e9)
				cart, err := Load(context.Background(), wasm, cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer cart.Close()
				for b.Loop() {
					if err := cart.Update(Input{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
