package game

import (
	"cmp"
	"errors"
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
	hint     string // what else the player can do: the last line, after R's
	name     string
	settings bool   // the error is a *SettingsError
	fix      string // its Fix
	lines    []string
	img      *ebiten.Image
	cols     int  // the width the lines were wrapped to
	touch    bool // a touch screen: a tap restarts too
}

// SettingsError is an error in the settings a cart was to run with (a
// page's URL parameters), not in the cart. The error screen says so, with
// Fix, how to mend them; R, which would load the cart again with the same
// settings, does nothing.
type SettingsError struct {
	Err error
	Fix string // e.g. "fix the URL and reload the page"
}

func (e *SettingsError) Error() string { return e.Err.Error() }

// Unwrap returns the error in the settings.
func (e *SettingsError) Unwrap() error { return e.Err }

// isSettings reports whether err is a *SettingsError.
func isSettings(err error) bool {
	var se *SettingsError
	return errors.As(err, &se)
}

func (e *errorScreen) set(name string, err error) {
	e.name = safetext.Clean(name)
	e.fix = ""
	var se *SettingsError
	if e.settings = errors.As(err, &se); e.settings {
		e.fix = safetext.Clean(se.Fix)
	}
	e.lines = strings.Split(strings.TrimSpace(err.Error()), "\n")
	for i, l := range e.lines {
		e.lines[i] = safetext.Clean(l)
	}
	e.cols = 0
}

func (e *errorScreen) draw(screen *ebiten.Image, touch bool) {
	w, h, scale, ok := textScreen(screen)
	if !ok {
		return
	}
	cols := w/glyphW - 4
	var fresh bool
	if e.img, fresh = sizedImage(e.img, w, h); fresh || e.cols != cols || e.touch != touch {
		e.touch = touch
		e.cols = cols
		e.render(w, h, cols)
	}
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(float64(scale), float64(scale))
	screen.DrawImage(e.img, &op)
}

func (e *errorScreen) render(w, h, cols int) {
	e.img.Fill(errorBackground)
	drawText(e.img, strings.Join(e.text(h/glyphH-2, cols), "\n"), 2*glyphW, glyphH/2)
}

// text is the screen's lines, wrapped to cols, at most maxLines of them:
// the title, the error, and what the player can do, which stays whatever
// the error's length.
func (e *errorScreen) text(maxLines, cols int) []string {
	text := append(wrap(e.title(), cols), "")
	for _, l := range e.lines {
		text = append(text, wrap(strings.ReplaceAll(l, "\t", "  "), cols)...)
	}
	hint := wrap(e.hintLine(), cols)
	text = append(text, "")
	if len(text)+len(hint) > maxLines {
		text = append(text[:max(0, maxLines-len(hint)-1)], "...")
	}
	return append(text, hint...)
}

// title is the screen's first line.
func (e *errorScreen) title() string {
	if e.settings {
		return "WRONG SETTINGS FOR " + e.name
	}
	return "THE CART STOPPED: " + e.name
}

// hintLine is the screen's last line: what the player can do. R (or a
// tap) restarts a cart, not wrong settings.
func (e *errorScreen) hintLine() string {
	first := "R: restart the cart"
	if e.touch {
		first = "Tap or R: restart the cart"
	}
	if e.settings {
		first = cmp.Or(e.fix, "fix them and start again")
	}
	return first + "    " + e.hint
}

// wrap breaks s into lines of at most cols characters (runes: each is a
// glyph on the screen, and none is split), at spaces where it can.
func wrap(s string, cols int) []string {
	if cols < 8 {
		cols = 8
	}
	r := []rune(s)
	var out []string
	for len(r) > cols {
		cut := cols
		for i := cols; i >= cols/2; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, string(r[:cut]))
		for r = r[cut:]; len(r) > 0 && r[0] == ' '; r = r[1:] {
		}
	}
	return append(out, string(r))
}

// Describe is how the game reports a cart's error on one line: the cart's
// name, the message, what to do about wrong settings (as the error screen
// says it), and the engine it ran on, all safe to print.
func Describe(name string, err error) string {
	first, rest, more := strings.Cut(err.Error(), "\n")
	s := safetext.Clean(name) + ": " + safetext.Clean(first)
	if se, ok := errors.AsType[*SettingsError](err); ok && se.Fix != "" {
		s += ": " + safetext.Clean(se.Fix)
	}
	if e := cart.EngineOf(err); e != "" {
		s += " [" + e + " engine]"
	}
	if more {
		s += "\n" + safetext.CleanLines(rest)
	}
	return s
}
