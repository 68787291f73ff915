package guest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
)

// Link is a transport's client end: how the UI side reaches a core. The
// transports are a direct call (in this process), a pipe to a worker
// process, and postMessage to a Web Worker.
type Link interface {
	// Engine names the engine the core runs on, for errors and stats.
	Engine() string
	// Send sends a request.
	Send(msg []byte) error
	// Recv returns the next message from the core, waiting at most
	// timeout (ErrTimeout past it). The message is valid until the next
	// Recv.
	Recv(timeout time.Duration) ([]byte, error)
	// Prepare readies the transport for the cart cfg describes (a worker
	// sizes the memory it shares), before the boot request.
	Prepare(cfg BootConfig) error
	// SharesMemory reports whether the cart's memory is readable on this
	// side (a direct view, or memory mapped by both processes); where it is
	// not, results carry the packed frame.
	SharesMemory() bool
	// Memory returns at least size bytes of the cart's shared memory.
	Memory(size uint64) []byte
	// Calling names the export the core was last told to call, where the
	// transport can tell; "" otherwise.
	Calling() string
	// Kill stops the core at once, even in the middle of a call, where
	// the transport can (a worker); afterwards the link is dead.
	Kill()
	// Broken turns an error of Send or Recv into what happened to the
	// worker, during the request named (a *WorkerError), once it is gone.
	Broken(during string, err error) error
	// Close ends the core in an orderly way.
	Close() error
}

// holder is a link whose last message can outlive the next Recv: after
// Hold, it stays valid until the Recv after the next Hold. A client keeps
// the frame a result carries that way rather than copying it (the Web
// Worker's link).
type holder interface{ Hold() }

// ErrTimeout is returned by Link.Recv when no message came in time.
var ErrTimeout = errors.New("guest: no reply in time")

// Limits bound how long the UI side waits for a core.
type Limits struct {
	// Compile bounds compiling the cart (not cart code).
	Compile time.Duration
	// Start bounds the cart's code at boot: its start section,
	// _initialize and start.
	Start time.Duration
	// Update bounds each update with the calls around it.
	Update time.Duration
	// Lenient leaves an update that overruns Update running, where the
	// core's engine does not stop calls itself (a worker): Tick returns a
	// *NotRespondingError, and the update runs on until Await sees it end
	// or Stop ends it, for a player to choose, as browsers do for a slow
	// page. Where the engine stops calls (in this process), the deadline
	// stops the cart as without it.
	Lenient bool
}

// Default limits.
const (
	DefaultCompileLimit = 20 * time.Second
	DefaultStartLimit   = 10 * time.Second
	DefaultCPULimit     = time.Second
)

func (l Limits) orDefault() Limits {
	if l.Compile <= 0 {
		l.Compile = DefaultCompileLimit
	}
	if l.Start <= 0 {
		l.Start = DefaultStartLimit
	}
	if l.Update <= 0 {
		l.Update = DefaultCPULimit
	}
	return l
}

// Client is the UI side of a core: it sends boots and ticks over a link and
// keeps the results, the same way on every transport. Its methods are not
// safe for concurrent use.
type Client struct {
	link        Link
	out         Output
	limits      Limits
	res         Result
	frame       []byte // the packed frame the last result carried
	err         error
	closed      bool
	booted      bool
	engineStops bool
	wbuf        []byte
	anyClock    bool         // the boot let the core pick its clock
	clock       *[2]uint64   // the seed and start it picked, if it did
	tickAhead   bool         // the core runs the first update unasked: the next Tick takes it
	kept        [][]byte     // messages prefetch read, for the next await
	keptHeld    bool         // the last of them is the link's, held (holder), not a copy
	resend      func() error // sends a boot by a held cart's hash again, with the cart
	keptErr     error        // the error prefetch's read ended with

	// An update that overran its limit and runs on (Limits.Lenient).
	running bool
	sent    time.Time // when it was asked for

	starved atomic.Int64 // deadlines the core had not run to (Starved)
}

