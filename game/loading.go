package game

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/internal/safetext"
)

// loadingScreen is what the window shows while the first cart (or a
// restarted one) loads: its name, how long it has been loading, and how to
// leave. The text is drawn small and scaled up, as on the error screen.
type loadingScreen struct {
	img *ebiten.Image
}

// loadingQuiet is how long a load goes before the screen says so.
const loadingQuiet = 300 * time.Millisecond

// loadingStep is what the loading screen shows after d of loading: -1,
// the backdrop alone, for loadingQuiet; then the tenths of a second its
// clock shows.
func loadingStep(d time.Duration) int {
	if d < loadingQuiet {
		return -1
	}
	return int((d + 50*time.Millisecond) / (100 * time.Millisecond))
}

// drawLoading draws the loading screen for j.
func (g *Game) drawLoading(screen *ebiten.Image, j *loadJob) {
	w, h, scale, ok := textScreen(screen)
	if !ok {
		return
	}
	v := &g.loadView
	v.img, _ = sizedImage(v.img, w, h)
	v.img.Fill(backdrop)
	if time.Since(j.began) < loadingQuiet {
		screen.Fill(backdrop) // most carts load sooner: no text to flash
		return
	}
	lines := wrap(safetext.Clean(loadingText(j)), w/glyphW-4)
	if !g.opts.NoQuitKey {
		lines = append(lines, "", "Esc: quit")
	}
	y := (h - glyphH*len(lines)) / 2
	for _, l := range lines {
		drawText(v.img, l, max(glyphW, (w-textWidth(l))/2), y)
		y += glyphH
	}
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(float64(scale), float64(scale))
	screen.DrawImage(v.img, &op)
}
