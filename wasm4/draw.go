package wasm4

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
)

// canvas is the framebuffer of a memory, with the clipping every drawing
// function shares. Coordinates are int64 so that int32 arguments plus u32
// sizes never overflow; everything off the screen is ignored.
type canvas struct {
	fb []byte // the FramebufferSize bytes at AddrFramebuffer
}

// newCanvas returns the canvas of mem and its DRAW_COLORS, or ok false if
// mem is too short to hold a framebuffer.
func newCanvas(mem []byte) (c canvas, colors uint16, ok bool) {
	if len(mem) < AddrProgramMemory {
		return c, 0, false
	}
	return canvas{fb: mem[AddrFramebuffer:AddrProgramMemory:AddrProgramMemory]},
		binary.LittleEndian.Uint16(mem[AddrDrawColors:]), true
}

// drawColor returns draw colour n (1..4) of colors: 0 for transparent,
// otherwise the palette index plus one.
func drawColor(colors uint16, n int) uint8 {
	return uint8(colors>>(4*(n-1))) & 0xf
}

// set paints the on-screen pixel (x, y) with draw colour dc (1..4, palette
// index plus one; 0 is transparent and leaves the pixel alone). Only the
// low two bits of dc-1 are used, as the console does for the values 5..15.
func (c canvas) set(x, y int64, dc uint8) {
	if dc == 0 || x < 0 || x >= Width || y < 0 || y >= Height {
		return
	}
	i := int(y)*Width + int(x)
	shift := uint(i&3) * 2
	b := &c.fb[i>>2]
	*b = *b&^(3<<shift) | (dc-1)&3<<shift
}

// span paints the pixels x0..x1 (inclusive) of row y with draw colour dc,
// clipped to the screen.
func (c canvas) span(x0, x1, y int64, dc uint8) {
	if dc == 0 || y < 0 || y >= Height {
		return
	}
	x0 = max(x0, 0)
	x1 = min(x1, Width-1)
	if x0 > x1 {
		return
	}
	row := c.fb[int(y)*Width/4 : (int(y)+1)*Width/4]
	idx := (dc - 1) & 3
	// Whole bytes in the middle, single pixels at the ends.
	for x0 <= x1 && x0&3 != 0 {
		c.set(x0, y, dc)
		x0++
	}
	for x1 >= x0 && x1&3 != 3 {
		c.set(x1, y, dc)
		x1--
	}
	if x0 <= x1 {
		fill := idx * 0x55
		for i := x0 / 4; i <= x1/4; i++ {
			row[i] = fill
		}
	}
}

// HLine draws WASM-4's hline(x, y, len): the pixels (x, y) to
// (x+len-1, y) in DRAW_COLORS colour 1. Nothing is drawn for len 0 or a
// transparent colour 1. It does nothing if mem is shorter than
// [AddrProgramMemory].
func HLine(mem []byte, x, y int32, length uint32) {
	c, colors, ok := newCanvas(mem)
	if !ok || length == 0 {
		return
	}
	c.span(int64(x), int64(x)+int64(length)-1, int64(y), drawColor(colors, 1))
}

// VLine draws WASM-4's vline(x, y, len): the pixels (x, y) to
// (x, y+len-1) in DRAW_COLORS colour 1. Nothing is drawn for len 0 or a
// transparent colour 1. It does nothing if mem is shorter than
// [AddrProgramMemory].
func VLine(mem []byte, x, y int32, length uint32) {
	c, colors, ok := newCanvas(mem)
	dc := drawColor(colors, 1)
	if !ok || length == 0 || dc == 0 || x < 0 || x >= Width {
		return
	}
	y0 := max(int64(y), 0)
	y1 := min(int64(y)+int64(length)-1, Height-1)
	for yy := y0; yy <= y1; yy++ {
		c.set(int64(x), yy, dc)
	}
}

