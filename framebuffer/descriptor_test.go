package framebuffer

import (
	"bytes"
	"math"
	"testing"
)

func TestValidate(t *testing.T) {
	const mem = 65536
	ok := Descriptor{Format: RGB888, Width: 7, Height: 5, Pixels: 64}
	pal := Descriptor{Format: Indexed8, Width: 16, Height: 16, Pixels: 64, Palette: 1024}
	with := func(d Descriptor, f func(*Descriptor)) Descriptor { f(&d); return d }
	// A frame past 2 GiB is valid where an int can index it (make test
	// also runs these tests as 32-bit ARM, under qemu-arm).
	past32 := ""
	if math.MaxInt == math.MaxInt32 {
		past32 = "framebuffer: pixels 0xfffffff0+105 bytes end past what this platform's int can index"
	}
	tests := []struct {
		name string
		d    Descriptor
		mem  uint64
		want string // "" means valid
	}{
		{"valid packed", ok, mem, ""},
		{"valid stride", with(ok, func(d *Descriptor) { d.Stride = 21 }), mem, ""},
		{"valid indexed", pal, mem, ""},
		{"valid exactly fills memory", Descriptor{Format: RGBA8888, Width: 128, Height: 128, Pixels: 0}, mem, ""},
		{"valid 4096x4096", Descriptor{Format: Indexed2, Width: 4096, Height: 4096, Pixels: 16, Palette: 0x400010}, 1 << 23, ""},
		{"format 0", with(ok, func(d *Descriptor) { d.Format = 0 }), mem, "framebuffer: unknown format 0: use 1..7 (see the guest package doc)"},
		{"format 8", with(ok, func(d *Descriptor) { d.Format = 8 }), mem, "framebuffer: unknown format 8: use 1..7 (see the guest package doc)"},
		{"width 0", with(ok, func(d *Descriptor) { d.Width = 0 }), mem, "framebuffer: width 0 out of range 1..4096"},
		{"width 4097", with(ok, func(d *Descriptor) { d.Width = 4097 }), mem, "framebuffer: width 4097 out of range 1..4096"},
		{"height 0", with(ok, func(d *Descriptor) { d.Height = 0 }), mem, "framebuffer: height 0 out of range 1..4096"},
		{"height huge", with(ok, func(d *Descriptor) { d.Height = 1 << 31 }), mem, "framebuffer: height 2147483648 out of range 1..4096"},
		{"stride below row", with(ok, func(d *Descriptor) { d.Stride = 12 }), mem, "framebuffer: stride 12 below row size 21 (width 7, format RGB888)"},
		{"indexed2 stride below row", Descriptor{Format: Indexed2, Width: 9, Height: 1, Stride: 2, Pixels: 64, Palette: 32}, mem, "framebuffer: stride 2 below row size 3 (width 9, format INDEXED2)"},
		{"pixels past memory", Descriptor{Format: RGBA8888Premultiplied, Width: 320, Height: 144, Pixels: 0x10000}, mem, "framebuffer: pixels 0x10000+184320 bytes end past memory size 65536: keep the pixels, height rows of stride bytes, in memory"},
		{"pixels end one past", Descriptor{Format: RGBA8888, Width: 128, Height: 128, Pixels: 1}, mem, "framebuffer: pixels 0x1+65536 bytes end past memory size 65536: keep the pixels, height rows of stride bytes, in memory"},
		{"huge stride", with(ok, func(d *Descriptor) { d.Stride = 0xffffffff }), mem, "framebuffer: pixels 0x40+17179869201 bytes end past memory size 65536: keep the pixels, height rows of stride bytes, in memory"},
		{"address wraps", with(ok, func(d *Descriptor) { d.Pixels = 0xfffffff0 }), 1 << 33, past32},
		// 4095 rows of this stride end 4100 bytes on in a 32-bit int.
		{"stride wraps a 32-bit int", Descriptor{Format: RGBA8888, Width: 1, Height: 4096, Stride: 0xfefff000}, mem, "framebuffer: pixels 0x0+17519171604484 bytes end past memory size 65536: keep the pixels, height rows of stride bytes, in memory"},
		{"palette missing", with(pal, func(d *Descriptor) { d.Palette = 0 }), mem, "framebuffer: palette address 0 with format INDEXED8: an indexed format needs a palette of 256 colours"},
		{"palette past memory", with(pal, func(d *Descriptor) { d.Palette = 65000 }), mem, "framebuffer: palette 0xfde8+1024 bytes ends past memory size 65536: keep the palette in memory"},
		{"palette ignored for direct colour", with(ok, func(d *Descriptor) { d.Palette = 0xffffffff }), mem, ""},
		{"reserved ignored", with(ok, func(d *Descriptor) { d.Reserved = [2]uint32{1, 2} }), mem, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Validate(tc.mem)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate: unexpected error %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("Validate: no error, want %q", tc.want)
			case tc.want != "" && err.Error() != tc.want:
				t.Fatalf("Validate:\n got %q\nwant %q", err, tc.want)
			}
		})
	}
}

func TestReadDescriptor(t *testing.T) {
	d := Descriptor{Format: XRGB8888, Width: 1, Height: 2, Stride: 3, Pixels: 4, Palette: 5, Reserved: [2]uint32{6, 7}}
	mem := make([]byte, 100)
	d.Encode(mem[68:])
	got, err := ReadDescriptor(mem, 68)
	if err != nil || got != d {
		t.Fatalf("ReadDescriptor = %+v, %v; want %+v", got, err, d)
	}
	want := []byte{4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0}
	if !bytes.Equal(mem[68:], want) {
		t.Fatalf("Encode wrote %v, want %v", mem[68:], want)
	}
	if _, err := ReadDescriptor(mem, 69); err == nil || err.Error() != "framebuffer: descriptor 0x45+32 bytes ends past memory size 100: keep the descriptor's 32 bytes in memory" {
		t.Fatalf("ReadDescriptor past the end: %v", err)
	}
	if _, err := ReadDescriptor(mem, 0xffffffff); err == nil {
		t.Fatalf("ReadDescriptor at 0xffffffff: no error")
	}
}
