//go:build !js

package game

import (
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"golang.org/x/image/font/basicfont"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestNoticeWraps: a notice longer than the window is wide, such as the
// error of a watched cart that did not load, wraps onto more lines rather
// than running off the window's edge.
func TestNoticeWraps(t *testing.T) {
	wasm, _ := os.ReadFile(testcarts.SeedPath())
	g := New(bytesLoader(t)(wasm, "seed"), "seed", Options{})
	below := func(msg string) [4]uint8 {
		g.setNotice(msg, true)
		s := run(t, g, 2, nil)
		c := s.At(testW/2, 3*glyphH) // on the third line of text, if there is one
		return [4]uint8{c.R, c.G, c.B, c.A}
	}
	short := below("short")
	long := below("mycart did not load; still running mycart: " + strings.Repeat("guest: a long error message ", 12))
	if short == long {
		t.Fatalf("the pixel on the notice's third line is %v with a short notice and a long one: the long one did not wrap", short)
	}
	for _, tc := range []struct {
		in   string
		cols int
		want []string
	}{
		{"aaa bbb ccc", 7, []string{"aaa bbb", "ccc"}},
		{"aaaaaaaaaaaa", 8, []string{"aaaaaaaa", "aaaa"}},
		// A character is a glyph, whatever its bytes: none is split.
		{"ゲーム_café ゲーム_café", 10, []string{"ゲーム_café", "ゲーム_café"}},
		{"éééééééééé", 8, []string{"éééééééé", "éé"}},
	} {
		if got := wrap(tc.in, tc.cols); !slices.Equal(got, tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.cols, got, tc.want)
		}
	}
}

// TestErrorScreenText: the error screen's lines fit its width, the title
// and what the player can do wrapped too, and what the player can do
// stays on the screen however long the error is.
func TestErrorScreenText(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("guest: a long error message\n", 40))
	tests := []struct {
		name           string
		err            error
		maxLines, cols int
		want           []string // the lines the text must hold, in order
		last           string
	}{
		{"a trap", errors.New("update trapped: unreachable"), 30, 50,
			[]string{"THE CART STOPPED: mycart", "", "update trapped: unreachable", ""}, "R: restart the cart    or open another cart"},
		{"settings, narrow", &SettingsError{Err: errors.New(`URL parameters: -palette: "bogus"`), Fix: "fix the URL and reload the page"}, 30, 24,
			[]string{"WRONG SETTINGS FOR", "mycart", "", "URL parameters:", `-palette: "bogus"`, "", "fix the URL and reload", "the page    or open", "another cart"}, "another cart"},
		{"a long error", errors.New(long), 10, 40,
			[]string{"THE CART STOPPED: mycart", "", "guest: a long error message", "...", "R: restart the cart    or open another"}, "cart"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := errorScreen{hint: "or open another cart"}
			e.set("mycart", tc.err)
			got := e.text(tc.maxLines, tc.cols)
			if len(got) > tc.maxLines || got[len(got)-1] != tc.last {
				t.Fatalf("%d lines, the last %q; want at most %d, the last %q:\n%s", len(got), got[len(got)-1], tc.maxLines, tc.last, strings.Join(got, "\n"))
			}
			i := 0
			for _, l := range got {
				if len(l) > tc.cols {
					t.Fatalf("line %q is wider than %d", l, tc.cols)
				}
				if i < len(tc.want) && l == tc.want[i] {
					i++
				}
			}
			if i < len(tc.want) {
				t.Fatalf("missing %q in:\n%s", tc.want[i], strings.Join(got, "\n"))
			}
		})
	}
}

