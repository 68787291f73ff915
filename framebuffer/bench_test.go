package framebuffer

import (
	"fmt"
	"testing"
)

var benchSizes = []struct{ w, h int }{{160, 160}, {320, 180}, {1280, 720}, {1920, 1080}}

// benchFrame returns a memory holding a packed frame of the given format
// and size filled with varied bytes, a palette after it, and its descriptor.
func benchFrame(f Format, w, h int) ([]byte, Descriptor) {
	pix := f.RowBytes(w) * h
	mem := make([]byte, 64+pix+1024)
	for i := range mem {
		mem[i] = byte(i*7 + i>>8)
	}
	d := Descriptor{Format: f, Width: uint32(w), Height: uint32(h), Pixels: 64}
	if f.PaletteEntries() > 0 {
		d.Palette = uint32(64 + pix)
	}
	return mem, d
}

// BenchmarkPack measures Packer.Frame, the host's per-frame call, for every
// format and size. Compare with BenchmarkCopy at the same size: both set
// bytes to the output size, so the MB/s columns give the ratio.
func BenchmarkPack(b *testing.B) {
	for _, f := range AllFormats() {
		for _, s := range benchSizes {
			b.Run(fmt.Sprintf("%s/%dx%d", f, s.w, s.h), func(b *testing.B) {
				mem, d := benchFrame(f, s.w, s.h)
				var p Packer
				b.SetBytes(int64(s.w * s.h * 4))
				for b.Loop() {
					if _, err := p.Frame(mem, d); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCopy is the baseline: a plain copy of as many bytes as a packed
// frame of the same size produces.
func BenchmarkCopy(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("%dx%d", s.w, s.h), func(b *testing.B) {
			n := s.w * s.h * 4
			src, dst := make([]byte, n), make([]byte, n)
			b.SetBytes(int64(n))
			for b.Loop() {
				copy(dst, src)
			}
		})
	}
}
