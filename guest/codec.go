package guest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest/engine"
)

// The codec: every message between the UI side and a core, on every
// transport (a direct call, a pipe to a worker process, postMessage to a Web
// Worker), is one of these, encoded the same way: a type byte, then
// little-endian fields; strings and byte strings are a u32 length and the
// bytes. A transport that is a stream frames each message with a u32
// length first.
//
// UI side to core: Hello, Boot, Tick, SaveState, LoadState, Close. Core
// to UI side: Hello, Compiled, Log, Disk, Clock, SendCart, Result, State,
// Closed.
const (
	msgHello     = 1  // u32 protocol version, string build
	msgBoot      = 2  // boot config, wasm
	msgTick      = 3  // input
	msgCompiled  = 4  // (empty): the cart compiled; its code runs next
	msgLog       = 5  // string line
	msgDisk      = 6  // bytes data
	msgResult    = 7  // result, error, frame
	msgClose     = 8  // (empty): end the cart; the core answers with its last logs, then Closed
	msgClosed    = 9  // (empty)
	msgSaveState = 10 // (empty): the core answers State
	msgLoadState = 11 // bytes state: the core answers State, then (when loaded) Result
	msgState     = 12 // string error ("" = done), bytes state (of a save), u32 where the memory's size is when the state leaves out the memory it shares (else 0)
	msgClock     = 13 // u64 seed, u64 start, u64 ns: the clock a boot made ahead picked (BootConfig.AnyClock), and how long that boot took, before its result
	msgSendCart  = 14 // (empty): the worker does not hold the cart a boot named by its hash: the client sends the boot again, with the cart
)

// ProtocolVersion is the version of the codec and of the requests a core
// serves. A worker that answers Hello with another is refused.
const ProtocolVersion = 4

// MaxMessage bounds a message: a cart of up to 256 MiB and its settings.
const MaxMessage = 256<<20 + 1<<20

// errMalformed is wrapped by every decoding error.
var errMalformed = errors.New("malformed message")

type encoder struct{ b []byte }

func (e *encoder) u8(v uint8)   { e.b = append(e.b, v) }
func (e *encoder) u16(v uint16) { e.b = binary.LittleEndian.AppendUint16(e.b, v) }
func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) bytes(b []byte) {
	e.u32(uint32(len(b)))
	e.b = append(e.b, b...)
}
func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.b = append(e.b, s...)
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errMalformed, what)
	}
}

func (d *decoder) take(n uint64, what string) []byte {
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail(what + " runs past the end")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) u8(what string) uint8 {
	if b := d.take(1, what); b != nil {
		return b[0]
	}
	return 0
}

// flag reads a boolean: 0 or 1, anything else malformed.
func (d *decoder) flag(what string) bool {
	switch d.u8(what) {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail(what)
	return false
}

func (d *decoder) u16(what string) uint16 {
	if b := d.take(2, what); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}
func (d *decoder) u32(what string) uint32 {
	if b := d.take(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}
func (d *decoder) u64(what string) uint64 {
	if b := d.take(8, what); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}
func (d *decoder) bytes(what string) []byte { return d.take(uint64(d.u32(what)), what) }
func (d *decoder) str(what string) string   { return string(d.bytes(what)) }

// end checks that the whole message was read.
func (d *decoder) end() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail(fmt.Sprintf("%d bytes left over", len(d.b)))
	}
	return d.err
}

// hello is the handshake.
type hello struct {
	version uint32
	build   string
}

func encodeHello(h hello) []byte {
	e := encoder{b: []byte{msgHello}}
	e.u32(h.version)
	e.str(h.build)
	return e.b
}

func decodeHello(d *decoder) hello {
	return hello{version: d.u32("version"), build: d.str("build")}
}

// bootRequest is a Boot message.
type bootRequest struct {
	cfg BootConfig
	// startLimit and limit bound each call at boot and after, on engines
	// that stop calls themselves (0: the caller stops the worker).
	startLimit, limit time.Duration
	// frames makes results carry the packed frame (no shared memory).
	frames bool
	wasm   []byte
	// held: the request carries no cart, but hash, the SHA-256 of one
	// the worker holds (it fetched it: the page's first cart).
	held bool
	hash [32]byte
}

func encodeBoot(r bootRequest) []byte {
	head, wasm := encodeBootParts(r)
	return append(head, wasm...)
}