// TestTextScale: the game's text (the error screen, the loading screen,
// notices) is drawn at the display's pixel density, doubled where the
// screen is 800 of its points wide: on a phone at 3 device pixels a
// point, a line of text is 14 points tall, not 14 device pixels.
func TestTextScale(t *testing.T) {
	defer layoutScale.Store(layoutScale.Load())
	for _, tc := range []struct {
		name      string
		dpr       float64
		sw, sh    int
		wantScale int
	}{
		{"window", 1, 640, 480, 1},
		{"wide window", 1, 1280, 720, 2},
		{"phone upright", 3, 1170, 2532, 3},
		{"phone sideways", 3, 2532, 1170, 6},
		{"laptop at 2x", 2, 2560, 1600, 4},
		{"too small for the scale", 3, 100, 60, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			layoutScale.Store(math.Float64bits(tc.dpr))
			_, _, scale, _ := textScreenOf(tc.sw, tc.sh)
			if scale != tc.wantScale {
				t.Fatalf("text on a %dx%d screen at %gx is drawn at %d, want %d", tc.sw, tc.sh, tc.dpr, scale, tc.wantScale)
			}
		})
	}
}

// shapesPainter draws a glyph and the disc onto black.
type shapesPainter struct{ glyph string }

func (shapesPainter) Update() error { return nil }
func (p shapesPainter) Draw(screen *ebiten.Image) {
	screen.Fill(color.Black)
	drawText(screen, p.glyph, 10, 10)
	var op ebiten.DrawImageOptions
	op.GeoM.Translate(40, 40)
	screen.DrawImage(disc(), &op)
}

// TestGlyphsAndDisc checks the textures made from images (imageOf): each
// glyph's pixels on screen are the font's, and the disc is white inside
// and clear outside.
func TestGlyphsAndDisc(t *testing.T) {
	f := basicfont.Face7x13
	for _, r := range "#@g" {
		t.Run(string(r), func(t *testing.T) {
			s := ebitest.Run(t, shapesPainter{string(r)}, 2, nil)
			top := int(r-f.Ranges[0].Low) * (f.Ascent + f.Descent)
			for y := range f.Ascent + f.Descent {
				for x := range f.Width {
					_, _, _, a := f.Mask.At(x, top+y).RGBA()
					want := uint8(a >> 8)
					if got := s.At(10+x, 10+y); got.R != want || got.G != want || got.B != want {
						t.Fatalf("glyph %q at (%d, %d): screen %v, want grey %d from the font", r, x, y, got, want)
					}
				}
			}
			for _, c := range []struct {
				x, y int
				want uint8
			}{{40 + discRadius, 40 + discRadius, 0xff}, {41, 41, 0}, {40 + discRadius, 40 + 2*discRadius - 3, 0xff}} {
				if got := s.At(c.x, c.y); got.R != c.want {
					t.Errorf("disc at (%d, %d): screen %v, want grey %d", c.x-40, c.y-40, got, c.want)
				}
			}
		})
	}
}

