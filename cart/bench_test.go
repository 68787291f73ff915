//go:build !js

package cart_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// benchCarts are the carts of the rewind and state benchmarks: the Go demo
// (2.7 MiB of memory) and a WASM-4 cart (64 KiB).
func benchCarts(b *testing.B) map[string][]byte {
	demo, err := fs.ReadFile(assets.Carts, "demo.wasm")
	if err != nil {
		b.Fatal(err)
	}
	w4, err := os.ReadFile(filepath.Join(testcarts.Root(), "wasm4", "testdata", "draw.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	return map[string][]byte{"demo": demo, "wasm4": w4}
}

func loadBench(b *testing.B, wasm []byte, opts *cart.Options) *cart.Cart {
	b.Helper()
	c, err := cart.Load(wasm, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	for range 60 { // past start-up
		if err := c.Update(); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

// BenchmarkCartUpdate is an update through package cart, on the default
// engine: the baseline of BenchmarkRewindRecord (make bench prints the
// ratio).
func BenchmarkCartUpdate(b *testing.B) {
	for _, name := range []string{"demo", "wasm4"} {
		b.Run(name, func(b *testing.B) {
			c := loadBench(b, benchCarts(b)[name], nil)
			for b.Loop() {
				if err := c.Update(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRewindRecord is the rewind history's cost per update, amortised:
// the input noted every update, and a keyframe state every second or two.
func BenchmarkRewindRecord(b *testing.B) {
	for _, name := range []string{"demo", "wasm4"} {
		b.Run(name, func(b *testing.B) {
			c := loadBench(b, benchCarts(b)[name], &cart.Options{Rewind: true})
			frame := uint32(c.Frames())
			for b.Loop() {
				cart.RewindBefore(c, frame)
				frame++
			}
			b.ReportMetric(float64(cart.RewindBytes(c))/(1<<20), "history-MiB")
		})
	}
}

// BenchmarkSaveState is one save state, as F5 makes it.
func BenchmarkSaveState(b *testing.B) {
	for _, name := range []string{"demo", "wasm4"} {
		b.Run(name, func(b *testing.B) {
			c := loadBench(b, benchCarts(b)[name], nil)
			var n int
			for b.Loop() {
				state, err := c.SaveState()
				if err != nil {
					b.Fatal(err)
				}
				n = len(state)
			}
			b.ReportMetric(float64(n)/1024, "state-KiB")
		})
	}
}
