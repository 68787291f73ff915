package game

import (
	"fmt"
	"image"
	"math"
	"os"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/ebicart/ebicart/guest"
)

// Loader loads a fresh instance of the cart. The game calls it at start and
// again when the player restarts a failed cart.
type Loader func() (guest.Cart, error)

// Game is the ebiten.Game that runs one cart in a window.
type Game struct {
	load Loader
	name string
	opts Options

	cart guest.Cart
	err  error // the cart's error: the error screen shows it

	input   inputReader
	img     *ebiten.Image // the cart's frame, reused while its size holds
	dirty   bool          // the cart ran an update since the last upload
	hasPix  bool
	ticks   int
	errView errorScreen

	// Where the frame was drawn in the last Draw, in screen pixels, for
	// mapping the cursor back to framebuffer pixels.
	scale, offX, offY float64
	deviceScale       float64

	done error // set when the game should end: returned from Update

	stats hostStats

	mu      sync.Mutex
	pending *swap // a cart to switch to at the next tick
}

// swap is a request to replace the running cart.
type swap struct {
	load Loader
	name string
}

// New creates a game that runs the cart load returns. A load error does not
// fail New: the game starts on its error screen.
func New(load Loader, name string, opts Options) *Game {
	g := &Game{load: load, name: name, opts: opts, deviceScale: 1}
	g.errView.hint = "R: restart the cart    Esc: quit"
	if opts.NoQuitKey {
		g.errView.hint = "R: restart the cart    or open another cart"
	}
	g.restart()
	return g
}

func (g *Game) restart() {
	if g.cart != nil {
		g.cart.Close()
		g.cart = nil
	}
	g.err = nil
	g.hasPix = false
	c, err := g.load()
	if err != nil {
		g.fail(err)
		return
	}
	g.start(c)
}

// start makes c the running cart.
func (g *Game) start(c guest.Cart) {
	g.stats = hostStats{}
	g.cart = c
	g.err = nil
	g.dirty = true
	g.hasPix = false
	if g.opts.OnStart != nil {
		g.opts.OnStart(g.name)
	}
}

// fail stops the game on the error screen with err.
func (g *Game) fail(err error) {
	g.err = err
	g.errView.set(g.name, err)
	g.report(g.name, err)
}

func (g *Game) report(name string, err error) {
	fmt.Fprintf(os.Stderr, "ebicart: %s: %v\n", name, err)
	if g.opts.OnError != nil {
		g.opts.OnError(name, err)
	}
}

// Swap asks the game to run another cart from the next tick on. It may be
// called from any goroutine. When the new cart fails to load, a running
// cart keeps running and the error is reported beside it (OnError); with no
// cart running, the error screen shows it.
func (g *Game) Swap(load Loader, name string) {
	g.mu.Lock()
	g.pending = &swap{load, name}
	g.mu.Unlock()
}

func (g *Game) applySwap() {
	g.mu.Lock()
	p := g.pending
	g.pending = nil
	g.mu.Unlock()
	if p == nil {
		return
	}
	c, err := p.load()
	if err != nil {
		if g.cart != nil && g.err == nil {
			g.report(p.name, err)
			return
		}
		g.load, g.name = p.load, p.name
		g.fail(err)
		return
	}
	if g.cart != nil {
		g.cart.Close()
	}
	g.load, g.name = p.load, p.name
	ebiten.SetWindowTitle(p.name + " - ebicart")
	g.start(c)
}

// Err returns the cart's error, or nil while it runs.
func (g *Game) Err() error { return g.err }

// Cart returns the running cart, nil when it failed to load.
func (g *Game) Cart() guest.Cart { return g.cart }

// FrameSize returns the size of the cart's frame, or 0, 0 without one.
func (g *Game) FrameSize() (int, int) {
	if g.cart == nil {
		return 0, 0
	}
	d := g.cart.Descriptor()
	return int(d.Width), int(d.Height)
}

