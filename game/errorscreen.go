package game

import (
	"strings"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/safetext"

	"github.com/hajimehoshi/ebiten/v2"
)

// errorScreen shows why a cart stopped: the cart's name, the error wrapped
// to the window, and what the player can do next. The text is drawn with
// the game's bitmap font (text.go) onto a small image scaled up by a whole factor, so
// it stays crisp and readable at any window size.
type errorScreen struct {
	hint  string // what the player can do, the last line
	name  string
	lines []string
	img   *ebiten.Image
	cols  int // the width the lines were wrapped to
}

func (e *errorScreen) set(name string, err error) {
	e.name = safetext.Clean(name)
	e.lines = strings.Split(strings.TrimSpace(err.Error()), "\n")
	for i, l := range e.lines {
		e.lines[i] = safetext.Clean(l)
	}
	e.cols = 0
}

func (e *errorScreen) draw(screen *ebiten.Image) {
	w, h, scale, ok := textScreen(screen)
	if !ok {
		return
	}
	cols := w/glyphW - 4
	var fresh bool
	if e.img, fresh = sizedImage(e.img, w, h); fresh || e.cols != cols {
		e.cols = cols
		e.render(w, h, cols)
	}
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(float64(scale), float64(scale))
	screen.DrawImage(e.img, &op)
}

func (e *errorScreen) render(w, h, cols int) {
	e.img.Fill(errorBackground)
	text := []string{"THE CART STOPPED: " + e.name, ""}
	for _, l := range e.lines {
		text = append(text, wrap(strings.ReplaceAll(l, "\t", "  "), cols)...)
	}
	text = append(text, "", e.hint)
	maxLines := h/glyphH - 2
	if len(text) > maxLines {
		text = append(text[:maxLines-2], "...", text[len(text)-1])
	}
	drawText(e.img, strings.Join(text, "\n"), 2*glyphW, glyphH/2)
}

// wrap breaks s into lines of at most cols characters, at spaces where it
// can.
func wrap(s string, cols int) []string {
	if cols < 8 {
		cols = 8
	}
	var out []string
	for len(s) > cols {
		cut := strings.LastIndexByte(s[:cols+1], ' ')
		if cut < cols/2 {
			cut = cols
		}
		out = append(out, s[:cut])
		s = strings.TrimLeft(s[cut:], " ")
	}
	return append(out, s)
}

// Describe is how the game reports a cart's error on one line: the cart's
// name, the message, and the engine it ran on, all safe to print.
func Describe(name string, err error) string {
	first, rest, more := strings.Cut(err.Error(), "\n")
	s := safetext.Clean(name) + ": " + safetext.Clean(first)
	if e := cart.EngineOf(err); e != "" {
		s += " [" + e + " engine]"
	}
	if more {
		s += "\n" + cleanLines(rest)
	}
	return s
}

// cleanLines cleans each line of s, keeping the line breaks.
func cleanLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safetext.Clean(l)
	}
	return strings.Join(lines, "\n")
}
