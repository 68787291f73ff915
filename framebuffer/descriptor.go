package framebuffer

import (
	"encoding/binary"
	"fmt"
	"math"
)

// DescriptorSize is the size in bytes of a [Descriptor] in cart memory.
const DescriptorSize = 32

// MaxSize is the largest width and height a frame may have.
const MaxSize = 4096

// Descriptor is the 32-byte frame description a cart keeps in its memory,
// eight little-endian uint32 fields:
//
//	+0  format   a Format value
//	+4  width    pixels, 1..4096
//	+8  height   pixels, 1..4096
//	+12 stride   bytes from one row to the next; 0 means packed rows
//	+16 pixels   address of the first row
//	+20 palette  address of the palette; 0 when the format has none
//	+24 reserved must be ignored by the host
//	+28 reserved must be ignored by the host
type Descriptor struct {
	Format   Format
	Width    uint32
	Height   uint32
	Stride   uint32
	Pixels   uint32
	Palette  uint32
	Reserved [2]uint32
}

// DecodeDescriptor decodes the first [DescriptorSize] bytes of b. It panics
// if b is shorter; use [ReadDescriptor] for untrusted addresses.
func DecodeDescriptor(b []byte) Descriptor {
	_ = b[DescriptorSize-1]
	return Descriptor{
		Format:   Format(binary.LittleEndian.Uint32(b[0:])),
		Width:    binary.LittleEndian.Uint32(b[4:]),
		Height:   binary.LittleEndian.Uint32(b[8:]),
		Stride:   binary.LittleEndian.Uint32(b[12:]),
		Pixels:   binary.LittleEndian.Uint32(b[16:]),
		Palette:  binary.LittleEndian.Uint32(b[20:]),
		Reserved: [2]uint32{binary.LittleEndian.Uint32(b[24:]), binary.LittleEndian.Uint32(b[28:])},
	}
}

// Encode writes d into the first [DescriptorSize] bytes of b, the layout
// a cart keeps in memory. It panics if b is shorter.
func (d Descriptor) Encode(b []byte) {
	_ = b[DescriptorSize-1]
	binary.LittleEndian.PutUint32(b[0:], uint32(d.Format))
	binary.LittleEndian.PutUint32(b[4:], d.Width)
	binary.LittleEndian.PutUint32(b[8:], d.Height)
	binary.LittleEndian.PutUint32(b[12:], d.Stride)
	binary.LittleEndian.PutUint32(b[16:], d.Pixels)
	binary.LittleEndian.PutUint32(b[20:], d.Palette)
	binary.LittleEndian.PutUint32(b[24:], d.Reserved[0])
	binary.LittleEndian.PutUint32(b[28:], d.Reserved[1])
}

// ReadDescriptor decodes the descriptor at addr in mem, or returns an error
// when its 32 bytes do not lie inside mem.
func ReadDescriptor(mem []byte, addr uint32) (Descriptor, error) {
	if uint64(addr)+DescriptorSize > uint64(len(mem)) {
		return Descriptor{}, fmt.Errorf("framebuffer: descriptor 0x%x+%d bytes ends past memory size %d: keep the descriptor's 32 bytes in memory", addr, DescriptorSize, len(mem))
	}
	return DecodeDescriptor(mem[addr:]), nil
}

// RowStride returns the distance in bytes between the starts of two rows:
// the stride field, or the packed row size when it is 0.
func (d Descriptor) RowStride() int { return int(d.rowStride()) }

// rowStride is RowStride in a type that holds any stride field.
func (d Descriptor) rowStride() uint64 {
	if d.Stride == 0 {
		return uint64(d.Format.RowBytes(int(d.Width)))
	}
	return uint64(d.Stride)
}

// PixelSpan returns the range of memory the frame's pixels occupy: from the
// pixels address to the end of the last row (the last row needs no padding).
// Only meaningful for a descriptor that validates.
func (d Descriptor) PixelSpan() (addr uint32, n int) {
	return d.Pixels, int(d.pixelBytes())
}

// pixelBytes is PixelSpan's length, computed without overflow for any
// descriptor: in uint64 a stride near 4 GiB times 4095 rows fits, where a
// 32-bit int would wrap to a small length that then validates.
func (d Descriptor) pixelBytes() uint64 {
	if d.Height == 0 {
		return 0
	}
	return uint64(d.Height-1)*d.rowStride() + uint64(d.Format.RowBytes(int(d.Width)))
}

// PaletteSpan returns the range of memory the palette occupies, n = 0 for
// formats without a palette.
func (d Descriptor) PaletteSpan() (addr uint32, n int) {
	return d.Palette, d.Format.PaletteEntries() * 4
}

// Packed reports whether the rows follow each other with no padding.
func (d Descriptor) Packed() bool {
	return d.RowStride() == d.Format.RowBytes(int(d.Width))
}

// Validate checks d against the ABI limits and a memory of memSize bytes:
// a known format, 1 <= width, height <= 4096, a stride of 0 or at least the
// packed row size, and every byte the frame reads inside memory. The error
// names the field and its numbers.
func (d Descriptor) Validate(memSize uint64) error {
	if !d.Format.Valid() {
		return fmt.Errorf("framebuffer: unknown format %d: use 1..7 (see the guest package doc)", uint32(d.Format))
	}
	if d.Width < 1 || d.Width > MaxSize {
		return fmt.Errorf("framebuffer: width %d out of range 1..%d", d.Width, MaxSize)
	}
	if d.Height < 1 || d.Height > MaxSize {
		return fmt.Errorf("framebuffer: height %d out of range 1..%d", d.Height, MaxSize)
	}
	row := d.Format.RowBytes(int(d.Width))
	if d.Stride != 0 && uint64(d.Stride) < uint64(row) {
		return fmt.Errorf("framebuffer: stride %d below row size %d (width %d, format %s)", d.Stride, row, d.Width, d.Format)
	}
	n := d.pixelBytes()
	if uint64(d.Pixels)+n > memSize {
		return fmt.Errorf("framebuffer: pixels 0x%x+%d bytes end past memory size %d: keep the pixels, height rows of stride bytes, in memory", d.Pixels, n, memSize)
	}
	if uint64(d.Pixels)+n > math.MaxInt {
		return fmt.Errorf("framebuffer: pixels 0x%x+%d bytes end past what this platform's int can index", d.Pixels, n)
	}
	if entries := d.Format.PaletteEntries(); entries > 0 {
		if d.Palette == 0 {
			return fmt.Errorf("framebuffer: palette address 0 with format %s: an indexed format needs a palette of %d colours", d.Format, entries)
		}
		addr, n := d.PaletteSpan()
		if uint64(addr)+uint64(n) > memSize {
			return fmt.Errorf("framebuffer: palette 0x%x+%d bytes ends past memory size %d: keep the palette in memory", addr, n, memSize)
		}
	}
	return nil
}