// Rect draws WASM-4's rect(x, y, width, height): the box of width x height
// pixels whose top-left pixel is (x, y), filled with DRAW_COLORS colour 1
// and outlined (its outermost pixels) with colour 2. A transparent colour
// leaves those pixels alone, except that a transparent outline lets the
// fill cover the whole box. Nothing is drawn when width or height is 0.
// It does nothing if mem is shorter than [AddrProgramMemory].
func Rect(mem []byte, x, y int32, width, height uint32) {
	c, colors, ok := newCanvas(mem)
	if !ok || width == 0 || height == 0 {
		return
	}
	fill, stroke := drawColor(colors, 1), drawColor(colors, 2)
	if stroke == 0 {
		stroke = fill
	}
	left, top := int64(x), int64(y)
	right, bottom := left+int64(width)-1, top+int64(height)-1
	for yy := max(top, 0); yy <= min(bottom, Height-1); yy++ {
		if yy == top || yy == bottom {
			c.span(left, right, yy, stroke)
			continue
		}
		c.span(left+1, right-1, yy, fill)
		c.set(left, yy, stroke)
		c.set(right, yy, stroke)
	}
}

// Line draws WASM-4's line(x1, y1, x2, y2): the pixels from (x1, y1) to
// (x2, y2), both ends included, in DRAW_COLORS colour 1 (nothing if it is
// transparent). It does nothing if mem is shorter than
// [AddrProgramMemory].
//
// The pixels are those of the console's Bresenham line, which walks from
// the end with the smaller y: along the major axis (x when |x2-x1| >
// |y2-y1|, else y) every step gets one pixel, whose minor coordinate is
// the exact one rounded to the nearest integer, halves rounded towards the
// end with the smaller y. Here it is computed in closed form for the
// on-screen stretch of the major axis only, so any int32 arguments cost at
// most 160 steps.
func Line(mem []byte, x1, y1, x2, y2 int32) {
	c, colors, ok := newCanvas(mem)
	dc := drawColor(colors, 1)
	if !ok || dc == 0 {
		return
	}
	ax, ay, bx, by := int64(x1), int64(y1), int64(x2), int64(y2)
	if ay > by {
		ax, ay, bx, by = bx, by, ax, ay
	}
	dx, dy := bx-ax, by-ay // dy >= 0
	sx := int64(1)
	if dx < 0 {
		dx, sx = -dx, -1
	}
	// minor returns round(k*num/den) with halves rounded down, for
	// 0 <= k <= den: ceil((k*num - floor(den/2)) / den). k*num < 2^64.
	minor := func(k, num, den int64) int64 {
		if den == 0 {
			return 0
		}
		p := uint64(k) * uint64(num)
		h := uint64(den / 2)
		if p <= h {
			return 0
		}
		return int64((p - h + uint64(den) - 1) / uint64(den))
	}
	if dx > dy {
		// x-major: k steps along x from ax.
		var k0, k1 int64
		if sx > 0 {
			k0, k1 = -ax, Width-1-ax
		} else {
			k0, k1 = ax-(Width-1), ax
		}
		for k := max(k0, 0); k <= min(k1, dx); k++ {
			c.set(ax+sx*k, ay+minor(k, dy, dx), dc)
		}
		return
	}
	// y-major (or a single point): m steps down from ay.
	for m := max(-ay, 0); m <= min(Height-1-ay, dy); m++ {
		c.set(ax+sx*minor(m, dx, dy), ay+m, dc)
	}
}

