//go:build !js

package guest_test

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine/wazero"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/worker"
)

// BenchmarkUpdate measures one tick of a cart (input, update, framebuffer,
// descriptor check, change check) on each engine:
//
//	compiled   wazero's compiler in this process, no way to stop a
//	           call: the baseline, not an engine carts run on
//	unbounded  the same without the stack bound (wasmbin.BoundStack):
//	           compiled/unbounded is what the bound costs
//	locked     a worker process the host kills at the deadline, locked
//	           down (seccomp, Landlock) as carts run (Linux)
//	unlocked   the same worker without its lockdown: locked/unlocked is
//	           what the lockdown costs
//	inprocess  this process, wazero's context checks in every loop
//
// mandel is loop-heavy (a Mandelbrot zoom), rgba a light 320x180 frame,
// demo the Go demo cart (call-heavy: what the stack bound costs most).
// The ns/op ratios to compiled, same run, are what matter (make bench
// prints them).
func BenchmarkUpdate(b *testing.B) {
	engines := []enginetest.Engine{{Name: "compiled", Open: func() (guest.Link, bool, error) {
		return guest.NewDirectLink(&wazero.Engine{}, nil), false, nil
	}}, {Name: "unbounded", Open: func() (guest.Link, bool, error) {
		return guest.NewUnboundedDirectLink(&wazero.Engine{}), false, nil
	}}}
	for _, e := range enginetest.Engines() {
		if e.Name == "process" {
			e.Name = "locked"
			engines = append(engines, e, enginetest.Engine{Name: "unlocked", Open: worker.OpenUnlocked})
			continue
		}
		engines = append(engines, e)
	}
	for _, c := range []string{"mandel", "rgba", "demo"} {
		wasm, err := fs.ReadFile(assets.Carts, c+".wasm")
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range engines {
			b.Run(c+"/"+e.Name, func(b *testing.B) {
				o := enginetest.Options{Limits: guest.Limits{Update: 10 * time.Second}}
				cart, err := enginetest.Load(context.Background(), e, wasm, o)
				if err != nil {
					b.Fatal(err)
				}
				defer cart.Close()
				for b.Loop() {
					if err := cart.Update(guest.Input{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
