package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ebicart/ebicart/internal/outfile"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestOutputToPipe: a run's output may be a pipe named by a path
// (/dev/stdout, /proc/self/fd/N), which is written as it is: the check
// made before the run used to make a file in its directory (/dev,
// /proc/self/fd), which a user may not (nobody may in /proc), and refused
// it.
func TestOutputToPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	path := fmt.Sprintf("/proc/self/fd/%d", w.Fd())
	// A replay of two updates fits the pipe's buffer: no reader needed yet.
	code, stderr := runCLI(t, "-headless", "-frames", "2", "-record", path, testcarts.GuestTestdata("good"))
	if code != 0 {
		t.Fatalf("-record %s: exit %d: %s", path, code, stderr)
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || line != "ebicart replay 1\n" {
		t.Fatalf("the pipe got %q (%v), want a replay", line, err)
	}
}

// TestOutputToFIFOWithoutReader: an output that is a named pipe no
// program reads fails the run, after a bounded wait for a reader, with
// what to do; the outputs the run could write are still written. The run
// used to block for ever at its end (at its start, for -audio-out).
func TestOutputToFIFOWithoutReader(t *testing.T) {
	defer setReaderWait(200 * time.Millisecond)()
	for _, flag := range []string{"-screenshot", "-record", "-save-state", "-audio-out", "-cpuprofile", "-memprofile"} {
		t.Run(flag, func(t *testing.T) {
			dir := t.TempDir()
			fifo := filepath.Join(dir, "fifo")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			other := filepath.Join(dir, "state")
			args := []string{"-headless", "-frames", "2", flag, fifo, testcarts.GuestTestdata("good")}
			if flag != "-save-state" {
				args = append([]string{"-save-state", other}, args...)
			}
			done := make(chan struct{})
			var code int
			var stderr string
			go func() {
				defer close(done)
				code, stderr = runCLI(t, args...)
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				// Unblock the run with a reader, so the test ends.
				if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
					defer f.Close()
					<-done
				}
				t.Fatalf("%s to a FIFO with no reader: the run still blocks after 20 s", flag)
			}
			want := fifo + " is a named pipe that no program reads (none opened it within 200ms): start the program that reads it first, or name a file"
			if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, strings.TrimPrefix(flag, "-")+": ") {
				t.Errorf("exit %d, %q; want 1 and %q", code, stderr, want)
			}
			if flag != "-save-state" && flag != "-audio-out" && flag != "-cpuprofile" {
				if _, err := os.Stat(other); err != nil {
					t.Errorf("-save-state was not written beside the failed %s: %v", flag, err)
				}
			}
		})
	}
}

// setReaderWait makes outfile's wait for a named pipe's reader d, and
// returns what puts it back.
func setReaderWait(d time.Duration) func() {
	old := outfile.ReaderWait
	outfile.ReaderWait = d
	return func() { outfile.ReaderWait = old }
}

// TestSaveStateKeptOnFailedWrite: a -save-state that cannot be written
// whole (here past the process's file size limit, as on a full disk)
// leaves the state already at its path as it was: a run that loads a
// state and saves it back to the same file lost it, emptied before the
// write failed.
func TestSaveStateKeptOnFailedWrite(t *testing.T) {
	bin := buildEbicart(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "game.state")
	good := testcarts.GuestTestdata("good")
	if code, stderr := runCLI(t, "-headless", "-frames", "3", "-save-state", state, good); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before, err := os.ReadFile(state)
	if err != nil || len(before) <= 1024 {
		t.Fatalf("the state is %d bytes (%v): want more than the 1 KiB the run may write", len(before), err)
	}
	for _, tc := range []struct{ name, flags string }{
		{"saved over the state loaded", "-load-state " + state + " -save-state " + state},
		{"saved over an older state", "-save-state " + state},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// ulimit -f: writes past 1 KiB fail with EFBIG (Go ignores SIGXFSZ).
			cmd := exec.Command("sh", "-c", "ulimit -f 2; exec "+bin+" -headless -frames 2 -engine inprocess "+tc.flags+" "+good)
			cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "HOME="+t.TempDir())
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), "-save-state: ") || !strings.Contains(string(out), state) {
				t.Errorf("run: %v, %s; want exit 1 and the -save-state error naming %s", err, out, state)
			}
			if after, err := os.ReadFile(state); err != nil || !bytes.Equal(after, before) {
				t.Errorf("the state after the failed write: %d bytes (%v), want the %d it was", len(after), err, len(before))
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
				t.Errorf("left beside it: %v", left)
			}
		})
	}
}