// CPUTimer is a Link that can tell the CPU time its core has had: a worker
// process, whose threads the system counts.
type CPUTimer interface {
	// CPUTime is the CPU time the core has used since it started, all its
	// threads, user and system; false where it cannot be read.
	CPUTime() (time.Duration, bool)
}

// starvedMax caps, in limits of wall-clock time, how long a call whose core
// a busy machine does not run is waited for.
const starvedMax = 10

// cpuClock counts a call's limit in the CPU time its core has had, where
// the link can tell (CPUTimer): at the wall clock's deadline, a core that
// has not run for most of its limit (a machine busier than its cores, a
// worker stopped) is given the time it did not have; one that ran through
// it is stuck. A starved core is waited for starvedMax limits at most.
type cpuClock struct {
	t     CPUTimer
	limit time.Duration
	start time.Time
	cpu0  time.Duration
}

func (c *Client) cpuClock(limit time.Duration) cpuClock {
	t, ok := c.link.(CPUTimer)
	if !ok {
		return cpuClock{}
	}
	cpu0, ok := t.CPUTime()
	if !ok {
		return cpuClock{}
	}
	return cpuClock{t: t, limit: limit, start: time.Now(), cpu0: cpu0}
}

// more is how much longer to wait at a deadline: the part of the limit the
// core has not had, or 0 once it has had nearly all of it (the system
// counts CPU time in ticks of 10 ms) or the wait has reached its cap.
func (k *cpuClock) more() time.Duration {
	if k.t == nil {
		return 0
	}
	cpu, ok := k.t.CPUTime()
	if !ok {
		return 0
	}
	left := k.limit - (cpu - k.cpu0)
	if left <= max(k.limit/10, 20*time.Millisecond) || time.Since(k.start)+left > starvedMax*k.limit {
		return 0
	}
	return left
}

// Starved counts the deadlines at which the core had had less than its
// limit of CPU time, and the call was waited for longer: a machine too
// busy to run the cart's worker, not a cart that is stuck. It may be
// called while a call waits, from another goroutine.
func (c *Client) Starved() int { return int(c.starved.Load()) }

// NewClient returns a client over link; out receives the cart's log lines
// and saves as they come.
func NewClient(link Link, out Output) *Client { return &Client{link: link, out: out} }

// Engine names the engine the cart runs on.
func (c *Client) Engine() string { return c.link.Engine() }

// Handshake checks that the core speaks this protocol (a worker started
// from a rebuilt program might not).
func (c *Client) Handshake(build string, timeout time.Duration) error {
	if err := c.link.Send(encodeHello(hello{version: ProtocolVersion, build: build})); err != nil {
		return c.link.Broken("handshake", err)
	}
	msg, err := c.link.Recv(timeout)
	if err != nil {
		if errors.Is(err, ErrTimeout) {
			c.link.Kill()
			return &WorkerError{During: "handshake", Status: fmt.Sprintf("no answer within %v", timeout)}
		}
		return c.link.Broken("handshake", err)
	}
	if len(msg) == 0 || msg[0] != msgHello {
		c.link.Kill()
		return &WorkerError{During: "handshake", Status: "it answered something other than hello"}
	}
	d := &decoder{b: msg[1:]}
	h := decodeHello(d)
	if err := d.end(); err != nil {
		c.link.Kill()
		return &WorkerError{During: "handshake", Status: err.Error()}
	}
	if h.version != ProtocolVersion || !sameBuild(h.build, build) {
		c.link.Kill()
		e := &WorkerError{During: "handshake", Status: fmt.Sprintf("it speaks protocol %d of build %q, this host %d of build %q", h.version, h.build, ProtocolVersion, build), OtherBuild: true}
		if strings.HasPrefix(build, "web") && strings.HasPrefix(h.build, "web") {
			// A page's worker is fetched when it starts: the site was
			// deployed again since the page was loaded.
			e.Fix = "the site was updated since this page was opened: reload the page"
		}
		return e
	}
	return nil
}

