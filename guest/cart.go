package guest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// Cart is a loaded cartridge, ready to run. Its methods are not safe for
// concurrent use. After any method returns an error the cart is stopped:
// every later call returns the same error, and the way on is to Close it and
// load it again.
type Cart interface {
	// Update writes in to the cart's input block (when it exports input),
	// calls update, then framebuffer, and checks the descriptor it points
	// to. The host fills in in.Frame.
	Update(in Input) error
	// Frame returns the current frame as premultiplied RGBA pixels, ready
	// for WritePixels. Pix is valid until the next call to Update or Frame.
	Frame() (Frame, error)
	// Descriptor returns the frame descriptor read after the last update
	// (or after start).
	Descriptor() framebuffer.Descriptor
	// Frames returns the number of updates run so far.
	Frames() uint32
	// Changed reports whether the last update (or start) changed the
	// frame: its descriptor, pixels or palette. A host that sees false
	// need not pack, upload or present anything.
	Changed() bool
	// Mode is the ABI the cart runs with, ModeABI1 or ModeWASM4.
	Mode() Mode
	// Tones returns the WASM-4 tone() calls of the last update, in order,
	// for the host's sound chip (package wasm4/apu). Valid until the next
	// Update.
	Tones() []Tone
	// SystemFlags returns WASM-4's SYSTEM_FLAGS byte after the last update
	// (bit 0 keep the framebuffer, bit 1 hide the touch gamepad); 0 for
	// ABI v1 carts.
	SystemFlags() byte
	// MemorySize returns the current size of the cart's linear memory in
	// bytes.
	MemorySize() uint64
	// Close stops the cart and frees its memory.
	Close() error
}

// Frame is a frame as premultiplied RGBA, Width*Height*4 bytes, row after
// row with no padding.
type Frame struct {
	Pix           []byte
	Width, Height int
}

// CallError reports a cart export that trapped: the message and, where the
// engine gives one, the wasm stack with function names.
type CallError struct {
	Func string // the export called: "update", "start", ...
	Err  error
}

// Error says which export trapped and how.
func (e *CallError) Error() string { return fmt.Sprintf("guest: %s trapped: %v", e.Func, e.Err) }

// Unwrap returns the engine's error.
func (e *CallError) Unwrap() error { return e.Err }

// DeadlineError reports a cart call that ran past the CPU limit; the host
// stopped the cart.
type DeadlineError struct {
	Func  string
	Limit time.Duration
}

// Error says which call ran past the limit.
func (e *DeadlineError) Error() string {
	return fmt.Sprintf("guest: %s did not return within %v", e.Func, e.Limit)
}

// ExitError reports a cart that ended itself with WASI proc_exit.
type ExitError struct {
	Func string
	Code uint32
}

// Error gives the exit status.
func (e *ExitError) Error() string {
	return fmt.Sprintf("guest: cart exited with status %d (in %s)", e.Code, e.Func)
}

// fn names the cart exports the host calls.
type fn int

const (
	fnUpdate fn = iota
	fnFramebuffer
	fnStart
	fnInitialize
	fnInput
	fnStartCmd
	numFns
)

var fnNames = [numFns]string{exportUpdate, exportFramebuffer, exportStart, exportInitialize, exportInput, exportStartCmd}

// instance is the platform seam: a cart instantiated by wazero natively or
// by the browser's engine. Everything above it (the ABI sequence, input,
// descriptor checks, packing) is shared.
type instance interface {
	// call calls an export taking no arguments and returns its i32 result,
	// 0 for a function without one. Errors are *CallError or *ExitError.
	call(f fn) (uint32, error)
	// read copies len(b) bytes at addr out of memory.
	read(addr uint32, b []byte) error
	// write copies b into memory at addr.
	write(addr uint32, b []byte) error
	// memorySize is the current memory size in bytes.
	memorySize() uint64
	// frameMemory returns bytes holding the frame of validated descriptor
	// d and the descriptor to read them with: natively all of memory and d
	// itself (no copy), in the browser a copy of just the pixel rows and
	// palette with the addresses rebased into it.
	frameMemory(d framebuffer.Descriptor) ([]byte, framebuffer.Descriptor)
	close() error
}

