package game

import (
	"image"
	"image/color"
	"sync"

	"github.com/hajimehoshi/ebiten/v2"
	"golang.org/x/image/font/basicfont"
)

// The game's text (the error screen, prompts, notices, the overlay) is
// drawn in a 7x13 bitmap font of printable ASCII, golang.org/x/image's
// basicfont (the X11 misc-fixed glyphs). It replaces Ebitengine's debug
// print, whose package also links net/http, and with it crypto and TLS:
// 2 MB of the browser build for a font.
const (
	glyphW = 7  // advance
	glyphH = 14 // line height: 13 and a pixel between lines
)

// glyphs holds the font's glyphs as sub-images of one texture, made once:
// drawing text then allocates nothing.
var glyphs = sync.OnceValue(func() []*ebiten.Image {
	f := basicfont.Face7x13
	atlas := imageOf(f.Mask) // white, with the glyph as alpha
	h := f.Ascent + f.Descent
	out := make([]*ebiten.Image, f.Mask.Bounds().Dy()/h)
	for i := range out {
		out[i] = atlas.SubImage(image.Rect(0, i*h, f.Width, (i+1)*h)).(*ebiten.Image)
	}
	return out
})

// glyphIndex is the glyph of r in glyphs: printable ASCII, '?' for
// everything else (safetext has already made text printable).
func glyphIndex(r rune) int {
	if r < 0x20 || r > 0x7e {
		r = '?'
	}
	return int(r - 0x20)
}

// drawText draws s onto dst with its top-left corner at (x, y), a line per
// '\n', in white.
func drawText(dst *ebiten.Image, s string, x, y int) {
	drawTextScaled(dst, s, float64(x), float64(y), 1, nil)
}

// drawTextScaled draws s like drawText, its glyphs scale times their size,
// tinted by c (nil: white).
func drawTextScaled(dst *ebiten.Image, s string, x, y, scale float64, c color.Color) {
	g := glyphs()
	var op ebiten.DrawImageOptions
	if c != nil {
		op.ColorScale.ScaleWithColor(c)
	}
	put := func(r rune, cx, cy float64) {
		op.GeoM.Reset()
		op.GeoM.Scale(scale, scale)
		op.GeoM.Translate(cx, cy)
		dst.DrawImage(g[glyphIndex(r)], &op)
	}
	cx, cy := x, y
	for _, r := range s {
		switch r {
		case '\n':
			cx, cy = x, cy+glyphH*scale
			continue
		case '…': // the few non-ASCII marks the game's own text uses
			for range 3 {
				put('.', cx, cy)
				cx += glyphW * scale
			}
			continue
		case '—':
			r = '-'
		}
		if r != ' ' {
			put(r, cx, cy)
		}
		cx += glyphW * scale
	}
}

// textWidth is the width of the longest line of s in pixels.
func textWidth(s string) int {
	w, n := 0, 0
	for _, r := range s {
		switch r {
		case '\n':
			n = 0
			continue
		case '…':
			n += 2
		}
		n++
		w = max(w, n)
	}
	return w * glyphW
}

// textScreen is the size, in the font's pixels, of a full-screen text
// view of screen, and the scale it is drawn at (uiScale: the display's
// pixel density, doubled on screens 800 of its points wide or more). It
// is not ok where the screen cannot hold 10 columns and 3 rows.
func textScreen(screen *ebiten.Image) (w, h, scale int, ok bool) {
	return textScreenOf(screen.Bounds().Dx(), screen.Bounds().Dy())
}

// textScreenOf is textScreen of a sw x sh screen.
func textScreenOf(sw, sh int) (w, h, scale int, ok bool) {
	scale = uiScale(sw, sh, glyphW*10, glyphH*3)
	w, h = sw/scale, sh/scale
	return w, h, scale, w >= glyphW*10 && h >= glyphH*3
}

// sizedImage returns img if it is w x h, else a new w x h image in its
// place (fresh), img deallocated.
func sizedImage(img *ebiten.Image, w, h int) (_ *ebiten.Image, fresh bool) {
	if img != nil && img.Bounds().Dx() == w && img.Bounds().Dy() == h {
		return img, false
	}
	if img != nil {
		img.Deallocate()
	}
	return ebiten.NewImage(w, h), true
}