// sameBuild reports whether a worker of build w may serve a host of build
// h: the same build, or, in a browser, a page or a worker that names no
// build of the site ("web": a bundled game's page, an example's, a page
// of a library user's that loads the site's worker).
func sameBuild(w, h string) bool {
	return w == h || strings.HasPrefix(w, "web") && strings.HasPrefix(h, "web") && (w == "web" || h == "web")
}

// directBooter is a link to a core in this process (DirectLink), which a
// boot's context must reach. It is an interface so that a program with no
// such link, the browser's page, does not link the core through it.
type directBooter interface {
	setContext(ctx context.Context)
	boot(ctx context.Context, msg []byte, limit time.Duration) error
}

// PartsSender is a Link that can send a message given in two parts, as
// if joined, without joining them: a boot request then carries the cart's
// bytes (megabytes for a Go cart) without a copy.
type PartsSender interface {
	SendParts(head, tail []byte) error
}

// Boot starts wasm with cfg. Cancelling ctx stops it where the transport
// can (a worker is killed) and Boot returns ctx.Err().
func (c *Client) Boot(ctx context.Context, wasm []byte, cfg BootConfig, limits Limits, engineStops bool) error {
	c.limits = limits.orDefault()
	c.anyClock, c.clock, c.tickAhead = cfg.AnyClock, nil, false
	if t, ok := c.link.(TickAheadLink); !ok || !t.TicksAhead() {
		cfg.TickAhead = false
	}
	req := bootRequest{cfg: cfg, frames: !c.link.SharesMemory(), wasm: wasm}
	if h, ok := c.link.(CartHolder); ok && cfg.Hash != ([32]byte{}) && h.Holds(cfg.Hash) {
		req.held, req.hash = true, cfg.Hash
	}
	if engineStops {
		req.startLimit, req.limit = c.limits.Start, c.limits.Update
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	direct, isDirect := c.link.(directBooter)
	if isDirect {
		direct.setContext(ctx)
	}
	if err := c.link.Prepare(cfg); err != nil {
		c.err = err
		return err
	}
	stop := context.AfterFunc(ctx, c.link.Kill)
	defer stop()
	c.resend = nil
	if req.held {
		// A worker that does not hold the cart after all asks for it.
		c.resend = func() error {
			r := req
			r.held = false
			return c.sendBoot(ctx, r)
		}
	}
	err := c.sendBoot(ctx, req)
	if err == nil {
		err = c.await("boot", c.limits.Compile, true, false)
	}
	c.resend = nil
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		err = commandHint(wasm, err)
		c.err = err
		c.link.Kill()
		return err
	}
	c.booted, c.engineStops = true, engineStops
	if cfg.TickAhead {
		c.tickAhead, c.sent = true, time.Now()
		c.prefetch(tickAheadWait)
	}
	return nil
}

// sendBoot sends a boot request as the link takes it best.
func (c *Client) sendBoot(ctx context.Context, req bootRequest) error {
	switch parts, isParts := c.link.(PartsSender); {
	case isParts:
		return parts.SendParts(encodeBootParts(req))
	default:
		if direct, ok := c.link.(directBooter); ok {
			return direct.boot(ctx, encodeBoot(req), c.limits.Compile)
		}
		return c.link.Send(encodeBoot(req))
	}
}

// tickAheadWait bounds how long Boot waits for the first update the core
// runs as it boots (TickAhead): it usually comes a few milliseconds after
// the boot's result. Taken then, while the page's thread waits for the
// boot anyway, it is not waited for when the window has started, when the
// page's thread, busy starting it, hears the worker 100-200 ms late.
const tickAheadWait = 50 * time.Millisecond

// prefetch keeps what the core sends within wait, up to a result, for the
// next await (see recv).
func (c *Client) prefetch(wait time.Duration) {
	deadline := time.Now().Add(wait)
	for {
		msg, err := c.link.Recv(time.Until(deadline))
		if errors.Is(err, ErrTimeout) {
			return
		}
		if err != nil {
			c.keptErr = err
			return
		}
		if len(msg) > 0 && msg[0] == msgResult {
			// A result with a frame stays where it came where the link
			// can keep it (a worker's: no copy of the frame). One
			// without must not be held: the frame the client has is
			// the one held before.
			var r Result
			if h, ok := c.link.(holder); ok && decodeResult(&decoder{b: msg[1:]}, &r) != nil {
				h.Hold()
				c.kept, c.keptHeld = append(c.kept, msg), true
				return
			}
		}
		c.kept = append(c.kept, bytes.Clone(msg))
		if len(msg) == 0 || msg[0] == msgResult {
			return
		}
	}
}

