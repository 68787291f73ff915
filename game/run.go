package game

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/safetext"
	"github.com/ebicart/ebicart/internal/webgl"
)

// Options are the settings of a run, from the command line.
type Options struct {
	// Scale is the initial window scale; 0 picks the largest whole scale
	// that keeps the window within 960x720, and a window at least 256
	// pixels on each side.
	Scale int
	// Fullscreen starts in fullscreen mode.
	Fullscreen bool
	// Frames stops the run after this many ticks (0: run until closed).
	Frames int
	// Screenshot, when set, is where the cart's last frame is written as a
	// PNG when a run limited by Frames ends.
	Screenshot string
	// NoQuitKey keeps Esc from ending the game (the browser has no window
	// to close).
	NoQuitKey bool
	// NoInput leaves the cart's input alone (tests drive it with
	// SetInput); by default the game passes the window's input on.
	NoInput bool
	// OnError, when set, is told every cart error: a trap, an invalid
	// frame, a cart that fails to load. Without it the game prints each
	// on standard error; with it, reporting is OnError's.
	OnError func(cart string, err error)
	// OnStart, when set, is told each time a cart starts running.
	OnStart func(cart string)
	// OnFirstFrame, when set, is told once, at the end of the Draw that
	// first drew a cart's frame (the page starts its service worker after
	// it).
	OnFirstFrame func()
	// CaptureDir is where F12 screenshots and F9 GIFs go (default: the
	// user's pictures directory; in the browser they download).
	CaptureDir string
	// Loader, when set, loads dropped .wasm files (and watched ones):
	// it makes a Loader for a cart's bytes and name.
	Loader func(wasm []byte, name string) Loader
	// MaxCartSize caps the size of a cart file dropped or watched
	// (default cart.DefaultMaxCartSize).
	MaxCartSize int64
	// States keeps each cart's quick slot (F5 saves it, F8 loads it);
	// nil: the keys say there is no place for states.
	States cart.SaveStore
	// Title, when set, is the window's title for every cart (a bundled
	// game's name); by default it is the cart's name and " - ebicart".
	Title string
	// NoDevKeys leaves only the player's keys: the author's (P, period,
	// comma, F3, F9, F12) do nothing. A bundled game sets it.
	NoDevKeys bool
	// FitFrame, when set, is told the size of the cart's frame, in
	// screen pixels, while a cart plays with nothing beside or over the
	// frame, and 0, 0 when something needs the window (the touch
	// controls, a notice, the F3 overlay, the not-responding prompt, the
	// error screen): each time it changes (a loading screen changes
	// nothing). A page sizes its canvas to a whole
	// multiple of the frame while it may (player.js, fit), so that a GL
	// drawing in software fills the frame's pixels each frame and not the
	// window's.
	FitFrame func(w, h int)
	// Context, when set, closes the window when it is done (a signal):
	// the run ends as when Esc is pressed, and a run limited by Frames
	// writes its Screenshot.
	Context context.Context
}

// TPS is the number of cart updates per second.
const TPS = 60

// backdrop is the colour around the frame; backdropColor is the same as a
// color.Color, made once rather than on every frame.
var (
	backdrop                    = color.RGBA{0x10, 0x10, 0x14, 0xff}
	backdropColor   color.Color = backdrop
	errorBackground             = color.RGBA{0x40, 0x10, 0x18, 0xff}
)

// Run opens a window and runs the cart until the window is closed, Esc is
// pressed, or opts.Frames ticks have passed. It returns the cart's error if
// a Frames-limited run ends with the cart failed.
func Run(load Loader, name string, opts Options) error {
	return RunGame(New(load, name, opts))
}

// RunGame runs g in a window, as Run does; the caller keeps g to Swap carts
// while it runs.
func RunGame(g *Game) error {
	opts := g.opts
	ebiten.SetWindowTitle(g.title(g.name))
	// The monitor is asked here, on the main thread before RunGame, as
	// Ebitengine wants it; a window sized later fits the same screen.
	if m := ebiten.Monitor(); m != nil {
		g.screen.X, g.screen.Y = m.Size()
	}
	ebiten.SetWindowSize(g.windowSize())
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetFullscreen(opts.Fullscreen)
	ebiten.SetTPS(tps)
	ebiten.SetScreenClearedEveryFrame(false)
	webgl.NoGPUWait()
	err := ebiten.RunGame(g)
	if errors.Is(err, ebiten.Termination) {
		return nil
	}
	return err
}

