package framebuffer

import (
	"math/bits"
	"sync"
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

func load32(p unsafe.Pointer, off int) uint32 { return *(*uint32)(at(p, off)) }
func load64(p unsafe.Pointer, off int) uint64 { return *(*uint64)(at(p, off)) }

func store32(p unsafe.Pointer, off int, v uint32) { *(*uint32)(at(p, off)) = v }
func store64(p unsafe.Pointer, off int, v uint64) { *(*uint64)(at(p, off)) = v }

func ptr(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }

// premultiplyRow converts straight RGBA to premultiplied RGBA, rounding
// c*a/255 to nearest, exactly for every c and a (TestPremultiplyExhaustive,
// TestPremultiplyTable).
//
// The products are looked up in premultiplyTable, not computed: arithmetic,
// even with red and blue sharing a multiply, compiles to some 35 instructions
// a pixel of multiplies, rounding, shifts and masks, the lookups to 13, and
// the instruction count is what bounds this loop. The B,A half-word of a
// pixel is, as it stands, the table index of blue's product; masked to A<<8
// it is both the offset of the row where red and green are looked up and the
// alpha byte of the output's B,A half-word.
//
// Runs of opaque pixels, common in real frames, are copied four pixels at a
// time. Testing every group of four for that made translucent pixels a fifth
// slower, so a run is looked for only after a group whose last pixel is
// opaque: a translucent group pays one compare, and at most the first four
// pixels of an opaque run are looked up before the copying starts.
//
// The four pixels of a group are written out rather than left to a helper,
// which is over the inlining budget and would cost a call per pixel.
func premultiplyRow(dst, src []byte) {
	premultiplyOnce.Do(buildPremultiplyTable)
	t := unsafe.Pointer(premultiplyTable)
	n := min(len(src), len(dst)) &^ 3 // bytes
	s, d := ptr(src), ptr(dst)
	i, last := 0, n-16 // i <= last while a whole group of four pixels is left
	for i <= last {
		for i <= last {
			v0, v1 := *(*uint64)(at(s, i)), *(*uint64)(at(s, i+8))
			if v0&v1&opaque64 != opaque64 {
				break
			}
			*(*uint64)(at(d, i)) = v0
			*(*uint64)(at(d, i+8)) = v1
			i += 16
		}
		for ; i <= last; i += 16 {
			{
				ba := uintptr(*(*uint16)(at(s, i+2)))
				a := ba & 0xff00
				row := unsafe.Add(t, a)
				*(*uint8)(at(d, i)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i))))
				*(*uint8)(at(d, i+1)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+1))))
				*(*uint16)(at(d, i+2)) = uint16(uintptr(*(*uint8)(unsafe.Add(t, ba))) | a)
			}
			{
				ba := uintptr(*(*uint16)(at(s, i+6)))
				a := ba & 0xff00
				row := unsafe.Add(t, a)
				*(*uint8)(at(d, i+4)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+4))))
				*(*uint8)(at(d, i+5)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+5))))
				*(*uint16)(at(d, i+6)) = uint16(uintptr(*(*uint8)(unsafe.Add(t, ba))) | a)
			}
			{
				ba := uintptr(*(*uint16)(at(s, i+10)))
				a := ba & 0xff00
				row := unsafe.Add(t, a)
				*(*uint8)(at(d, i+8)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+8))))
				*(*uint8)(at(d, i+9)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+9))))
				*(*uint16)(at(d, i+10)) = uint16(uintptr(*(*uint8)(unsafe.Add(t, ba))) | a)
			}
			ba := uintptr(*(*uint16)(at(s, i+14)))
			a := ba & 0xff00
			row := unsafe.Add(t, a)
			*(*uint8)(at(d, i+12)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+12))))
			*(*uint8)(at(d, i+13)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+13))))
			*(*uint16)(at(d, i+14)) = uint16(uintptr(*(*uint8)(unsafe.Add(t, ba))) | a)
			if a == 0xff00 {
				i += 16
				break
			}
		}
	}
	for ; i < n; i += 4 {
		ba := uintptr(*(*uint16)(at(s, i+2)))
		a := ba & 0xff00
		row := unsafe.Add(t, a)
		*(*uint8)(at(d, i)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i))))
		*(*uint8)(at(d, i+1)) = *(*uint8)(unsafe.Add(row, *(*uint8)(at(s, i+1))))
		*(*uint16)(at(d, i+2)) = uint16(uintptr(*(*uint8)(unsafe.Add(t, ba))) | a)
	}
}

// premultiplyTable holds c*a/255 rounded to nearest at index a<<8 | c. It is
// built on the first call of premultiplyRow, so that programs which never see
// a straight-alpha frame spend neither the 64 KiB nor the time on it.
var (
	premultiplyOnce  sync.Once
	premultiplyTable *[256 * 256]uint8
)

func buildPremultiplyTable() {
	t := new([256 * 256]uint8)
	for a := range 256 {
		for c := range 256 {
			t[a<<8|c] = uint8((c*a*2 + 255) / 510)
		}
	}
	premultiplyTable = t
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