// recv returns the next message from the core: one prefetch kept (kept
// is true), else the link's.
func (c *Client) recv(timeout time.Duration) (msg []byte, kept bool, err error) {
	switch {
	case len(c.kept) > 0:
		msg, c.kept = c.kept[0], c.kept[1:]
		return msg, true, nil
	case c.keptHeld:
		c.keptHeld = false // the held result was taken: the link's holds are its own again
	case c.keptErr != nil:
		err, c.keptErr = c.keptErr, nil
		return nil, false, err
	}
	msg, err = c.link.Recv(timeout)
	return msg, false, err
}

// CartHolder is a Link whose worker may hold a cart already: a browser
// worker fetches the page's first cart itself. A boot of that cart names
// it by its SHA-256 (BootConfig.Hash) rather than send its megabytes back.
type CartHolder interface {
	Holds(sum [32]byte) bool
}

// TickAheadLink is a Link whose client gains from the core running the
// first update as it boots (BootConfig.TickAhead): a browser worker,
// whose page's thread answers messages late while its window starts.
type TickAheadLink interface {
	TicksAhead() bool
}

// TickAhead reports whether the next Tick takes the result of the first
// update, which the core ran with NoInput as it booted
// (BootConfig.TickAhead), whatever input that Tick is given.
func (c *Client) TickAhead() bool { return c.tickAhead }

// Clock returns the seed and start the core booted with where it picked
// them itself (BootConfig.AnyClock: a boot a worker made ahead); ok is
// false where the boot used the BootConfig's.
func (c *Client) Clock() (seed, start uint64, ok bool) {
	if c.clock == nil {
		return 0, 0, false
	}
	return c.clock[0], c.clock[1], true
}

// Tick runs one update with in. After an error, every call returns it.
// With Limits.Lenient, an update that overruns its limit on a worker
// returns a *NotRespondingError and runs on: see Await and Stop.
func (c *Client) Tick(in Input) error {
	if c.err != nil {
		return c.err
	}
	if c.running {
		return c.notResponding()
	}
	if c.tickAhead {
		c.tickAhead = false // the core runs it already, since the boot (c.sent)
	} else {
		c.wbuf = encodeTick(c.wbuf, in)
		c.sent = time.Now()
		if err := c.link.Send(c.wbuf); err != nil {
			c.err = c.link.Broken("update", err)
			return c.err
		}
	}
	err := c.await("update", c.limits.Update, false, c.lenient())
	if err == errPending {
		c.running = true
		return c.notResponding()
	}
	if err != nil {
		c.err = err
	}
	return err
}

// lenient reports whether an overrunning update is left running.
func (c *Client) lenient() bool { return c.limits.Lenient && !c.engineStops }

// Running reports whether an update that overran its limit runs on (see
// Limits.Lenient).
func (c *Client) Running() bool { return c.running }

// Await waits at most timeout for an update that overran its limit to
// end: nil once it has (its result is in Result), its error if it failed,
// a *NotRespondingError while it runs on. Without such an update it
// returns the client's error, if any.
func (c *Client) Await(timeout time.Duration) error {
	if !c.running {
		return c.err
	}
	err := c.await("update", timeout, false, true)
	if err == errPending {
		return c.notResponding()
	}
	c.running = false
	if err != nil {
		c.err = err
	}
	return err
}

// Stop ends an update that overran its limit (the worker is killed) and
// returns the *DeadlineError the cart stops with; without one it returns
// the client's error, if any.
func (c *Client) Stop() error {
	if !c.running {
		return c.err
	}
	c.running = false
	c.err = c.stuck("update", c.limits.Update, false)
	return c.err
}

