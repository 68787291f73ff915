//go:build linux

package worker

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

func TestMain(m *testing.M) {
	if Serve() {
		return
	}
	os.Exit(m.Run())
}

func frame(body []byte) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(body))), body...)
}

func TestReadFrame(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want string // the message read, or the error's text
	}{
		{"one message", frame([]byte("hello")), "hello"},
		{"empty stream", nil, "EOF"},
		{"cut in the length", []byte{5, 0}, "unexpected EOF"},
		{"cut in the body", frame([]byte("hello"))[:6], "unexpected EOF"},
		{"zero length", frame(nil), "a message of 0 bytes"},
		{"too long", binary.LittleEndian.AppendUint32(nil, guest.MaxMessage+1), "a message of 269484033 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fr frameReader
			msg, err := fr.read(bytes.NewReader(tc.in))
			got := string(msg)
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// stutter is a pipe whose reads a deadline cuts short: it gives its
// chunks one at a time, with a timeout between them.
type stutter struct {
	chunks  [][]byte
	timeout bool
}

func (s *stutter) Read(b []byte) (int, error) {
	if s.timeout {
		s.timeout = false
		return 0, os.ErrDeadlineExceeded
	}
	if len(s.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(b, s.chunks[0])
	if s.chunks[0] = s.chunks[0][n:]; len(s.chunks[0]) == 0 {
		s.chunks = s.chunks[1:]
		s.timeout = true
	}
	return n, nil
}

// TestReadFrameResumes: a read cut short by a deadline, in the length or
// in the body, goes on where it stopped at the next read, so a host that
// waits on past a deadline reads the worker's messages in step.
func TestReadFrameResumes(t *testing.T) {
	stream := append(frame([]byte("hello, slow world")), frame([]byte("next"))...)
	for _, cuts := range [][]int{{2}, {4}, {7}, {1, 3, 9, 22}} {
		t.Run(fmt.Sprint(cuts), func(t *testing.T) {
			s := &stutter{}
			prev := 0
			for _, c := range cuts {
				s.chunks = append(s.chunks, stream[prev:c])
				prev = c
			}
			s.chunks = append(s.chunks, stream[prev:])
			var fr frameReader
			var got []string
			for len(got) < 2 {
				msg, err := fr.read(s)
				if errors.Is(err, os.ErrDeadlineExceeded) {
					continue
				}
				if err != nil {
					t.Fatalf("after %q: %v", got, err)
				}
				got = append(got, string(msg))
			}
			if got[0] != "hello, slow world" || got[1] != "next" {
				t.Fatalf("messages %q, want the two sent", got)
			}
		})
	}
}

// FuzzReadFrame: any byte stream gives messages or an error, never a panic
// or a huge allocation.
func FuzzReadFrame(f *testing.F) {
	f.Add(frame([]byte("hello")))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		var fr frameReader
		for {
			msg, err := fr.read(r)
			if err != nil {
				return
			}
			if len(msg) == 0 || len(msg) > len(b) {
				t.Fatalf("a message of %d bytes from %d", len(msg), len(b))
			}
		}
	})
}

// start returns a worker that passed its handshake.
func start(t *testing.T) *Process {
	t.Helper()
	p, err := startChecked()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestMalformedRequestEndsWorker: a request that breaks the protocol ends
// the worker with its reason, which the host reports as a *WorkerError,
// instead of a stream out of step.
func TestMalformedRequestEndsWorker(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  []byte
		want string
	}{
		{"unknown type", []byte{200}, "unknown request type 200"},
		{"tick before boot", append([]byte{3}, make([]byte, 36)...), "tick before a cart booted"},
		{"short tick", []byte{3, 1, 2}, "malformed message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := start(t)
			if err := p.Send(tc.msg); err != nil {
				t.Fatal(err)
			}
			_, err := p.Recv(5 * time.Second)
			if err == nil {
				t.Fatal("the worker answered")
			}
			var we *guest.WorkerError
			if err := p.Broken("update", err); !errors.As(err, &we) || we.Status != "exit status 3" || !strings.Contains(we.Output, tc.want) {
				t.Fatalf("got %v, want a WorkerError with exit status 3 saying %q", err, tc.want)
			}
		})
	}
}

