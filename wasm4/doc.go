// Package wasm4 is the drawing core of ebicart's WASM-4 mode: the memory
// map of the WASM-4 fantasy console and its drawing functions (the "env"
// imports blit, blitSub, line, hline, vline, rect, oval, text, textUtf8
// and textUtf16), implemented in pure Go on the cart's memory, so that
// existing WASM-4 carts run unchanged. A cart's drawing imports bind to
// the same functions compiled to a wasm module of ebicart's own
// ([DrawModule], from draw/draw.c), which runs beside the cart's memory
// on every engine; the Go functions are its reference and draw what it
// leaves to them.
//
// # Memory
//
// Every function takes the cart's linear memory as mem, a plain byte
// slice that is exactly [MemorySize] (64 KiB) for a WASM-4 cart: a wazero
// memory view, a copy of a browser cart's memory, or a slice in a test.
// The functions read DRAW_COLORS and the sprite or string they are given,
// and write only the framebuffer ([AddrFramebuffer], [FramebufferSize]
// bytes); a mem shorter than [AddrProgramMemory] makes them do nothing.
// [Reset] writes the power-on state and [ClearFramebuffer] the per-frame
// clear; the host shows the framebuffer as an INDEXED2 frame (2 bits per
// pixel, leftmost pixel in the low bits) with the palette at
// [AddrPalette], which package framebuffer converts. [Pixel] reads one
// pixel back.
//
// # Calls
//
// The function parameters are the wasm i32s of the imports, typed as the
// WASM-4 API declares them: coordinates int32, sizes, lengths, pointers
// and flags uint32. Any values are safe: everything is clipped to the
// 160x160 screen before any loop, so no call costs more than a screenful
// of pixels whatever its arguments (huge sizes, negative or extreme
// positions), and arithmetic is done in 64 bits or more, without
// wrapping. Functions that read memory the cart points to return an error,
// worded "wasm4: <function>: ...", when those bytes lie outside mem; the
// host turns it into a trap, and nothing is drawn. All inputs are read
// before the first pixel is written, so sprites and strings inside the
// framebuffer draw as they were when the call began.
//
// # Colours
//
// DRAW_COLORS holds four draw colours, colour 1 in the low nibble: 0 is
// transparent (the pixel is left alone), 1..4 are palette indices 0..3
// (of 5..15 only the low two bits of the value minus one count, as on the
// console). Lines use colour 1; rects and ovals fill with colour 1 and
// outline with colour 2 (a rect with a transparent outline is all fill; an
// oval's transparent outline is palette index 3, as on the console); text
// draws the glyphs' ink in colour 1 and the rest of each 8x8 cell in
// colour 2; blit draws sprite pixel value v in colour v+1.
//
// # Behaviour beyond the documentation
//
// The WASM-4 documentation leaves some details open; these are the
// choices made here, each described with its function:
//
//   - line, hline, vline, rect and oval draw exactly the console's pixels
//     (those of its native runtime, checked for every oval size up to
//     160x160 and thousands of lines and rects by TestShapes); lines are
//     computed in closed form for the visible stretch only, ovals by the
//     console's walk stopped once it leaves the screen.
//   - Sizes and lengths are read as signed int32s, as the console does: a
//     rect of width 0 still draws its two edge columns, an oval of width 0
//     a two-pixel-wide bar, a negative length nothing. Sums of coordinates
//     and sizes are exact (64-bit), where the console's C int would wrap.
//   - A sprite whose bytes are not all in memory is an error, judged on
//     the whole region, visible or not.
//   - textUtf8 decodes UTF-8, yet takes each byte that does not begin a
//     valid sequence as Latin-1, so raw button bytes such as "\x86" and
//     Latin-1 text draw as on the console (which reads bytes); textUtf16
//     joins surrogate pairs. Characters outside 32..255 other than "\n"
//     take a cell and draw nothing; NUL ends textUtf8 and textUtf16 early.
//
// The font is ebicart's own 8x8 design (see [Glyph]), covering ASCII,
// Latin-1 and the console's button glyphs at 0x80-0x87.
package wasm4
