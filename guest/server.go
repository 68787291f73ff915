package guest

import (
	"context"
	"errors"
	"fmt"

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
	frames         bool // results carry the packed frame
	unboundedStack bool // for the benchmark of the stack bound
	buf            []byte
	sendErr        error
}

// Prepare does ahead of time the work a boot of wasm with default
// settings starts with (see the function Prepare): a worker calls it, on
// a goroutine of its own, with the cart it expects to be asked to boot,
// and keeps wasm, which the caller must not change after. It may run
// while Handle serves requests.
func (s *Server) Prepare(wasm []byte) {
	ctx := s.Context
	if ctx == nil {
		ctx = context.Background()
	}
	Prepare(ctx, s.Engine, wasm, BootConfig{}, CoreOptions{Systems: s.Systems, unboundedStack: s.unboundedStack})
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
		return s.Send(encodeHello(hello{version: ProtocolVersion, build: s.Build}))
	case msgBoot:
		r := decodeBoot(d)
		if err := d.end(); err != nil {
			return err
		}
		if s.core != nil {
			return errors.New("guest: boot requested twice")
		}
		return s.boot(r)
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
	ctx := s.Context
	if ctx == nil {
		ctx = context.Background()
	}
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

// Close closes the core; its last log lines go to the client.
func (s *Server) Close() error {
	if s.core == nil {
		return nil
	}
	err := s.core.Close()
	s.core = nil
	return err
}
