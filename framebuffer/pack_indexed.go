package framebuffer

import "encoding/binary"

// paletteColor turns a palette entry 0x00RRGGBB into an opaque RGBA word.
func paletteColor(c uint32) uint32 {
	return c>>16&0xff | c&0xff00 | (c&0xff)<<16 | opaque
}

// buildLUT8 converts the 256-entry palette at addr into RGBA words.
func (p *Packer) buildLUT8(mem []byte, addr uint32) {
	pal := mem[addr : addr+256*4]
	for i := range p.lut8 {
		p.lut8[i] = paletteColor(binary.LittleEndian.Uint32(pal[4*i:]))
	}
}

// buildLUT2 fills the table of the four RGBA pixels every byte value of an
// Indexed2 frame stands for. Rebuilding costs 256 entries, so the table is
// kept while the palette stays the same, which it usually does.
func (p *Packer) buildLUT2(mem []byte, addr uint32) {
	pal := mem[addr : addr+16]
	var cur [4]uint32
	for i := range cur {
		cur[i] = binary.LittleEndian.Uint32(pal[4*i:])
	}
	if p.lut2OK && cur == p.lut2Pal {
		return
	}
	var c [4]uint64
	for i := range c {
		c[i] = uint64(paletteColor(cur[i]))
	}
	for b := range p.lut2 {
		p.lut2[b][0] = c[b&3] | c[b>>2&3]<<32
		p.lut2[b][1] = c[b>>4&3] | c[b>>6&3]<<32
	}
	p.lut2Pal, p.lut2OK = cur, true
}

// indexed8Row looks every byte up in the palette.
func indexed8Row(dst, src []byte, lut *[256]uint32) {
	n := min(len(src), len(dst)/4)
	s, d := ptr(src), ptr(dst)
	for i := 0; i < n; i++ {
		store32(d, 4*i, lut[*(*byte)(at(s, i))])
	}
}

// indexed2Row expands a row of width pixels, four per source byte, leftmost
// pixel in the low bits. A final partial byte contributes only the pixels
// the row has.
func indexed2Row(dst, src []byte, width int, lut *[256][2]uint64) {
	width = min(width, len(dst)/4, len(src)*4)
	full := width / 4
	s, d := ptr(src), ptr(dst)
	for i := 0; i < full; i++ {
		e := &lut[*(*byte)(at(s, i))]
		store64(d, 16*i, e[0])
		store64(d, 16*i+8, e[1])
	}
	if rest := width - full*4; rest > 0 {
		e := &lut[src[full]]
		var px [16]byte
		binary.LittleEndian.PutUint64(px[0:], e[0])
		binary.LittleEndian.PutUint64(px[8:], e[1])
		copy(dst[16*full:], px[:rest*4])
	}
}