// title is the window's title while the cart name runs.
func (g *Game) title(name string) string {
	if g.opts.Title != "" {
		return safetext.Clean(g.opts.Title)
	}
	return safetext.Clean(name) + " - ebicart"
}

// windowSize is the window for the cart's frame at the chosen scale; while
// the cart is still loading (NewAsync), that of a 320x180 frame. It fits
// the screen RunGame found.
func (g *Game) windowSize() (int, int) {
	w, h := g.FrameSize()
	if w == 0 {
		w, h = 320, 180
	}
	return windowFor(w, h, g.opts.Scale, g.screen)
}

// minWindow is the least a window picked for a cart measures on each side:
// a tiny frame, even at the largest whole scale that fits 960x720, would
// otherwise make a window too small to find or to grab.
const minWindow = 256

// maxWindow is the most a scale asked for makes a window measure on a
// side: more than any screen, and a screen image larger than Ebitengine's
// largest (16384 pixels a side, 8192 at twice the device scale) panics.
const maxWindow = 4096

// windowFor is the window for a w x h frame at scale; scale 0 picks the
// largest whole scale that fits 960x720 and makes each side at least
// minWindow (the frame is then centred in it). A scale asked for is taken
// as it is where the window fits screen (the monitor's size, when known)
// and maxWindow, else the largest that does (at least 1).
func windowFor(w, h, scale int, screen image.Point) (int, int) {
	if scale > 0 {
		fitW, fitH := maxWindow, maxWindow
		if screen.X > 0 && screen.Y > 0 {
			fitW, fitH = min(fitW, screen.X), min(fitH, screen.Y)
		}
		scale = max(1, min(scale, fitW/w, fitH/h))
		return w * scale, h * scale
	}
	scale = max(1, min(960/w, 720/h))
	return max(w*scale, minWindow), max(h*scale, minWindow)
}

// Headless are the settings of RunHeadless.
type Headless struct {
	// Frames stops after this many updates (0: see Until).
	Frames int
	// Until, when Frames is 0, stops once the cart has run this many
	// updates in all (a replay's length; a state loaded counts its own);
	// with neither, the run goes on until the cart fails.
	Until int
	// Screenshot is where the last frame goes as a PNG, if set; when the
	// cart fails, the frame as its memory held it then.
	Screenshot string
	// OnEnd, when set, sees the cart before it closes (for -stats, a
	// recording, a state), whatever the outcome.
	OnEnd func(*cart.Cart)
	// Context, when set, ends the run early when it is done (Ctrl-C):
	// a load under way is given up; a running cart stops between two
	// updates, the screenshot is written and OnEnd called as at a normal
	// end, and RunHeadless returns ErrInterrupted.
	Context context.Context
}

// ErrInterrupted is RunHeadless's error when its Context ended the run.
var ErrInterrupted = errors.New("game: interrupted")

// RunHeadless runs the cart with no window or GPU, its updates back to back
// with no pacing and no input but a replay's, as h says. It then writes
// the screenshot, if asked for, and returns the cart's error.
func RunHeadless(load Loader, h Headless) error {
	ctx := h.Context
	if ctx == nil {
		ctx = context.Background()
	}
	c, err := load(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		return err
	}
	defer c.Close()
	if h.OnEnd != nil {
		defer h.OnEnd(c)
	}
	var runErr error // the cart's, or ErrInterrupted
	for i := 0; ; i++ {
		if h.Frames > 0 && i >= h.Frames || h.Frames == 0 && h.Until > 0 && c.Frames() >= h.Until {
			break
		}
		if ctx.Err() != nil {
			runErr = ErrInterrupted
			break
		}
		if runErr = c.Update(); runErr != nil {
			break // the screenshot is the frame as the cart left it
		}
	}
	if h.Screenshot != "" {
		if err := writeScreenshot(c, h.Screenshot); err != nil {
			if runErr != nil && !errors.Is(runErr, ErrInterrupted) {
				return errors.Join(runErr, fmt.Errorf("no screenshot: %w", err))
			}
			return err
		}
	}
	return runErr
}