// Update runs one tick: the cart's update with this tick's input.
func (g *Game) Update() error {
	if g.done != nil {
		return g.done
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) && !g.opts.NoQuitKey {
		return ebiten.Termination
	}
	g.applySwap()
	g.ticks++
	if g.err != nil {
		if inpututil.IsKeyJustPressed(ebiten.KeyR) {
			g.restart()
		}
	} else if g.cart != nil {
		in := g.input.read(g.toFrame)
		start := time.Now()
		err := g.cart.Update(in)
		g.stats.lastUpdate = time.Since(start)
		g.stats.update.add(g.stats.lastUpdate)
		if err != nil {
			g.fail(err)
		} else {
			g.dirty = true
		}
	}
	if g.opts.Frames > 0 && g.ticks >= g.opts.Frames {
		g.done = g.finish()
		return g.done
	}
	return nil
}

// finish ends a run limited by -frames: it writes the screenshot and
// reports the cart's error, if any.
func (g *Game) finish() error {
	if g.err != nil {
		return g.err
	}
	if g.opts.Screenshot != "" {
		if err := writeScreenshot(g.cart, g.opts.Screenshot); err != nil {
			return err
		}
	}
	return ebiten.Termination
}

// Draw uploads the cart's frame if it changed and draws it.
func (g *Game) Draw(screen *ebiten.Image) {
	screen.Fill(backdrop)
	if g.err != nil {
		g.errView.draw(screen, g.deviceScale)
		return
	}
	if g.cart == nil {
		return
	}
	if g.dirty {
		g.upload()
	}
	if !g.hasPix {
		return
	}
	sw, sh := screen.Bounds().Dx(), screen.Bounds().Dy()
	fw, fh := g.img.Bounds().Dx(), g.img.Bounds().Dy()
	g.scale = fitScale(fw, fh, sw, sh)
	g.offX = math.Floor((float64(sw) - float64(fw)*g.scale) / 2)
	g.offY = math.Floor((float64(sh) - float64(fh)*g.scale) / 2)
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(g.scale, g.scale)
	op.GeoM.Translate(g.offX, g.offY)
	op.Filter = ebiten.FilterNearest
	screen.DrawImage(g.img, &op)
}

// upload packs the cart's frame and writes it into the frame texture.
func (g *Game) upload() {
	g.dirty = false
	start := time.Now()
	defer func() {
		d := time.Since(start)
		g.stats.upload.add(d)
		g.stats.frame.add(g.stats.lastUpdate + d)
	}()
	f, err := g.cart.Frame()
	if err != nil {
		g.fail(err)
		return
	}
	if g.img == nil || g.img.Bounds().Dx() != f.Width || g.img.Bounds().Dy() != f.Height {
		if g.img != nil {
			g.img.Deallocate()
		}
		g.img = ebiten.NewImage(f.Width, f.Height)
	}
	g.img.WritePixels(f.Pix)
	g.hasPix = true
}

// fitScale is the largest whole scale at which a fw x fh frame fits in the
// screen; a screen smaller than the frame scales it down to fit instead.
func fitScale(fw, fh, sw, sh int) float64 {
	s := min(sw/fw, sh/fh)
	if s >= 1 {
		return float64(s)
	}
	return min(float64(sw)/float64(fw), float64(sh)/float64(fh))
}

// toFrame maps a cursor position in device-independent pixels to
// framebuffer pixels, using where the last Draw put the frame.
func (g *Game) toFrame(x, y float64) (int32, int32) {
	if g.scale == 0 {
		return -1, -1
	}
	fx := (x*g.deviceScale - g.offX) / g.scale
	fy := (y*g.deviceScale - g.offY) / g.scale
	return int32(math.Floor(fx)), int32(math.Floor(fy))
}

// LayoutF makes the screen as large as the window in device pixels, so
// integer scaling is pixel-perfect on high-DPI displays too.
func (g *Game) LayoutF(w, h float64) (float64, float64) {
	g.deviceScale = 1
	if m := ebiten.Monitor(); m != nil && m.DeviceScaleFactor() > 0 {
		g.deviceScale = m.DeviceScaleFactor()
	}
	return math.Ceil(w * g.deviceScale), math.Ceil(h * g.deviceScale)
}

// Layout is not called: LayoutF takes its place.
func (g *Game) Layout(w, h int) (int, int) {
	sw, sh := g.LayoutF(float64(w), float64(h))
	return int(sw), int(sh)
}

// screenBounds is the area of the screen the frame covers, for tests.
func (g *Game) screenBounds() image.Rectangle {
	fw, fh := g.FrameSize()
	return image.Rect(int(g.offX), int(g.offY), int(g.offX+float64(fw)*g.scale), int(g.offY+float64(fh)*g.scale))
}
