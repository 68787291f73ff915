package guest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// BootConfig is what the core needs to start a cart. It is what crosses to a
// worker, so it holds values only.
type BootConfig struct {
	// Name names the cart in stack traces.
	Name string
	// Mode chooses the ABI (ModeAuto: by what the cart imports).
	Mode Mode
	// MaxPages caps the cart's memory in 64 KiB pages (0: DefaultMaxPages).
	MaxPages uint32
	// Palette replaces WASM-4's power-on palette (0xRRGGBB) when set.
	Palette *[4]uint32
	// Seed seeds random_get; Start is the realtime clock's origin, Unix
	// time in ns. Together they make a run repeatable.
	Seed  uint64
	Start uint64
	// Disk is the saved data the cart boots with (at most DiskSize).
	Disk []byte
	// CacheDir caches compiled carts in a directory ("": in memory only).
	CacheDir string
	// AnyClock lets the core keep a boot it made before it was asked,
	// with a Seed and Start of its own: a browser worker boots the page's
	// first cart while the host loads (Server.Prepare). Client.Clock says
	// what the boot's were. A boot that must repeat a run (a replay's)
	// leaves it false.
	AnyClock bool
	// TickAhead lets the core run the cart's first update, with NoInput,
	// as soon as the boot ends, without waiting to be asked: it then runs
	// while the host starts its window, and Client.Tick's first call
	// takes its result (Client.TickAhead). The client asks for it where
	// its link gains from it (a browser worker: TickAheadLink); a replay,
	// whose first update's input is given, leaves it false.
	TickAhead bool
	// Hash is the cart's SHA-256 where the client knows it, else zero: a
	// worker that holds the cart already (it fetched it, a page's first
	// cart: CartHolder) is asked to boot it by it, not sent its bytes.
	Hash [32]byte
}

// DefaultMaxPages is the default cap on a cart's memory: 4096 pages,
// 256 MiB.
const DefaultMaxPages = 4096

// Pages is the cap on the cart's memory in pages, MaxPages or its default.
func (c *BootConfig) Pages() uint32 { return c.maxPages() }

func (c *BootConfig) maxPages() uint32 {
	if c.MaxPages == 0 {
		return DefaultMaxPages
	}
	return min(c.MaxPages, 65536)
}

// Output receives what the core reports while a cart runs, at once: log
// lines (already sanitised and rate-limited) and each save the cart writes.
type Output struct {
	Log  func(line string)
	Disk func(data []byte)
}

// Host flags of Result.Flags.
const (
	// FlagHideControls: the cart asked for no on-screen controls (WASM-4's
	// SYSTEM_HIDE_GAMEPAD_OVERLAY).
	FlagHideControls = 1 << 0
)

// Result is the state of a cart after it booted or ran an update: what the
// UI needs to show it.
type Result struct {
	Mode    Mode                   // the ABI the cart runs with
	Frames  uint32                 // updates run
	MemSize uint64                 // the memory's size in bytes
	Changed bool                   // the frame changed with this update
	Opaque  bool                   // every pixel of the frame has alpha 255 (framebuffer.FrameOpaque)
	Desc    framebuffer.Descriptor // the frame, as the cart describes it
	Flags   uint8                  // FlagHideControls, ...
	Tones   []Tone                 // the tone() calls of this update
	Err     error                  // what stopped the cart, if anything

	// Work is how long the last tick took where the cart runs (its
	// process, Web Worker or this one): the tick sequence in the core,
	// without the transport to the UI. 0 after boot.
	Work time.Duration
}

