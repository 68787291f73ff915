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