func readCart(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testcarts.GuestTestdata(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestKilledMidFrame: a worker killed while it runs an update surfaces as
// a *WorkerError saying how it ended, not as an internal descriptor.
func TestKilledMidFrame(t *testing.T) {
	p := start(t)
	c := guest.NewClient(p, guest.Output{})
	if err := c.Boot(context.Background(), readCart(t, "hostile/update_loop"), guest.BootConfig{}, guest.Limits{Update: time.Minute}, false); err != nil {
		t.Fatal(err)
	}
	c.Tick(guest.Input{})
	c.Tick(guest.Input{})
	done := make(chan error, 1)
	go func() { done <- c.Tick(guest.Input{}) }() // spins
	// The worker is in the update once the control page says so.
	deadline := time.Now().Add(10 * time.Second)
	for p.Calling() != "update" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	p.cmd.Process.Kill()
	err := <-done
	var we *guest.WorkerError
	if !errors.As(err, &we) || we.During != "update" || we.Status != "signal: killed" {
		t.Fatalf("got %v, want a WorkerError during update, signal: killed", err)
	}
	if strings.Contains(err.Error(), "fd") || strings.Contains(err.Error(), "pipe") {
		t.Errorf("the error names the plumbing: %v", err)
	}
}

// TestWorkerEOF: a worker whose requests end exits cleanly.
func TestWorkerEOF(t *testing.T) {
	p := start(t)
	p.req.Close()
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the worker did not exit when its requests ended")
	}
	if !p.cmd.ProcessState.Success() {
		t.Fatalf("the worker exited with %v", p.cmd.ProcessState)
	}
}

// TestWorkerEnvironment: a worker inherits nothing of its host's
// environment, and no descriptor of the host's, even one opened without
// close-on-exec.
func TestWorkerEnvironment(t *testing.T) {
	t.Setenv("EBICART_SECRET", "do not pass on")
	leak := filepath.Join(t.TempDir(), "host-secret")
	os.WriteFile(leak, []byte("x"), 0o600)
	fd, err := syscall.Open(leak, syscall.O_RDONLY, 0) // no O_CLOEXEC
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	p := start(t)
	proc := filepath.Join("/proc", strconv.Itoa(p.cmd.Process.Pid))
	env, err := os.ReadFile(filepath.Join(proc, "environ"))
	if err != nil {
		t.Fatal(err)
	}
	if len(env) != 0 {
		t.Errorf("the worker's environment is %q, want empty", env)
	}
	fds, err := os.ReadDir(filepath.Join(proc, "fd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fds {
		target, _ := os.Readlink(filepath.Join(proc, "fd", f.Name()))
		if target == leak {
			t.Errorf("the worker inherited the host's descriptor %d of %s as %s", fd, leak, f.Name())
		}
	}
}

// TestHandshakeRefusesOtherBuild: a worker of another build (the host's
// binary rebuilt in place) is refused with a *WorkerError.
func TestHandshakeRefusesOtherBuild(t *testing.T) {
	p, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = guest.NewClient(p, guest.Output{}).Handshake("some other build", 10*time.Second)
	var we *guest.WorkerError
	if !errors.As(err, &we) || !strings.Contains(we.Status, "of build") {
		t.Fatalf("got %v, want the handshake refused", err)
	}
}

// TestWorkerAdvisesHugeHeap: the worker's heap is advised to be backed by
// transparent huge pages (smaps shows the advice as VmFlags "hg"), which
// spares a big cart's boot most of its page faults.
func TestWorkerAdvisesHugeHeap(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || bytes.Contains(mode, []byte("[never]")) {
		t.Skipf("this kernel has no transparent huge pages to advise (%q, %v)", mode, err)
	}
	p := start(t)
	smaps, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p.cmd.Process.Pid), "smaps"))
	if err != nil {
		t.Fatal(err)
	}
	var advised int64
	var size int64
	for _, line := range strings.Split(string(smaps), "\n") {
		switch f := strings.Fields(line); {
		case len(f) == 3 && f[0] == "Size:":
			size, _ = strconv.ParseInt(f[1], 10, 64)
		case len(f) > 0 && f[0] == "VmFlags:" && slices.Contains(f[1:], "hg"):
			advised += size << 10
		}
	}
	if advised < hugeHeapBytes/2 {
		t.Errorf("%d bytes of the worker's memory are advised for huge pages, want at least %d", advised, hugeHeapBytes/2)
	}
}

