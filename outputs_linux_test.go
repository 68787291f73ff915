package main

import (
	"bufio"
	"fmt"
	"os"
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
