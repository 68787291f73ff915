package framebuffer

import (
	"bytes"
	"testing"
)

// FuzzPack feeds arbitrary descriptors and memories to the packer: it must
// either return an error or produce exactly the reference frame, and never
// read or write outside the slices it was given (the guard pages turn such
// an access into a crash).
func FuzzPack(f *testing.F) {
	for _, c := range packCases() {
		mem, d := c.build(f)
		f.Add(uint32(d.Format), d.Width, d.Height, d.Stride, d.Pixels, d.Palette, bytes.Clone(mem))
	}
	f.Add(uint32(7), uint32(4096), uint32(1), uint32(0), uint32(0), uint32(0), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, format, w, h, stride, pixels, palette uint32, data []byte) {
		d := Descriptor{Format: Format(format), Width: w, Height: h, Stride: stride, Pixels: pixels, Palette: palette}
		mem := guarded(t, len(data))
		copy(mem, data)
		if d.Validate(uint64(len(mem))) != nil {
			if err := Pack(nil, mem, d); err == nil {
				t.Fatalf("Pack accepted a descriptor Validate rejects: %+v", d)
			}
			return
		}
		want := refFrame(mem, d)
		dst := guarded(t, len(want))
		if err := Pack(dst, mem, d); err != nil {
			t.Fatalf("Pack: %v", err)
		}
		if !bytes.Equal(dst, want) {
			t.Fatalf("Pack differs from the reference at byte %d for %+v", firstDiff(dst, want), d)
		}
	})
}

// FuzzDescriptor decodes arbitrary bytes as a descriptor and validates it
// against arbitrary memory sizes: no panic, and a descriptor that
// validates reads only inside memory.
func FuzzDescriptor(f *testing.F) {
	for _, c := range packCases() {
		mem, _ := c.build(f)
		f.Add(mem[:DescriptorSize], uint64(len(mem)))
	}
	f.Add(make([]byte, DescriptorSize), uint64(0))
	f.Fuzz(func(t *testing.T, b []byte, memSize uint64) {
		if len(b) < DescriptorSize {
			return
		}
		memSize %= 1 << 33
		d := DecodeDescriptor(b)
		var enc [DescriptorSize]byte
		d.Encode(enc[:])
		if string(enc[:]) != string(b[:DescriptorSize]) {
			t.Fatalf("Encode(Decode(b)) != b")
		}
		if d.Validate(memSize) != nil {
			return
		}
		addr, n := d.PixelSpan()
		if n <= 0 || uint64(addr)+uint64(n) > memSize {
			t.Fatalf("valid %+v reads pixels 0x%x+%d past memory %d", d, addr, n, memSize)
		}
		if int(d.Width)*int(d.Height) <= 0 {
			t.Fatalf("valid %+v has no pixels", d)
		}
		if paddr, pn := d.PaletteSpan(); pn > 0 && uint64(paddr)+uint64(pn) > memSize {
			t.Fatalf("valid %+v reads its palette past memory", d)
		}
	})
}