// TestPlaceNotes: the notice and the marks go beside the frame where a
// band of the area holds them, at the largest text scale that fits, and
// over the top of the screen only where none does.
func TestPlaceNotes(t *testing.T) {
	screen := image.Rect(0, 0, 1280, 720)
	long := "mycart did not load; still running other: " + strings.Repeat("guest: a long error message ", 12)
	for _, tc := range []struct {
		name          string
		area, frame   image.Rectangle
		scale         int
		notice, marks string
		wantBand      image.Rectangle
		wantScale     int
		wantBeside    bool
	}{
		{"room above", screen, image.Rect(320, 40, 960, 680), 2, "seed loaded", "", image.Rect(0, 0, 1280, 40), 2, true},
		{"notice and marks above, smaller", screen, image.Rect(320, 40, 960, 680), 2, "seed loaded", "PAUSED", image.Rect(0, 0, 1280, 40), 1, true},
		{"too long for above: left", screen, image.Rect(320, 40, 960, 680), 2, long, "", image.Rect(0, 0, 320, 720), 2, true},
		{"the frame fills the window", screen, screen, 2, "seed loaded", "", screen, 2, false},
		{"no frame (error screen)", screen, image.Rectangle{}, 2, "seed loaded", "", screen, 2, false},
		// The touch controls take the screen's lower part: the notice goes
		// above the frame, not over them.
		{"touch controls", image.Rect(0, 0, 390, 500), image.Rect(0, 60, 390, 450), 3, "seed loaded", "", image.Rect(0, 0, 390, 60), 3, true},
		{"touch controls, no room", image.Rect(0, 0, 390, 390), image.Rect(0, 0, 390, 390), 3, "seed loaded", "", image.Rect(0, 0, 1280, 720), 3, false},
		// A frame past the area's edge (scaled down, off centre) leaves no
		// band there: not one over the frame.
		{"frame past the area's top", screen, image.Rect(0, -40, 1280, 700), 2, "seed loaded", "", image.Rect(0, 700, 1280, 720), 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := placeNotes(screen, tc.area, tc.frame, tc.scale, tc.notice, tc.marks)
			if p.band != tc.wantBand || p.scale != tc.wantScale || p.beside != tc.wantBeside {
				t.Fatalf("placed in %v at %dx (beside %t), want %v at %dx (beside %t)", p.band, p.scale, p.beside, tc.wantBand, tc.wantScale, tc.wantBeside)
			}
			h := 0
			for _, lines := range [][]string{p.notice, p.marks} {
				for _, l := range lines {
					if w := (len(l) + 2) * glyphW * p.scale; w > p.band.Dx() {
						t.Errorf("line %q is %d pixels wide, the band %d", l, w, p.band.Dx())
					}
				}
				if len(lines) > 0 {
					h += (len(lines)*glyphH + 4) * p.scale
				}
			}
			if p.beside && (h > p.band.Dy() || p.band.Overlaps(tc.frame)) {
				t.Errorf("%d pixels of text in %v, beside the frame %v", h, p.band, tc.frame)
			}
		})
	}
}

// TestNoticeBesideFrame: in a window with room beside the frame, a notice
// too long for the bands above and below it goes to the side, and leaves
// every pixel of the frame as it was.
func TestNoticeBesideFrame(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join(testcarts.Root(), "guest", "testdata", "w4_io.wasm")) // 160x160
	if err != nil {
		t.Fatal(err)
	}
	g := New(bytesLoader(t)(wasm, "w4_io"), "w4_io", Options{})
	run(t, g, 2, nil)
	g.dev.paused = true // the cart's frame stays as it is; PAUSED shows
	before := run(t, g, 1, nil)
	fr := g.FrameRect()
	if fr.Min.X < 15*glyphW || fr.Min.Y >= 2*glyphH+4 {
		t.Fatalf("the frame is at %v: want room beside it, and too little above it for two lines", fr)
	}
	g.setNotice("mycart did not load; still running w4_io: "+strings.Repeat("guest: a long error message ", 3), true)
	after := run(t, g, 1, nil)
	if a, b := before.At(fr.Min.X/2, 4), after.At(fr.Min.X/2, 4); a == b {
		t.Errorf("left of the frame: %v with the notice up and without: no notice there", b)
	}
	for y := fr.Min.Y; y < fr.Max.Y; y += 2 {
		for x := fr.Min.X; x < fr.Max.X; x += 2 {
			if a, b := before.At(x, y), after.At(x, y); a != b {
				t.Fatalf("the frame's pixel at (%d, %d) is %v with the notice up, %v without", x, y, b, a)
			}
		}
	}
}

// TestFinishBeforeAnyCart: a -frames run that ends before its first cart
// has loaded (a signal during the load) ends without a screenshot, and
// without a crash.
func TestFinishBeforeAnyCart(t *testing.T) {
	shot := filepath.Join(t.TempDir(), "shot.png")
	g := NewAsync(func(ctx context.Context) (*cart.Cart, error) { <-ctx.Done(); return nil, ctx.Err() }, "slow", Options{Frames: 5, Screenshot: shot})
	defer g.Close()
	if err := g.finish(); err != ebiten.Termination {
		t.Fatalf("finish: %v, want the window to close", err)
	}
	if _, err := os.Stat(shot); err == nil {
		t.Fatal("a screenshot was written with no cart")
	}
}
