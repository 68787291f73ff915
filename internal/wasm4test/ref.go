// Package wasm4test is a reference for package wasm4, for tests: a slow,
// obvious implementation of the WASM-4 drawing functions written straight
// from the documented rules, sharing no code with package wasm4 (only the
// font's glyphs, through [wasm4.Glyph]), plus the scene of the draw.c test
// cart in wasm4/testdata and what one update() of it must produce
// ([RenderDrawCartReference]).
//
// Every reference function decides, for each of the 160x160 screen pixels
// on its own, which draw colour (if any) lands there, from the arguments
// and the memory as it was before the call, and only then writes the
// framebuffer. Arithmetic that could overflow 64 bits uses math/big.
package wasm4test

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"math/big"

	"github.com/ebicart/ebicart/wasm4"
)

// The memory map, from the WASM-4 documentation.
const (
	addrPalette     = 0x04
	addrDrawColors  = 0x14
	addrFramebuffer = 0xa0
	screenSize      = 160
	framebufferEnd  = addrFramebuffer + screenSize*screenSize/4
)

// Reference implements [Drawer] with the reference functions of this
// package. Its methods take the cart's memory, 65536 bytes.
type Reference struct{}

// Drawer is the set of WASM-4 drawing functions, with the signatures of
// package wasm4's.
type Drawer interface {
	Blit(mem []byte, sprite uint32, x, y int32, width, height, flags uint32) error
	BlitSub(mem []byte, sprite uint32, x, y int32, width, height, srcX, srcY, stride, flags uint32) error
	Line(mem []byte, x1, y1, x2, y2 int32)
	HLine(mem []byte, x, y int32, length uint32)
	VLine(mem []byte, x, y int32, length uint32)
	Rect(mem []byte, x, y int32, width, height uint32)
	Oval(mem []byte, x, y int32, width, height uint32)
	Text(mem []byte, str uint32, x, y int32) error
	TextUTF8(mem []byte, str, byteLength uint32, x, y int32) error
	TextUTF16(mem []byte, str, byteLength uint32, x, y int32) error
}

var _ Drawer = Reference{}

// PowerOn returns a fresh 64 KiB WASM-4 memory in its power-on state: the
// default palette, DRAW_COLORS 0x1203, everything else zero.
func PowerOn() []byte {
	mem := make([]byte, 65536)
	for i, c := range []uint32{0xe0f8cf, 0x86c06c, 0x306850, 0x071821} {
		binary.LittleEndian.PutUint32(mem[addrPalette+4*i:], c)
	}
	binary.LittleEndian.PutUint16(mem[addrDrawColors:], 0x1203)
	return mem
}

// PixelAt returns the palette index of screen pixel (x, y), 0 <= x, y < 160.
func PixelAt(mem []byte, x, y int) uint8 {
	n := y*screenSize + x // pixel number; 4 pixels per byte, first in the low bits
	return mem[addrFramebuffer+n/4] >> (2 * (n % 4)) & 3
}

func setPixelAt(mem []byte, x, y int, index uint8) {
	n := y*screenSize + x
	b := &mem[addrFramebuffer+n/4]
	shift := 2 * (n % 4)
	*b = *b&^(3<<shift) | index<<shift
}

// Image returns the framebuffer of mem as an image, with palette (the
// 0x00RRGGBB colours of palette indices 0..3).
func Image(mem []byte, palette [4]uint32) *image.Paletted {
	var pal color.Palette
	for _, c := range palette {
		pal = append(pal, color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 255})
	}
	img := image.NewPaletted(image.Rect(0, 0, screenSize, screenSize), pal)
	for y := range screenSize {
		for x := range screenSize {
			img.SetColorIndex(x, y, PixelAt(mem, x, y))
		}
	}
	return img
}

// paint holds, for each screen pixel, the draw colour slot (1..4) chosen
// for it, 0 for none.
type paint [screenSize][screenSize]int