// frameCaller is implemented by instances for which each call is costly
// (a round trip to a worker process): frame runs a whole tick in one go,
// as flags say: input() and writing in to the block it points to, update(),
// framebuffer(), whose result it returns.
type frameCaller interface {
	frame(in *[InputSize]byte, flags frameFlags) (uint32, error)
}

// Load checks wasm against the cart ABI, instantiates it, runs
// _initialize and start when it exports them, and checks its first frame
// descriptor. Every failure is an error that says what is wrong with the
// cart; nothing the cart does makes Load panic.
func Load(ctx context.Context, wasm []byte, cfg Config) (Cart, error) {
	if c, ok, err := loadPlatform(ctx, wasm, cfg); ok {
		return c, err
	}
	m, err := wasmbin.Parse(wasm)
	if err != nil {
		return nil, fmt.Errorf("guest: %w", err)
	}
	mode := cfg.mode
	if mode == ModeAuto {
		mode = detectMode(m)
	}
	var ex exports
	if mode == ModeWASM4 {
		ex, err = checkWASM4(m)
	} else {
		ex, err = checkABI(m)
	}
	if err != nil {
		return nil, err
	}
	if l, ok := m.Memory(); ok && l.Min > uint64(cfg.maxPages()) {
		return nil, fmt.Errorf("guest: memory declares %d pages (%d MiB), more than the limit of %d pages (%d MiB)", l.Min, l.Min>>4, cfg.maxPages(), cfg.maxPages()>>4)
	}
	inst, err := instantiate(ctx, wasm, m, cfg, mode)
	if err != nil {
		return nil, err
	}
	c := &cart{inst: inst, ex: ex, mode: mode}
	if err := c.boot(); err != nil {
		inst.close()
		return nil, err
	}
	return c, nil
}

// cart runs the ABI v1 frame sequence over an instance.
type cart struct {
	mode   Mode
	inst   instance
	ex     exports
	desc   framebuffer.Descriptor
	packer framebuffer.Packer
	frames uint32
	in     [InputSize]byte
	dbuf   [framebuffer.DescriptorSize]byte
	err    error
	closed bool

	// The frame after the last update: the bytes frameMemory gave and the
	// descriptor to read them with.
	mem     []byte
	memDesc framebuffer.Descriptor

	// A copy of the frame's bytes (pixel rows, then palette) and its
	// descriptor as of the last change, to tell whether an update changed
	// anything: a compare and, on change, a copy, both at memory speed.
	prev     []byte
	prevDesc framebuffer.Descriptor
	hasPrev  bool
	changed  bool

	tones   []Tone // tone() calls of the last update
	w4flags byte   // WASM-4 SYSTEM_FLAGS after the last update
}

func (c *cart) boot() error {
	if c.ex.initialize {
		if _, err := c.inst.call(fnInitialize); err != nil {
			return err
		}
	}
	if c.ex.startCmd {
		if _, err := c.inst.call(fnStartCmd); err != nil {
			return err
		}
	}
	if c.ex.start {
		if _, err := c.inst.call(fnStart); err != nil {
			return err
		}
	}
	c.takeTones()
	if c.mode == ModeWASM4 {
		return c.useDescriptor(w4Descriptor)
	}
	if err := c.readDescriptor(); err != nil {
		return fmt.Errorf("%w (the descriptor framebuffer() points to after start)", err)
	}
	return nil
}

func (c *cart) Update(in Input) error {
	if c.err != nil {
		return c.err
	}
	if err := c.update(in); err != nil {
		c.err = err
		return err
	}
	return nil
}