// Core runs one cart on an engine: the ABI's tick sequence, the imports
// (WASI, ebicart's, the system's), the virtual clocks, the log, the disk
// and the frame checks. It is the same code on every engine; it runs in the
// process or Web Worker the cart runs in. Its methods are not safe for
// concurrent use.
type Core struct {
	cfg   BootConfig
	inst  engine.Instance
	sys   System
	ex    Exports
	limit time.Duration
	ctx   context.Context
	clock clock
	log   *lineWriter
	disk  []byte
	out   Output
	// calling is told each export before it is called.
	calling func(name string)
	// callCtx is the context of the call running, for host functions
	// that take long to check its deadline.
	callCtx context.Context

	frames uint32
	work   time.Duration // the last tick's, Result.Work
	desc   framebuffer.Descriptor
	flags  uint8
	tones  []Tone
	err    error

	// The frame after the last update: the bytes holding it and the
	// descriptor to read them with (rebased onto a copy where the engine
	// gives no direct view).
	frameMem  []byte
	frameDesc framebuffer.Descriptor
	scratch   []byte
	// A copy of the frame's bytes (pixel rows, then palette) and its
	// descriptor as of the last change, to tell whether an update changed
	// anything: a compare and, on change, a copy, at memory speed.
	prev     []byte
	prevDesc framebuffer.Descriptor
	hasPrev  bool
	changed  bool
	opaque   bool // FrameOpaque of prev, worked out on each change

	mirror []byte // View's copy, where the engine gives no direct view
	ioBuf  []byte
	// hostMem is the memory the last host function was called with, the
	// cart's memory while instantiation runs its start section.
	hostMem engine.Memory
	// instGone: a call ended in a way that makes the engine close the
	// instance (its deadline, the context; not proc_exit, which is a host
	// function's panic to wazero): its memory may be freed, so Memory has
	// none until the instance is renewed.
	instGone bool
	// importsMemory: the cart's memory is another module's (WASM-4's),
	// which wazero frees with the cart's module: its instance cannot be
	// renewed.
	importsMemory bool
	// startSection: the module had a start section, exported by the
	// rewrite (wasmbin.ExportStart); boot calls it first.
	startSection bool

	// For save states: the cart's hash, its mutable globals, and why its
	// state cannot be saved, if it cannot.
	hash     [32]byte
	globals  []wasmbin.Global
	stateErr error
	stack    engine.Global // the stack budget (wasmbin.BoundStack), nil without one
	stateBuf []byte
}

// CoreOptions are how a core runs, as opposed to what it runs (BootConfig).
type CoreOptions struct {
	// Systems are the systems besides ABI v1 (package wasm4's).
	Systems []System
	// StartLimit bounds instantiation and each call at boot, Limit each
	// call after, on engines that can stop a call (0: no bound, for
	// engines whose caller stops a stuck worker instead).
	StartLimit, Limit time.Duration
	// Output receives log lines and saves.
	Output Output
	// Compiled, when set, is called once the cart has compiled, before
	// any of its code runs.
	Compiled func()
	// Calling, when set, is told the name of each export before it is
	// called, so that a worker's host can name the one that got stuck.
	Calling func(name string)
	// Rewrites, when set, keeps the cart's rewrites (its stack bound, its
	// globals exported, ...) for the next process that boots it.
	Rewrites RewriteCache

	unboundedStack bool // for the benchmark of what the stack bound costs
}

// Boot checks wasm against its system's ABI, instantiates it on eng, runs
// _initialize and start when it exports them, and checks its first frame.
// ctx bounds the boot (a cancelled context stops it where the engine can).
// Every failure is an error that says what is wrong with the cart; nothing
// the cart does makes Boot panic.
func Boot(ctx context.Context, eng engine.Engine, wasm []byte, cfg BootConfig, opts CoreOptions) (*Core, error) {
	out := opts.Output
	ck, err := checkBoot(wasm, cfg, opts.Systems)
	if err != nil {
		return nil, err
	}
	m, sys := ck.m, ck.sys
	c := &Core{cfg: cfg, sys: sys, ex: ck.ex, limit: opts.StartLimit, ctx: ctx, out: out, calling: opts.Calling,
		clock: newClock(cfg.Start, cfg.Seed), disk: append([]byte(nil), cfg.Disk[:min(len(cfg.Disk), DiskSize)]...)}
	c.log = &lineWriter{now: func() uint64 { return c.clock.mono }, emit: func(line string) {
		if out.Log != nil {
			out.Log(line)
		}
	}}
	c.hash = ck.hash
	rw := rewrite(ck.hash, wasm, ck.caps, opts.unboundedStack, opts.Rewrites)
	if rw.err != nil {
		return nil, rw.err
	}
	wasm, c.globals, c.stateErr = rw.wasm, rw.globals, rw.stateErr
	key := compileKey(rewriteKey{hash: ck.hash, tables: fmt.Sprint(ck.caps.tables), unbounded: opts.unboundedStack}, ck.caps.pages)
	funcs := append(c.coreFuncs(), sys.Funcs(c)...)
	for i := range funcs {
		// A host function reaches memory through the one it is given
		// (hostMem), the instance's where its own is not (WASM-4's,
		// imported).
		call := funcs[i].Call
		funcs[i].Call = func(m engine.Memory, s []uint64) {
			c.hostMem = m
			call(m, s)
		}
	}
	name := cfg.Name
	if name == "" {
		name = "cart"
	}
	spec := engine.Spec{Name: name, Wasm: wasm, Module: m, Funcs: funcs, Memory: sys.Memory(SystemOptions{Palette: cfg.Palette}),
		MaxPages: ck.caps.pages, CacheDir: cfg.CacheDir, Compiled: opts.Compiled, Key: key}
	c.importsMemory = spec.Memory != nil
	if c.calling != nil {
		c.calling("instantiate")
	}
	ictx, cancel := c.deadline()
	inst, err := eng.Instantiate(ictx, spec)
	cancel()
	if err != nil {
		var trap *engine.Trap
		if errors.Is(err, engine.ErrDeadline) || errors.As(err, &trap) || errors.As(err, new(*engine.Exit)) || errors.Is(err, context.Canceled) {
			return nil, c.callError("instantiate", err)
		}
		return nil, fmt.Errorf("guest: %w", err)
	}
	c.inst = inst
	c.stack = inst.Global(wasmbin.StackExport, wasmbin.I32)
	c.startSection = m.StartSection
	if err := c.boot(); err != nil {
		c.log.Close()
		inst.Close()
		return nil, err
	}
	c.limit, c.ctx = opts.Limit, context.WithoutCancel(ctx)
	return c, nil
}

