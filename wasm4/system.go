package wasm4

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/safetext"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// System returns WASM-4 as a system for ebicart's cart core: the env
// imports (memory, drawing, sound, storage, trace), the memory map's
// power-on state, and the tick around update (gamepads and mouse in, the
// framebuffer cleared unless the cart keeps it, SYSTEM_FLAGS out). Carts
// that import env.memory run with it.
func System() guest.System { return &system{} }

// module is the import module of the WASM-4 functions and memory.
const module = "env"

// signatures are WASM-4's env functions and their signatures (see
// guest.Sig).
var signatures = map[string]string{
	"blit":       "iiiiii ",
	"blitSub":    "iiiiiiiii ",
	"line":       "iiii ",
	"hline":      "iii ",
	"vline":      "iii ",
	"oval":       "iiii ",
	"rect":       "iiii ",
	"text":       "iii ",
	"textUtf8":   "iiii ",
	"textUtf16":  "iiii ",
	"tone":       "iiii ",
	"diskr":      "ii i",
	"diskw":      "ii i",
	"trace":      "i ",
	"traceUtf8":  "ii ",
	"traceUtf16": "ii ",
	"tracef":     "ii ",
}

// functionNames lists the functions in a fixed order.
var functionNames = func() []string {
	names := make([]string, 0, len(signatures))
	for n := range signatures {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}()

// Descriptor describes the WASM-4 framebuffer to package framebuffer:
// 160x160, 2 bits per pixel, leftmost in the low bits, palette at 0x04.
var descriptor = framebuffer.Descriptor{
	Format:  framebuffer.Indexed2,
	Width:   Width,
	Height:  Height,
	Pixels:  AddrFramebuffer,
	Palette: AddrPalette,
}

type system struct {
	io [AddrSystemFlags - AddrGamepad1]byte // GAMEPAD1 .. MOUSE_BUTTONS
	// declared are the env functions the cart imports with a signature
	// other than WASM-4's, as it declares them (see Check).
	declared map[string]wasmbin.FuncType
}

func (*system) Mode() guest.Mode { return guest.ModeWASM4 }

// Detect: a WASM-4 cart imports its memory as env.memory (some import no
// function at all).
func (*system) Detect(m *wasmbin.Module) bool {
	for _, im := range m.Imports {
		if im.Module == module && im.Name == "memory" && im.Kind == wasmbin.KindMemory {
			return true
		}
	}
	return false
}

// Check checks a cart's imports (env.memory of at most one page, env
// functions of WASM-4) and its optional exports.
//
// WASM-4's web runtime gives a cart JavaScript functions, which take any
// arguments, so carts whose declarations differ from the documented ones
// run there; such a declaration is accepted as long as it takes and
// returns i32s only (missing arguments read as 0, extra ones are ignored, a
// result the function does not have reads as 0, one the cart does not
// take is dropped). The exports _start, _initialize, start and update take
// no parameters and may return one value, which is ignored.
func (s *system) Check(m *wasmbin.Module) (guest.Exports, error) {
	var ex guest.Exports
	s.declared = nil
	seen := map[string]wasmbin.FuncType{}
	importsMemory := false
	for _, im := range m.Imports {
		switch {
		case guest.IsCoreImport(im):
		case im.Module == module && im.Name == "memory" && im.Kind == wasmbin.KindMemory:
			importsMemory = true
			// A 64-bit or shared memory is refused below (CheckMemory)
			// and by the core, with errors that say so.
			if im.Memory.Min > 1 {
				return ex, fmt.Errorf("guest: import \"env\".\"memory\" asks for %d pages: WASM-4 carts get exactly one (64 KiB)", im.Memory.Min)
			}
			if im.Memory.HasMax && im.Memory.Max < 1 {
				return ex, fmt.Errorf("guest: import \"env\".\"memory\" allows at most %d pages: WASM-4 carts get exactly one (64 KiB)", im.Memory.Max)
			}
		case im.Module == module:
			sig, ok := signatures[im.Name]
			if !ok || im.Kind != wasmbin.KindFunc {
				return ex, fmt.Errorf("guest: import %s.%s (%s) is not a WASM-4 function: this host provides blit, blitSub, line, hline, vline, oval, rect, text, textUtf8, textUtf16, tone, diskr, diskw, trace, traceUtf8, traceUtf16 and tracef", safetext.Name(im.Module), safetext.Name(im.Name), im.Kind)
			}
			want := guest.Sig(sig)
			if d, dup := seen[im.Name]; dup && !d.Equal(im.Func) {
				return ex, fmt.Errorf("guest: import \"env\".%q is declared twice, as %s and %s: a cart can import each WASM-4 function with one signature only", im.Name, d, im.Func)
			}
			seen[im.Name] = im.Func
			if im.Func.Equal(want) {
				continue
			}
			if !callable(im.Func) {
				return ex, fmt.Errorf("guest: import \"env\".%q has type %s, WASM-4 declares %s: its functions take and return i32 values only", im.Name, im.Func, want)
			}
			if s.declared == nil {
				s.declared = map[string]wasmbin.FuncType{}
			}
			s.declared[im.Name] = im.Func
		default:
			return ex, guest.UnknownImport(im, "a WASM-4 cart may import the env functions of WASM-4 and wasi_snapshot_preview1")
		}
	}
	if err := guest.CheckMemory(m); err != nil {
		return ex, err
	}
	// An ABI v1 cart run in this mode would run, draw into its own memory
	// and show a blank screen: it says what it is by its framebuffer().
	if !importsMemory {
		if e, ok := m.Export("framebuffer"); ok && e.Kind == wasmbin.KindFunc {
			return ex, errors.New(`guest: export "framebuffer": an ebicart ABI v1 cart run as WASM-4 (it exports framebuffer() and does not import env.memory); run it in ABI v1 mode (set mode to abi1 or auto)`)
		}
	}
	for _, name := range []string{guest.ExportStart, guest.ExportUpdate, guest.ExportInitialize, guest.ExportStartCmd} {
		e, ok := m.Export(name)
		if !ok {
			continue
		}
		if e.Kind != wasmbin.KindFunc {
			return ex, fmt.Errorf("guest: export %q is a %s, want a function () -> ()", name, e.Kind)
		}
		if len(e.Func.Params) > 0 || len(e.Func.Results) > 1 {
			return ex, fmt.Errorf("guest: export %q has type %s, want () -> () (a result is ignored)", name, e.Func)
		}
		switch name {
		case guest.ExportStart:
			ex.Start = true
		case guest.ExportInitialize:
			ex.Initialize = true
		case guest.ExportStartCmd:
			ex.StartCmd = true
		}
	}
	return ex, nil
}

// callable reports whether WASM-4's functions can be called with type t:
// i32 parameters, and no result or one i32.
func callable(t wasmbin.FuncType) bool {
	for _, p := range t.Params {
		if p != wasmbin.I32 {
			return false
		}
	}
	return len(t.Results) == 0 || len(t.Results) == 1 && t.Results[0] == wasmbin.I32
}

// useDrawModule is false only in benchmarks that measure the Go functions
// as a cart's imports, for a baseline.
var useDrawModule = true

// Memory is WASM-4's one page, set to the power-on state. It is defined
// by [DrawModule], whose drawing functions the cart's imports bind to,
// unless the cart declares a drawing function with a signature other than
// WASM-4's: then the Go functions of Funcs, adapted, draw (DrawModule calls
// them with WASM-4's signatures).
func (s *system) Memory(opts guest.SystemOptions) *engine.MemoryImport {
	lib, libFuncs := DrawModule, drawFuncs
	for _, name := range drawFuncs {
		if _, ok := s.declared[name]; ok || !useDrawModule {
			lib, libFuncs = nil, nil
		}
	}
	return &engine.MemoryImport{Module: module, Name: "memory", Pages: 1, Lib: lib, LibFuncs: libFuncs, Init: func(mem []byte) {
		Reset(mem)
		if p := opts.Palette; p != nil {
			for i, c := range p {
				binary.LittleEndian.PutUint32(mem[AddrPalette+4*i:], c&0xffffff)
			}
		}
	}}
}

// Before writes the gamepads and the mouse into the memory map and clears
// the framebuffer unless the cart keeps it (SYSTEM_FLAGS bit 0). As on
// WASM-4's native runtime, the framebuffer is not cleared before the first
// update, so what start drew shows in the first frame.
func (s *system) Before(h guest.Host, in *guest.Input) error {
	s.io[0] = gamepad(in.Buttons)
	for i, p := range in.Players {
		s.io[1+i] = gamepad(p)
	}
	binary.LittleEndian.PutUint16(s.io[AddrMouseX-AddrGamepad1:], clampI16(in.MouseX))
	binary.LittleEndian.PutUint16(s.io[AddrMouseY-AddrGamepad1:], clampI16(in.MouseY))
	s.io[AddrMouseButtons-AddrGamepad1] = byte(in.MouseButtons & 7)
	m := h.Memory()
	m.Write(AddrGamepad1, s.io[:])
	var flags [1]byte
	m.Read(AddrSystemFlags, flags[:])
	if flags[0]&SystemPreserveFramebuffer == 0 && h.FrameNumber() > 0 {
		m.Write(AddrFramebuffer, zeroFramebuffer[:])
	}
	return nil
}

var zeroFramebuffer [FramebufferSize]byte

// After shows the framebuffer, and tells the host whether to hide the
// touch gamepad.
func (s *system) After(h guest.Host) (framebuffer.Descriptor, uint8, error) {
	var flags [1]byte
	h.Memory().Read(AddrSystemFlags, flags[:])
	var f uint8
	if flags[0]&SystemHideGamepadOverlay != 0 {
		f |= guest.FlagHideControls
	}
	return descriptor, f, nil
}

// gamepad converts ABI v1 button bits to a WASM-4 gamepad byte: B (the X
// key) is WASM-4's button 1 ("X"), A (the Z key) its button 2 ("Z").
func gamepad(b uint32) byte {
	var g byte
	for _, m := range [...]struct {
		abi uint32
		w4  byte
	}{{guest.ButtonB, ButtonX}, {guest.ButtonA, ButtonZ}, {guest.ButtonLeft, ButtonLeft}, {guest.ButtonRight, ButtonRight},
		{guest.ButtonUp, ButtonUp}, {guest.ButtonDown, ButtonDown}} {
		if b&m.abi != 0 {
			g |= m.w4
		}
	}
	return g
}

func clampI16(v int32) uint16 { return uint16(int16(max(-32768, min(32767, v)))) }

// Funcs are WASM-4's env functions on the core h, each with the type the
// cart declares it with (see Check).
func (s *system) Funcs(h guest.Host) []engine.HostFunc {
	fns := make([]engine.HostFunc, 0, len(functionNames))
	d := new(drawer)
	for _, name := range functionNames {
		want, call := guest.Sig(signatures[name]), function(h, d, name)
		typ := want
		if d, ok := s.declared[name]; ok {
			typ, call = d, adapt(call, want, d)
		}
		fns = append(fns, engine.HostFunc{Module: module, Name: name, Type: typ, Call: call})
	}
	return fns
}

// adapt makes call, a function of type want, callable with type got, as a
// JavaScript function is from wasm: missing arguments are 0, extra ones
// are ignored, a missing result is 0 and an unwanted one dropped. got and
// want take i32s only (see callable).
func adapt(call func(engine.Memory, []uint64), want, got wasmbin.FuncType) func(engine.Memory, []uint64) {
	n := max(len(want.Params), len(want.Results))
	args := min(len(got.Params), len(want.Params))
	return func(m engine.Memory, stack []uint64) {
		var buf [9]uint64 // blitSub's, the most parameters
		s := buf[:n]
		copy(s, stack[:args])
		call(m, s)
		if len(got.Results) == 1 {
			stack[0] = 0
			if len(want.Results) == 1 {
				stack[0] = s[0]
			}
		}
	}
}

// trap stops the cart with err from inside a host function.
func trap(err error) {
	if err != nil {
		panic(err)
	}
}

// function returns the implementation of a WASM-4 env function. Drawing
// functions draw through d, which copies in and out only what they read
// and change where the engine's memory is not Go's.
func function(h guest.Host, d *drawer, name string) func(engine.Memory, []uint64) {
	i32 := func(v uint64) int32 { return int32(uint32(v)) }
	u32 := func(v uint64) uint32 { return uint32(v) }
	draw := func(m engine.Memory, r rowSpan, src []region, f func(mem []byte) error) {
		trap(d.draw(m, r, src, f))
	}
	// text's rows depend on its newlines: read the string first where
	// memory is copied.
	strRows := func(m engine.Memory, s []byte, y int32) rowSpan {
		if m.Bytes() != nil {
			return allRows
		}
		return textRows(s, y)
	}
	switch name {
	case "blit":
		return func(m engine.Memory, s []uint64) {
			w, hgt, flags := u32(s[3]), u32(s[4]), u32(s[5])
			draw(m, blitRows(i32(s[2]), w, hgt), blitSource(u32(s[0]), w, hgt, 0, 0, w, flags), func(m []byte) error {
				return Blit(m, u32(s[0]), i32(s[1]), i32(s[2]), w, hgt, flags)
			})
		}
	case "blitSub":
		return func(m engine.Memory, s []uint64) {
			w, hgt := u32(s[3]), u32(s[4])
			draw(m, blitRows(i32(s[2]), w, hgt), blitSource(u32(s[0]), w, hgt, u32(s[5]), u32(s[6]), u32(s[7]), u32(s[8])), func(m []byte) error {
				return BlitSub(m, u32(s[0]), i32(s[1]), i32(s[2]), w, hgt, u32(s[5]), u32(s[6]), u32(s[7]), u32(s[8]))
			})
		}
	case "line":
		return func(m engine.Memory, s []uint64) {
			draw(m, spanRows(int64(i32(s[1])), int64(i32(s[3]))), nil, func(m []byte) error { Line(m, i32(s[0]), i32(s[1]), i32(s[2]), i32(s[3])); return nil })
		}
	case "hline":
		return func(m engine.Memory, s []uint64) {
			draw(m, spanRows(int64(i32(s[1])), int64(i32(s[1]))), nil, func(m []byte) error { HLine(m, i32(s[0]), i32(s[1]), u32(s[2])); return nil })
		}
	case "vline":
		return func(m engine.Memory, s []uint64) {
			y := int64(i32(s[1]))
			draw(m, spanRows(y, y+int64(i32(s[2]))), nil, func(m []byte) error { VLine(m, i32(s[0]), i32(s[1]), u32(s[2])); return nil })
		}
	case "oval":
		return func(m engine.Memory, s []uint64) {
			// The box's rows and two more each side (a box 0 or 1 tall
			// draws beside it); all rows for a
			// negative size, which WASM-4's walk takes where it will.
			r := allRows
			if y, w, h := int64(i32(s[1])), int64(i32(s[2])), int64(i32(s[3])); w >= 0 && h >= 0 {
				r = rowSpan{y - 2, y + h + 2}
			}
			draw(m, r, nil, func(m []byte) error { Oval(m, i32(s[0]), i32(s[1]), u32(s[2]), u32(s[3])); return nil })
		}
	case "rect":
		return func(m engine.Memory, s []uint64) {
			// The fill's rows and the two edge rows, y and y+height-1.
			y, h := int64(i32(s[1])), int64(i32(s[3]))
			r := rowSpan{min(y, y+h-1), max(y+1, y+h)}
			draw(m, r, nil, func(m []byte) error { Rect(m, i32(s[0]), i32(s[1]), u32(s[2]), u32(s[3])); return nil })
		}
	case "text":
		return func(m engine.Memory, s []uint64) {
			r := allRows
			if m.Bytes() == nil {
				r = textRows(d.cString(m, uint64(u32(s[0]))), i32(s[2]))
			}
			draw(m, r, nil, func(m []byte) error { return Text(m, u32(s[0]), i32(s[1]), i32(s[2])) })
		}
	case "textUtf8", "textUtf16":
		f := TextUTF8
		if name == "textUtf16" {
			f = TextUTF16
		}
		return func(m engine.Memory, s []uint64) {
			var str []byte
			if m.Bytes() == nil {
				d.prepare(m)
				str = d.load(m, region{uint64(u32(s[0])), uint64(u32(s[1]))})
			}
			draw(m, strRows(m, str, i32(s[3])), nil, func(m []byte) error { return f(m, u32(s[0]), u32(s[1]), i32(s[2]), i32(s[3])) })
		}
	case "tone":
		return func(_ engine.Memory, s []uint64) {
			h.Tone(guest.Tone{Frequency: u32(s[0]), Duration: u32(s[1]), Volume: u32(s[2]), Flags: u32(s[3])})
		}
	case "diskr":
		return func(_ engine.Memory, s []uint64) {
			n, err := h.DiskRead(u32(s[0]), u32(s[1]))
			if err != nil {
				trap(fmt.Errorf("diskr: %w", err))
			}
			s[0] = uint64(n)
		}
	case "diskw":
		return func(_ engine.Memory, s []uint64) {
			n, err := h.DiskWrite(u32(s[0]), u32(s[1]))
			if err != nil {
				trap(fmt.Errorf("diskw: %w", err))
			}
			s[0] = uint64(n)
		}
	case "trace":
		return func(_ engine.Memory, s []uint64) {
			b, err := cString("trace", h.View(), u32(s[0]))
			trap(err)
			h.Log([]byte(latin1OrUTF8(b)))
		}
	case "traceUtf8":
		return func(_ engine.Memory, s []uint64) {
			b, ok := memSlice(h.View(), u32(s[0]), u32(s[1]))
			if !ok {
				trap(fmt.Errorf("wasm4: traceUtf8: string 0x%x+%d bytes end past memory size %d: pass a string wholly in memory", u32(s[0]), u32(s[1]), len(h.View())))
			}
			h.Log([]byte(latin1OrUTF8(b)))
		}
	case "traceUtf16":
		return func(_ engine.Memory, s []uint64) {
			b, ok := memSlice(h.View(), u32(s[0]), u32(s[1]))
			if !ok {
				trap(fmt.Errorf("wasm4: traceUtf16: string 0x%x+%d bytes end past memory size %d: pass a string wholly in memory", u32(s[0]), u32(s[1]), len(h.View())))
			}
			h.Log([]byte(utf16String(b)))
		}
	case "tracef":
		return func(_ engine.Memory, s []uint64) {
			line, err := tracef(h.View(), u32(s[0]), u32(s[1]))
			trap(err)
			h.Log([]byte(line))
		}
	}
	panic("wasm4: no function " + name)
}
