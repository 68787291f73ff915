//go:build !js

package game

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"sort"

	"github.com/ebicart/ebicart/internal/bytesize"
)

// GIF recording: every second tick's frame (30 frames a second, GIF
// delays being whole hundredths), at most maxRecordFrames, then encoded
// with a palette made from the recorded frames' own colours.

// recordingKind names what F9 records here, recordingExt ends its file's
// name.
const (
	recordingKind = "a GIF"
	recordingExt  = ".gif"
)

// maxRecordBytes bounds the frames a GIF recording keeps until it is
// encoded: 600 frames of a 1920x1080 cart would be 5 GB.
const maxRecordBytes = 256 << 20

type gifRecorder struct {
	imgs  []*image.RGBA
	bytes int
}

func newRecorder() recorder { return &gifRecorder{} }

// save encodes the GIF and saves it at base.gif.
func (r *gifRecorder) save(base string) (string, error) {
	data, err := r.encode()
	if err != nil {
		return "", err
	}
	return saveFile(base+recordingExt, data, "image/gif")
}

func (r *gifRecorder) frames() int { return len(r.imgs) }

func (r *gifRecorder) add(img *image.RGBA) string {
	r.imgs = append(r.imgs, img)
	r.bytes += len(img.Pix)
	switch {
	case len(r.imgs) >= maxRecordFrames:
		return fmt.Sprintf("at most %d s", maxRecordFrames/recordFPS)
	case r.bytes >= maxRecordBytes:
		return fmt.Sprintf("at most %s of frames", bytesize.Text(maxRecordBytes))
	}
	return ""
}

// encode builds the GIF: a palette of the (at most 256) most common colours
// of all frames, each frame mapped to its nearest palette colour.
func (r *gifRecorder) encode() ([]byte, error) {
	pal := gifPalette(r.imgs)
	out := &gif.GIF{}
	nearest := map[color.RGBA]uint8{}
	for _, img := range r.imgs {
		b := img.Bounds()
		p := image.NewPaletted(b, pal)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := opaque(img.RGBAAt(x, y))
				i, ok := nearest[c]
				if !ok {
					i = uint8(pal.Index(c))
					nearest[c] = i
				}
				p.Pix[p.PixOffset(x, y)] = i
			}
		}
		out.Image = append(out.Image, p)
		out.Delay = append(out.Delay, 100/recordFPS)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// opaque flattens a premultiplied colour onto black, as GIF has no alpha.
func opaque(c color.RGBA) color.RGBA { return color.RGBA{c.R, c.G, c.B, 255} }

// gifPalette returns the most frequent colours of the frames, at most 256.
func gifPalette(imgs []*image.RGBA) color.Palette {
	counts := map[color.RGBA]int{}
	for _, img := range imgs {
		for i := 0; i+3 < len(img.Pix); i += 4 {
			counts[color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}]++
		}
	}
	type entry struct {
		c color.RGBA
		n int
	}
	all := make([]entry, 0, len(counts))
	for c, n := range counts {
		all = append(all, entry{c, n})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		a, b := all[i].c, all[j].c
		return uint32(a.R)<<16|uint32(a.G)<<8|uint32(a.B) < uint32(b.R)<<16|uint32(b.G)<<8|uint32(b.B)
	})
	pal := color.Palette{}
	for _, e := range all[:min(256, len(all))] {
		pal = append(pal, e.c)
	}
	if len(pal) == 0 {
		pal = append(pal, color.RGBA{0, 0, 0, 255})
	}
	return pal
}

// scaleNearest enlarges img by a whole factor, pixels as squares.
func scaleNearest(img *image.RGBA, k int) image.Image {
	if k <= 1 {
		return img
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := 0; y < out.Rect.Dy(); y++ {
		src := img.Pix[(y/k)*img.Stride:]
		dst := out.Pix[y*out.Stride:]
		for x := 0; x < out.Rect.Dx(); x++ {
			copy(dst[4*x:4*x+4], src[4*(x/k):4*(x/k)+4])
		}
	}
	return out
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

// screenshotScales are the scales of F12's files (screenshotExts).
var screenshotScales = []int{1, 4}

// saveScreenshot saves the frame at base.png, and 4x at base-x4.png.
func saveScreenshot(img *image.RGBA, base string) ([]string, error) {
	var saved []string
	for i, ext := range screenshotExts {
		data, err := encodePNG(scaleNearest(img, screenshotScales[i]))
		if err != nil {
			return saved, err
		}
		where, err := saveFile(base+ext, data, "image/png")
		if err != nil {
			return saved, err
		}
		saved = append(saved, where)
	}
	return saved, nil
}
