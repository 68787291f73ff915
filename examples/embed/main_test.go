//go:build !js

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// TestWrapText: a cabinet's error wraps to its screen and is cut, with
// "...", where the screen ends.
func TestWrapText(t *testing.T) {
	for _, tc := range []struct {
		name       string
		s          string
		cols, rows int
		want       []string
	}{
		{"fits", "TILT! boom", 20, 3, []string{"TILT! boom"}},
		{"at spaces", "TILT! update did not return", 12, 3, []string{"TILT! update", "did not", "return"}},
		{"a long word", "abcdefghijkl", 5, 4, []string{"abcde", "fghij", "kl"}},
		{"lines kept", "a\nb", 5, 3, []string{"a", "b"}},
		{"cut", "one two three four five", 5, 2, []string{"one", "tw..."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrapText(tc.s, tc.cols, tc.rows)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("wrapText(%q, %d, %d) = %q, want %q", tc.s, tc.cols, tc.rows, got, tc.want)
			}
		})
	}
}