// apply writes the chosen pixels: draw colour n of DRAW_COLORS is a
// nibble, 0 for transparent, else the palette index plus one (of which
// only the low two bits count for the values 5..15).
func (p *paint) apply(mem []byte) {
	colors := binary.LittleEndian.Uint16(mem[addrDrawColors:])
	for y := range screenSize {
		for x := range screenSize {
			if p[y][x] == 0 {
				continue
			}
			nibble := colors >> (4 * (p[y][x] - 1)) & 0xf
			if nibble != 0 {
				setPixelAt(mem, x, y, uint8(nibble-1)&3)
			}
		}
	}
}

func nibble(mem []byte, n int) uint16 {
	return binary.LittleEndian.Uint16(mem[addrDrawColors:]) >> (4 * (n - 1)) & 0xf
}

// plot is what a call paints, pixel by pixel, in palette indices, for
// the functions WASM-4 defines by the points they paint (rect, oval):
// later points overwrite earlier ones, as on WASM-4.
type plot struct {
	set [screenSize][screenSize]bool
	idx [screenSize][screenSize]uint8
}

// point paints (x, y) with palette index idx if it is on the screen.
func (p *plot) point(x, y int64, idx uint8) {
	if x >= 0 && y >= 0 && x < screenSize && y < screenSize {
		p.set[y][x], p.idx[y][x] = true, idx&3
	}
}

// row paints the pixels x0..x1-1 of row y.
func (p *plot) row(x0, x1, y int64, idx uint8) {
	for x := max(x0, -1); x < min(x1, screenSize+1); x++ {
		p.point(x, y, idx)
	}
}

func (p *plot) apply(mem []byte) {
	for y := range screenSize {
		for x := range screenSize {
			if p.set[y][x] {
				setPixelAt(mem, x, y, p.idx[y][x])
			}
		}
	}
}

// HLine is the reference hline: pixels (x, y) to (x+len-1, y), colour 1,
// len a signed int32.
func (Reference) HLine(mem []byte, x, y int32, length uint32) {
	var p paint
	for py := range screenSize {
		for px := range screenSize {
			if int64(py) == int64(y) && int64(px) >= int64(x) && int64(px) <= int64(x)+int64(int32(length))-1 {
				p[py][px] = 1
			}
		}
	}
	p.apply(mem)
}

// VLine is the reference vline: pixels (x, y) to (x, y+len-1), colour 1,
// len a signed int32.
func (Reference) VLine(mem []byte, x, y int32, length uint32) {
	var p paint
	for py := range screenSize {
		for px := range screenSize {
			if int64(px) == int64(x) && int64(py) >= int64(y) && int64(py) <= int64(y)+int64(int32(length))-1 {
				p[py][px] = 1
			}
		}
	}
	p.apply(mem)
}

// Rect is the reference rect, WASM-4's: width and height are signed
// int32s; the box x..x+width-1, y..y+height-1 (clipped to the screen) is
// filled with colour 1, then colour 2 paints the columns x and x+width-1
// and the rows y and y+height-1 over the box's clipped extent, each when
// it is on the screen.
func (Reference) Rect(mem []byte, x, y int32, width, height uint32) {
	var p plot
	x0, y0 := max(int64(x), 0), max(int64(y), 0)
	ex, ey := int64(x)+int64(int32(width)), int64(y)+int64(int32(height))
	x1, y1 := max(0, min(ex, screenSize)), max(0, min(ey, screenSize))
	if c := nibble(mem, 1); c != 0 {
		for yy := y0; yy < y1; yy++ {
			p.row(x0, x1, yy, uint8(c-1))
		}
	}
	if c := nibble(mem, 2); c != 0 {
		for _, col := range []int64{int64(x), ex - 1} {
			if col >= 0 && col < screenSize {
				for yy := y0; yy < y1; yy++ {
					p.point(col, yy, uint8(c-1))
				}
			}
		}
		for _, r := range []int64{int64(y), ey - 1} {
			if r >= 0 && r < screenSize {
				p.row(x0, x1, r, uint8(c-1))
			}
		}
	}
	p.apply(mem)
}

