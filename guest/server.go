package guest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest/engine"
)

// Server runs a core for a client on the other side of a transport: it
// decodes each request, runs it, and sends back what the core reports.
// A worker runs one over its pipe or postMessage; the in-process link
// calls it directly. It is the one place requests are served.
type Server struct {
	// Engine runs the cart; Systems are the systems besides ABI v1.
	Engine  engine.Engine
	Systems []System
	// Build identifies this program's build in the handshake.
	Build string
	// Send delivers a message to the client; it may reuse nothing of msg
	// after it returns. An error ends the server.
	Send func(msg []byte) error
	// Calling, when set, is told each export before it is called.
	Calling func(name string)
	// Context bounds boot (nil: background).
	Context context.Context
	// Lockdown, when set, runs before a boot compiles the cart: a worker
	// confines itself there. It may change the boot's settings (a cache
	// it cannot allow); a note goes to the cart's log; an error fails the
	// boot and ends the server.
	Lockdown func(cfg *BootConfig) (note string, err error)
	// Rewrites, when set, returns where a boot keeps its cart's rewrites
	// for the next worker, given the boot's cache directory (once past
	// Lockdown); none when the boot has none.
	Rewrites func(cacheDir string) RewriteCache

	core           *Core
	mu             sync.Mutex
	ahead          *aheadBoot // the boot Prepare made, until a boot request
	asked          bool       // a boot was requested: Prepare has nothing to do
	announced      bool       // Hello was answered before it was asked
	frames         bool       // results carry the packed frame
	unboundedStack bool       // for the benchmark of the stack bound
	buf            []byte
	sendErr        error
}

// Prepare boots wasm ahead of the client's request, on a goroutine of its
// own, and returns at once: a browser worker is given the page's first
// cart as the page loads, and its checks, rewrites, compile and start
// (a Go cart's runtime: a fifth of a second) then overlap the host's own
// start-up. The server keeps wasm, which the caller must not change
// after. The boot's output waits for the client; a boot request of the
// same bytes and default settings that lets the core pick its clock
// (BootConfig.AnyClock) takes the core made ahead (see takeAhead), any
// other gets a boot of its own. rewrite, when not nil, is the cart's
// rewrite as the site's build prepared it (PrepareRewrite), which the
// worker takes rather than rewrite the cart, where it is of this cart and
// these settings. Only the first call, before a boot request, does
// anything.
func (s *Server) Prepare(wasm, rewrite []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ahead != nil || s.asked {
		return
	}
	a := &aheadBoot{wasm: wasm, rewrite: rewrite, done: make(chan struct{})}
	s.ahead = a
	go s.bootAhead(a, s.context()) // the context read here: the client may set another after
}

// aheadBoot is a boot the server made before it was asked (Prepare).
type aheadBoot struct {
	wasm    []byte
	rewrite []byte        // its rewrite, prepared (PrepareRewrite), or nil
	hash    [32]byte      // wasm's SHA-256: a boot request may name it (held)
	took    time.Duration // how long its boot took: the client holds it to its start limit
	done    chan struct{} // closed once the boot has ended
	cfg     BootConfig
	core    *Core // nil: it failed (the client's own boot says why)

	// pending keeps what the core reported (its compile note, log lines,
	// saves) until a client takes it; live sends them after.
	pending [][]byte
	size    int
	over    bool // pending passed aheadOutput: the boot is not taken
	live    func(msg []byte)
}

// aheadOutput bounds what a boot made ahead may report before a client
// takes it: past it the client gets a boot of its own, which reports it
// all as it comes.
const aheadOutput = 1 << 20

// bootAhead makes a's boot with default settings and a clock of its own.
func (s *Server) bootAhead(a *aheadBoot, ctx context.Context) {
	defer close(a.done)
	// The check, rewrite and compile a boot of other settings can share.
	var prepared RewriteCache
	if a.rewrite != nil {
		prepared = PreparedRewrite(a.rewrite)
	}
	a.hash = prepare(ctx, s.Engine, a.wasm, BootConfig{}, CoreOptions{Systems: s.Systems, unboundedStack: s.unboundedStack, Rewrites: prepared})
	emit := func(msg []byte) {
		if a.live != nil {
			a.live(msg)
			return
		}
		if a.size += len(msg); a.size > aheadOutput {
			a.over = true
			return
		}
		a.pending = append(a.pending, msg)
	}
	a.cfg = BootConfig{Seed: rand.Uint64(), Start: uint64(time.Now().UnixNano()), AnyClock: true}
	began := time.Now()
	defer func() { a.took = time.Since(began) }()
	c, err := Boot(ctx, s.Engine, a.wasm, a.cfg, CoreOptions{
		Systems: s.Systems, Calling: s.Calling, unboundedStack: s.unboundedStack,
		Output: Output{
			Log:  func(line string) { emit(encodeLine(msgLog, []byte(line))) },
			Disk: func(data []byte) { emit(encodeLine(msgDisk, data)) },
		},
		Compiled: func() { emit([]byte{msgCompiled}) },
	})
	if err == nil {
		a.core = c
	}
}