// encodeBootParts encodes a boot request as a head and the cart's bytes,
// which end the message: a link that can send the two without joining
// them spares a copy of the cart.
func encodeBootParts(r bootRequest) (head, wasm []byte) {
	e := encoder{b: []byte{msgBoot}}
	c := r.cfg
	e.str(c.Name)
	e.u8(uint8(c.Mode))
	e.u32(c.MaxPages)
	if c.Palette != nil {
		e.u8(1)
		for _, p := range c.Palette {
			e.u32(p)
		}
	} else {
		e.u8(0)
	}
	e.u64(c.Seed)
	e.u64(c.Start)
	e.bytes(c.Disk)
	e.str(c.CacheDir)
	e.u8(flag(c.AnyClock))
	e.u8(flag(c.TickAhead))
	e.u64(uint64(r.startLimit))
	e.u64(uint64(r.limit))
	if r.frames {
		e.u8(1)
	} else {
		e.u8(0)
	}
	e.u8(flag(r.held))
	if r.held {
		e.b = append(e.b, r.hash[:]...)
		e.u32(0)
		return e.b, nil
	}
	e.u32(uint32(len(r.wasm)))
	return e.b, r.wasm
}

func decodeBoot(d *decoder) bootRequest {
	var r bootRequest
	c := &r.cfg
	c.Name = d.str("name")
	c.Mode = Mode(d.u8("mode"))
	c.MaxPages = d.u32("max pages")
	switch d.u8("palette flag") {
	case 0:
	case 1:
		var p [4]uint32
		for i := range p {
			p[i] = d.u32("palette")
		}
		c.Palette = &p
	default:
		d.fail("palette flag")
	}
	c.Seed = d.u64("seed")
	c.Start = d.u64("start")
	if c.Disk = d.bytes("disk"); len(c.Disk) > DiskSize {
		d.fail("disk larger than DiskSize")
	}
	c.Disk = append([]byte(nil), c.Disk...)
	c.CacheDir = d.str("cache dir")
	c.AnyClock = d.flag("clock flag")
	c.TickAhead = d.flag("tick flag")
	r.startLimit = time.Duration(d.u64("start limit"))
	r.limit = time.Duration(d.u64("limit"))
	r.frames = d.u8("frames flag") == 1
	if r.held = d.flag("held flag"); r.held {
		copy(r.hash[:], d.take(uint64(len(r.hash)), "hash"))
	}
	r.wasm = d.bytes("wasm")
	if r.held && len(r.wasm) > 0 {
		d.fail("a held cart's bytes")
	}
	if c.Mode > ModeWASM4 || r.startLimit < 0 || r.limit < 0 {
		d.fail("boot settings out of range")
	}
	return r
}

func encodeTick(buf []byte, in Input) []byte {
	e := encoder{b: buf[:0]}
	e.u8(msgTick)
	e.u32(in.Buttons)
	e.u32(uint32(in.MouseX))
	e.u32(uint32(in.MouseY))
	e.u32(in.MouseButtons)
	e.u32(uint32(in.WheelX))
	e.u32(uint32(in.WheelY))
	for _, p := range in.Players {
		e.u32(p)
	}
	return e.b
}

func decodeTick(d *decoder) Input {
	in := Input{Buttons: d.u32("buttons"), MouseX: int32(d.u32("mouse x")), MouseY: int32(d.u32("mouse y")),
		MouseButtons: d.u32("mouse buttons"), WheelX: int32(d.u32("wheel x")), WheelY: int32(d.u32("wheel y"))}
	for i := range in.Players {
		in.Players[i] = d.u32("players")
	}
	return in
}

