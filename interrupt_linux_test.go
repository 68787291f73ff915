package main

import (
	"bytes"
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

// TestHeadlessInterrupt sends SIGINT to a headless run's whole process
// group, as Ctrl-C in a terminal does (its cart's worker too): the run
// still writes its screenshot and -stats, and exits with status 130.
func TestHeadlessInterrupt(t *testing.T) {
	bin := buildEbicart(t)
	home := t.TempDir()
	flood := testcarts.GuestTestdata("hostile/save_flood") // saves on every update: a sign it runs
	shot := filepath.Join(t.TempDir(), "shot.png")
	cmd := exec.Command(bin, "-headless", "-stats", "-screenshot", shot, flood)
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
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		t.Fatalf("still running 30s after SIGINT:\n%s", stderr.String())
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want status 130\n%s", err, stderr.String())
	}
	if b := decodePNG(t, shot).Bounds(); b.Empty() {
		t.Fatalf("screenshot %v", b)
	}
	if !strings.Contains(stderr.String(), "ebicart-stats {") || !strings.Contains(stderr.String(), "ebicart: interrupted") {
		t.Fatalf("stderr lacks the stats line or the interruption:\n%s", stderr.String())
	}
}
