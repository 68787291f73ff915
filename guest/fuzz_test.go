//go:build !js

package guest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes to Load as a cart and runs whatever loads
// for a few updates: every input must end in an error or a running cart,
// never a panic or a hang. Carts run in-process with wazero's context
// checks and a short CPU limit, so that the fuzzer is not slowed by a
// process per input.
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
	cache := f.TempDir()
	f.Fuzz(func(t *testing.T, wasm []byte) {
		cfg := Config{}.WithIsolation(IsolationInProcess).WithCPULimit(100 * time.Millisecond).
			WithMaxMemory(16 << 20).WithCompilationCacheDir(cache).WithLog(func(string) {})
		c, err := Load(context.Background(), wasm, cfg)
		if err != nil {
			return
		}
		defer c.Close()
		for range 3 {
			if err := c.Update(Input{}); err != nil {
				return
			}
			if _, err := c.Frame(); err != nil {
				t.Fatalf("Frame failed after a good Update: %v", err)
			}
		}
	})
}
