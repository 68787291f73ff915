//go:build !js

package guest_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/enginetest"
)

// FuzzLoad feeds arbitrary bytes to the core as a cart and runs whatever
// loads for a few updates: every input must end in an error or a running
// cart, never a panic or a hang. Carts run in-process with wazero's
// context checks and a short CPU limit, so that the fuzzer is not slowed by
// a process per input.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"testdata", "testdata/hostile"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err == nil && len(b) < 1<<16 {
				f.Add(b)
			}
		}
	}
	e := enginetest.Engines()[0] // in-process
	f.Fuzz(func(t *testing.T, wasm []byte) {
		o := enginetest.Options{Config: guest.BootConfig{MaxPages: 256},
			Limits: guest.Limits{Start: 100 * time.Millisecond, Update: 100 * time.Millisecond}}
		c, err := enginetest.Load(context.Background(), e, wasm, o)
		if err != nil {
			return
		}
		defer c.Close()
		for range 3 {
			if err := c.Update(guest.Input{}); err != nil {
				return
			}
			if _, err := c.Frame(); err != nil {
				t.Fatalf("Frame failed after a good Update: %v", err)
			}
		}
	})
}

// FuzzRequest sends arbitrary bytes as a request to a core that runs a
// cart: the core answers or refuses (the worker would end with a typed
// error), never panics.
func FuzzRequest(f *testing.F) {
	f.Add([]byte{3, 0, 0, 0, 0})
	f.Add([]byte{1, 1, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{8})
	f.Add([]byte{2})
	good, err := os.ReadFile("testdata/good.wasm")
	if err != nil {
		f.Fatal(err)
	}
	e := enginetest.Engines()[0]
	f.Fuzz(func(t *testing.T, msg []byte) {
		link, stops, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		c := guest.NewClient(link, guest.Output{})
		defer c.Close()
		if err := c.Boot(context.Background(), good, guest.BootConfig{}, guest.Limits{}, stops); err != nil {
			t.Fatal(err)
		}
		if err := link.Send(msg); err != nil {
			return // refused: a worker ends here
		}
		for {
			if _, err := link.Recv(time.Second); err != nil {
				return
			}
		}
	})
}

// replayLink is a link whose core answers with scripted bytes: a worker
// that sends anything at all.
type replayLink struct {
	replies [][]byte
	killed  bool
}

func (l *replayLink) Engine() string                 { return "replay" }
func (l *replayLink) Prepare(guest.BootConfig) error { return nil }
func (l *replayLink) Send([]byte) error              { return nil }
func (l *replayLink) SharesMemory() bool             { return false }
func (l *replayLink) Memory(uint64) []byte           { return nil }
func (l *replayLink) Calling() string                { return "" }
func (l *replayLink) Kill()                          { l.killed = true }
func (l *replayLink) Broken(during string, err error) error {
	return &guest.WorkerError{During: during, Status: err.Error()}
}
func (l *replayLink) Close() error { return nil }
func (l *replayLink) Recv(time.Duration) ([]byte, error) {
	if l.killed || len(l.replies) == 0 {
		return nil, io.EOF
	}
	m := l.replies[0]
	l.replies = l.replies[1:]
	return m, nil
}

// FuzzReply gives the UI side arbitrary replies from a worker (one that
// is broken, or taken over): every one ends as a result or a typed error,
// never a panic, and a frame the client accepts has the size it claims.
func FuzzReply(f *testing.F) {
	f.Add([]byte{7, 1, 0, 0, 0, 0})
	f.Add([]byte{5, 3, 0, 0, 0, 'h', 'i', '!'})
	f.Add([]byte{4})
	f.Fuzz(func(t *testing.T, b []byte) {
		// The bytes split into replies at each 0xff 0xfe.
		l := &replayLink{replies: bytes.Split(b, []byte{0xff, 0xfe})}
		c := guest.NewClient(l, guest.Output{Log: func(string) {}, Disk: func([]byte) {}})
		if err := c.Boot(context.Background(), nil, guest.BootConfig{}, guest.Limits{}, false); err != nil {
			return
		}
		for range 3 {
			if err := c.Tick(guest.Input{}); err != nil {
				return
			}
			mem, d, err := c.Frame()
			if err != nil {
				continue
			}
			if _, err := (&framebuffer.Packer{}).Frame(mem, d); err != nil {
				t.Fatalf("a frame the client accepted does not pack: %v", err)
			}
		}
	})
}