// endAhead takes the boot Prepare made, if any, once it has ended: Prepare
// does nothing after.
func (s *Server) endAhead() *aheadBoot {
	s.mu.Lock()
	a := s.ahead
	s.ahead, s.asked = nil, true
	s.mu.Unlock()
	if a != nil {
		<-a.done
	}
	return a
}

// aheadFor returns the boot Prepare made, once it has ended, or nil; a
// request for a held cart (one it was given to prepare, named by its
// hash) gets its bytes. Prepare does nothing after.
func (s *Server) aheadFor(r *bootRequest) (*aheadBoot, error) {
	a := s.endAhead()
	if r.held {
		if a == nil || a.hash != r.hash {
			return a, errNotHeld
		}
		r.wasm = a.wasm
		heldBoots.Add(1)
	}
	return a, nil
}

// errNotHeld: a boot named a cart by its hash that the worker does not
// hold (it was given another, or none yet); it asks for the cart.
var errNotHeld = errors.New("guest: the cart named is not the one this worker holds")

// heldBoots counts the boots of carts a worker held (aheadFor).
var heldBoots atomic.Int64

// HeldBoots returns how many boots this program made of carts it held,
// asked for by their hash rather than sent (CartHolder): a browser worker
// says it to DevTools and the tests.
func HeldBoots() int64 { return heldBoots.Load() }

// takeAhead returns a's core for r, or nil where r is not the boot it
// made: another cart, settings other than the defaults, a clock of the
// client's (a replay), saved data to boot with, an engine that stops calls
// itself, a worker that confines itself before it boots (Lockdown). A core
// not taken is closed. The core's output so far goes to send, and the
// clock it picked.
func (s *Server) takeAhead(a *aheadBoot, r bootRequest, send func([]byte)) *Core {
	if a == nil || a.core == nil {
		return nil
	}
	c := r.cfg
	if a.over || !c.AnyClock || len(c.Disk) > 0 || c.Mode != a.cfg.Mode || c.maxPages() != a.cfg.maxPages() ||
		c.Palette != nil || c.CacheDir != "" || r.startLimit != 0 || r.limit != 0 || s.Lockdown != nil ||
		!bytes.Equal(r.wasm, a.wasm) {
		a.core.Close() // its last words are no one's
		return nil
	}
	a.live = send
	for _, msg := range a.pending {
		send(msg)
	}
	a.pending = nil
	send(encodeClock(a.cfg.Seed, a.cfg.Start, a.took))
	a.core.cfg.Name = c.Name
	return a.core
}

// context is the context boots run in.
func (s *Server) context() context.Context {
	if s.Context == nil {
		return context.Background()
	}
	return s.Context
}

// Announce sends the answer to the client's Hello before the client asks,
// and leaves the Hello unanswered when it comes: a browser worker
// announces itself as it starts, and its handshake then does not wait for
// a boot made ahead (Prepare), which keeps the worker's thread while the
// cart's start runs.
func (s *Server) Announce() error {
	s.announced = true
	return s.Send(encodeHello(hello{version: ProtocolVersion, build: s.Build}))
}

// Core returns the core once a cart booted, else nil.
func (s *Server) Core() *Core { return s.core }