// notResponding describes the update that runs on.
func (c *Client) notResponding() error {
	name := c.link.Calling()
	if name == "" {
		name = "update"
	}
	return &NotRespondingError{Func: name, Frame: c.res.Frames, Limit: c.limits.Update, Running: time.Since(c.sent)}
}

// settle takes the result of the first update, which the core ran
// unasked as it booted (TickAhead), before a request other than a tick:
// the core answers requests in order.
func (c *Client) settle() error {
	if !c.tickAhead {
		return nil
	}
	return c.Tick(NoInput)
}

// errPending is await's answer when a lenient wait ends with no result.
var errPending = errors.New("guest: the call runs on")

// SaveState returns the cart's save state (see docs/design.md).
func (c *Client) SaveState() ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	if err := c.settle(); err != nil {
		return nil, err
	}
	if c.running {
		return nil, c.notResponding()
	}
	if err := c.link.Send([]byte{msgSaveState}); err != nil {
		c.err = c.link.Broken("save state", err)
		return nil, c.err
	}
	state, memOff, err := c.awaitState("save state")
	if err != nil {
		return nil, err
	}
	state = append(make([]byte, 0, len(state)+int(c.res.MemSize)), state...)
	if memOff > 0 {
		// The memory's chunks come from the memory this side shares.
		if state, err = completeState(state, memOff, c.link.Memory(c.res.MemSize)); err != nil {
			c.err = c.protocolError("save state", err.Error())
			return nil, c.err
		}
	}
	return state, nil
}

// LoadState makes the cart what a save state says. A state of another
// cart or format is refused with an error, and the cart runs on as it
// was; a cart that had stopped runs again from the state.
func (c *Client) LoadState(state []byte) error {
	if c.closed || !c.booted {
		return ErrClosed
	}
	if c.tickAhead {
		// The update the core ran as it booted, waited for as the boot
		// was (start-limit), not leniently: the state replaces it.
		c.tickAhead = false
		if err := c.await("update", c.limits.Start, false, false); err != nil {
			c.err = err
		}
	}
	if c.running {
		c.Stop() // a state rescues a cart stuck in a loop: on a new worker
	}
	var we *WorkerError
	var de *DeadlineError
	if errors.As(c.err, &we) || (errors.As(c.err, &de) && !c.engineStops) {
		return c.err // the worker is gone: boot anew
	}
	e := encoder{b: make([]byte, 0, 5+len(state))}
	e.u8(msgLoadState)
	e.bytes(state)
	if err := c.link.Send(e.b); err != nil {
		c.err = c.link.Broken("load state", err)
		return c.err
	}
	if _, _, err := c.awaitState("load state"); err != nil {
		return err
	}
	if err := c.await("load state", c.limits.Start, false, false); err != nil {
		c.err = err
		return err
	}
	c.err = nil
	return nil
}

// awaitState reads the State reply of a save or load.
func (c *Client) awaitState(what string) ([]byte, int, error) {
	deadline := time.Now().Add(c.limits.Start)
	for {
		msg, _, err := c.recv(time.Until(deadline))
		if errors.Is(err, ErrTimeout) {
			// No export of the cart's runs here: the state is the core's
			// work, and the name of the last export called would blame it.
			c.link.Kill()
			c.err = &DeadlineError{Func: what, Frame: c.res.Frames, Limit: c.limits.Start}
			return nil, 0, c.err
		}
		if err != nil {
			c.err = c.link.Broken(what, err)
			return nil, 0, c.err
		}
		if len(msg) == 0 {
			c.err = c.protocolError(what, "an empty message")
			return nil, 0, c.err
		}
		d := &decoder{b: msg[1:]}
		switch msg[0] {
		case msgLog:
			if line := d.bytes("line"); d.end() == nil && c.out.Log != nil {
				c.out.Log(string(line))
			}
			continue
		case msgState:
			errText, state, memOff := d.str("error"), d.bytes("state"), int(d.u32("memory offset"))
			if err := d.end(); err != nil || memOff > len(state) || memOff > 0 && !c.link.SharesMemory() {
				c.err = c.protocolError(what, "a malformed state")
				return nil, 0, c.err
			}
			if reason, ok := strings.CutPrefix(errText, (&StateError{}).Error()); ok {
				return nil, 0, &StateError{reason}
			}
			if errText != "" {
				return nil, 0, errors.New(errText)
			}
			return state, memOff, nil
		}
		c.err = c.protocolError(what, fmt.Sprintf("a message of type %d", msg[0]))
		return nil, 0, c.err
	}
}

