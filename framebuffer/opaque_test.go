package framebuffer

import (
	"fmt"
	"testing"
)

func TestOpaque(t *testing.T) {
	opaque := func(pixels int) []byte {
		b := make([]byte, 4*pixels)
		for i := range b {
			b[i] = byte(i * 37)
			if i%4 == 3 {
				b[i] = 0xff
			}
		}
		return b
	}
	tests := []struct {
		name   string
		pixels int
		clear  int // the pixel whose alpha is not 255; -1: none
		alpha  byte
		want   bool
	}{
		{"empty", 0, -1, 0, true},
		{"one opaque pixel", 1, -1, 0, true},
		{"one translucent pixel", 1, 0, 0xfe, false},
		{"a whole block opaque", 8, -1, 0, true},
		{"first pixel clear", 25600, 0, 0, false},
		{"middle pixel of a block", 25600, 12803, 0x80, false},
		{"last pixel of the last block", 25600, 25599, 0xfe, false},
		{"in the tail after the blocks", 25603, 25601, 0x01, false},
		{"last pixel of the tail", 25603, 25602, 0, false},
		{"all opaque, with a tail", 25603, -1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := opaque(tt.pixels)
			if tt.clear >= 0 {
				b[4*tt.clear+3] = tt.alpha
			}
			if got := Opaque(b); got != tt.want {
				t.Errorf("Opaque = %v, want %v", got, tt.want)
			}
		})
	}
	// Colour bytes of 255 do not make a clear pixel opaque.
	b := []byte{0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff}
	if Opaque(b) {
		t.Error("a pixel of alpha 0 between white ones: Opaque = true")
	}
}

// BenchmarkOpaque measures Opaque over an opaque frame, which it reads
// whole: compare with BenchmarkCopy at the same size (MB/s).
func BenchmarkOpaque(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("alpha-scan/%dx%d", s.w, s.h), func(b *testing.B) {
			pix := make([]byte, s.w*s.h*4)
			for i := 3; i < len(pix); i += 4 {
				pix[i] = 0xff
			}
			b.SetBytes(int64(len(pix)))
			for b.Loop() {
				if !Opaque(pix) {
					b.Fatal("not opaque")
				}
			}
		})
	}
}

// TestFrameOpaque: the frame's own pixels decide, in every format, and
// the bytes between rows and around the frame do not.
func TestFrameOpaque(t *testing.T) {
	const at, w, h = 8, 3, 2
	frame := func(f Format, stride int) ([]byte, Descriptor) {
		mem := make([]byte, at+stride*h+8) // zeros around and between the rows: clear
		for y := range h {
			for x := range f.RowBytes(w) {
				mem[at+y*stride+x] = 0xff
			}
		}
		return mem, Descriptor{Format: f, Width: w, Height: h, Stride: uint32(stride), Pixels: at}
	}
	tests := []struct {
		name   string
		format Format
		stride int
		clear  int // the byte of the frame's memory set to 0 (an alpha, or not); -1: none
		want   bool
	}{
		{"RGBA, packed, opaque", RGBA8888, 12, -1, true},
		{"RGBA, packed, first pixel clear", RGBA8888, 12, at + 3, false},
		{"RGBA, packed, last pixel clear", RGBA8888, 12, at + 12 + 11, false},
		{"RGBA, packed, a colour byte 0", RGBA8888, 12, at + 12 + 4, true},
		{"premultiplied, padded rows, opaque", RGBA8888Premultiplied, 16, -1, true},
		{"premultiplied, padded rows, second row clear", RGBA8888Premultiplied, 16, at + 16 + 7, false},
		{"XRGB ignores its top byte", XRGB8888, 12, at + 3, true},
		{"RGB565 has no alpha", RGB565, 6, at + 1, true},
		{"indexed has no alpha", Indexed8, 3, at, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem, d := frame(tt.format, tt.stride)
			if tt.clear >= 0 {
				mem[tt.clear] = 0
			}
			if got := FrameOpaque(mem, d); got != tt.want {
				t.Errorf("FrameOpaque = %v, want %v", got, tt.want)
			}
		})
	}
}
