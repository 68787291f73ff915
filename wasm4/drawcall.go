package wasm4

import (
	"bytes"

	"github.com/ebicart/ebicart/guest/engine"
)

// drawer runs WASM-4's drawing functions on a cart's memory. Where the
// engine gives the memory itself (wazero), they draw on it. Where every
// access copies (the browser's WebAssembly.Memory), they draw on a mirror
// of it, into which only what the call reads is copied first (DRAW_COLORS,
// the sprite or the string, and the framebuffer rows it may change) and
// from which only those rows are copied back: an 8x8 blit reads at most
// 6.5 KB in two copies and writes 320 bytes back, where copying the whole
// 64 KiB memory in and the framebuffer out made each call cost tens of
// microseconds.
//
// The parts of the mirror a call does not copy in are stale, so each
// call's reads must lie within what it copies in; the drawing functions
// read nothing else (package tests check every function against drawing
// on the memory itself).
type drawer struct {
	mirror []byte
}

// region is a span of memory a call reads: n bytes at addr.
type region struct{ addr, n uint64 }

// rowSpan is framebuffer rows y0 <= y < y1 that a call may change, before
// clipping to the screen.
type rowSpan struct{ y0, y1 int64 }

// spanRows returns the rows from a to b, both included, in either order.
func spanRows(a, b int64) rowSpan { return rowSpan{min(a, b), max(a, b) + 1} }

// allRows is every row of the screen.
var allRows = rowSpan{0, Height}

// draw runs f on m's bytes, or on the mirror with src and DRAW_COLORS
// copied in and the framebuffer rows r copied in and out.
func (d *drawer) draw(m engine.Memory, r rowSpan, src []region, f func(mem []byte) error) error {
	if b := m.Bytes(); b != nil {
		return f(b)
	}
	if d.prepare(m) < AddrProgramMemory {
		return f(d.mirror) // which draws nothing
	}
	// DRAW_COLORS and the rows, with what lies between them (at most
	// 6.5 KB, cheaper to copy than a second call), and the sources, in
	// the same read when they lie within it.
	y0 := min(max(r.y0, 0), Height)
	y1 := max(min(r.y1, Height), y0)
	fb := region{AddrFramebuffer + uint64(y0)*Width/4, uint64(y1-y0) * Width / 4}
	low := region{AddrDrawColors, max(fb.addr+fb.n, AddrFramebuffer) - AddrDrawColors}
	d.load(m, low)
	for _, s := range src {
		if s.addr < low.addr || s.addr+s.n > low.addr+low.n {
			d.load(m, s)
		}
	}
	err := f(d.mirror)
	if fb.n > 0 {
		m.Write(uint32(fb.addr), d.mirror[fb.addr:fb.addr+fb.n])
	}
	return err
}

// prepare makes the mirror as large as m, the first time, and returns
// its size. A WASM-4 cart's memory is one page and cannot grow (its import
// says so), so the mirror keeps that size: asking the memory its size on
// each call would cost one more call into JavaScript.
func (d *drawer) prepare(m engine.Memory) uint64 {
	if d.mirror == nil {
		d.mirror = make([]byte, m.Size())
	}
	return uint64(len(d.mirror))
}

// load copies the part of region s that lies in memory into the mirror
// and returns it.
func (d *drawer) load(m engine.Memory, s region) []byte {
	size := uint64(len(d.mirror))
	if s.addr >= size || s.n == 0 {
		return nil
	}
	end := s.addr + min(s.n, size-s.addr)
	m.Read(uint32(s.addr), d.mirror[s.addr:end])
	return d.mirror[s.addr:end]
}

// cString copies the NUL-terminated string at addr into the mirror, in
// growing chunks, and returns its bytes (without the NUL; up to the end of
// memory when there is none).
func (d *drawer) cString(m engine.Memory, addr uint64) []byte {
	size := d.prepare(m)
	end := addr
	for chunk := uint64(64); end < size; chunk *= 2 {
		next := min(end+chunk, size)
		m.Read(uint32(end), d.mirror[end:next])
		if n := bytes.IndexByte(d.mirror[end:next], 0); n >= 0 {
			return d.mirror[addr : end+uint64(n)]
		}
		end = next
	}
	if addr >= size {
		return nil
	}
	return d.mirror[addr:size]
}

// textRows are the rows text at y with the characters s may change: a
// line of 8 rows, and 8 more for each newline. For UTF-16 every "\n" has a
// 0x0a byte, so counting bytes never counts too few.
func textRows(s []byte, y int32) rowSpan {
	lines := int64(bytes.Count(s, []byte{'\n'})) + 1
	return rowSpan{int64(y), int64(y) + 8*lines}
}

// blitSource is the region blit and blitSub read: the sheet's bytes up to
// the one holding the region's last pixel (see [BlitSub]).
func blitSource(sprite, width, height, srcX, srcY, stride, flags uint32) []region {
	if !drawsSome(width, height) {
		return nil
	}
	bpp := uint64(1)
	if flags&Blit2BPP != 0 {
		bpp = 2
	}
	return []region{{uint64(sprite), byteCount(uint64(srcY)+uint64(height)-1, uint64(stride), uint64(srcX)+uint64(width), bpp)}}
}

// blitRows are the rows a blit at y may change: as many as the larger of
// width and height (a rotated sprite is width tall).
func blitRows(y int32, width, height uint32) rowSpan {
	if !drawsSome(width, height) {
		return rowSpan{int64(y), int64(y)}
	}
	return rowSpan{int64(y), int64(y) + int64(max(width, height))}
}