// await reads messages until the result comes, delivering logs and saves
// on the way, at most limit (from the compiled note on, when booting).
// Past the limit it stops the core, or, lenient, leaves it running and
// returns errPending. Not lenient, the limit is the core's CPU time where
// the link can tell it (cpuClock), else the wall clock's; lenient, the
// deadline asks the player at once: a window or page must not freeze
// while a starved worker is waited for.
func (c *Client) await(what string, limit time.Duration, booting, lenient bool) error {
	deadline := time.Now().Add(limit)
	var clock cpuClock
	if !lenient {
		clock = c.cpuClock(limit)
	}
	for {
		wait := time.Until(deadline)
		// A boot the worker made ahead (Server.Prepare) may be running the
		// cart's code before this boot's request is read: the worker's
		// note of the call it makes says so, and the start limit applies
		// from then on, not the compile limit.
		watch := booting && what == "boot"
		if watch {
			wait = min(wait, callingPoll)
		}
		msg, kept, err := c.recv(wait)
		if errors.Is(err, ErrTimeout) && watch && time.Now().Before(deadline) {
			if name := c.link.Calling(); name != "" && name != "instantiate" {
				limit, what = c.limits.Start, "start"
				deadline = time.Now().Add(limit)
				if !lenient {
					clock = c.cpuClock(limit)
				}
			}
			continue
		}
		if errors.Is(err, ErrTimeout) {
			if more := clock.more(); more > 0 {
				c.starved.Add(1)
				deadline = time.Now().Add(more)
				continue
			}
			if lenient {
				return errPending
			}
			return c.stuck(what, limit, booting)
		}
		if err != nil {
			return c.link.Broken(what, err)
		}
		if len(msg) == 0 {
			return c.protocolError(what, "an empty message")
		}
		d := &decoder{b: msg[1:]}
		switch msg[0] {
		case msgCompiled:
			if !booting {
				return c.protocolError(what, "a compile note outside boot")
			}
			limit = c.limits.Start
			deadline = time.Now().Add(limit)
			if !lenient {
				clock = c.cpuClock(limit)
			}
			what = "start"
		case msgLog:
			line := d.bytes("line")
			if err := d.end(); err != nil {
				return c.protocolError(what, err.Error())
			}
			if c.out.Log != nil {
				c.out.Log(string(line))
			}
		case msgDisk:
			data := d.bytes("data")
			if err := d.end(); err != nil || len(data) > DiskSize {
				return c.protocolError(what, "a malformed save")
			}
			if c.out.Disk != nil {
				c.out.Disk(append([]byte(nil), data...))
			}
		case msgSendCart:
			if err := d.end(); err != nil || c.resend == nil {
				return c.protocolError(what, "a request for a cart it was not asked to hold")
			}
			resend := c.resend
			c.resend = nil
			if err := resend(); err != nil {
				return c.link.Broken(what, err)
			}
		case msgClock:
			seed, start, took := d.u64("seed"), d.u64("start"), time.Duration(d.u64("boot time"))
			if err := d.end(); err != nil || !booting || !c.anyClock {
				return c.protocolError(what, "a clock it was not to pick")
			}
			c.clock = &[2]uint64{seed, start}
			if took > c.limits.Start {
				// The boot the worker made ahead ran past the start
				// limit before this client asked: as if it had timed it.
				c.link.Kill()
				return &DeadlineError{Func: "start", Limit: c.limits.Start, Ran: took}
			}
		case msgResult:
			frame := decodeResult(d, &c.res)
			if err := d.end(); err != nil {
				return c.protocolError(what, err.Error())
			}
			if frame != nil {
				if h, ok := c.link.(holder); ok && (!kept || c.keptHeld) {
					if !kept {
						h.Hold() // the frame stays where it came, valid until the next
					}
					c.frame = frame
				} else {
					c.frame = append(c.frame[:0], frame...)
				}
			}
			if errors.Is(c.res.Err, errCanceledOnWire) {
				c.res.Err = context.Canceled
			}
			return c.res.Err
		default:
			return c.protocolError(what, fmt.Sprintf("a message of unknown type %d", msg[0]))
		}
	}
}

