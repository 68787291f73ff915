package game

import (
	"fmt"
	"image"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/ebinput"
	"github.com/ebicart/ebicart/internal/safetext"
)

// Loader loads a fresh instance of the cart. The game calls it at start and
// again when the player restarts a failed cart.
type Loader func() (*cart.Cart, error)

// Game is the ebiten.Game that runs one cart in a window.
type Game struct {
	load Loader
	name string
	opts Options
	bars bars // around the frame

	cart *cart.Cart
	err  error // the cart's error: the error screen shows it

	ticks   int
	errView errorScreen

	// Where the frame was drawn in the last Draw, in screen pixels.
	scale, offX, offY float64
	screenW, screenH  int

	// redraw is set when the screen must be drawn again: the frame
	// changed, the cart failed or restarted, the window was resized.
	redraw     bool
	padShown   bool // the touch gamepad was drawn
	draws      int
	firstFrame time.Time // when Draw first drew a cart frame

	done error // set when the game should end: returned from Update

	loading chan loaded // a cart loading in the background (NewAsync)

	mu            sync.Mutex
	pending       *swap          // a cart to switch to at the next tick
	pendingNotice *pendingNotice // a notice from another goroutine

	dev devtools

	input ebinput.Reader // the window's input, for the cart

	replaying bool // the cart plays a replay, which live input follows
	rewinding bool // Backspace is held
	rewound   bool // the cart was rewound and has not run since
}

// swap is a request to replace the running cart.
type swap struct {
	load Loader
	name string
}

// New creates a game that runs the cart load returns. A load error does not
// fail New: the game starts on its error screen.
func New(load Loader, name string, opts Options) *Game {
	g := &Game{load: load, name: name, opts: opts}
	g.errView.hint = "R: restart the cart    Esc: quit"
	if opts.NoQuitKey {
		g.errView.hint = "R: restart the cart    or open another cart"
	}
	g.restart()
	return g
}

// NewAsync is New with the cart loading in the background while the
// window opens: the first Update waits for it, and resizes the window if
// the cart's frame wants another size than the provisional one. Start-up
// then costs the longer of the two, not their sum.
func NewAsync(load Loader, name string, opts Options) *Game {
	g := &Game{load: load, name: name, opts: opts}
	g.errView.hint = "R: restart the cart    Esc: quit"
	if opts.NoQuitKey {
		g.errView.hint = "R: restart the cart    or open another cart"
	}
	ch := make(chan loaded, 1)
	go func() {
		c, err := load()
		ch <- loaded{c, err}
	}()
	g.loading = ch
	return g
}

// loaded is the result of a background load.
type loaded struct {
	c   *cart.Cart
	err error
}

// awaitLoad finishes a background load (NewAsync).
func (g *Game) awaitLoad() {
	if g.loading == nil {
		return
	}
	before := [2]int{}
	before[0], before[1] = g.windowSize()
	r := <-g.loading
	g.loading = nil
	if r.err != nil {
		g.fail(r.err)
		return
	}
	g.start(r.c)
	if w, h := g.windowSize(); w != before[0] || h != before[1] {
		ebiten.SetWindowSize(w, h)
	}
}

func (g *Game) restart() {
	if g.cart != nil {
		g.cart.Close()
		g.cart = nil
	}
	g.err = nil
	c, err := g.load()
	if err != nil {
		g.fail(err)
		return
	}
	g.start(c)
}

// start makes c the running cart.
func (g *Game) start(c *cart.Cart) {
	if c.Engine() != cart.EngineInProcess.String() {
		cart.Prewarm() // a spare worker for the next cart: a restart, a reload, a drop
	}
	g.cart = c
	g.replaying = c.Replaying()
	g.err = nil
	g.redraw = true
	if g.opts.OnStart != nil {
		g.opts.OnStart(g.name)
	}
}

// fail stops the game on the error screen with err.
func (g *Game) fail(err error) {
	g.err = err
	g.errView.set(g.name, err)
	g.redraw = true
	g.report(g.name, err)
}

