package framebuffer

import (
	"math/bits"
	"unsafe"
)

// The row converters take a destination of exactly 4 bytes per pixel and a
// source holding exactly the packed row, and never touch a byte outside
// either slice (FuzzPack and the tests hold them to it).
//
// They read and write whole words through unsafe pointers: with slice
// indexing the bounds checks cost the converters half their speed, and every
// target of the host is little-endian (see endian.go), so a word in memory
// has the byte order the ABI specifies.

const (
	opaque   = 0xff000000
	opaque64 = 0xff000000ff000000
)

func at(p unsafe.Pointer, off int) unsafe.Pointer { return unsafe.Add(p, off) }

func load16(p unsafe.Pointer, off int) uint32 { return uint32(*(*uint16)(at(p, off))) }
func load32(p unsafe.Pointer, off int) uint32 { return *(*uint32)(at(p, off)) }
func load64(p unsafe.Pointer, off int) uint64 { return *(*uint64)(at(p, off)) }

func store32(p unsafe.Pointer, off int, v uint32) { *(*uint32)(at(p, off)) = v }
func store64(p unsafe.Pointer, off int, v uint64) { *(*uint64)(at(p, off)) = v }

func ptr(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }

// premultiplyRow converts straight RGBA to premultiplied RGBA, rounding
// c*a/255 to nearest. Pairs of opaque pixels, the common case, are copied;
// the rest go through a branch-free formula that is exact for every c and a
// (TestPremultiplyExhaustive).
func premultiplyRow(dst, src []byte) {
	n := min(len(src), len(dst)) / 4
	s, d := ptr(src), ptr(dst)
	i := 0
	for ; i+2 <= n; i += 2 {
		v := load64(s, 4*i)
		if v&opaque64 == opaque64 {
			store64(d, 4*i, v)
			continue
		}
		store32(d, 4*i, premultiply(uint32(v)))
		store32(d, 4*i+4, premultiply(uint32(v>>32)))
	}
	if i < n {
		store32(d, 4*i, premultiply(load32(s, 4*i)))
	}
}

// premultiply returns the premultiplied form of one straight RGBA word.
// Red and blue are scaled together in one word, green alone: with
// t = c*a + 128, (t + t>>8) >> 8 is c*a/255 rounded to nearest.
func premultiply(v uint32) uint32 {
	a := v >> 24
	rb := (v&0x00ff00ff)*a + 0x00800080
	rb = (rb + rb>>8&0x00ff00ff) >> 8 & 0x00ff00ff
	g := (v>>8&0xff)*a + 0x80
	g = (g + g>>8) >> 8 & 0xff
	return rb | g<<8 | a<<24
}

// rgb888Row expands R,G,B triples to opaque RGBA. Each pixel is one 4-byte
// load at its 3-byte offset; the fourth byte read belongs to the next pixel
// and is overwritten by the alpha. The last pixel, whose fourth byte would
// lie past the row, is copied byte by byte.
func rgb888Row(dst, src []byte) {
	n := min(len(src)/3, len(dst)/4)
	if n == 0 {
		return
	}
	s, d := ptr(src), ptr(dst)
	i := 0
	for ; i+5 <= n; i += 4 { // pixels i..i+3 read up to byte 3*(i+3)+4 <= 3*n
		store32(d, 4*i, load32(s, 3*i)|opaque)
		store32(d, 4*i+4, load32(s, 3*i+3)|opaque)
		store32(d, 4*i+8, load32(s, 3*i+6)|opaque)
		store32(d, 4*i+12, load32(s, 3*i+9)|opaque)
	}
	for ; i < n-1; i++ {
		store32(d, 4*i, load32(s, 3*i)|opaque)
	}
	last := src[3*i : 3*i+3]
	store32(d, 4*i, uint32(last[0])|uint32(last[1])<<8|uint32(last[2])<<16|opaque)
}

// xrgb8888Row turns bytes B,G,R,? into R,G,B,255, two pixels per word: a
// byte swap of the word B0 G0 R0 X0 B1 G1 R1 X1 gives X1 R1 G1 B1 X0 R0 G0 B0,
// rotated by five bytes it is R0 G0 B0 X1 R1 G1 B1 X0, and the alpha bytes
// are then set.
func xrgb8888Row(dst, src []byte) {
	n := min(len(src), len(dst)) / 4
	s, d := ptr(src), ptr(dst)
	i := 0
	for ; i+2 <= n; i += 2 {
		v := load64(s, 4*i)
		store64(d, 4*i, bits.RotateLeft64(bits.ReverseBytes64(v), -40)|opaque64)
	}
	if i < n {
		store32(d, 4*i, bits.ReverseBytes32(load32(s, 4*i))>>8|opaque)
	}
}

// rgb565Row expands 5-6-5 bit colours by bit replication, so that the
// maximum of each field becomes 255 and 0 stays 0. Red depends only on the
// high byte, blue only on the low byte, and green's replicated bits split
// cleanly between the two, so each output word is the OR of one entry from a
// table for each byte: two lookups instead of a dozen shifts.
func rgb565Row(dst, src []byte) {
	n := min(len(src)/2, len(dst)/4)
	s, d := ptr(src), ptr(dst)
	for i := 0; i < n; i++ {
		lo := *(*byte)(at(s, 2*i))
		hi := *(*byte)(at(s, 2*i+1))
		store32(d, 4*i, rgb565Lo[lo]|rgb565Hi[hi])
	}
}

// rgb565Lo and rgb565Hi hold the RGBA contributions of the low and high
// byte of an RGB565 pixel. With g = g5..g0 split as g2..g0 in the low byte's
// top bits and g5..g3 in the high byte's low bits, the replicated green
// g<<2 | g>>4 is (g2..g0)<<2 from the low byte OR (g5..g3)<<5 | (g5..g3)>>1
// from the high one.
var rgb565Lo, rgb565Hi = rgb565Tables()

func rgb565Tables() (lo, hi [256]uint32) {
	for i := range uint32(256) {
		b := i & 0x1f
		gLow := i >> 5
		lo[i] = (b<<3|b>>2)<<16 | gLow<<2<<8
		r := i >> 3
		gHigh := i & 7
		hi[i] = (r<<3 | r>>2) | (gHigh<<5|gHigh>>1)<<8 | opaque
	}
	return lo, hi
}