// Oval draws WASM-4's oval(x, y, width, height): the ellipse inscribed in
// the box of width x height pixels whose top-left pixel is (x, y), filled
// with DRAW_COLORS colour 1 and outlined with colour 2, with the same
// transparency rules as [Rect]. Nothing is drawn when width or height is
// 0. It does nothing if mem is shorter than [AddrProgramMemory].
//
// The shape: with a = (width-1)/2 and b = (height-1)/2 the semi-axes of
// the ellipse through the centres of the box's outermost pixels, and
// (u, v) a pixel's offset from the box's centre, the pixel is inside if
// |u| <= a*sqrt(1-(v/b)^2) + 1/2 (its row, rounded) or
// |v| <= b*sqrt(1-(u/a)^2) + 1/2 (its column, rounded). So the oval always
// touches all four sides of its box, 1-pixel-wide boxes give a line, and
// small circles come out round (3x3 is a plus). The outline is the inside
// pixels with a 4-neighbour outside. Rows are computed exactly in integers
// and only the on-screen ones are visited, so any size costs at most 160
// rows.
func Oval(mem []byte, x, y int32, width, height uint32) {
	c, colors, ok := newCanvas(mem)
	if !ok || width == 0 || height == 0 {
		return
	}
	fill, stroke := drawColor(colors, 1), drawColor(colors, 2)
	if stroke == 0 {
		stroke = fill
	}
	if stroke == 0 {
		return
	}
	e := ellipse{w: uint64(width) - 1, h: uint64(height) - 1}
	top, left := int64(y), int64(x)
	j0 := max(top, 0) - top                        // first visible row of the box
	j1 := min(top+int64(height)-1, Height-1) - top // last visible row
	if j0 > j1 {
		return
	}
	// spans[k] is halfSpan(j0-1+k), -1 outside the box.
	var spansBuf [Height + 2]int64
	spans := spansBuf[:j1-j0+3]
	for k := range spans {
		j := j0 - 1 + int64(k)
		spans[k] = -1
		if j >= 0 && j <= int64(e.h) {
			spans[k] = e.halfSpan(uint64(j))
		}
	}
	for j := j0; j <= j1; j++ {
		k := j - j0 + 1
		s := spans[k]
		// Interior pixels keep all four neighbours inside: the horizontal
		// ones within this row's span, the vertical ones within the rows'
		// above and below.
		inner := min(s-2, spans[k-1], spans[k+1])
		yy := top + j
		// Pixel i of the row has doubled offset p = 2i - w; |p| <= s.
		l0, r0 := e.columns(s)
		if inner < 0 || fill == stroke {
			c.span(left+l0, left+r0, yy, stroke)
			continue
		}
		l1, r1 := e.columns(inner)
		c.span(left+l0, left+l1-1, yy, stroke)
		c.span(left+r1+1, left+r0, yy, stroke)
		c.span(left+l1, left+r1, yy, fill)
	}
}

// ellipse holds the oval of a box of (w+1) x (h+1) pixels in doubled
// coordinates: pixel (i, j) sits at p = 2i-w, q = 2j-h, both within
// [-w, w] x [-h, h] with the parity of w and h.
type ellipse struct {
	w, h uint64
}

// halfSpan returns the largest |p| inside the oval on row j (0 <= j <= h),
// see [Oval]: w when |q| <= 1 or w <= 1, otherwise
// min(w, max(m1+1, m2)) with m1 = floor(sqrt(w²(h²-q²))/h) (the row test)
// and m2 = floor(sqrt(w²(h²-(|q|-1)²))/h) (the column test turned into a
// bound on |p|), lowered to the parity of w.
func (e ellipse) halfSpan(j uint64) int64 {
	q := int64(2*j) - int64(e.h)
	if q < 0 {
		q = -q
	}
	if q <= 1 || e.w <= 1 {
		return int64(e.w)
	}
	aq := uint64(q)
	m1 := e.bound(aq) + 1
	m2 := e.bound(aq - 1)
	s := min(e.w, max(m1, m2))
	if (e.w-s)&1 != 0 {
		s-- // p has the parity of w
	}
	return int64(s)
}

// bound returns floor(isqrt(w²(h²-t²)) / h) for 0 <= t <= h, h > 0.
func (e ellipse) bound(t uint64) uint64 {
	if e.w < 1<<16 && e.h < 1<<16 {
		// w²(h²-t²) < 2^64.
		v := e.w * e.w * (e.h*e.h - t*t)
		return isqrt64(v) / e.h
	}
	var v, hh, tt big.Int
	v.SetUint64(e.w)
	v.Mul(&v, &v)
	hh.SetUint64(e.h)
	hh.Mul(&hh, &hh)
	tt.SetUint64(t)
	tt.Mul(&tt, &tt)
	hh.Sub(&hh, &tt)
	v.Mul(&v, &hh)
	v.Sqrt(&v)
	hh.SetUint64(e.h)
	v.Quo(&v, &hh)
	return v.Uint64()
}

// columns returns the first and last pixel column i with |2i - w| <= s,
// for 0 <= s <= w with the parity of w: (w-s)/2 and (w+s)/2.
func (e ellipse) columns(s int64) (int64, int64) {
	return (int64(e.w) - s) / 2, (int64(e.w) + s) / 2
}

// isqrt64 returns floor(sqrt(v)).
func isqrt64(v uint64) uint64 {
	r := uint64(math.Sqrt(float64(v)))
	// Correct the float estimate, which can be off by one either way.
	for r > 0 && (r > math.MaxUint32 || r*r > v) {
		r--
	}
	for r < math.MaxUint32 {
		hi, lo := bits.Mul64(r+1, r+1)
		if hi != 0 || lo > v {
			break
		}
		r++
	}
	return r
}
