//go:build !js

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestArcadeRuns builds the example and runs it in a real window (Xvfb in
// CI) for two seconds of updates: all four carts load and run without
// error (the binary exits 1 if one failed).
func TestArcadeRuns(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no X display in CI: run the tests with make test (xvfb-run)")
		}
		t.Skip("no X display: run under xvfb-run (make test)")
	}
	bin := filepath.Join(t.TempDir(), "arcade")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "-frames", "120").CombinedOutput(); err != nil {
		t.Fatalf("the arcade: %v\n%s", err, out)
	}
}