// pickSystem chooses the system a cart runs with.
func pickSystem(m *wasmbin.Module, mode Mode, systems []System) (System, error) {
	for _, s := range systems {
		if s.Mode() == mode || (mode == ModeAuto && s.Detect(m)) {
			return s, nil
		}
	}
	if mode != ModeAuto && mode != ModeABI1 {
		return nil, fmt.Errorf("guest: mode %s is not available here", mode)
	}
	return &abi1{}, nil
}

// coreFuncs are the imports every cart may use: WASI and module ebicart.
func (c *Core) coreFuncs() []engine.HostFunc {
	fns := c.wasiFuncs()
	fns = append(fns,
		engine.HostFunc{Module: HostModule, Name: "log", Type: Sig(hostSignatures["log"]), Call: func(m engine.Memory, s []uint64) {
			ptr, n := u32(s[0]), u32(s[1])
			if uint64(ptr)+uint64(n) > m.Size() {
				panic(fmt.Errorf("ebicart.log: message %w: pass a message wholly in memory", outOfRange(ptr, int(n), m.Size())))
			}
			b := make([]byte, min(n, MaxLogMessage))
			m.Read(ptr, b)
			c.log.Line(b)
		}},
		engine.HostFunc{Module: HostModule, Name: "disk_read", Type: Sig(hostSignatures["disk_read"]), Call: func(m engine.Memory, s []uint64) {
			n, err := c.DiskRead(u32(s[0]), u32(s[1]))
			if err != nil {
				panic(fmt.Errorf("ebicart.disk_read: %w", err))
			}
			s[0] = uint64(n)
		}},
		engine.HostFunc{Module: HostModule, Name: "disk_write", Type: Sig(hostSignatures["disk_write"]), Call: func(m engine.Memory, s []uint64) {
			n, err := c.DiskWrite(u32(s[0]), u32(s[1]))
			if err != nil {
				panic(fmt.Errorf("ebicart.disk_write: %w", err))
			}
			s[0] = uint64(n)
		}},
	)
	return fns
}

func (c *Core) boot() error {
	// The module's start section first, as the engine would have run it
	// (wasmbin.ExportStart), then the ABI's exports.
	if c.startSection {
		if _, err := c.call(wasmbin.StartExport, StartSectionCall); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		ok   bool
	}{{exportStartCmd, c.ex.StartCmd}, {exportInitialize, c.ex.Initialize}, {exportStart, c.ex.Start}} {
		if !f.ok {
			continue
		}
		if _, err := c.Call(f.name); err != nil {
			return err
		}
	}
	d, flags, err := c.sys.After(c)
	if err != nil {
		return c.bootFrameError(err)
	}
	c.flags = flags
	return c.bootFrameError(c.useDescriptor(d))
}

// bootFrameError says that a frame error happened at boot.
func (c *Core) bootFrameError(err error) error {
	var fe *FrameError
	if errors.As(err, &fe) && c.sys.Mode() == ModeABI1 {
		fe.Err = fmt.Errorf("%w (the descriptor framebuffer() points to after start)", fe.Err)
	}
	return err
}

// Tick runs one update with in: the system's before (ABI v1: the input
// block), update, the system's after (ABI v1: framebuffer() and its
// descriptor), then the frame check. After an error the cart is stopped and
// every later Tick returns the same error.
func (c *Core) Tick(in Input) error {
	if c.err != nil {
		return c.err
	}
	c.tones = c.tones[:0]
	c.clock.beginUpdate(c.frames)
	in.Frame = c.frames
	start := time.Now()
	err := c.tick(&in)
	c.work = time.Since(start)
	if err != nil {
		c.err = err
		return err
	}
	return nil
}

