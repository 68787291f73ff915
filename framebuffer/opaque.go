package framebuffer

import "encoding/binary"

// Opaque reports whether every pixel of pix, packed RGBA (4 bytes a pixel,
// alpha last, as Packer.Frame returns), has an alpha of 255. A frame of a
// format with alpha is often opaque throughout, and can then be drawn as
// one without, with no compositing over what is beneath it.
func Opaque(pix []byte) bool {
	const alphas = 0xff000000ff000000 // the alpha bytes of two pixels, little-endian
	i := 0
	for ; i+32 <= len(pix); i += 32 {
		a := binary.LittleEndian.Uint64(pix[i:]) & binary.LittleEndian.Uint64(pix[i+8:]) &
			binary.LittleEndian.Uint64(pix[i+16:]) & binary.LittleEndian.Uint64(pix[i+24:])
		if a&alphas != alphas {
			return false
		}
	}
	for i += 3; i < len(pix); i += 4 {
		if pix[i] != 0xff {
			return false
		}
	}
	return true
}

// FrameOpaque reports whether every pixel of the frame d describes in mem
// (a cart's memory, or any bytes d's addresses are into) has an alpha of
// 255: always for a format without alpha, and for the two RGBA ones when
// each row's pixels say so, whatever the padding between rows holds. It
// is Opaque of the frame Packer.Frame would make, without packing it, so
// that the side a cart runs on can tell its host with the frame. d must
// be valid for mem (Descriptor.Validate).
func FrameOpaque(mem []byte, d Descriptor) bool {
	if !d.Format.HasAlpha() {
		return true
	}
	if d.Packed() {
		addr, n := d.PixelSpan()
		return Opaque(mem[addr : int(addr)+n])
	}
	row, stride := d.Format.RowBytes(int(d.Width)), d.RowStride()
	for y, at := 0, int(d.Pixels); y < int(d.Height); y, at = y+1, at+stride {
		if !Opaque(mem[at : at+row]) {
			return false
		}
	}
	return true
}