func (c *cart) update(in Input) error {
	if c.mode == ModeWASM4 {
		return c.updateWASM4(in)
	}
	if fc, ok := c.inst.(frameCaller); ok {
		in.Frame = c.frames
		in.Encode(&c.in)
		flags := frameUpdate | frameFramebuffer
		if c.ex.input {
			flags |= frameInput
		}
		addr, err := fc.frame(&c.in, flags)
		if err != nil {
			if ce := (*CallError)(nil); errors.As(err, &ce) && ce.Func == exportFramebuffer {
				c.frames++ // update itself ran
			}
			return err
		}
		c.frames++
		return c.readDescriptorAt(addr)
	}
	if c.ex.input {
		addr, err := c.inst.call(fnInput)
		if err != nil {
			return err
		}
		in.Frame = c.frames
		in.Encode(&c.in)
		if err := c.inst.write(addr, c.in[:]); err != nil {
			return fmt.Errorf("guest: input block: %w", err)
		}
	}
	if _, err := c.inst.call(fnUpdate); err != nil {
		return err
	}
	c.frames++
	return c.readDescriptor()
}

// readDescriptor calls framebuffer() and reads and validates what it
// points to.
func (c *cart) readDescriptor() error {
	addr, err := c.inst.call(fnFramebuffer)
	if err != nil {
		return err
	}
	return c.readDescriptorAt(addr)
}

// readDescriptorAt reads and validates the descriptor at addr.
func (c *cart) readDescriptorAt(addr uint32) error {
	if err := c.inst.read(addr, c.dbuf[:]); err != nil {
		return fmt.Errorf("guest: frame descriptor: %w", err)
	}
	return c.useDescriptor(framebuffer.DecodeDescriptor(c.dbuf[:]))
}

// useDescriptor validates d and makes it the current frame.
func (c *cart) useDescriptor(d framebuffer.Descriptor) error {
	if err := d.Validate(c.inst.memorySize()); err != nil {
		return fmt.Errorf("guest: frame %d: %w", c.frames, err)
	}
	c.desc = d
	c.noteFrame()
	return nil
}

// toner is implemented by instances that collect WASM-4 tone() calls.
type toner interface{ takeTones() []Tone }

// takeTones moves the tones of the last calls into c.tones.
func (c *cart) takeTones() {
	c.tones = c.tones[:0]
	if t, ok := c.inst.(toner); ok {
		c.tones = append(c.tones, t.takeTones()...)
	}
}

func (c *cart) Tones() []Tone { return c.tones }

// noteFrame fetches the frame's bytes and records whether they changed.
func (c *cart) noteFrame() {
	c.mem, c.memDesc = c.inst.frameMemory(c.desc)
	paddr, pn := c.memDesc.PixelSpan()
	laddr, ln := c.memDesc.PaletteSpan()
	pix := c.mem[paddr : int(paddr)+pn]
	var pal []byte
	if ln > 0 { // a direct-colour format ignores its palette field, whatever it holds
		pal = c.mem[laddr : int(laddr)+ln]
	}
	if c.hasPrev && c.desc == c.prevDesc && len(c.prev) == pn+ln &&
		bytes.Equal(pix, c.prev[:pn]) && bytes.Equal(pal, c.prev[pn:]) {
		c.changed = false
		return
	}
	c.prev = append(append(c.prev[:0], pix...), pal...)
	c.prevDesc, c.hasPrev, c.changed = c.desc, true, true
}

func (c *cart) Frame() (Frame, error) {
	if c.err != nil {
		return Frame{}, c.err
	}
	pix, err := c.packer.Frame(c.mem, c.memDesc)
	if err != nil {
		// Validated at update; the bytes cannot have changed since.
		c.err = fmt.Errorf("guest: frame %d: %w", c.frames, err)
		return Frame{}, c.err
	}
	return Frame{Pix: pix, Width: int(c.memDesc.Width), Height: int(c.memDesc.Height)}, nil
}

func (c *cart) Changed() bool { return c.changed }
func (c *cart) Mode() Mode    { return c.mode }

func (c *cart) Descriptor() framebuffer.Descriptor { return c.desc }
func (c *cart) Frames() uint32                     { return c.frames }

func (c *cart) MemorySize() uint64 {
	if c.closed {
		return 0
	}
	return c.inst.memorySize()
}

func (c *cart) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	if c.err == nil {
		c.err = errClosed
	}
	return c.inst.close()
}

var errClosed = errors.New("guest: cart is closed")

// outOfRange is the message for a memory access a cart asked for that
// does not fit.
func outOfRange(addr uint32, n int, size uint64) error {
	return fmt.Errorf("0x%x+%d bytes end past memory size %d", addr, n, size)
}