func (g *Game) report(name string, err error) {
	fmt.Fprintf(os.Stderr, "ebicart: %s\n", Describe(name, err))
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
	if n := g.pendingNotice; n != nil {
		g.pendingNotice = nil
		g.setNotice(n.msg, n.bad)
	}
	g.mu.Unlock()
	if p == nil {
		return
	}
	c, err := p.load()
	if err != nil {
		if g.cart != nil && g.err == nil {
			g.report(p.name, err)
			g.setNotice(p.name+" did not load; still running "+g.name+": "+firstLine(err.Error()), true)
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
	ebiten.SetWindowTitle(safetext.Clean(p.name) + " - ebicart")
	g.dev.rec = nil
	g.start(c)
	g.setNotice("loaded "+p.name, false)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// ReportedError is a cart error that ends a run after the game has already
// reported it (on standard error and through OnError).
type ReportedError struct{ Err error }

// Error is the cart's error message.
func (e *ReportedError) Error() string { return e.Err.Error() }

// Unwrap returns the cart's error.
func (e *ReportedError) Unwrap() error { return e.Err }

// Ticks returns the number of ticks run.
func (g *Game) Ticks() int { return g.ticks }

// Err returns the cart's error, or nil while it runs.
func (g *Game) Err() error { return g.err }

// Cart returns the running cart, nil when it failed to load.
func (g *Game) Cart() *cart.Cart { return g.cart }

// Name returns the running cart's name.
func (g *Game) Name() string { return g.name }

// FrameSize returns the size of the cart's frame, or 0, 0 without one.
func (g *Game) FrameSize() (int, int) {
	if g.cart == nil {
		return 0, 0
	}
	return g.cart.Size()
}

// Draws returns the number of times Draw drew the screen.
func (g *Game) Draws() int { return g.draws }

// Update handles the window's keys and dropped files, then runs the ticks
// that are due (one, normally): the cart's update with this tick's input.
func (g *Game) Update() error {
	g.awaitLoad()
	if g.done != nil {
		return g.done
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) && !g.opts.NoQuitKey {
		return ebiten.Termination
	}
	if g.err != nil && inpututil.IsKeyJustPressed(ebiten.KeyR) {
		g.restart()
	}
	g.handleDevKeys()
	g.handlePlayerKeys()
	g.handleDrops()
	if err := g.tick(); err != nil {
		return err
	}
	if g.dev.overlay || g.dev.rec != nil || (g.dev.notice != "" && time.Now().Before(g.dev.noticeUntil.Add(time.Second/2))) {
		g.redraw = true // keep numbers and banners fresh, and clear them when they end
	}
	return nil
}

// tick runs one tick.
func (g *Game) tick() error {
	if g.done != nil {
		return g.done
	}
	g.applySwap()
	g.ticks++
	if g.err == nil && g.cart != nil && g.rewinding {
		g.rewindTick()
	} else if g.err == nil && g.cart != nil && g.runsThisTick() {
		g.rewound = false
		if g.replaying && !g.cart.Replaying() {
			g.replaying = false
			g.cart.EndReplay()
			g.setNotice("the replay has ended: your input now", false)
		}
		g.readInput()
		if err := g.cart.Update(); err != nil {
			g.fail(err)
		} else if g.cart.Changed() || g.wantsTouchPad() != g.padShown {
			g.redraw = true
		}
		g.captureTick()
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
		return &ReportedError{g.err}
	}
	if g.opts.Screenshot != "" {
		if err := writeScreenshot(g.cart, g.opts.Screenshot); err != nil {
			return err
		}
	}
	return ebiten.Termination
}

// Draw draws the cart's frame, scaled by the largest whole factor that
// fits and centred, or the error screen. When nothing changed since the
// last Draw it leaves the screen untouched (the screen is not cleared
// between frames), and Ebitengine then presents nothing.
func (g *Game) Draw(screen *ebiten.Image) {
	if !g.redraw {
		return
	}
	g.redraw = false
	g.draws++
	defer g.drawDev(screen)
	var img *ebiten.Image
	if g.err == nil && g.cart != nil {
		img = g.cart.Image()
		if err := g.cart.Err(); err != nil {
			g.fail(err)
		}
	}
	if g.err != nil || img == nil {
		screen.Fill(backdrop)
		if g.err != nil {
			g.errView.draw(screen)
		}
		return
	}
	sw, sh := screen.Bounds().Dx(), screen.Bounds().Dy()
	fw, fh := img.Bounds().Dx(), img.Bounds().Dy()
	g.scale = fitScale(fw, fh, sw, sh)
	g.offX = math.Floor((float64(sw) - float64(fw)*g.scale) / 2)
	g.offY = math.Floor((float64(sh) - float64(fh)*g.scale) / 2)
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(g.scale, g.scale)
	op.GeoM.Translate(g.offX, g.offY)
	if g.scale != math.Floor(g.scale) {
		// A frame scaled down to fit covers pixels partly.
		screen.Fill(backdrop)
		g.cart.Draw(screen, &op)
	} else {
		// At a whole scale the frame covers whole pixels: it replaces
		// what was there (an opaque one by itself, a translucent one
		// composited over the backdrop), and only the bars around it are
		// cleared. Clearing the whole screen first would cost another
		// pass over it, on software GL a third of a frame's time.
		g.bars.fill(screen, g.frameArea(fw, fh))
		if g.cart.Opaque() {
			g.cart.Draw(screen, &op)
		} else {
			g.cart.DrawOver(screen, &op, backdropColor)
		}
	}
	g.padShown = g.wantsTouchPad()
	if g.padShown {
		pad := newTouchPad(sw, sh)
		g.input.Pad = pad.buttons
		pad.draw(screen)
	} else {
		g.input.Pad = nil
	}
	if g.firstFrame.IsZero() {
		g.firstFrame = time.Now()
	}
}

// readInput passes the window's input to the cart: keys, gamepads, the
// pointer mapped into the frame where Draw put it, touches (on the touch
// gamepad when it shows).
func (g *Game) readInput() {
	if g.opts.NoInput {
		return
	}
	g.input.WASM4 = g.cart.Mode() == cart.ModeWASM4
	s := g.input.Read(g.toFrame)
	g.cart.SetInput(cart.Input{Buttons: s.Buttons, MouseX: s.MouseX, MouseY: s.MouseY, MouseButtons: s.MouseButtons,
		WheelX: s.WheelX, WheelY: s.WheelY, Players: s.Players})
}

// toFrame maps a point of the screen to the frame's pixels.
func (g *Game) toFrame(x, y float64) (int32, int32) {
	if g.scale == 0 {
		return -1, -1
	}
	return int32(math.Floor((x - g.offX) / g.scale)), int32(math.Floor((y - g.offY) / g.scale))
}

// wantsTouchPad reports whether the touch gamepad shows: on a touch
// screen, for a WASM-4 cart that has not hidden it.
func (g *Game) wantsTouchPad() bool {
	return g.input.TouchSeen && g.cart.Mode() == cart.ModeWASM4 && !g.cart.ControlsHidden()
}

// bars are the parts of the screen around the frame, kept while the
// screen and the frame's place on it hold: a sub-image costs an
// allocation, and a frame should cost none.
type bars struct {
	screen        *ebiten.Image
	bounds, frame image.Rectangle
	imgs          []*ebiten.Image
}

// fill fills the parts of screen outside frame with the backdrop.
func (b *bars) fill(screen *ebiten.Image, frame image.Rectangle) {
	s := screen.Bounds()
	if screen != b.screen || s != b.bounds || frame != b.frame {
		b.screen, b.bounds, b.frame, b.imgs = screen, s, frame, b.imgs[:0]
		r := frame.Intersect(s)
		for _, bar := range []image.Rectangle{
			image.Rect(s.Min.X, s.Min.Y, s.Max.X, r.Min.Y), // above
			image.Rect(s.Min.X, r.Max.Y, s.Max.X, s.Max.Y), // below
			image.Rect(s.Min.X, r.Min.Y, r.Min.X, r.Max.Y), // left
			image.Rect(r.Max.X, r.Min.Y, s.Max.X, r.Max.Y), // right
		} {
			if !bar.Empty() {
				b.imgs = append(b.imgs, screen.SubImage(bar).(*ebiten.Image))
			}
		}
	}
	for _, img := range b.imgs {
		img.Fill(backdropColor)
	}
}

// FirstFrame returns when the first cart frame was drawn (zero if none).
func (g *Game) FirstFrame() time.Time { return g.firstFrame }

// fitScale is the largest whole scale at which a fw x fh frame fits in the
// screen; a screen smaller than the frame scales it down to fit instead.
func fitScale(fw, fh, sw, sh int) float64 {
	s := min(sw/fw, sh/fh)
	if s >= 1 {
		return float64(s)
	}
	return min(float64(sw)/float64(fw), float64(sh)/float64(fh))
}

// LayoutF makes the screen as large as the window in device pixels, so
// integer scaling is pixel-perfect on high-DPI displays too.
func (g *Game) LayoutF(w, h float64) (float64, float64) {
	scale := 1.0
	if m := ebiten.Monitor(); m != nil && m.DeviceScaleFactor() > 0 {
		scale = m.DeviceScaleFactor()
	}
	sw, sh := math.Ceil(w*scale), math.Ceil(h*scale)
	if int(sw) != g.screenW || int(sh) != g.screenH {
		g.screenW, g.screenH = int(sw), int(sh)
		g.redraw = true
	}
	return sw, sh
}

// Layout is not called: LayoutF takes its place.
func (g *Game) Layout(w, h int) (int, int) {
	sw, sh := g.LayoutF(float64(w), float64(h))
	return int(sw), int(sh)
}

// screenBounds is the area of the screen the frame covers, for tests.
func (g *Game) screenBounds() image.Rectangle { return g.frameArea(g.FrameSize()) }

// frameArea is the area of the screen a fw x fh frame covers at the scale
// and offset Draw last chose.
func (g *Game) frameArea(fw, fh int) image.Rectangle {
	return image.Rect(int(g.offX), int(g.offY), int(g.offX+float64(fw)*g.scale), int(g.offY+float64(fh)*g.scale))
}
