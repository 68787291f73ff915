package wasm4

import (
	_ "embed" // for DrawModule

	"github.com/ebicart/ebicart/guest/engine"
)

// DrawModule is the binary of WASM-4's drawing functions as a wasm module
// of ebicart's own (draw/draw.c, built by make carts): it defines a
// WASM-4 cart's memory, one page exported as "memory", and exports blit,
// blitSub, line, hline, vline, oval, rect, text, textUtf8 and textUtf16
// with WASM-4's signatures, drawing the same pixels as this package's Go
// functions. Linked to a cart's env imports, it keeps drawing calls inside
// the engine, beside the cart's memory: in the browser each call into Go
// copies memory.
//
// It imports the same functions from module "ebicart_host:env" and calls
// them for what it leaves to Go: a sprite or string not wholly in memory
// (the Go function traps with its error), one overlapping the framebuffer,
// a sprite sheet too large to address in 32 bits, and an oval wider or
// taller than 65536 pixels. It has no data and uses no stack, so the
// memory is the cart's alone.
var DrawModule = withModuleName(drawWasm, "ebicart_draw")

//go:embed draw/draw.wasm
var drawWasm []byte

// withModuleName returns wasm with a name section that names the module
// name, so that stack traces name its functions' module (wazero's would
// otherwise put them under the cart's name). draw.wasm has no name
// section of its own: the build strips it, with the paths it could hold.
func withModuleName(wasm []byte, name string) []byte {
	leb := func(b []byte, v int) []byte {
		for ; v >= 0x80; v >>= 7 {
			b = append(b, byte(v)|0x80)
		}
		return append(b, byte(v))
	}
	sub := leb(nil, len(name))
	sub = append(sub, name...)
	body := leb(nil, len("name"))
	body = append(body, "name"...)
	body = append(body, 0) // the module name subsection
	body = leb(body, len(sub))
	body = append(body, sub...)
	out := append([]byte(nil), wasm...)
	out = append(out, 0) // a custom section
	out = leb(out, len(body))
	return append(out, body...)
}

// DrawModuleHost is the import module of DrawModule's calls into Go.
const DrawModuleHost = engine.LibHost + module

// drawFuncs are the functions DrawModule exports.
var drawFuncs = []string{"blit", "blitSub", "hline", "line", "oval", "rect", "text", "textUtf16", "textUtf8", "vline"}
