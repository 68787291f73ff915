package wasm4

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// Text draws WASM-4's text(str, x, y): the NUL-terminated string at
// address str, one byte per character (Latin-1, which covers ASCII and the
// button glyphs such as "\x86" for [CharUp]), with the system font (see
// [Glyph]). The first character's 8x8 cell has its top-left pixel at
// (x, y) and each following one is 8 pixels further right; "\n" starts a
// new line at x, 8 pixels further down. A glyph's ink is drawn in
// DRAW_COLORS colour 1 and the rest of its cell in colour 2, either
// transparent when 0. Characters without a cell (codes 1..31 other than
// "\n") advance by one cell and draw nothing.
//
// The error reports a string that does not end with a NUL byte within mem;
// nothing is drawn then. The string is read before any pixel is drawn.
// It does nothing if mem is shorter than [AddrProgramMemory].
func Text(mem []byte, str uint32, x, y int32) error {
	c, colors, ok := newCanvas(mem)
	if !ok {
		return nil
	}
	if uint64(str) >= uint64(len(mem)) {
		return fmt.Errorf("wasm4: text: string at 0x%x past memory size %d: pass a string in memory", str, len(mem))
	}
	n := bytes.IndexByte(mem[str:], 0)
	if n < 0 {
		return fmt.Errorf("wasm4: text: string at 0x%x has no NUL before memory end %d: end it with a 0 byte", str, len(mem))
	}
	s := snapshot(mem, uint64(str), uint64(n))
	p := newPen(c, colors, x, y)
	for _, b := range s {
		if !p.put(rune(b)) {
			break
		}
	}
	return nil
}

// TextUTF8 draws WASM-4's textUtf8(str, byteLength, x, y): the byteLength
// bytes at address str as UTF-8, laid out like [Text]. A NUL character
// ends the text early.
//
// Each byte that does not start a valid UTF-8 sequence (shortest form, no
// surrogates, at most U+10FFFF) stands for the Latin-1 character of its
// value, so the raw bytes such as "\x86" that WASM-4 carts pass for the
// button glyphs, and Latin-1 text, draw as they do on WASM-4, which reads
// this string byte by byte. Characters above U+00FF have no cell: they
// advance by one cell and draw nothing (WASM-4 would draw one Latin-1
// glyph for each of their bytes).
//
// The error reports bytes outside mem; nothing is drawn then. It does
// nothing if mem is shorter than [AddrProgramMemory].
func TextUTF8(mem []byte, str, byteLength uint32, x, y int32) error {
	c, colors, ok := newCanvas(mem)
	if !ok {
		return nil
	}
	if uint64(str)+uint64(byteLength) > uint64(len(mem)) {
		return fmt.Errorf("wasm4: textUtf8: string 0x%x+%d bytes end past memory size %d: pass a string wholly in memory", str, byteLength, len(mem))
	}
	s := snapshot(mem, uint64(str), uint64(byteLength))
	p := newPen(c, colors, x, y)
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		if r == utf8.RuneError && size == 1 {
			r = rune(s[0])
		}
		s = s[size:]
		if r == 0 || !p.put(r) {
			break
		}
	}
	return nil
}

// TextUTF16 draws WASM-4's textUtf16(str, byteLength, x, y): the
// byteLength bytes at address str as UTF-16LE, laid out like [Text]. A NUL
// character ends the text early, an odd last byte is ignored, and a
// surrogate pair is one character. Characters above U+00FF, and unpaired
// surrogates, have no cell: they advance by one cell and draw nothing.
//
// The error reports bytes outside mem; nothing is drawn then. It does
// nothing if mem is shorter than [AddrProgramMemory].
func TextUTF16(mem []byte, str, byteLength uint32, x, y int32) error {
	c, colors, ok := newCanvas(mem)
	if !ok {
		return nil
	}
	if uint64(str)+uint64(byteLength) > uint64(len(mem)) {
		return fmt.Errorf("wasm4: textUtf16: string 0x%x+%d bytes end past memory size %d: pass a string wholly in memory", str, byteLength, len(mem))
	}
	s := snapshot(mem, uint64(str), uint64(byteLength&^1))
	p := newPen(c, colors, x, y)
	for len(s) >= 2 {
		r := rune(binary.LittleEndian.Uint16(s))
		s = s[2:]
		if 0xd800 <= r && r < 0xdc00 && len(s) >= 2 {
			if r2 := rune(binary.LittleEndian.Uint16(s)); 0xdc00 <= r2 && r2 < 0xe000 {
				r = 0x10000 + (r-0xd800)<<10 + (r2 - 0xdc00)
				s = s[2:]
			}
		}
		if r == 0 || !p.put(r) {
			break
		}
	}
	return nil
}

// snapshot returns the n bytes of mem at addr, copied if they overlap the
// framebuffer, which drawing them would change.
func snapshot(mem []byte, addr, n uint64) []byte {
	s := mem[addr : addr+n]
	if overlaps(addr, n) {
		s = append([]byte(nil), s...)
	}
	return s
}

// pen lays out characters in 8x8 cells.
type pen struct {
	c        canvas
	ink, bg  uint8
	x0, x, y int64
}

func newPen(c canvas, colors uint16, x, y int32) pen {
	return pen{c: c, ink: drawColor(colors, 1), bg: drawColor(colors, 2), x0: int64(x), x: int64(x), y: int64(y)}
}

// put draws character r and advances. It returns false once nothing
// further can appear on the screen.
func (p *pen) put(r rune) bool {
	if r == '\n' {
		p.x = p.x0
		p.y += 8
		return p.y < Height // lines only go down
	}
	if g, ok := Glyph(r); ok && p.x > -8 && p.x < Width && p.y > -8 && p.y < Height {
		for row := range int64(8) {
			bitsRow := g[row]
			for col := range int64(8) {
				dc := p.bg
				if bitsRow&(0x80>>col) != 0 {
					dc = p.ink
				}
				p.c.set(p.x+col, p.y+row, dc)
			}
		}
	}
	p.x += 8
	return true
}
