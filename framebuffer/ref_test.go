package framebuffer

import "encoding/binary"

// refPixel is the reference for what the host must show: the premultiplied
// RGBA of pixel (x, y), computed the slow, obvious way straight from the ABI
// table, sharing no code with the converters.
func refPixel(mem []byte, d Descriptor, x, y int) [4]byte {
	stride := int(d.Stride)
	if stride == 0 {
		stride = d.Format.RowBytes(int(d.Width))
	}
	row := int(d.Pixels) + y*stride
	pal := func(i int) [4]byte {
		c := binary.LittleEndian.Uint32(mem[int(d.Palette)+4*i:])
		return [4]byte{byte(c >> 16), byte(c >> 8), byte(c), 255}
	}
	switch d.Format {
	case RGBA8888Premultiplied:
		p := mem[row+4*x:]
		return [4]byte{p[0], p[1], p[2], p[3]}
	case RGBA8888:
		p := mem[row+4*x:]
		a := int(p[3])
		mul := func(c byte) byte { return byte((int(c)*a*2 + 255) / 510) } // round(c*a/255)
		return [4]byte{mul(p[0]), mul(p[1]), mul(p[2]), p[3]}
	case RGB888:
		p := mem[row+3*x:]
		return [4]byte{p[0], p[1], p[2], 255}
	case XRGB8888:
		v := binary.LittleEndian.Uint32(mem[row+4*x:])
		return [4]byte{byte(v >> 16), byte(v >> 8), byte(v), 255}
	case RGB565:
		v := int(binary.LittleEndian.Uint16(mem[row+2*x:]))
		r, g, b := v>>11, v>>5&63, v&31
		// The ABI's bit replication: the top bits repeated into the low ones.
		return [4]byte{byte(r<<3 | r>>2), byte(g<<2 | g>>4), byte(b<<3 | b>>2), 255}
	case Indexed8:
		return pal(int(mem[row+x]))
	case Indexed2:
		b := mem[row+x/4]
		return pal(int(b>>(2*(x%4))) & 3)
	}
	panic("refPixel: unknown format")
}

// refFrame packs a whole frame with refPixel.
func refFrame(mem []byte, d Descriptor) []byte {
	out := make([]byte, 0, int(d.Width)*int(d.Height)*4)
	for y := 0; y < int(d.Height); y++ {
		for x := 0; x < int(d.Width); x++ {
			p := refPixel(mem, d, x, y)
			out = append(out, p[:]...)
		}
	}
	return out
}
