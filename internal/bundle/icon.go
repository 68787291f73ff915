//go:build !js

package bundle

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"

	"github.com/ebicart/ebicart/internal/fileread"
)

// icons is the game's icon at any size: its picture scaled to fit a square,
// centred on a transparent background.
type icons struct {
	src image.Image
}

// maxIconSide bounds an -icon picture's width and height.
const maxIconSide = 4096

// makeIcon is the game's icon: the PNG at path, or else the cart's frame
// after its first update.
func makeIcon(path string, frame *image.RGBA) (*icons, error) {
	if path == "" {
		return &icons{src: frame}, nil
	}
	b, err := fileread.Read(path, 16<<20)
	if err != nil {
		return nil, fmt.Errorf("bundle: -icon: %w", err)
	}
	// A PNG's header may claim any size: a small file can ask for
	// gigabytes once decoded. An icon is shown at 512x512 at most.
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err == nil && (cfg.Width > maxIconSide || cfg.Height > maxIconSide) {
		return nil, fmt.Errorf("bundle: -icon %s is %dx%d: want at most %dx%d", path, cfg.Width, cfg.Height, maxIconSide, maxIconSide)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("bundle: -icon %s: %v (want a PNG)", path, err)
	}
	if b := img.Bounds(); b.Dx() < 1 || b.Dy() < 1 {
		return nil, fmt.Errorf("bundle: -icon %s is empty", path)
	}
	return &icons{src: img}, nil
}

// at returns the icon at size x size: the picture scaled to fit, by a
// whole factor when it is smaller (pixel art stays crisp), by nearest
// neighbour when larger, and centred.
func (ic *icons) at(size int) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	b := ic.src.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := min(float64(size)/float64(w), float64(size)/float64(h))
	if scale >= 1 {
		scale = float64(int(scale))
	}
	dw, dh := max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))
	ox, oy := (size-dw)/2, (size-dh)/2
	for y := range dh {
		sy := b.Min.Y + min(h-1, int(float64(y)/scale))
		for x := range dw {
			sx := b.Min.X + min(w-1, int(float64(x)/scale))
			dst.Set(ox+x, oy+y, ic.src.At(sx, sy))
		}
	}
	return dst
}

// encodePNG encodes img as a PNG.
func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, img) // a bytes.Buffer does not fail
	return buf.Bytes()
}

// icoImage is one image of a Windows icon: a PNG for 256 pixels, else a
// 32-bit DIB (what every version of Windows reads), whose height counts
// its colour rows and its 1-bit mask rows, bottom row first.
func icoImage(img *image.NRGBA) []byte {
	size := img.Bounds().Dx()
	if size >= 256 {
		return encodePNG(img)
	}
	var b bytes.Buffer
	maskStride := (size + 31) / 32 * 4
	hdr := struct {
		Size                        uint32
		Width, Height               int32
		Planes, BitCount            uint16
		Compression, SizeImage      uint32
		XPels, YPels, Used, Current int32
	}{40, int32(size), int32(2 * size), 1, 32, 0, uint32(size*size*4 + maskStride*size), 0, 0, 0, 0}
	binary.Write(&b, binary.LittleEndian, hdr)
	for y := size - 1; y >= 0; y-- {
		for x := range size {
			c := img.NRGBAAt(x, y)
			b.Write([]byte{c.B, c.G, c.R, c.A})
		}
	}
	for y := size - 1; y >= 0; y-- {
		row := make([]byte, maskStride)
		for x := range size {
			if img.NRGBAAt(x, y).A == 0 {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		b.Write(row)
	}
	return b.Bytes()
}

// icoSizes are the sizes of the Windows icon: the taskbar, the title bar,
// Explorer's views.
var icoSizes = []int{16, 32, 48, 256}

// icns is a macOS icon file: PNG images of 256, 512 and 1024 pixels
// (types ic08, ic09, ic10), which macOS 10.7 and later read and scale
// down for smaller sizes.
func icns(ic *icons) []byte {
	var body bytes.Buffer
	for _, e := range []struct {
		typ  string
		size int
	}{{"ic08", 256}, {"ic09", 512}, {"ic10", 1024}} {
		data := encodePNG(ic.at(e.size))
		body.WriteString(e.typ)
		binary.Write(&body, binary.BigEndian, uint32(8+len(data)))
		body.Write(data)
	}
	var out bytes.Buffer
	out.WriteString("icns")
	binary.Write(&out, binary.BigEndian, uint32(8+body.Len()))
	out.Write(body.Bytes())
	return out.Bytes()
}
