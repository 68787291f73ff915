package main

import (
	"bufio"
	"fmt"
	"os"
	"testing"

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
