//go:build !js

package guest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/enginetest"
)

// FuzzLoad feeds arbitrary bytes to the core as a cart and runs whatever
// loads for a few updates: every input must end in an error or a running
// cart, never a panic or a hang. Carts run in-process with wazero's
// context checks and a short CPU limit, so that the fuzzer is not slowed by
// a process per input.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"testdata", "testdata/hostile"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err == nil && len(b) < 1<<16 {
				f.Add(b)
			}
		}
	}
	e := enginetest.Engines()[0] // in-process
	f.Fuzz(func(t *testing.T, wasm []byte) {
		o := enginetest.Options{Config: guest.BootConfig{MaxPages: 256},
			Limits: guest.Limits{Start: 100 * time.Millisecond, Update: 100 * time.Millisecond}}
		c, err := enginetest.Load(context.Background(), e, wasm, o)
		if err != nil {
			return
		}
		defer c.Close()
		for range 3 {
			if err := c.Update(guest.Input{}); err != nil {
				return
			}
			if _, err := c.Frame(); err != nil {
				t.Fatalf("Frame failed after a good Update: %v", err)
			}
		}
	})
}