// Oval is the reference oval: WASM-4's midpoint walk, step by step, for
// widths and heights (signed int32s) up to 65536; beyond, the rule of
// [ovalRule]. Colour 2 is the outline (palette index 3 when it is 0;
// nothing at all when it is 15), colour 1 the fill (none when 0).
func (Reference) Oval(mem []byte, x, y int32, width, height uint32) {
	dc0, dc1 := nibble(mem, 1), nibble(mem, 2)
	if dc1 == 0xf {
		return
	}
	stroke, fill := uint8(dc1-1)&3, uint8(dc0-1)&3
	w, h := int64(int32(width)), int64(int32(height))
	if w > 1<<16 || h > 1<<16 {
		if w > 0 && h > 0 {
			ovalRule(mem, int64(x), int64(y), w, h, stroke, fill, dc0 != 0)
		}
		return
	}
	var p plot
	a, b := w-1, h-1
	b1 := b % 2
	north := int64(y) + h/2
	west, east := int64(x), int64(x)+w-1
	south := north - b1
	a2, b2 := a*a, b*b
	dx := 4 * (1 - a) * b2
	dy := 4 * (b1 + 1) * a2
	err := dx + dy + b1*a2
	a, b1 = 8*a2, 8*b2
	for n := 0; ; n++ {
		if n > 1<<18 {
			panic("wasm4test: oval walk does not end")
		}
		p.point(east, north, stroke)
		p.point(west, north, stroke)
		p.point(west, south, stroke)
		p.point(east, south, stroke)
		if start := west + 1; dc0 != 0 && east-start > 0 {
			p.row(start, east, north, fill)
			p.row(start, east, south, fill)
		}
		err2 := 2 * err
		if err2 <= dy {
			north++
			south--
			dy += a
			err += dy
		}
		if err2 >= dx || err2 > dy {
			west++
			east--
			dx += b1
			err += dx
		}
		if west > east {
			break
		}
	}
	for north-south < h {
		p.point(west-1, north, stroke)
		p.point(east+1, north, stroke)
		north++
		p.point(west-1, south, stroke)
		p.point(east+1, south, stroke)
		south--
	}
	p.apply(mem)
}

// ovalRule draws an oval larger than WASM-4 can, from its definition: with
// a = (w-1)/2, b = (h-1)/2 and (u, v) a pixel's offset from the box's
// centre, the pixel is inside if |u| <= a*sqrt(1-(v/b)²) + 1/2 or |v| <=
// b*sqrt(1-(u/a)²) + 1/2; inside pixels with a 4-neighbour outside are the
// outline, the others the fill.
func ovalRule(mem []byte, x, y, w, h int64, stroke, fill uint8, filled bool) {
	var p plot
	inside := func(i, j int64) bool {
		if i < 0 || j < 0 || i >= w || j >= h {
			return false
		}
		// In doubled units: p = 2u, q = 2v, W = 2a, H = 2b.
		pp, q := big.NewInt(2*i-(w-1)), big.NewInt(2*j-(h-1))
		W, H := big.NewInt(w-1), big.NewInt(h-1)
		return within(pp, q, W, H) || within(q, pp, H, W)
	}
	for py := range screenSize {
		for px := range screenSize {
			i, j := int64(px)-x, int64(py)-y
			if !inside(i, j) {
				continue
			}
			if !inside(i-1, j) || !inside(i+1, j) || !inside(i, j-1) || !inside(i, j+1) {
				p.point(int64(px), int64(py), stroke)
			} else if filled {
				p.point(int64(px), int64(py), fill)
			}
		}
	}
	p.apply(mem)
}

