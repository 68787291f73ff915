//go:build !js

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/wasm4/apu"
)

// TestAudioOutFlag: -audio-out writes a WAV file of 735 stereo frames per
// update, the same headless and in a window (whatever the window plays):
// wasm4/testdata/tones's start tone from sample 0, its update-3 tone from
// sample 3*735, and nothing else before.
func TestAudioOutFlag(t *testing.T) {
	tones := filepath.Join(testcarts.Root(), "wasm4", "testdata", "tones.wasm")
	check := func(t *testing.T, path string, updates int) []int16 {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := apu.DecodeWAV(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 2*apu.SamplesPerFrame*updates {
			t.Fatalf("%d samples for %d updates, want %d", len(s), updates, 2*apu.SamplesPerFrame*updates)
		}
		return s
	}
	t.Run("headless", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out.wav")
		if code, stderr := runCLI(t, "-headless", "-frames", "12", "-audio-out", out, tones); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		s := check(t, out, 12)
		silentFrom := func(from, to int) bool {
			for _, v := range s[2*from : 2*to] {
				if v != 0 {
					return false
				}
			}
			return true
		}
		switch {
		case silentFrom(0, 10):
			t.Fatal("start's tone does not sound at the start")
		case !silentFrom(2*apu.SamplesPerFrame, 3*apu.SamplesPerFrame):
			t.Fatal("sound between start's tone (2 updates) and update 3's")
		case silentFrom(3*apu.SamplesPerFrame, 3*apu.SamplesPerFrame+10):
			t.Fatal("update 3's tone does not start at sample 3*735")
		}
		// An ABI v1 cart: silence, as long.
		out2 := filepath.Join(t.TempDir(), "seed.wav")
		if code, stderr := runCLI(t, "-headless", "-frames", "5", "-audio-out", out2, testcarts.SeedPath()); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for i, v := range check(t, out2, 5) {
			if v != 0 {
				t.Fatalf("an ABI v1 cart's sample %d is %d, want silence", i, v)
			}
		}
		// The window writes the same samples.
		t.Run("window", func(t *testing.T) {
			needDisplay(t)
			bin := buildEbicart(t)
			out3 := filepath.Join(t.TempDir(), "window.wav")
			if b, err := exec.Command(bin, "-frames", "12", "-audio-out", out3, tones).CombinedOutput(); err != nil {
				t.Fatalf("window run: %v\n%s", err, b)
			}
			w := check(t, out3, 12)
			for i := range s {
				if w[i] != s[i] {
					t.Fatalf("window sample %d is %d, headless %d", i, w[i], s[i])
				}
			}
		})
	})
	t.Run("unwritable", func(t *testing.T) {
		code, stderr := runCLI(t, "-headless", "-frames", "1", "-audio-out", filepath.Join(t.TempDir(), "no", "such", "dir.wav"), tones)
		if code != 1 || !strings.Contains(stderr, "ebicart: -audio-out: cannot write ") {
			t.Fatalf("exit %d, %q; want 1 and the error", code, stderr)
		}
	})
}

// TestAudioOutKeptWhenNoCartRuns: -audio-out is created by the first
// update's sound: a run whose cart does not load (nor its state) leaves a
// file already at the path as it was. It used to be replaced by an empty
// WAV as the run started.
func TestAudioOutKeptWhenNoCartRuns(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"a cart that traps in start", []string{testcarts.GuestTestdata("trap_start")}},
		{"a state of another cart", []string{"-load-state", writeTemp(t, "ebicart-cart-state\n"), testcarts.GuestTestdata("good")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "take1.wav")
			if err := os.WriteFile(out, []byte("last session's sound"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stderr := runCLI(t, append([]string{"-headless", "-frames", "2", "-audio-out", out}, tc.args...)...)
			if code != 1 {
				t.Errorf("exit %d, want 1: %s", code, stderr)
			}
			if b, err := os.ReadFile(out); err != nil || string(b) != "last session's sound" {
				t.Errorf("%s after the run: %q, %v; want it as it was", out, b, err)
			}
		})
	}
}
