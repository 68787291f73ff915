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
			flood := testcarts.GuestTestdata("hostile/save_flood") // saves on every update
			dir := t.TempDir()
			shot, rec := filepath.Join(dir, "shot.png"), filepath.Join(dir, "rec.txt")
			args := []string{"-stats", "-record", rec, flood}
			if !tc.window {
				args = append([]string{"-headless", "-screenshot", shot}, args...)
			}
			r := startGroupRun(t, bin, home, args...)
			r.waitUntil("the cart to write a save", func() bool { // a sign it runs
				m, _ := filepath.Glob(filepath.Join(home, "ebicart", "saves", "*.disk"))
				return len(m) > 0
			})
			r.signal(tc.sig)
			err := r.wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit: %v, want status %d\n%s", err, tc.code, r.stderr.String())
			}
			if !tc.window {
				if b := decodePNG(t, shot).Bounds(); b.Empty() {
					t.Fatalf("screenshot %v", b)
				}
			}
			if b, err := os.ReadFile(rec); err != nil || !strings.HasPrefix(string(b), "ebicart replay 1\n") {
				t.Fatalf("the recording: %q, %v", b, err)
			}
			if !strings.Contains(r.stderr.String(), "ebicart-stats {") || !strings.Contains(r.stderr.String(), tc.says) {
				t.Fatalf("stderr lacks the stats line or %q:\n%s", tc.says, r.stderr.String())
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
	r := startGroupRun(t, bin, home, "-watch", "-record", rec, path)
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
	r.waitUntil("the first cart to run 120 updates", func() bool { return count() >= 120 })
	// The same cart with a custom section after it: other bytes, another
	// hash, the same behaviour.
	rebuilt := append(append([]byte(nil), flood...), 0, 4, 2, 'z', 'z', 1)
	if err := os.WriteFile(path, rebuilt, 0o644); err != nil {
		t.Fatal(err)
	}
	r.waitUntil("the rebuilt cart to run", func() bool { n := count(); return n > 0 && n < 100 })
	r.signal(syscall.SIGINT)
	r.wait()
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatalf("no recording after the reload: %v\n%s", err, r.stderr.String())
	}
	sum := sha256.Sum256(rebuilt)
	if want := "cart sha256:" + hex.EncodeToString(sum[:]); !strings.Contains(string(b), want) {
		t.Fatalf("the recording is not of the rebuilt cart (%s):\n%s", want, b)
	}
}

// groupRun is ebicart run in a process group of its own (its cart's worker
// in it too), its saves and caches under a directory of the test's.
type groupRun struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan error
	ended  bool // its exit was read from done
}

// startGroupRun starts bin with args; the test's end kills the group if
// it still runs.
func startGroupRun(t *testing.T, bin, home string, args ...string) *groupRun {
	t.Helper()
	r := &groupRun{t: t, cmd: exec.Command(bin, args...), done: make(chan error, 1)}
	r.cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r.cmd.Stderr = &r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() {
		if !r.ended {
			syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
			<-r.done
		}
	})
	return r
}

// waitUntil polls ok until it holds, for 30 s at most.
func (r *groupRun) waitUntil(what string, ok func() bool) {
	r.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			r.t.Fatalf("waited 30s for %s:\n%s", what, r.stderr.String())
		}
	}
}

// signal sends sig to the whole group, as a terminal does.
func (r *groupRun) signal(sig syscall.Signal) {
	r.t.Helper()
	if err := syscall.Kill(-r.cmd.Process.Pid, sig); err != nil {
		r.t.Fatal(err)
	}
}

// wait returns the run's exit, which must come within 30 s.
func (r *groupRun) wait() error {
	r.t.Helper()
	select {
	case err := <-r.done:
		r.ended = true
		return err
	case <-time.After(30 * time.Second):
		r.t.Fatalf("still running 30s after the signal:\n%s", r.stderr.String())
		return nil
	}
}
