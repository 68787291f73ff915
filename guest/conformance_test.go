//go:build !js

package guest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/conformance"
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/guest/engine/wazero"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/race"
	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/wasm4"
)

// TestConformance runs the conformance suite on every engine of this
// process (the integration tests add the browser's) and requires the same
// frames, logs, saves and errors from each.
func TestConformance(t *testing.T) {
	cache := t.TempDir()
	for _, c := range cases() {
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

// cases is the suite, shortened under -race, where wazero compiles and
// runs several times slower (the integration tests run it whole, without
// -race).
func cases() []conformance.Case {
	cs := conformance.Cases()
	if !race.Enabled {
		return cs
	}
	var short []conformance.Case
	for _, c := range cs {
		if c.Name != "demo" && c.Name != "mandel" { // long compiles under -race
			c.Frames = min(c.Frames, 60)
			short = append(short, c)
		}
	}
	return short
}

// copyEngine is wazero with the memory's direct view hidden, as the
// browser's engine has none: the core's copying frame path, run here.
type copyEngine struct{ wazero.Engine }

func (e *copyEngine) Name() string { return "copy" }

func (e *copyEngine) DirectView() bool { return false }

func (e *copyEngine) Instantiate(ctx context.Context, spec engine.Spec) (engine.Instance, error) {
	in, err := e.Engine.Instantiate(ctx, spec)
	if err != nil {
		return nil, err
	}
	return copyInstance{in}, nil
}

type copyInstance struct{ engine.Instance }

func (i copyInstance) Memory() engine.Memory { return copyMemory{i.Instance.Memory()} }

type copyMemory struct{ engine.Memory }

func (copyMemory) Bytes() []byte { return nil }

// TestConformanceWithoutDirectView: the frame path for engines without a
// direct view of memory (the browser's) gives the same outcome as the one
// with it, here where both run.
func TestConformanceWithoutDirectView(t *testing.T) {
	cache := t.TempDir()
	for _, c := range cases() {
		if c.Name == "demo" || c.Name == "mandel" {
			continue // long, and nothing of the frame path they add
		}
		t.Run(c.Name, func(t *testing.T) {
			wasm, err := os.ReadFile(filepath.Join(testcarts.Root(), c.Cart))
			if err != nil {
				t.Fatal(err)
			}
			systems := []guest.System{wasm4.System()}
			direct := conformance.Run(context.Background(), guest.NewDirectLink(&wazero.Engine{Interruptible: true}, systems), true, wasm, c, cache)
			copied := conformance.Run(context.Background(), guest.NewDirectLink(&copyEngine{wazero.Engine{Interruptible: true}}, systems), true, wasm, c, cache)
			if d := conformance.Diff(direct, copied); d != "" {
				t.Error(d)
			}
		})
	}
}
