package framebuffer

import "strconv"

// Format is the pixel format of a frame, the first field of a [Descriptor].
type Format uint32

// The pixel formats of cart ABI v1. Multi-byte values are little-endian.
const (
	// RGBA8888Premultiplied is 4 bytes per pixel, R, G, B, A, with the
	// colour already multiplied by alpha: Ebitengine's own layout, uploaded
	// without conversion.
	RGBA8888Premultiplied Format = 1
	// RGBA8888 is 4 bytes per pixel, R, G, B, A, straight (not premultiplied)
	// alpha; the host premultiplies.
	RGBA8888 Format = 2
	// RGB888 is 3 bytes per pixel, R, G, B: an array of Color{r, g, b uint8}.
	// Opaque.
	RGB888 Format = 3
	// XRGB8888 is a little-endian uint32 0x??RRGGBB per pixel (bytes B, G,
	// R, ?); the top byte is ignored. Opaque.
	XRGB8888 Format = 4
	// RGB565 is a little-endian uint16 per pixel, red in the high 5 bits,
	// green in the middle 6, blue in the low 5; expanded by bit
	// replication so that 31 and 63 become 255. Opaque.
	RGB565 Format = 5
	// Indexed8 is 1 byte per pixel, an index into a palette of 256
	// little-endian uint32 0x00RRGGBB colours. Opaque.
	Indexed8 Format = 6
	// Indexed2 is 2 bits per pixel, 4 pixels per byte with the leftmost
	// pixel in the low 2 bits (the WASM-4 layout), indexing a palette of 4
	// little-endian uint32 0x00RRGGBB colours. Opaque.
	Indexed2 Format = 7
)

// AllFormats returns every defined format in ABI order.
func AllFormats() []Format {
	return []Format{RGBA8888Premultiplied, RGBA8888, RGB888, XRGB8888, RGB565, Indexed8, Indexed2}
}

var formatNames = [...]string{
	RGBA8888Premultiplied: "RGBA8888 premultiplied",
	RGBA8888:              "RGBA8888 straight",
	RGB888:                "RGB888",
	XRGB8888:              "XRGB8888",
	RGB565:                "RGB565",
	Indexed8:              "INDEXED8",
	Indexed2:              "INDEXED2",
}

// String returns the format's name as the ABI documentation spells it, or
// "format(N)" for an unknown value.
func (f Format) String() string {
	if f.Valid() {
		return formatNames[f]
	}
	return "format(" + strconv.FormatUint(uint64(f), 10) + ")"
}

// Valid reports whether f is one of the defined formats.
func (f Format) Valid() bool {
	return f >= RGBA8888Premultiplied && f <= Indexed2
}

// RowBytes returns the size in bytes of one packed row of width pixels.
func (f Format) RowBytes(width int) int {
	switch f {
	case RGBA8888Premultiplied, RGBA8888, XRGB8888:
		return width * 4
	case RGB888:
		return width * 3
	case RGB565:
		return width * 2
	case Indexed8:
		return width
	case Indexed2:
		return (width + 3) / 4
	}
	return 0
}

// PaletteEntries returns the number of 4-byte palette entries the format
// reads: 256 for Indexed8, 4 for Indexed2, 0 for direct-colour formats.
func (f Format) PaletteEntries() int {
	switch f {
	case Indexed8:
		return 256
	case Indexed2:
		return 4
	}
	return 0
}

// HasAlpha reports whether the format carries an alpha channel; all others
// are opaque.
func (f Format) HasAlpha() bool {
	return f == RGBA8888Premultiplied || f == RGBA8888
}
