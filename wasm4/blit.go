package wasm4

import (
	"fmt"
	"math/bits"
)

// Blit draws WASM-4's blit(spritePtr, x, y, width, height, flags): the
// width x height sprite at address sprite, placed with its top-left corner
// at (x, y). It is [BlitSub] with srcX = srcY = 0 and stride = width.
func Blit(mem []byte, sprite uint32, x, y int32, width, height, flags uint32) error {
	return blit("blit", mem, sprite, x, y, width, height, 0, 0, width, flags)
}

// BlitSub draws WASM-4's blitSub(spritePtr, x, y, width, height, srcX,
// srcY, stride, flags): the width x height region at (srcX, srcY) of the
// sprite sheet at address sprite, whose rows are stride pixels long,
// placed with its top-left corner at (x, y).
//
// The sheet's pixels are packed without padding, row after row, the
// leftmost pixel in the most significant bits of a byte: pixel (sx, sy) is
// bit number n = sy*stride + sx of the sheet (counting from the top bit of
// the first byte) in the 1BPP format, or bit pair n in the [Blit2BPP]
// format. Its value v (0..1, or 0..3) is drawn in DRAW_COLORS colour v+1:
// in 1BPP bit 0 takes colour 1 and bit 1 colour 2. A transparent (0) colour
// leaves the screen pixel alone.
//
// [BlitFlipX] mirrors the region horizontally and [BlitFlipY] vertically;
// then [BlitRotate] turns the result 90 degrees anti-clockwise ("rotation is
// applied after any flipping"), so a rotated region is height pixels wide
// and width pixels tall on screen. Screen pixel (x+dx, y+dy) therefore
// shows region pixel (fx, fy) = (dx, dy), or with ROTATE
// (width-1-dy, dx), then mirrored by the flips: sx = width-1-fx with
// FLIP_X, sy = height-1-fy with FLIP_Y. Flags bits above bit 3 are ignored.
//
// The error, for the host to turn into a trap, reports a region whose
// bytes do not all lie in mem: the bytes from sprite up to the one holding
// the region's last pixel, ((srcY+height-1)*stride + srcX+width) pixels
// rounded up to whole bytes. Nothing is drawn then. Width and height are
// signed, as on WASM-4: a width or height of 0 or below (2^31 and above
// as a uint32) reads and draws nothing and is never an error. All of the region is read
// before any pixel is drawn, so a sprite overlapping the framebuffer is
// drawn as it was before the call. Only the on-screen part of the region
// is visited, so any arguments cost at most 160x160 pixels. It does nothing
// if mem is shorter than [AddrProgramMemory].
func BlitSub(mem []byte, sprite uint32, x, y int32, width, height, srcX, srcY, stride, flags uint32) error {
	return blit("blitSub", mem, sprite, x, y, width, height, srcX, srcY, stride, flags)
}

func blit(name string, mem []byte, sprite uint32, x, y int32, width, height, srcX, srcY, stride, flags uint32) error {
	c, colors, ok := newCanvas(mem)
	if !ok || !drawsSome(width, height) {
		return nil
	}
	bpp := uint64(1)
	if flags&Blit2BPP != 0 {
		bpp = 2
	}
	// The region's last pixel is number (srcY+height-1)*stride +
	// srcX+width-1 < 2^66.
	size := byteCount(uint64(srcY)+uint64(height)-1, uint64(stride), uint64(srcX)+uint64(width), bpp)
	if uint64(sprite) > uint64(len(mem)) || size > uint64(len(mem))-uint64(sprite) {
		return fmt.Errorf("wasm4: %s: sprite 0x%x+%d bytes end past memory size %d: pass a sprite wholly in memory", name, sprite, size, len(mem))
	}
	src := mem[sprite : uint64(sprite)+size]
	if overlaps(uint64(sprite), size) {
		src = append([]byte(nil), src...)
	}

	w, h := int64(width), int64(height)
	flipX, flipY, rotate := flags&BlitFlipX != 0, flags&BlitFlipY != 0, flags&BlitRotate != 0
	dstW, dstH := w, h
	if rotate {
		dstW, dstH = h, w
	}
	x0, y0 := int64(x), int64(y)
	// Every region pixel read below lies within src: its number is at most
	// the last one, which fits in size bytes, so the products stay small.
	sy0, sx0, st := uint64(srcY), uint64(srcX), uint64(stride)
	for py := max(y0, 0); py <= min(y0+dstH-1, Height-1); py++ {
		dy := py - y0
		for px := max(x0, 0); px <= min(x0+dstW-1, Width-1); px++ {
			dx := px - x0
			fx, fy := dx, dy
			if rotate {
				fx, fy = w-1-dy, dx
			}
			if flipX {
				fx = w - 1 - fx
			}
			if flipY {
				fy = h - 1 - fy
			}
			n := (sy0+uint64(fy))*st + sx0 + uint64(fx)
			var v uint64
			if bpp == 1 {
				v = uint64(src[n>>3]>>(7-n&7)) & 1
			} else {
				v = uint64(src[n>>2]>>(6-2*(n&3))) & 3
			}
			c.set(px, py, drawColor(colors, int(v)+1))
		}
	}
	return nil
}

// drawsSome reports whether a blit of width x height draws anything:
// WASM-4 reads both as signed int32s, and on its web runtime a size of 0
// or below draws nothing (the clipping loops never start; the native
// runtime stops the cart).
func drawsSome(width, height uint32) bool {
	return int32(width) > 0 && int32(height) > 0
}

// byteCount returns ceil((rows*stride + last)*bpp / 8) for rows, last <
// 2^34, stride < 2^32 and bpp 1 or 2: the bytes that hold pixels 0 to
// rows*stride+last-1. The result is below 2^64.
func byteCount(rows, stride, last, bpp uint64) uint64 {
	hi, lo := bits.Mul64(rows, stride)
	var carry uint64
	lo, carry = bits.Add64(lo, last, 0)
	hi += carry
	// n = hi:lo pixels < 2^66; n*bpp/8 rounded up = (n + 8/bpp - 1) >> shift.
	lo, carry = bits.Add64(lo, 8/bpp-1, 0)
	hi += carry
	shift := uint(3)
	if bpp == 2 {
		shift = 2
	}
	return hi<<(64-shift) | lo>>shift
}

// overlaps reports whether the n bytes at addr overlap the framebuffer.
func overlaps(addr, n uint64) bool {
	return n > 0 && addr < AddrProgramMemory && addr+n > AddrFramebuffer
}