// Handle serves one request. It returns an error only when the request
// breaks the protocol (malformed, unknown, out of order) or a reply cannot
// be sent: a worker then ends, and its host reports a *WorkerError. What a
// cart does wrong is a reply, not an error.
func (s *Server) Handle(msg []byte) error {
	if len(msg) == 0 {
		return fmt.Errorf("guest: %w: empty", errMalformed)
	}
	d := &decoder{b: msg[1:]}
	switch msg[0] {
	case msgHello:
		h := decodeHello(d)
		if err := d.end(); err != nil {
			return err
		}
		_ = h
		if s.announced {
			return nil // answered before it was asked (Announce)
		}
		return s.Send(encodeHello(hello{version: ProtocolVersion, build: s.Build}))
	case msgBoot:
		r := decodeBoot(d)
		if err := d.end(); err != nil {
			return err
		}
		if s.core != nil {
			return errors.New("guest: boot requested twice")
		}
		if err := s.boot(r); err != nil || s.core == nil || !r.cfg.TickAhead {
			return err
		}
		// The first update, unasked: it runs while the client starts
		// its window, and the client's first tick takes its result.
		s.core.Tick(NoInput)
		return s.sendResult()
	case msgTick:
		in := decodeTick(d)
		if err := d.end(); err != nil {
			return err
		}
		if s.core == nil {
			return errors.New("guest: tick before a cart booted")
		}
		s.core.Tick(in)
		return s.sendResult()
	case msgSaveState:
		if err := d.end(); err != nil {
			return err
		}
		if s.core == nil {
			return errors.New("guest: save state before a cart booted")
		}
		// Where the host shares the memory, it reads the chunks itself.
		state, memOff, err := s.core.saveState(!s.frames)
		if err != nil {
			s.buf = encodeState(s.buf, err.Error(), nil, 0)
			return s.Send(s.buf)
		}
		if s.frames {
			memOff = 0
		}
		s.buf = encodeState(s.buf, "", state, memOff)
		return s.Send(s.buf)
	case msgLoadState:
		state := d.bytes("state")
		if err := d.end(); err != nil {
			return err
		}
		if s.core == nil {
			return errors.New("guest: load state before a cart booted")
		}
		err := s.core.LoadState(state)
		var se *StateError
		if errors.As(err, &se) {
			s.buf = encodeState(s.buf, err.Error(), nil, 0)
			return s.Send(s.buf) // refused: the cart runs on as it was
		}
		s.buf = encodeState(s.buf, "", nil, 0)
		if err := s.Send(s.buf); err != nil {
			return err
		}
		return s.sendResult()
	case msgClose:
		if err := d.end(); err != nil {
			return err
		}
		err := s.Close()
		if s.sendErr != nil {
			return s.sendErr
		}
		if err := s.Send([]byte{msgClosed}); err != nil {
			return err
		}
		return err
	}
	return fmt.Errorf("guest: unknown request type %d", msg[0])
}

func (s *Server) boot(r bootRequest) error {
	ctx := s.context()
	s.frames = r.frames
	send := func(msg []byte) {
		if err := s.Send(msg); err != nil && s.sendErr == nil {
			s.sendErr = err
		}
	}
	opts := CoreOptions{
		Systems: s.Systems, StartLimit: r.startLimit, Limit: r.limit, Calling: s.Calling,
		Output: Output{
			Log:  func(line string) { send(encodeLine(msgLog, []byte(line))) },
			Disk: func(data []byte) { send(encodeLine(msgDisk, data)) },
		},
		Compiled:       func() { send([]byte{msgCompiled}) },
		unboundedStack: s.unboundedStack,
	}
	a, err := s.aheadFor(&r)
	if err == errNotHeld {
		if a != nil && a.core != nil {
			a.core.Close()
		}
		return s.Send([]byte{msgSendCart}) // the client sends the boot again, with the cart
	}
	if c := s.takeAhead(a, r, send); c != nil {
		s.core = c
		return s.sendResult()
	}
	if a != nil && s.Calling != nil {
		// The boot made ahead said it called the cart's start: the
		// client, waiting for this boot's compile, must not take that
		// note for this boot's.
		s.Calling("instantiate")
	}
	if s.Lockdown != nil {
		note, err := s.Lockdown(&r.cfg)
		if err != nil {
			return err
		}
		if note != "" {
			send(encodeLine(msgLog, []byte(note)))
		}
	}
	if s.Rewrites != nil && r.cfg.CacheDir != "" {
		opts.Rewrites = s.Rewrites(r.cfg.CacheDir)
	}
	c, err := Boot(ctx, s.Engine, r.wasm, r.cfg, opts)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			err = errCanceledOnWire
		}
		s.buf = encodeResult(s.buf, &Result{Err: err}, nil)
		if err := s.Send(s.buf); err != nil {
			return err
		}
		return s.sendErr
	}
	s.core = c
	return s.sendResult()
}

// sendResult sends the core's state after a boot or a tick.
func (s *Server) sendResult() error {
	if s.sendErr != nil {
		return s.sendErr
	}
	r := s.core.Result()
	var frame []byte
	if s.frames && r.Changed {
		mem, d := s.core.Frame()
		frame = make([]byte, 0) // marks a frame; packed below into the message
		n := 4 * int(d.Width) * int(d.Height)
		s.buf = encodeResult(s.buf, &r, frame[:0:0])
		// encodeResult wrote an empty frame: replace its length and pack
		// the frame in place, one copy from the cart's bytes.
		s.buf = s.buf[:len(s.buf)-4]
		e := encoder{b: s.buf}
		e.u32(uint32(n))
		start := len(e.b)
		e.b = append(e.b, make([]byte, n)...)
		if err := framebuffer.Pack(e.b[start:], mem, d); err != nil {
			return err // validated at the tick: cannot happen
		}
		s.buf = e.b
	} else {
		s.buf = encodeResult(s.buf, &r, nil)
	}
	return s.Send(s.buf)
}

// Close closes the core; its last log lines go to the client. A core
// booted ahead and not taken is closed too.
func (s *Server) Close() error {
	if a := s.endAhead(); a != nil && a.core != nil {
		a.core.Close()
	}
	if s.core == nil {
		return nil
	}
	err := s.core.Close()
	s.core = nil
	return err
}