// callingPoll is how often a boot waiting for its compile looks at the
// call the worker says it makes (see await).
const callingPoll = 100 * time.Millisecond

// stuck stops a core that did not answer in time.
func (c *Client) stuck(what string, limit time.Duration, booting bool) error {
	name := c.link.Calling()
	c.link.Kill()
	switch {
	case booting && what == "boot":
		return &DeadlineError{Func: "compile", Limit: limit}
	case name == "":
		name = what
		if what == "boot" || what == "start" {
			name = "start"
		}
	}
	frame := c.res.Frames
	if name == "framebuffer" && !booting {
		frame++ // the tick's update had returned: the core counted it
		c.res.Frames = frame
	}
	return &DeadlineError{Func: name, Frame: frame, Limit: limit}
}

func (c *Client) protocolError(what, msg string) error {
	c.link.Kill()
	return &WorkerError{During: what, Status: "it sent " + msg}
}

// Result is the state after the last boot or tick.
func (c *Client) Result() *Result { return &c.res }

// Frame returns the bytes holding the current frame and the descriptor to
// read them with: the cart's memory and descriptor where it is shared with
// this side, else the packed frame the result carried. They are checked
// again here (the core checked them, but this side does not trust a
// worker), so they can go to package framebuffer as they are. They are
// valid until the next Tick.
func (c *Client) Frame() ([]byte, framebuffer.Descriptor, error) {
	var mem []byte
	d := c.res.Desc
	if c.running {
		return nil, d, c.notResponding() // the update writes it as it runs on
	}
	if c.link.SharesMemory() {
		mem = c.link.Memory(c.res.MemSize)
		if uint64(len(mem)) >= c.res.MemSize {
			mem = mem[:c.res.MemSize]
		}
	} else {
		mem = c.frame
		d = framebuffer.Descriptor{Format: framebuffer.RGBA8888Premultiplied, Width: d.Width, Height: d.Height}
	}
	if err := d.Validate(uint64(len(mem))); err != nil {
		return nil, d, fmt.Errorf("guest: frame %d: %w", c.res.Frames, err)
	}
	return mem, d, nil
}

// closeLimit bounds waiting for a core to close.
const closeLimit = time.Second

// Close ends the core, delivering its last log lines, and the link.
func (c *Client) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	var cartErr *CallError
	var exitErr *ExitError
	var frameErr *FrameError
	if c.running {
		c.link.Kill() // busy in the cart's code: it would not hear a close
	} else if c.booted && (c.err == nil || errors.As(c.err, &cartErr) || errors.As(c.err, &exitErr) || errors.As(c.err, &frameErr)) {
		// The core is alive: let it end the cart and send what it still
		// has to say.
		if c.link.Send([]byte{msgClose}) == nil {
			c.drain()
		}
	}
	if c.err == nil {
		c.err = ErrClosed
	}
	return c.link.Close()
}

// drain delivers the core's last messages until it says it closed.
func (c *Client) drain() {
	deadline := time.Now().Add(closeLimit)
	for {
		msg, _, err := c.recv(time.Until(deadline))
		if err != nil || len(msg) == 0 || msg[0] == msgClosed {
			return
		}
		d := &decoder{b: msg[1:]}
		if msg[0] == msgLog {
			if line := d.bytes("line"); d.end() == nil && c.out.Log != nil {
				c.out.Log(string(line))
			}
		}
	}
}
