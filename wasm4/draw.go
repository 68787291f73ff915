package wasm4

import (
	"encoding/binary"
	"math"
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

// point paints the pixel (x, y) with palette index idx (0..3) if it is on
// the screen.
func (c canvas) point(x, y int64, idx uint8) {
	if x < 0 || x >= Width || y < 0 || y >= Height {
		return
	}
	i := int(y)*Width + int(x)
	shift := uint(i&3) * 2
	b := &c.fb[i>>2]
	*b = *b&^(3<<shift) | idx<<shift
}

// hspan paints the pixels x0..x1-1 of row y with palette index idx,
// clipped to the screen.
func (c canvas) hspan(x0, x1, y int64, idx uint8) {
	c.span(x0, x1-1, y, idx+1)
}

// vspan paints the pixels y0..y1-1 of column x with palette index idx,
// clipped to the screen.
func (c canvas) vspan(x, y0, y1 int64, idx uint8) {
	if x < 0 || x >= Width {
		return
	}
	for y := max(y0, 0); y < min(y1, Height); y++ {
		c.point(x, y, idx)
	}
}

// HLine draws WASM-4's hline(x, y, len): the pixels (x, y) to
// (x+len-1, y) in DRAW_COLORS colour 1. As on WASM-4, len is read as a
// signed int32, so a len of 0 or 2^31 and above draws nothing; nothing is
// drawn for a transparent colour 1 either. It does nothing if mem is
// shorter than [AddrProgramMemory].
func HLine(mem []byte, x, y int32, length uint32) {
	c, colors, ok := newCanvas(mem)
	if !ok {
		return
	}
	c.span(int64(x), int64(x)+int64(int32(length))-1, int64(y), drawColor(colors, 1))
}

// VLine draws WASM-4's vline(x, y, len): the pixels (x, y) to
// (x, y+len-1) in DRAW_COLORS colour 1, len read as a signed int32 like
// [HLine]'s. It does nothing if mem is shorter than [AddrProgramMemory].
func VLine(mem []byte, x, y int32, length uint32) {
	c, colors, ok := newCanvas(mem)
	dc := drawColor(colors, 1)
	if !ok || dc == 0 {
		return
	}
	c.vspan(int64(x), int64(y), int64(y)+int64(int32(length)), (dc-1)&3)
}

// Rect draws WASM-4's rect(x, y, width, height) as WASM-4 does, width and
// height read as signed int32s: the box of width x height pixels whose
// top-left pixel is (x, y) is filled with DRAW_COLORS colour 1, then its
// edges are drawn in colour 2: the columns x and x+width-1 and the rows y
// and y+height-1, each over the box's extent. A transparent colour leaves
// its pixels alone, so with colour 2 transparent the fill covers the whole
// box. A width of 0 (or below) still draws the two edge columns, x-1 and x
// for width 0, over the box's rows, and likewise for a height of 0 (or
// below). It does nothing if mem is shorter than [AddrProgramMemory].
func Rect(mem []byte, x, y int32, width, height uint32) {
	c, colors, ok := newCanvas(mem)
	if !ok {
		return
	}
	left, top := int64(x), int64(y)
	right, bottom := left+int64(int32(width)), top+int64(int32(height)) // exclusive
	x0, y0 := max(left, 0), max(top, 0)
	x1, y1 := max(0, min(right, Width)), max(0, min(bottom, Height))
	if dc := drawColor(colors, 1); dc != 0 {
		for yy := y0; yy < y1; yy++ {
			c.hspan(x0, x1, yy, (dc-1)&3)
		}
	}
	dc := drawColor(colors, 2)
	if dc == 0 {
		return
	}
	idx := (dc - 1) & 3
	if left >= 0 && left < Width {
		c.vspan(left, y0, y1, idx)
	}
	if right > 0 && right <= Width {
		c.vspan(right-1, y0, y1, idx)
	}
	if top >= 0 && top < Height {
		c.hspan(x0, x1, top, idx)
	}
	if bottom > 0 && bottom <= Height {
		c.hspan(x0, x1, bottom-1, idx)
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

// Oval draws WASM-4's oval(x, y, width, height) as WASM-4 does: the
// ellipse inscribed in the box of width x height pixels whose top-left
// pixel is (x, y), its outline in DRAW_COLORS colour 2 and its inside
// filled with colour 1 (not at all when colour 1 is transparent). Nothing
// is drawn when colour 2 is 15; when it is transparent (0) the outline is
// drawn in palette index 3, as on WASM-4 (a known bug there that carts
// rely on). Width and height are read as signed int32s. It does nothing if
// mem is shorter than [AddrProgramMemory].
//
// The pixels are those of WASM-4's midpoint walk (see [ovalWalk]), for
// any width and height up to 65536; a box larger than that, where
// WASM-4's own arithmetic overflows, is drawn by an exact rule of this
// package instead (see [ovalLarge]), so that no size costs more than about
// 65536 steps.
func Oval(mem []byte, x, y int32, width, height uint32) {
	c, colors, ok := newCanvas(mem)
	if !ok {
		return
	}
	dc0, dc1 := uint8(colors)&0xf, uint8(colors>>4)&0xf
	if dc1 == 0xf {
		return
	}
	stroke, fill := (dc1-1)&3, (dc0-1)&3
	w, h := int64(int32(width)), int64(int32(height))
	if w > maxWalk || h > maxWalk {
		if w > 0 && h > 0 {
			ovalLarge(c, int64(x), int64(y), uint64(w), uint64(h), stroke, fill, dc0 != 0)
		}
		return
	}
	ovalWalk(c, int64(x), int64(y), w, h, stroke, fill, dc0 != 0)
}

// maxWalk is the largest width and height ovalWalk draws.
const maxWalk = 1 << 16

// ovalWalk is WASM-4's oval, a variant of the midpoint ellipse algorithm
// (after TIC-80's): it starts at the box's left and right ends on its
// middle row (two middle rows for an even height) and walks both ends
// inwards and the two rows outwards, by an error term, until the ends
// cross, painting the four mirrored points of each step in the stroke
// colour and, with fill set, the span between them on both rows in the
// fill colour; then it extends the outermost columns until the rows are
// height apart. The arithmetic is WASM-4's with 64-bit integers, exact
// for |width|, |height| <= maxWalk. The walk stops as soon as its rows
// have both left the screen, and the final extension is drawn as spans,
// so the cost is at most about |width| + |height| steps.
func ovalWalk(c canvas, x, y, width, height int64, stroke, fill uint8, filled bool) {
	a := width - 1
	b := height - 1
	b1 := b % 2 // truncated, as C's
	north := y + height/2
	west := x
	east := x + width - 1
	south := north - b1
	a2, b2 := a*a, b*b
	dx := 4 * (1 - a) * b2
	dy := 4 * (b1 + 1) * a2
	err := dx + dy + b1*a2
	stepY, stepX := 8*a2, 8*b2
	// A row's first fill is its widest (the ends only move inwards) and
	// never covers a stroke point of its row, so the fills of the steps
	// after it on the same row paint nothing new: they are skipped, which
	// keeps a flat oval from costing a span per step.
	filledN, filledS := north-1, south+1 // rows already filled
	// At most about |width|/2 + |height|/2 steps; the bound only stops
	// degenerate negative sizes early, which WASM-4 draws as garbage.
	for range 2*maxWalk + 4 {
		c.point(east, north, stroke)
		c.point(west, north, stroke)
		c.point(west, south, stroke)
		c.point(east, south, stroke)
		if filled && east-(west+1) > 0 {
			if north != filledN {
				c.hspan(west+1, east, north, fill)
				filledN = north
			}
			if south != filledS {
				c.hspan(west+1, east, south, fill)
				filledS = south
			}
		}
		err2 := 2 * err
		if err2 <= dy {
			north++
			south--
			dy += stepY
			err += dy
		}
		if err2 >= dx || err2 > dy {
			west++
			east--
			dx += stepX
			err += dx
		}
		if west > east {
			break
		}
		if north >= Height && south < 0 {
			return // the rows only move further off the screen
		}
	}
	// The rows grow apart by 2 a step until they are height apart; each
	// step paints columns west-1 and east+1 on both rows.
	if d := north - south; d < height {
		steps := (height - d + 1) / 2
		for _, col := range [2]int64{west - 1, east + 1} {
			c.vspan(col, north, north+steps, stroke)
			c.vspan(col, south-steps+1, south+1, stroke)
		}
	}
}

// ovalLarge draws an oval too large for [ovalWalk], by an exact rule
// close to WASM-4's walk: with a = (w-1)/2 and b = (h-1)/2 the semi-axes
// of the ellipse through the centres of the box's outermost pixels, and
// (u, v) a pixel's offset from the box's centre, the pixel is inside if
// |u| <= a*sqrt(1-(v/b)^2) + 1/2 (its row, rounded) or
// |v| <= b*sqrt(1-(u/a)^2) + 1/2 (its column, rounded). The outline is the
// inside pixels with a 4-neighbour outside. Rows are computed exactly in
// integers and only the on-screen ones are visited, so any size costs at
// most 160 rows.
func ovalLarge(c canvas, left, top int64, width, height uint64, stroke, fill uint8, filled bool) {
	if !filled {
		fill = 0xff // never painted: inner spans are skipped below
	}
	e := ellipse{w: width - 1, h: height - 1}
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
		if inner < 0 {
			c.hspan(left+l0, left+r0+1, yy, stroke)
			continue
		}
		l1, r1 := e.columns(inner)
		c.hspan(left+l0, left+l1, yy, stroke)
		c.hspan(left+r1+1, left+r0+1, yy, stroke)
		if filled {
			c.hspan(left+l1, left+r1+1, yy, fill)
		}
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
	// w, h < 2^32: the product fits in 128 bits.
	hi, lo := bits.Mul64(e.w*e.w, e.h*e.h-t*t)
	return isqrt128(hi, lo) / e.h
}

// columns returns the first and last pixel column i with |2i - w| <= s,
// for 0 <= s <= w with the parity of w: (w-s)/2 and (w+s)/2.
func (e ellipse) columns(s int64) (int64, int64) {
	return (int64(e.w) - s) / 2, (int64(e.w) + s) / 2
}

// isqrt128 returns floor(sqrt(v)) for v = hi·2^64 + lo with
// hi < 2^64 - 2^33 (a product of two numbers below 2^64 - 2^32 is): by
// Newton's method from above, where a float's estimate starts it.
func isqrt128(hi, lo uint64) uint64 {
	if hi == 0 {
		return isqrt64(lo)
	}
	r := uint64(math.MaxUint64)
	if x := math.Sqrt(float64(hi)*0x1p64 + float64(lo)); x < 0x1p63 {
		r = uint64(x) + 1<<12 // above the root: x is within 2^-52 of it
	}
	// From above, each step stays at or above floor(sqrt(v)) and falls
	// until it reaches it. r > hi throughout (sqrt(v) > hi in this
	// domain), so the 128-by-64 division cannot overflow.
	for {
		q, _ := bits.Div64(hi, lo, r)
		next := r/2 + q/2 + r&q&1 // floor((r+q)/2)
		if next >= r {
			return r
		}
		r = next
	}
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
