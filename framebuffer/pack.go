package framebuffer

import "fmt"

// A Packer converts frames into premultiplied RGBA. It keeps its output
// buffer and palette tables between frames, so packing a frame of unchanged
// size allocates nothing. The zero value is ready to use. A Packer is not
// safe for concurrent use.
type Packer struct {
	buf []byte

	lut8 [256]uint32 // Indexed8: palette as RGBA words

	lut2    [256][2]uint64 // Indexed2: the 4 RGBA pixels of every byte value
	lut2Pal [4]uint32      // palette lut2 was built from
	lut2OK  bool
}

// Frame validates d against mem and returns the frame as premultiplied RGBA
// bytes, 4*width*height of them, row after row with no padding.
//
// For [RGBA8888Premultiplied] with packed rows the result is a view of mem
// itself, so no byte is touched; otherwise it is the Packer's own buffer.
// Either way it is valid until the next call or until mem changes.
func (p *Packer) Frame(mem []byte, d Descriptor) ([]byte, error) {
	if err := d.Validate(uint64(len(mem))); err != nil {
		return nil, err
	}
	if d.Format == RGBA8888Premultiplied && d.Packed() {
		addr, n := d.PixelSpan()
		end := int(addr) + n
		return mem[addr:end:end], nil
	}
	n := int(d.Width) * int(d.Height) * 4
	if cap(p.buf) < n {
		p.buf = make([]byte, n)
	}
	p.buf = p.buf[:n]
	p.pack(p.buf, mem, d)
	return p.buf, nil
}

// Pack validates d against mem and writes the frame into dst as
// premultiplied RGBA, 4*width*height bytes, row after row with no padding.
func (p *Packer) Pack(dst, mem []byte, d Descriptor) error {
	if err := d.Validate(uint64(len(mem))); err != nil {
		return err
	}
	if n := int(d.Width) * int(d.Height) * 4; len(dst) < n {
		return fmt.Errorf("framebuffer: destination holds %d bytes, the %dx%d frame needs %d", len(dst), d.Width, d.Height, n)
	}
	p.pack(dst, mem, d)
	return nil
}

// Pack is [Packer.Pack] with a fresh Packer, for one-off conversions.
func Pack(dst, mem []byte, d Descriptor) error {
	var p Packer
	return p.Pack(dst, mem, d)
}

// pack converts a validated frame. Rows are converted one at a time; when
// they are packed and whole bytes hold whole pixels, the frame is converted
// as a single long row, which saves the per-row overhead on small widths.
func (p *Packer) pack(dst, mem []byte, d Descriptor) {
	w, h := int(d.Width), int(d.Height)
	rowIn := d.Format.RowBytes(w)
	stride := d.RowStride()
	if stride == rowIn && (d.Format != Indexed2 || w%4 == 0) {
		w, h = w*h, 1
		rowIn = d.Format.RowBytes(w)
	}
	rowOut := w * 4

	var row func(dst, src []byte)
	switch d.Format {
	case RGBA8888Premultiplied:
		row = copyRow
	case RGBA8888:
		row = premultiplyRow
	case RGB888:
		row = rgb888Row
	case XRGB8888:
		row = xrgb8888Row
	case RGB565:
		row = rgb565Row
	case Indexed8:
		p.buildLUT8(mem, d.Palette)
		lut := &p.lut8
		row = func(dst, src []byte) { indexed8Row(dst, src, lut) }
	case Indexed2:
		p.buildLUT2(mem, d.Palette)
		lut := &p.lut2
		width := w
		row = func(dst, src []byte) { indexed2Row(dst, src, width, lut) }
	}
	off := int(d.Pixels)
	for y := 0; y < h; y++ {
		row(dst[y*rowOut:(y+1)*rowOut], mem[off:off+rowIn])
		off += stride
	}
}

func copyRow(dst, src []byte) { copy(dst, src) }
