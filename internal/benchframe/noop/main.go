// Command noop is the floor of the platform for make bench-frame: an
// Ebitengine game that does nothing but present, with the window size of
// the cart it stands beside.
//
//	-mode free  Ebitengine's defaults: Draw as often as the platform allows
//	-mode once  a 60 Hz ticker drives Update and one Draw per tick, as
//	            ebicart does (FPSModeVsyncOffMinimum), drawing every tick
//	-mode none  the same ticker, drawing nothing after the first frame
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
	first         time.Time
}

func (g *game) Update() error {
	g.ticks++
	if g.ticks >= g.frames {
		return ebiten.Termination
	}
	return nil
}

func (g *game) Draw(screen *ebiten.Image) {
	if g.mode == "none" && g.drawn {
		return
	}
	g.drawn = true
	g.draws++
	screen.Fill(color.RGBA{uint8(g.ticks), 40, 80, 255})
	if g.first.IsZero() {
		g.first = time.Now()
	}
}

func (g *game) Layout(w, h int) (int, int) { return w, h }

func main() {
	w := flag.Int("w", 640, "window width")
	h := flag.Int("h", 640, "window height")
	frames := flag.Int("frames", 600, "updates to run")
	mode := flag.String("mode", "once", "free, once or none")
	flag.Parse()
	g := &game{mode: *mode, frames: *frames}
	ebiten.SetWindowSize(*w, *h)
	ebiten.SetWindowTitle("noop")
	if *mode != "free" {
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
		ebiten.SetScreenClearedEveryFrame(false)
		go func() {
			for range time.Tick(time.Second / 60) {
				ebiten.ScheduleFrame()
			}
		}()
	}
	if err := ebiten.RunGame(g); err != nil && err != ebiten.Termination {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	line, _ := json.Marshal(map[string]any{"ticks": g.ticks, "updates": g.ticks, "draws": g.draws, "first_frame_unix_ns": g.first.UnixNano()})
	fmt.Fprintf(os.Stderr, "ebicart-stats %s\n", line)
}