// within reports |p|/2 <= (W/2)*sqrt(1-(q/H)²) + 1/2 for |p| <= W, |q| <= H,
// that is |p|-1 <= W*sqrt(1-q²/H²), taking q/H as 0 when H is 0: true if
// the left side is <= 0, else compare the squares, (|p|-1)²·H² <= W²·(H²-q²).
func within(p, q, W, H *big.Int) bool {
	left := new(big.Int).Abs(p)
	left.Sub(left, big.NewInt(1))
	if left.Sign() <= 0 {
		return true
	}
	if H.Sign() == 0 {
		return left.Cmp(W) <= 0
	}
	l := new(big.Int).Mul(left, left)
	l.Mul(l, new(big.Int).Mul(H, H))
	r := new(big.Int).Mul(H, H)
	r.Sub(r, new(big.Int).Mul(q, q))
	r.Mul(r, new(big.Int).Mul(W, W))
	return l.Cmp(r) <= 0
}

// Line is the reference line, from its definition: walking from the end
// with the smaller y along the major axis (x if |dx| > |dy|, else y), each
// step's pixel has the exact minor coordinate rounded to nearest, halves
// towards the starting end.
func (Reference) Line(mem []byte, x1, y1, x2, y2 int32) {
	var p paint
	ax, ay, bx, by := int64(x1), int64(y1), int64(x2), int64(y2)
	if ay > by {
		ax, ay, bx, by = bx, by, ax, ay
	}
	dx, dy := bx-ax, by-ay
	for py := range screenSize {
		for px := range screenSize {
			if onLine(int64(px)-ax, int64(py)-ay, dx, dy) {
				p[py][px] = 1
			}
		}
	}
	p.apply(mem)
}

// onLine reports whether offset (i, j) from the start is a pixel of the
// line to (dx, dy), dy >= 0.
func onLine(i, j, dx, dy int64) bool {
	adx := max(dx, -dx)
	if adx > dy {
		// k steps along x, towards dx's sign; j must be round(k*dy/adx).
		k := i
		if dx < 0 {
			k = -i
		}
		return k >= 0 && k <= adx && roundsTo(k, dy, adx, j)
	}
	if dy == 0 {
		return i == 0 && j == 0
	}
	if j < 0 || j > dy {
		return false
	}
	// i must be sign(dx) * round(j*adx/dy).
	k := i
	if dx < 0 {
		k = -i
	}
	return k >= 0 && roundsTo(j, adx, dy, k)
}

// roundsTo reports whether k*num/den, rounded to nearest with halves
// rounded down, is r: r - 1/2 < k*num/den <= r + 1/2, that is
// 2r*den - den < 2*k*num <= 2r*den + den.
func roundsTo(k, num, den, r int64) bool {
	two := big.NewInt(2)
	v := new(big.Int).Mul(big.NewInt(k), big.NewInt(num))
	v.Mul(v, two)
	c := new(big.Int).Mul(big.NewInt(r), big.NewInt(den))
	c.Mul(c, two)
	lo := new(big.Int).Sub(c, big.NewInt(den))
	hi := new(big.Int).Add(c, big.NewInt(den))
	return v.Cmp(lo) > 0 && v.Cmp(hi) <= 0
}

// Blit is the reference blit: BlitSub of the whole sprite.
func (r Reference) Blit(mem []byte, sprite uint32, x, y int32, width, height, flags uint32) error {
	return r.blit("blit", mem, sprite, x, y, width, height, 0, 0, width, flags)
}

// BlitSub is the reference blitSub.
func (r Reference) BlitSub(mem []byte, sprite uint32, x, y int32, width, height, srcX, srcY, stride, flags uint32) error {
	return r.blit("blitSub", mem, sprite, x, y, width, height, srcX, srcY, stride, flags)
}

// picture is an image given by its size and a pixel function.
type picture struct {
	w, h int64
	at   func(x, y int64) int
}