func (c *Core) tick(in *Input) error {
	if err := c.sys.Before(c, in); err != nil {
		return err
	}
	if c.inst.HasFunc(exportUpdate) {
		if _, err := c.Call(exportUpdate); err != nil {
			return err
		}
	}
	c.frames++
	d, flags, err := c.sys.After(c)
	if err != nil {
		return err
	}
	c.flags = flags
	return c.useDescriptor(d)
}

// useDescriptor validates d and makes it the current frame.
func (c *Core) useDescriptor(d framebuffer.Descriptor) error {
	if err := d.Validate(c.inst.Memory().Size()); err != nil {
		return &FrameError{Frame: c.frames, Err: fmt.Errorf("guest: frame %d: %w", c.frames, err)}
	}
	c.desc = d
	c.noteFrame()
	return nil
}

// noteFrame finds the frame's bytes and records whether they changed.
func (c *Core) noteFrame() {
	d := c.desc
	paddr, pn := d.PixelSpan()
	laddr, ln := d.PaletteSpan()
	mem := c.inst.Memory()
	b := mem.Bytes()
	if b == nil {
		c.noteFrameCopy(mem, paddr, pn, laddr, ln)
		return
	}
	// A direct view: compare with the copy of the last frame that changed
	// and, on change, copy: both at memory speed.
	c.frameMem, c.frameDesc = b, d
	pix := b[paddr : int(paddr)+pn]
	var pal []byte
	if ln > 0 { // a direct-colour format ignores its palette field, whatever it holds
		pal = b[laddr : int(laddr)+ln]
	}
	if c.hasPrev && c.desc == c.prevDesc && len(c.prev) == pn+ln &&
		bytes.Equal(pix, c.prev[:pn]) && bytes.Equal(pal, c.prev[pn:]) {
		c.changed = false
		return
	}
	c.prev = append(append(c.prev[:0], pix...), pal...)
	c.prevDesc, c.hasPrev, c.changed = c.desc, true, true
	c.opaque = framebuffer.FrameOpaque(b, d)
}

// noteFrameCopy is noteFrame where the engine gives no direct view (the
// browser): the pixel rows and the palette are copied out, once, into
// scratch, and the descriptor rebased onto the copy. On change scratch
// and prev trade places, so the copy is the frame and no second copy is
// made.
func (c *Core) noteFrameCopy(mem engine.Memory, paddr uint32, pn int, laddr uint32, ln int) {
	if cap(c.scratch) < pn+ln {
		c.scratch = make([]byte, pn+ln)
	}
	c.scratch = c.scratch[:pn+ln]
	mem.Read(paddr, c.scratch[:pn])
	if ln > 0 {
		mem.Read(laddr, c.scratch[pn:])
	}
	d := c.desc
	d.Pixels = 0
	if ln > 0 {
		d.Palette = uint32(pn)
	}
	c.frameDesc = d
	if c.hasPrev && c.desc == c.prevDesc && bytes.Equal(c.scratch, c.prev) {
		c.changed = false
	} else {
		c.prev, c.scratch = c.scratch, c.prev
		c.prevDesc, c.hasPrev, c.changed = c.desc, true, true
		c.opaque = framebuffer.FrameOpaque(c.prev, d)
	}
	c.frameMem = c.prev
}

// Frame returns the bytes holding the current frame and the descriptor to
// read them with: all of memory and the cart's own descriptor where the
// engine gives a direct view, else a copy of just the frame's bytes. The
// bytes are valid until the next Tick.
func (c *Core) Frame() ([]byte, framebuffer.Descriptor) { return c.frameMem, c.frameDesc }

// Result returns the state after the last boot or tick.
func (c *Core) Result() Result {
	var size uint64
	if c.inst != nil {
		size = c.inst.Memory().Size()
	}
	return Result{Mode: c.sys.Mode(), Frames: c.frames, MemSize: size, Changed: c.changed && c.err == nil, Opaque: c.opaque, Desc: c.desc, Flags: c.flags, Tones: c.tones, Err: c.err, Work: c.work}
}

// Close stops the cart and frees its memory; a pending partial log line is
// written first.
func (c *Core) Close() error {
	if c.inst == nil {
		return nil
	}
	c.log.Close()
	err := c.inst.Close()
	c.inst = nil
	if c.err == nil {
		c.err = ErrClosed
	}
	return err
}

