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