func (Reference) blit(name string, mem []byte, sprite uint32, x, y int32, width, height, srcX, srcY, stride, flags uint32) error {
	// WASM-4 takes width and height as signed: 0 or below draws nothing.
	if int32(width) <= 0 || int32(height) <= 0 {
		return nil
	}
	bpp := int64(1)
	if flags&1 != 0 {
		bpp = 2
	}
	// The sprite's bytes run from sprite to the byte holding the region's
	// last pixel, number (srcY+height-1)*stride + srcX+width-1.
	last := new(big.Int).SetUint64(uint64(srcY) + uint64(height) - 1)
	last.Mul(last, new(big.Int).SetUint64(uint64(stride)))
	last.Add(last, new(big.Int).SetUint64(uint64(srcX)+uint64(width)-1))
	lastBit := new(big.Int).Mul(last, big.NewInt(bpp))
	lastBit.Add(lastBit, big.NewInt(bpp-1))
	size := new(big.Int).Div(lastBit, big.NewInt(8))
	size.Add(size, big.NewInt(1))
	end := new(big.Int).Add(size, big.NewInt(int64(sprite)))
	if end.Cmp(big.NewInt(int64(len(mem)))) > 0 {
		return fmt.Errorf("wasm4: %s: sprite 0x%x+%s bytes end past memory size %d: pass a sprite wholly in memory", name, sprite, size, len(mem))
	}

	// The region of the sheet, as a picture of sprite pixel values.
	img := picture{w: int64(width), h: int64(height), at: func(rx, ry int64) int {
		n := new(big.Int).SetInt64(int64(srcY) + ry)
		n.Mul(n, big.NewInt(int64(stride)))
		n.Add(n, big.NewInt(int64(srcX)+rx))
		bit := n.Int64() * bpp // the pixel's first bit, counted from the top bit of the first byte
		var v int
		for b := range bpp {
			byteVal := mem[int64(sprite)+(bit+b)/8]
			v = v<<1 | int(byteVal>>(7-(bit+b)%8)&1)
		}
		return v
	}}
	// Flip, then rotate anti-clockwise, as documented.
	if flags&2 != 0 {
		prev := img
		img.at = func(x, y int64) int { return prev.at(prev.w-1-x, y) }
	}
	if flags&4 != 0 {
		prev := img
		img.at = func(x, y int64) int { return prev.at(x, prev.h-1-y) }
	}
	if flags&8 != 0 {
		prev := img
		// The top-right corner becomes the top-left one.
		img = picture{w: prev.h, h: prev.w, at: func(x, y int64) int { return prev.at(prev.w-1-y, x) }}
	}
	var p paint
	for py := range screenSize {
		for px := range screenSize {
			lx, ly := int64(px)-int64(x), int64(py)-int64(y)
			if lx >= 0 && ly >= 0 && lx < img.w && ly < img.h {
				// Pixel value v uses draw colour v+1.
				p[py][px] = img.at(lx, ly) + 1
			}
		}
	}
	p.apply(mem)
	return nil
}

// Text is the reference text: Latin-1 bytes up to a NUL.
func (r Reference) Text(mem []byte, str uint32, x, y int32) error {
	var codes []rune
	for a := int64(str); ; a++ {
		if a >= int64(len(mem)) {
			if a == int64(str) {
				return fmt.Errorf("wasm4: text: string at 0x%x past memory size %d: pass a string in memory", str, len(mem))
			}
			return fmt.Errorf("wasm4: text: string at 0x%x has no NUL before memory end %d: end it with a 0 byte", str, len(mem))
		}
		if mem[a] == 0 {
			break
		}
		codes = append(codes, rune(mem[a]))
	}
	r.drawCodes(mem, codes, x, y)
	return nil
}

// TextUTF8 is the reference textUtf8: UTF-8, each byte not starting a
// valid sequence taken as its Latin-1 character.
func (r Reference) TextUTF8(mem []byte, str, byteLength uint32, x, y int32) error {
	if int64(str)+int64(byteLength) > int64(len(mem)) {
		return fmt.Errorf("wasm4: textUtf8: string 0x%x+%d bytes end past memory size %d: pass a string wholly in memory", str, byteLength, len(mem))
	}
	r.drawCodes(mem, DecodeUTF8(mem[str:int64(str)+int64(byteLength)]), x, y)
	return nil
}

