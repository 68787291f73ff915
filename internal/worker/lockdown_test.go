//go:build linux && sandboxprobe

package worker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestLockdown boots a cart in a locked and an unlocked worker, then sends
// the test-only probe request (this build's sandboxprobe tag): the locked
// worker can open no file, make no socket, start no process, signal no
// other process and exec nothing, while its compile cache still works; the unlocked one, probed
// the same way, can, which shows the probe would see a lockdown fail. Run
// under -race too (make test): the race detector's own calls must pass.
func TestLockdown(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(testcarts.GuestTestdata("good"))
	if err != nil {
		t.Fatal(err)
	}
	landlock := landlockABI() > 0 && allThreadsSyscalls()
	if !landlock {
		t.Log("this kernel has no Landlock, or this build (CGO_ENABLED=0) cannot apply it: files are closed by seccomp alone, and the compile cache is off")
	}
	for _, locked := range []bool{true, false} {
		name := map[bool]string{true: "locked", false: "unlocked"}[locked]
		t.Run(name, func(t *testing.T) {
			cache := t.TempDir()
			p, err := startProcess(locked)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var mu sync.Mutex
			var logs []string
			c := guest.NewClient(p, guest.Output{Log: func(l string) {
				mu.Lock()
				logs = append(logs, l)
				mu.Unlock()
			}})
			if err := c.Handshake(Build(), handshakeLimit); err != nil {
				t.Fatal(err)
			}
			cfg := guest.BootConfig{Name: "good", CacheDir: cache}
			if err := c.Boot(context.Background(), wasm, cfg, guest.Limits{Update: 5 * time.Second}, false); err != nil {
				t.Fatalf("boot: %v (worker said %q)", err, p.stderr.String())
			}
			for range 3 {
				if err := c.Tick(guest.Input{}); err != nil {
					t.Fatalf("a locked cart cannot run: %v (worker said %q)", err, p.stderr.String())
				}
			}
			flag := byte(0)
			if locked {
				flag = 1 // exec replaces an unlocked worker: only here
			}
			if err := p.Send(append([]byte{ProbeRequest, flag}, secret...)); err != nil {
				t.Fatal(err)
			}
			reply, err := p.Recv(10 * time.Second)
			if err != nil {
				t.Fatalf("no probe reply: %v (worker said %q)", err, p.stderr.String())
			}
			got := map[string]string{}
			for _, f := range strings.Fields(string(reply)) {
				k, v, _ := strings.Cut(f, ":")
				got[k] = v
			}
			t.Logf("%s worker: %s", name, reply)
			cached, _ := filepath.Glob(filepath.Join(cache, "*", "*"))
			if !locked {
				for _, k := range []string{"open", "proc", "tcp", "unix", "fork", "kill", "tgkill"} {
					if got[k] != "ok" {
						t.Errorf("unlocked: %s gave %s, want ok (the probe cannot tell)", k, got[k])
					}
				}
				return
			}
			for _, k := range []string{"open", "proc", "tcp", "unix", "fork", "exec", "kill", "tgkill"} {
				if v := got[k]; v == "ok" || v == "" {
					t.Errorf("locked: %s gave %q, want it refused", k, v)
				}
			}
			if got["clone3"] != "ENOSYS" {
				t.Errorf("locked: clone3 gave %s, want ENOSYS (so that the C library falls back to clone)", got["clone3"])
			}
			if got["nofile"] == "" || len(got["nofile"]) > 2 {
				t.Errorf("locked: RLIMIT_NOFILE %s, want a few dozen", got["nofile"])
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case landlock && len(cached) == 0:
				t.Error("locked: the compile cache wrote nothing: Landlock keeps the worker from its cache")
			case !landlock && len(cached) != 0:
				t.Error("locked without Landlock: the compile cache wrote files")
			case !landlock && !strings.Contains(strings.Join(logs, "\n"), map[bool]string{true: "has no Landlock", false: "cannot apply Landlock"}[landlockABI() <= 0]):
				t.Errorf("locked without Landlock: the log does not say so: %q", logs)
			}
		})
	}
}
