// Command noop is the floor of the platform for make bench-frame: an
// Ebitengine game that does nothing but present, with the window size of
// the cart it stands beside.
//
//	-mode free  Ebitengine's defaults: the screen cleared and drawn on
//	            every frame
//	-mode once  as ebicart: the screen kept between frames, and drawn once
//	            per update (Ebitengine skips presenting an untouched one)
//	-mode none  the same, drawing nothing after the first frame
//
// Built for the browser (GOOS=js), it is the no-op page make bench-web
// measures the browser's host against (web.BuildNoop): it runs until the
// page closes and reports to the page (report_js.go). There its query may
// add the least work a frame of a cart's needs, with no cart and no core
// (floor_js.go): ?floor=upload&w=160&h=160 writes a new w x h frame to an
// image and draws it each update, ?floor=worker also fetches that frame
// from a Web Worker first, a round trip per update.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"image/color"
	"os"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

type game struct {
	mode          string
	frames, ticks int
	draws         int
	drawn         bool
	drawnTick     int
	first         time.Time
	floor         floor
}

func (g *game) Update() error {
	g.ticks++
	g.floor.update()
	if g.frames > 0 && g.ticks >= g.frames {
		return ebiten.Termination
	}
	return nil
}

func (g *game) Draw(screen *ebiten.Image) {
	if g.drawn && (g.mode == "none" || g.mode == "once" && g.drawnTick == g.ticks) {
		return
	}
	g.drawnTick = g.ticks
	g.drawn = true
	g.draws++
	screen.Fill(color.RGBA{uint8(g.ticks), 40, 80, 255})
	g.floor.draw(screen)
	if g.first.IsZero() {
		g.first = time.Now()
		firstFrame()
	}
}

func (g *game) Layout(w, h int) (int, int) { return w, h }

func main() {
	w := flag.Int("w", 640, "window width")
	h := flag.Int("h", 640, "window height")
	frames := flag.Int("frames", defaultFrames, "updates to run (0: until closed)")
	mode := flag.String("mode", "once", "free, once or none")
	flag.Parse()
	g := &game{mode: *mode, frames: *frames}
	report(g)
	ebiten.SetWindowSize(*w, *h)
	ebiten.SetWindowTitle("noop")
	if *mode != "free" {
		ebiten.SetScreenClearedEveryFrame(false)
	}
	if err := ebiten.RunGame(g); err != nil && err != ebiten.Termination {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	line, _ := json.Marshal(map[string]any{"ticks": g.ticks, "updates": g.ticks, "draws": g.draws, "first_frame_unix_ns": g.first.UnixNano()})
	fmt.Fprintf(os.Stderr, "ebicart-stats %s\n", line)
}