// TextUTF16 is the reference textUtf16: UTF-16LE, odd last byte ignored.
func (r Reference) TextUTF16(mem []byte, str, byteLength uint32, x, y int32) error {
	if int64(str)+int64(byteLength) > int64(len(mem)) {
		return fmt.Errorf("wasm4: textUtf16: string 0x%x+%d bytes end past memory size %d: pass a string wholly in memory", str, byteLength, len(mem))
	}
	r.drawCodes(mem, DecodeUTF16(mem[str:int64(str)+int64(byteLength)]), x, y)
	return nil
}

// DecodeUTF8 decodes s the way textUtf8 reads it: a valid UTF-8 sequence
// (shortest form, not a surrogate, at most U+10FFFF) is its character;
// any other byte is the Latin-1 character of its value.
func DecodeUTF8(s []byte) []rune {
	var out []rune
	cont := func(i int) bool { return i < len(s) && s[i]&0xc0 == 0x80 }
	for i := 0; i < len(s); {
		b := s[i]
		var r rune
		n := 0 // bytes of a valid sequence starting at i, 0 if none
		switch {
		case b < 0x80:
			r, n = rune(b), 1
		case b&0xe0 == 0xc0 && cont(i+1):
			r = rune(b&0x1f)<<6 | rune(s[i+1]&0x3f)
			if r >= 0x80 {
				n = 2
			}
		case b&0xf0 == 0xe0 && cont(i+1) && cont(i+2):
			r = rune(b&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			if r >= 0x800 && (r < 0xd800 || r > 0xdfff) {
				n = 3
			}
		case b&0xf8 == 0xf0 && cont(i+1) && cont(i+2) && cont(i+3):
			r = rune(b&0x07)<<18 | rune(s[i+1]&0x3f)<<12 | rune(s[i+2]&0x3f)<<6 | rune(s[i+3]&0x3f)
			if r >= 0x10000 && r <= 0x10ffff {
				n = 4
			}
		}
		if n == 0 {
			r, n = rune(b), 1
		}
		out = append(out, r)
		i += n
	}
	return out
}

// DecodeUTF16 decodes s as UTF-16LE, an odd last byte ignored: a high
// surrogate followed by a low one is one character, any other unit is
// itself.
func DecodeUTF16(s []byte) []rune {
	var units []rune
	for i := 0; i+1 < len(s); i += 2 {
		units = append(units, rune(s[i])|rune(s[i+1])<<8)
	}
	var out []rune
	for i := 0; i < len(units); i++ {
		u := units[i]
		if u >= 0xd800 && u <= 0xdbff && i+1 < len(units) && units[i+1] >= 0xdc00 && units[i+1] <= 0xdfff {
			out = append(out, 0x10000+(u-0xd800)*0x400+(units[i+1]-0xdc00))
			i++
			continue
		}
		out = append(out, u)
	}
	return out
}

// drawCodes lays out characters in 8x8 cells from (x, y): NUL ends the
// text, "\n" goes back to x and 8 pixels down, 32..255 draw their cell
// (ink colour 1, the rest colour 2), anything else just takes a cell.
func (Reference) drawCodes(mem []byte, codes []rune, x, y int32) {
	var p paint
	cx, cy := int64(x), int64(y)
	for _, c := range codes {
		if c == 0 {
			break
		}
		if c == '\n' {
			cx, cy = int64(x), cy+8
			continue
		}
		if c >= 32 && c <= 255 {
			g, _ := wasm4.Glyph(c)
			for gy := range int64(8) {
				for gx := range int64(8) {
					px, py := cx+gx, cy+gy
					if px < 0 || py < 0 || px >= screenSize || py >= screenSize {
						continue
					}
					if g[gy]>>(7-gx)&1 == 1 {
						p[py][px] = 1 // ink
					} else {
						p[py][px] = 2 // background
					}
				}
			}
		}
		cx += 8
	}
	p.apply(mem)
}