// flag encodes a boolean.
func flag(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// encodeClock encodes the clock a boot made ahead picked and how long it
// took (msgClock).
func encodeClock(seed, start uint64, took time.Duration) []byte {
	e := encoder{b: []byte{msgClock}}
	e.u64(seed)
	e.u64(start)
	e.u64(uint64(max(took, 0)))
	return e.b
}

func encodeLine(typ byte, b []byte) []byte {
	e := encoder{b: make([]byte, 0, 5+len(b))}
	e.u8(typ)
	e.bytes(b)
	return e.b
}

// Error kinds on the wire.
const (
	errNone = iota
	errCall
	errExit
	errDeadline
	errFrame
	errOther
	errCanceled
)

func encodeError(e *encoder, err error) {
	var ce *CallError
	var ee *ExitError
	var de *DeadlineError
	var fe *FrameError
	switch {
	case err == nil:
		e.u8(errNone)
	case errors.As(err, &ce):
		e.u8(errCall)
		e.str(ce.Func)
		e.u32(ce.Frame)
		var trap *engine.Trap
		if errors.As(ce.Err, &trap) {
			e.str(trap.Message)
			e.str(trap.Stack)
		} else {
			e.str(ce.Err.Error())
			e.str("")
		}
	case errors.As(err, &ee):
		e.u8(errExit)
		e.str(ee.Func)
		e.u32(ee.Frame)
		e.u32(ee.Code)
	case errors.As(err, &de):
		e.u8(errDeadline)
		e.str(de.Func)
		e.u32(de.Frame)
		e.u64(uint64(de.Limit))
	case errors.As(err, &fe):
		e.u8(errFrame)
		e.u32(fe.Frame)
		e.str(fe.Error())
	case errors.Is(err, errCanceledOnWire):
		e.u8(errCanceled)
	default:
		e.u8(errOther)
		e.str(err.Error())
	}
}

// errCanceledOnWire stands for a context cancelled on the core's side.
var errCanceledOnWire = errors.New("guest: canceled")

func decodeError(d *decoder) error {
	switch d.u8("error kind") {
	case errNone:
		return nil
	case errCall:
		f, fr := d.str("func"), d.u32("frame")
		return &CallError{Func: f, Frame: fr, Err: &engine.Trap{Message: d.str("trap"), Stack: d.str("stack")}}
	case errExit:
		return &ExitError{Func: d.str("func"), Frame: d.u32("frame"), Code: d.u32("code")}
	case errDeadline:
		return &DeadlineError{Func: d.str("func"), Frame: d.u32("frame"), Limit: time.Duration(d.u64("limit"))}
	case errFrame:
		fr := d.u32("frame")
		return &FrameError{Frame: fr, Err: errors.New(d.str("message"))}
	case errOther:
		return errors.New(d.str("message"))
	case errCanceled:
		return errCanceledOnWire
	}
	d.fail("error kind")
	return nil
}

// A result's frame bits.
const (
	resultChanged = 1 << iota // Result.Changed
	resultOpaque              // Result.Opaque
)

// encodeResult encodes r and, when frame is set, the packed frame (w x h
// premultiplied RGBA).
func encodeResult(buf []byte, r *Result, frame []byte) []byte {
	e := encoder{b: append(buf[:0], msgResult)}
	e.u8(uint8(r.Mode))
	e.u32(r.Frames)
	e.u64(r.MemSize)
	var bits uint8 // resultChanged, resultOpaque
	if r.Changed {
		bits |= resultChanged
	}
	if r.Opaque {
		bits |= resultOpaque
	}
	e.u8(bits)
	var d [framebuffer.DescriptorSize]byte
	r.Desc.Encode(d[:])
	e.b = append(e.b, d[:]...)
	e.u8(r.Flags)
	e.u16(uint16(len(r.Tones)))
	for _, t := range r.Tones {
		e.u32(t.Frequency)
		e.u32(t.Duration)
		e.u32(t.Volume)
		e.u32(t.Flags)
	}
	encodeError(&e, r.Err)
	e.u64(uint64(max(r.Work, 0)))
	if frame != nil {
		e.u8(1)
		e.bytes(frame)
	} else {
		e.u8(0)
	}
	return e.b
}

// decodeResult decodes a result into r, reusing r.Tones; frame is the
// packed frame it carries, a slice of the message, or nil.
func decodeResult(d *decoder, r *Result) (frame []byte) {
	r.Mode = Mode(d.u8("mode"))
	if r.Mode > ModeWASM4 {
		d.fail("mode")
	}
	r.Frames = d.u32("frames")
	r.MemSize = d.u64("memory size")
	bits := d.u8("frame bits")
	if bits&^(resultChanged|resultOpaque) != 0 {
		d.fail("frame bits")
	}
	r.Changed, r.Opaque = bits&resultChanged != 0, bits&resultOpaque != 0
	if b := d.take(framebuffer.DescriptorSize, "descriptor"); b != nil {
		r.Desc = framebuffer.DecodeDescriptor(b)
	}
	r.Flags = d.u8("flags")
	n := int(d.u16("tones"))
	if n > maxTonesPerUpdate {
		d.fail("too many tones")
		n = 0
	}
	r.Tones = r.Tones[:0]
	for range n {
		r.Tones = append(r.Tones, Tone{d.u32("tone"), d.u32("tone"), d.u32("tone"), d.u32("tone")})
	}
	r.Err = decodeError(d)
	r.Work = time.Duration(min(d.u64("work"), math.MaxInt64))
	switch d.u8("frame flag") {
	case 0:
	case 1:
		frame = d.bytes("frame")
		if uint64(len(frame)) != 4*uint64(r.Desc.Width)*uint64(r.Desc.Height) {
			d.fail("frame size does not match its descriptor")
		}
	default:
		d.fail("frame flag")
	}
	return frame
}

func encodeState(buf []byte, errText string, state []byte, memOff int) []byte {
	e := encoder{b: buf[:0]}
	e.u8(msgState)
	e.str(errText)
	e.bytes(state)
	e.u32(uint32(memOff))
	return e.b
}