// TestStarvedWorkerIsNotStuck: a worker that is not run through its
// update's deadline (stopped here, as a machine busier than its cores
// would leave it) is waited for, and the update ends well once it runs;
// the deadline counts the worker's CPU time. A worker that spins through
// its deadline is still stopped at it.
func TestStarvedWorkerIsNotStuck(t *testing.T) {
	const limit = 300 * time.Millisecond
	p := start(t)
	c := guest.NewClient(p, guest.Output{})
	if err := c.Boot(context.Background(), readCart(t, "good"), guest.BootConfig{}, guest.Limits{Update: limit, Start: 10 * time.Second, Compile: 20 * time.Second}, false); err != nil {
		t.Fatal(err)
	}
	if err := c.Tick(guest.Input{}); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// The signal is delivered to each of the worker's threads in turn:
	// wait until the whole process is stopped ("T" in /proc's state).
	stat := "/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat"
	for stopped := time.Now().Add(10 * time.Second); ; {
		b, err := os.ReadFile(stat)
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) && b[i+2] == 'T' {
			break
		}
		if time.Now().After(stopped) {
			t.Fatal("the worker did not stop")
		}
		time.Sleep(time.Millisecond) // the poll's interval
	}
	done := make(chan error, 1)
	go func() { done <- c.Tick(guest.Input{}) }()
	// Two deadlines pass with the worker stopped: each finds it had no
	// CPU time, and the client waits on.
	deadline := time.Now().Add(20 * time.Second)
	for c.Starved() < 2 {
		select {
		case err := <-done:
			t.Fatalf("the update of a stopped worker ended: %v", err)
		case <-time.After(10 * time.Millisecond): // the poll's interval
		}
		if time.Now().After(deadline) {
			t.Fatal("no deadline found the worker starved")
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the update, once the worker ran: %v", err)
	}

	// A cart that spins has its CPU time: stopped at the deadline.
	p2 := start(t)
	c2 := guest.NewClient(p2, guest.Output{})
	if err := c2.Boot(context.Background(), readCart(t, "hostile/update_loop"), guest.BootConfig{}, guest.Limits{Update: limit, Start: 10 * time.Second, Compile: 20 * time.Second}, false); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	var err error
	for range 5 {
		if err = c2.Tick(guest.Input{}); err != nil {
			break
		}
	}
	var de *guest.DeadlineError
	if !errors.As(err, &de) {
		t.Fatalf("the spinning cart: %v, want a DeadlineError", err)
	}
	// It had its limit of CPU, give or take a busy machine's share: not
	// the ten limits a starved worker may be given.
	if d := time.Since(began); d >= 9*limit {
		t.Errorf("the spinning cart was stopped after %v (%d deadlines waited past), want about %v", d, c2.Starved(), limit)
	}
}

func TestParseStatCPU(t *testing.T) {
	for _, tc := range []struct {
		line string
		want time.Duration
		ok   bool
	}{
		{"1234 (ebicart-cart-worker) S 1 1234 1234 0 -1 4194560 700 0 0 0 25 7 0 0 20 0 6 0 100 0 0\n", 320 * time.Millisecond, true},
		{"1234 (a) b) (c) R 1 2 3 4 5 6 7 8 9 10 3 4 0 0\n", 70 * time.Millisecond, true},
		{"1234 (short) S 1 2 3\n", 0, false},
		{"no parenthesis", 0, false},
		{"1 (x) S 1 2 3 4 5 6 7 8 9 10 x1 2 0\n", 0, false},
	} {
		got, ok := parseStatCPU([]byte(tc.line))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseStatCPU(%q) = %v, %v; want %v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}