// checkDeadline stops the cart from inside a host function whose work is
// long (a huge random_get or write) once the call's deadline has passed,
// on engines that stop calls themselves: it panics with the engine's
// deadline error.
func (c *Core) checkDeadline() {
	if c.callCtx != nil && c.callCtx.Err() != nil {
		panic(engine.ErrDeadline)
	}
}

// deadline returns the context a call runs under.
func (c *Core) deadline() (context.Context, context.CancelFunc) {
	if c.limit > 0 {
		return context.WithTimeout(c.ctx, c.limit)
	}
	return c.ctx, func() {}
}

// Call calls the cart's export name under the call deadline. Errors are
// *CallError, *ExitError or *DeadlineError.
func (c *Core) Call(name string) (uint64, error) { return c.call(name, name) }

// call calls the export, named name in errors and to Calling.
func (c *Core) call(export, name string) (uint64, error) {
	if c.calling != nil {
		c.calling(name)
	}
	ctx, cancel := c.deadline()
	c.callCtx = ctx
	v, err := c.inst.Call(ctx, export)
	c.callCtx = nil
	cancel()
	if err != nil {
		return 0, c.callError(name, err)
	}
	return v, nil
}

// StartSectionCall names a module's start function in errors ("guest: the
// start section trapped: ...") and to CoreOptions.Calling.
const StartSectionCall = "the start section"

// callError turns an engine's error from calling export name into the
// core's.
func (c *Core) callError(name string, err error) error {
	var exit *engine.Exit
	var trap *engine.Trap
	switch {
	case errors.Is(err, engine.ErrDeadline):
		c.instGone = true
		return &DeadlineError{Func: name, Frame: c.frames, Limit: c.limit}
	case errors.As(err, &exit):
		return &ExitError{Func: name, Frame: c.frames, Code: exit.Code}
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		c.instGone = true
		if e := c.ctx.Err(); e != nil {
			return e
		}
		return err
	case errors.As(err, &trap):
		if c.stack != nil && int32(c.stack.Get()) < 0 {
			// The stack bound's own trap, not the cart's unreachable.
			trap = &engine.Trap{Message: "stack overflow", Stack: trap.Stack}
		}
		return &CallError{Func: name, Frame: c.frames, Err: trap}
	}
	return &CallError{Func: name, Frame: c.frames, Err: err}
}

// The Host methods, for systems.

// Memory is the cart's memory; none once the engine has closed the
// instance.
func (c *Core) Memory() engine.Memory {
	if c.instGone {
		return noMemory{}
	}
	if c.inst == nil {
		return c.hostMem
	}
	return c.inst.Memory()
}

// View returns the whole memory, directly or as a copy taken now.
func (c *Core) View() []byte {
	m := c.Memory()
	if b := m.Bytes(); b != nil {
		return b
	}
	if n := int(m.Size()); len(c.mirror) != n {
		c.mirror = make([]byte, n)
	}
	m.Read(0, c.mirror)
	return c.mirror
}

// Commit writes back bytes of View's copy.
func (c *Core) Commit(addr, n uint32) {
	m := c.Memory()
	if m.Bytes() != nil || uint64(addr)+uint64(n) > uint64(len(c.mirror)) {
		return
	}
	m.Write(addr, c.mirror[addr:addr+n])
}

// Log writes a line to the cart's log.
func (c *Core) Log(line []byte) { c.log.Line(line[:min(len(line), MaxLogMessage)]) }

// Tone records a tone() call of this update. A tone replaces what its
// channel (flags bits 0-1) plays, so a later call on the channel replaces
// an earlier one of the same update, as the APU would: an update keeps at
// most one tone a channel, the last, however often the cart calls tone().
func (c *Core) Tone(t Tone) {
	for i := range c.tones {
		if c.tones[i].Flags&3 == t.Flags&3 {
			c.tones[i] = t
			return
		}
	}
	if len(c.tones) < maxTonesPerUpdate {
		c.tones = append(c.tones, t)
	}
}

// FrameNumber is the number of updates run so far.
func (c *Core) FrameNumber() uint32 { return c.frames }

// Mode is the ABI the cart runs with.
func (c *Core) Mode() Mode { return c.sys.Mode() }

// noMemory is the memory of an instance the engine has closed: none to
// read or write.
type noMemory struct{}

func (noMemory) Size() uint64              { return 0 }
func (noMemory) Read(uint32, []byte) bool  { return false }
func (noMemory) Write(uint32, []byte) bool { return false }
func (noMemory) Bytes() []byte             { return nil }
func (noMemory) Grow(uint32) bool          { return false }
