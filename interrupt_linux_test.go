package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestInterrupt sends a signal to a run's whole process group, as Ctrl-C
// in a terminal does (its cart's worker too), headless and in a window:
// the run still writes what it leaves (its screenshot, -stats, its
// recording) and exits with the status of a command that signal ended.
func TestInterrupt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		window bool
		sig    syscall.Signal
		code   int
		says   string
	}{
		{"Ctrl-C headless", false, syscall.SIGINT, 130, "ebicart: interrupted"},
		{"SIGTERM headless", false, syscall.SIGTERM, 143, "ebicart: terminated"},
		{"SIGHUP headless", false, syscall.SIGHUP, 129, "ebicart: hangup"},
		{"SIGTERM in a window", true, syscall.SIGTERM, 143, "ebicart: terminated"},
		{"Ctrl-C in a window", true, syscall.SIGINT, 130, "ebicart: interrupted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.window {
				needDisplay(t)
			}
			bin := buildEbicart(t)
			home := t.TempDir()
			flood := testcarts.GuestTestdata("hostile/save_flood") // saves on every update: a sign it runs
			dir := t.TempDir()
			shot, rec := filepath.Join(dir, "shot.png"), filepath.Join(dir, "rec.txt")
			args := []string{"-stats", "-record", rec, flood}
			if !tc.window {
				args = append([]string{"-headless", "-screenshot", shot}, args...)
			}
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			saves := filepath.Join(home, "ebicart", "saves")
			deadline := time.Now().Add(30 * time.Second)
			for {
				if m, _ := filepath.Glob(filepath.Join(saves, "*.disk")); len(m) > 0 {
					break // the cart is updating
				}
				if time.Now().After(deadline) {
					syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					<-done
					t.Fatalf("the cart wrote no save in 30s:\n%s", stderr.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err := syscall.Kill(-cmd.Process.Pid, tc.sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done
				t.Fatalf("still running 30s after %v:\n%s", tc.sig, stderr.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit: %v, want status %d\n%s", err, tc.code, stderr.String())
			}
			if !tc.window {
				if b := decodePNG(t, shot).Bounds(); b.Empty() {
					t.Fatalf("screenshot %v", b)
				}
			}
			if b, err := os.ReadFile(rec); err != nil || !strings.HasPrefix(string(b), "ebicart replay 1\n") {
				t.Fatalf("the recording: %q, %v", b, err)
			}
			if !strings.Contains(stderr.String(), "ebicart-stats {") || !strings.Contains(stderr.String(), tc.says) {
				t.Fatalf("stderr lacks the stats line or %q:\n%s", tc.says, stderr.String())
			}
		})
	}
}

// TestWatchRecordsReloadedCart: -record with -watch writes the session of
// the cart running at the end, the one a rebuild reloaded (the recording
// was left unwritten, without a word, after a reload).
func TestWatchRecordsReloadedCart(t *testing.T) {
	needDisplay(t)
	bin := buildEbicart(t)
	home, dir := t.TempDir(), t.TempDir()
	flood, err := os.ReadFile(testcarts.GuestTestdata("hostile/save_flood"))
	if err != nil {
		t.Fatal(err)
	}
	path, rec := filepath.Join(dir, "cart.wasm"), filepath.Join(dir, "rec.txt")
	if err := os.WriteFile(path, flood, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-watch", "-record", rec, path)
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}()
	// save_flood saves its update count: it climbs while the first cart
	// runs, and starts again from 0 in the reloaded one.
	count := func() uint32 {
		m, _ := filepath.Glob(filepath.Join(home, "ebicart", "saves", "*.disk"))
		if len(m) == 0 {
			return 0
		}
		b, err := os.ReadFile(m[0])
		if err != nil || len(b) < 4 {
			return 0
		}
		return binary.LittleEndian.Uint32(b)
	}
	waitFor := func(what string, ok func(uint32) bool) {
		deadline := time.Now().Add(30 * time.Second)
		for !ok(count()) {
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s (the save's count is %d):\n%s", what, count(), stderr.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("the first cart to run 120 updates", func(n uint32) bool { return n >= 120 })
	// The same cart with a custom section after it: other bytes, another
	// hash, the same behaviour.
	rebuilt := append(append([]byte(nil), flood...), 0, 4, 2, 'z', 'z', 1)
	if err := os.WriteFile(path, rebuilt, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("the rebuilt cart to run", func(n uint32) bool { return n > 0 && n < 100 })
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		done <- nil // for the deferred kill's wait
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30s after SIGINT:\n%s", stderr.String())
	}
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatalf("no recording after the reload: %v\n%s", err, stderr.String())
	}
	sum := sha256.Sum256(rebuilt)
	if want := "cart sha256:" + hex.EncodeToString(sum[:]); !strings.Contains(string(b), want) {
		t.Fatalf("the recording is not of the rebuilt cart (%s):\n%s", want, b)
	}
}
