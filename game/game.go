package game

import (
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/ebinput"
)

// Loader loads a fresh instance of the cart. The game calls it at start and
// again when the player restarts a failed cart, off the game loop: the
// window keeps drawing while it runs. Cancelling ctx abandons the load (a
// worker compiling the cart is killed).
type Loader func(ctx context.Context) (*cart.Cart, error)

// Game is the ebiten.Game that runs one cart in a window.
type Game struct {
	load Loader
	name string
	opts Options
	bars bars // around the frame

	cart *cart.Cart
	err  error // the cart's error: the error screen shows it

	ticks    int
	errView  errorScreen
	loadView loadingScreen
	prompt   prompt // the cart is not responding: wait or stop?

	// Where the frame was drawn in the last Draw, in screen pixels.
	scale, offX, offY float64
	// shownFrame is where the last Draw drew the frame (empty: it drew
	// none), within notesArea, the part of the screen the frame may use:
	// the notice and the marks go beside it there.
	shownFrame, notesArea image.Rectangle
	screenW, screenH      int

	// direct: the last Draw left the frame to DrawFinalScreen, which puts
	// it straight on the window with directOp (see there).
	direct     bool
	directOp   ebiten.DrawImageOptions
	directArea image.Rectangle
	final      finalScreen

	fitW, fitH int // what Options.FitFrame was last told

	spareDue bool // a spare worker is to be started (see spareAfter)

	// redraw is set when the screen must be drawn again: the frame
	// changed, the cart failed or restarted, the window was resized.
	redraw       bool
	padShown     bool     // the touch controls were drawn
	pad          touchPad // where
	held         uint32   // the buttons held at the last tick, lit on the pad
	draws        int
	loadingDraws int            // of draws, those of the loading screen
	firstFrame   time.Time      // when Draw first drew a cart frame
	screen       image.Point    // the monitor's size, found by RunGame (none before)
	saving       sync.WaitGroup // recordings being encoded and saved

	done error // set when the game should end: returned from Update

	job *loadJob // a cart loading in the background

	mu            sync.Mutex
	pending       *swap          // a cart to switch to at the next tick
	pendingNotice *pendingNotice // a notice from another goroutine

	dev devtools

	input ebinput.Reader // the window's input, for the cart

	pace pacer // whether a frame ticks the cart, in the browser (paced)

	replaying bool  // the cart plays a replay, which live input follows
	rewinding bool  // Backspace is held
	rewound   bool  // the cart was rewound and has not run since
	saveErr   error // the cart's save error last seen (cart.SaveError), shown once each
}

// spareAfter is the number of updates a cart runs before the game starts
// a spare worker for the next one. Starting it with the cart would compete
// with the cart's first frames for the CPU: a worker process's start-up,
// or in a page a Web Worker compiling the 4 MB core.
const spareAfter = 60

// swap is a request to replace the running cart.
type swap struct {
	load    Loader
	name    string
	rebuild bool // of the cart running (Watch): the same save
}

// New creates a game that runs the cart load returns, loaded before New
// returns. A load error does not fail New: the game starts on its error
// screen.
func New(load Loader, name string, opts Options) *Game {
	g := newGame(load, name, opts)
	g.begin(load, name, false)
	g.wait()
	return g
}

// NewAsync is New with the cart loading in the background while the
// window opens: the window shows a loading screen (Esc still quits) and
// takes the cart's size once it has loaded. Start-up then costs the longer
// of the two, not their sum.
func NewAsync(load Loader, name string, opts Options) *Game {
	g := newGame(load, name, opts)
	g.begin(load, name, false)
	g.job.resize = true
	return g
}

func newGame(load Loader, name string, opts Options) *Game {
	g := &Game{load: load, name: name, opts: opts}
	g.input.Pad = g.padButtons
	g.errView.hint = "Esc: quit"
	if opts.NoQuitKey {
		g.errView.hint = "or open another cart"
	}
	return g
}

// canRestart reports whether R restarts the cart: on the error screen,
// unless the error is in the settings, which a restart would meet again.
func (g *Game) canRestart() bool { return g.err != nil && !isSettings(g.err) }

// restart loads the cart anew, in the background.
func (g *Game) restart() {
	if g.cart != nil {
		g.cart.Close()
		g.cart = nil
	}
	g.err = nil
	g.begin(g.load, g.name, false)
}

// start makes c the running cart.
func (g *Game) start(c *cart.Cart) {
	// A spare worker for the next cart (a restart, a reload, a drop),
	// started once this one has run a while (see spareAfter).
	g.spareDue = c.Engine() != cart.EngineInProcess.String()
	g.cart = c
	g.replaying = c.Replaying()
	g.err = nil
	g.prompt.err = nil
	g.redraw = true
	if g.opts.OnStart != nil {
		g.opts.OnStart(g.name)
	}
}

// fail stops the game on the error screen with err.
func (g *Game) fail(err error) {
	if !g.dev.noticeBad {
		g.dev.notice = "" // "loaded x" would cover the error screen's title, and contradict it
	}
	g.err = err
	g.prompt.err = nil
	g.errView.set(g.name, err)
	g.redraw = true
	g.report(g.name, err)
}

func (g *Game) report(name string, err error) {
	if g.opts.OnError != nil {
		g.opts.OnError(name, err) // the page logs it once, to the console's errors
		return
	}
	fmt.Fprintf(os.Stderr, "ebicart: %s\n", Describe(name, err))
}

// Swap asks the game to run another cart. It may be called from any
// goroutine. The new cart loads in the background while a running cart
// keeps running; when it fails to load, the running cart goes on and the
// error is reported beside it (OnError); with no cart running, the error
// screen shows it. A later Swap abandons an earlier one still loading.
// Where the two carts share a save (cart.Cart.SaveKey: the same cart, a
// rebuild given its key), the new one reads the running one's latest and
// overwrites nothing newer: the running cart's save is written first, and
// the new one is loaded again if the running one saved during the load.
func (g *Game) Swap(load Loader, name string) { g.swap(load, name, false) }

// swap is Swap; a rebuild of the cart running (Watch) shares its save, so
// that the running cart, if it saves, waits for the new one (tick).
func (g *Game) swap(load Loader, name string, rebuild bool) {
	g.mu.Lock()
	g.pending = &swap{load, name, rebuild}
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
	if g.cart != nil && g.err == nil {
		g.begin(p.load, p.name, true)
		g.job.rebuild = p.rebuild
		return
	}
	// Nothing runs: the new cart is the game's from now on.
	if g.cart != nil {
		g.cart.Close()
		g.cart = nil
	}
	g.err = nil
	g.load, g.name = p.load, p.name
	ebiten.SetWindowTitle(g.title(p.name))
	g.begin(p.load, p.name, false)
}

// loadJob is a cart loading in the background.
type loadJob struct {
	load   Loader
	name   string
	began  time.Time
	done   chan loaded
	cancel context.CancelFunc
	swap   bool // a running cart runs on until this one has loaded
	// rebuild: of the running cart, whose save the new one shares; the
	// running cart waits, if it saves (tick). oldSaves: how many saves
	// the running cart had made when the load began.
	rebuild  bool
	oldSaves int
	resize   bool // the window takes the cart's size (NewAsync)
	shown    int  // the seconds of loading the notice last said (a swap), or the loading screen's step (loadingStep)
}

// loaded is the result of a background load.
type loaded struct {
	c   *cart.Cart
	err error
}

// begin starts loading a cart in the background, abandoning a load under
// way. A swap first writes the running cart's latest save, which a new
// cart of the same save reads (see tick and finishLoad for the saves
// after).
func (g *Game) begin(load Loader, name string, swap bool) {
	g.abandon()
	oldSaves := 0
	if swap && g.cart != nil {
		oldSaves = g.cart.Saves()
		if err := g.cart.FlushSaves(); err != nil {
			g.setNotice("save: "+err.Error(), true)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &loadJob{load: load, name: name, began: time.Now(), done: make(chan loaded, 1), cancel: cancel, swap: swap, oldSaves: oldSaves, shown: -1}
	go func() {
		c, err := load(ctx)
		j.done <- loaded{c, err}
	}()
	g.job = j
	g.redraw = true
}

// abandon gives up the load under way, if any: a worker compiling the cart
// is killed; a compile in this process, which cannot be stopped, runs to
// its end in the background, and the cart it makes is closed.
func (g *Game) abandon() {
	j := g.job
	if j == nil {
		return
	}
	g.job = nil
	j.cancel()
	go func() {
		if r := <-j.done; r.c != nil {
			r.c.Close()
		}
	}()
}

// poll takes the result of the load under way if it has come, without
// waiting; while it has not, it keeps the loading screen or notice fresh.
func (g *Game) poll() {
	j := g.job
	if j == nil {
		return
	}
	select {
	case r := <-j.done:
		g.finishLoad(j, r)
		return
	default:
	}
	if !j.swap {
		// The loading screen is drawn again when it changes (its clock),
		// not on every frame: in a page, each draw is the whole canvas
		// filled by the browser's WebGL, often in software, while the
		// worker starts the cart beside it.
		if s := loadingStep(time.Since(j.began)); s != j.shown {
			j.shown = s
			g.redraw = true
		}
		return
	}
	if s := int(time.Since(j.began) / time.Second); s != j.shown {
		j.shown = s
		g.setNotice(loadingText(j), false)
	}
}

// wait waits for the load under way (New).
func (g *Game) wait() {
	if j := g.job; j != nil {
		g.finishLoad(j, <-j.done)
	}
}

// loadingText says which cart is loading and for how long.
func loadingText(j *loadJob) string {
	return fmt.Sprintf("loading %s... %.1fs", j.name, time.Since(j.began).Seconds())
}

// finishLoad makes the cart j loaded the running one, or reports why it
// did not load.
func (g *Game) finishLoad(j *loadJob, r loaded) {
	g.job = nil
	j.cancel()
	if !j.swap {
		if r.err != nil {
			g.fail(r.err)
			return
		}
		if !j.resize {
			g.start(r.c)
			return
		}
		w, h := g.windowSize()
		g.start(r.c)
		if w2, h2 := g.windowSize(); w2 != w || h2 != h {
			ebiten.SetWindowSize(w2, h2)
		}
		return
	}
	if r.err != nil {
		if g.cart != nil && g.err == nil {
			g.report(j.name, r.err)
			g.setNotice(j.name+" did not load; still running "+g.name+": "+firstLine(r.err.Error()), true)
			return
		}
		g.load, g.name = j.load, j.name
		g.fail(r.err)
		return
	}
	if g.cart != nil && g.cart.Saves() > j.oldSaves && r.c.SaveKey() == g.cart.SaveKey() {
		// The running cart saved while the new one, of the same save,
		// loaded, which read the save before: load it again, the
		// running cart waiting this time (its latest save written again
		// over any the discarded one wrote).
		r.c.Close()
		g.begin(j.load, j.name, true)
		g.job.rebuild = true
		return
	}
	if g.dev.rec != nil { // named after the cart it recorded
		g.stopRecording("another cart was loaded")
	}
	if g.cart != nil {
		g.cart.Close()
	}
	g.load, g.name = j.load, j.name
	ebiten.SetWindowTitle(g.title(j.name))
	g.start(r.c)
	g.setNotice("loaded "+j.name, false)
}

// Loading reports whether a cart is loading in the background.
func (g *Game) Loading() bool { return g.job != nil }

// Close abandons a load under way and closes the running cart (ending its
// worker). Call it once the window has closed.
func (g *Game) Close() {
	g.abandon()
	if rec := g.dev.rec; rec != nil {
		// A recording under way is saved, here and now: the program
		// ends after this.
		g.dev.rec = nil
		if where, err := rec.save(g.shotBase(recordingExt)); err != nil {
			fmt.Fprintf(os.Stderr, "ebicart: recording: %v\n", err)
		} else {
			fmt.Fprintf(os.Stderr, "ebicart: saved %s (%d frames)\n", where, rec.frames())
		}
	}
	g.saving.Wait() // those stopped just before, still being encoded
	if g.cart != nil {
		g.cart.Close()
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// ReportedError is a cart error that ends a run after the game has already
// reported it (on standard error, or through OnError).
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

// LoadingDraws returns how many of Draws drew the loading screen: on a
// slow machine the first cart's load outlasts the screen's first clock
// step, and the screen is drawn again each tenth of a second.
func (g *Game) LoadingDraws() int { return g.loadingDraws }

// Update handles the window's keys and dropped files, then runs the ticks
// that are due (one, normally): the cart's update with this tick's input.
func (g *Game) Update() error {
	growStack() // before the tick's calls go deep (stack_js.go)
	g.poll()
	if g.done != nil {
		return g.done
	}
	if ctx := g.opts.Context; ctx != nil && ctx.Err() != nil {
		if g.opts.Frames > 0 {
			return g.finish()
		}
		return ebiten.Termination
	}
	asking := g.Asking() // Esc answers the prompt then, not the window
	g.answerPrompt()
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) && !g.opts.NoQuitKey && !asking {
		return ebiten.Termination
	}
	// On a touch screen a tap on the error screen restarts, as R does.
	if g.canRestart() {
		tapped := len(inpututil.AppendJustPressedTouchIDs(nil)) > 0
		if tapped {
			g.input.TouchSeen = true
		}
		if tapped || inpututil.IsKeyJustPressed(ebiten.KeyR) {
			g.restart()
		}
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
	if g.cart == nil && g.err == nil {
		return nil // the first cart is loading: its ticks have not begun
	}
	if j := g.job; j != nil && j.rebuild && g.cart != nil && g.cart.Saves() > 0 {
		// A cart that saves waits for its rebuild: what it saved now
		// would be lost under the new one's saves.
		return nil
	}
	if paced && !g.pace.tick(time.Now()) {
		return nil // a frame of a display faster than TPS
	}
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
			if !g.ask(err) {
				g.fail(err)
			}
		} else {
			if g.prompt.err != nil {
				g.prompt.err = nil // it answered after all
				g.redraw = true
			}
			if g.cart.Changed() || g.wantsTouchPad() != g.padShown {
				g.redraw = true
			}
			if err := g.cart.SaveError(); err != g.saveErr {
				g.saveErr = err // each failed write is a new error: the banner stays while they fail
				if err != nil {
					g.setNotice("the cart's save was not kept: "+firstLine(err.Error()), true)
				}
			}
		}
		g.captureTick()
		if g.spareDue && g.cart != nil && g.cart.Frames() >= spareAfter {
			g.spareDue = false
			cart.Prewarm()
		}
	}
	if g.opts.Frames > 0 && g.ticks >= g.opts.Frames {
		g.done = g.finish()
		return g.done
	}
	return nil
}

// finish ends a run limited by -frames: it writes the screenshot and
// reports the cart's error, if any. A cart that failed leaves its frame as
// its memory held it then, where there is one to write.
func (g *Game) finish() error {
	if g.opts.Screenshot != "" && g.cart != nil { // none yet: a signal during the first load
		if err := writeScreenshot(g.cart, g.opts.Screenshot); err != nil {
			if g.err == nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "ebicart: %v\n", err) // the cart's error was reported
		}
	}
	if g.err != nil {
		return &ReportedError{g.err}
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
	g.direct = false
	g.draws++
	defer g.drawDev(screen)
	var img *ebiten.Image
	if g.err == nil && g.cart != nil {
		img = g.cart.Image()
		if err := g.cart.Err(); err != nil {
			g.fail(err)
		}
	}
	g.shownFrame, g.notesArea = image.Rectangle{}, screen.Bounds()
	if g.err != nil || img == nil {
		screen.Fill(backdrop)
		switch {
		case g.err != nil:
			g.fit(0, 0) // the error screen takes the window
			g.errView.draw(screen, g.input.TouchSeen)
		case g.prompt.err != nil:
			// A cart stuck in one of its first updates has no frame
			// shown yet: the question shows over the backdrop.
			g.fit(0, 0)
			g.drawPrompt(screen)
		case g.job != nil:
			g.loadingDraws++
			g.drawLoading(screen, g.job)
		}
		return
	}
	sw, sh := screen.Bounds().Dx(), screen.Bounds().Dy()
	fw, fh := img.Bounds().Dx(), img.Bounds().Dy()
	area := screen.Bounds()
	g.padShown = g.wantsTouchPad()
	if g.padShown {
		g.pad = newTouchPad(sw, sh, deviceScale())
		area = g.pad.frame // the controls never cover the frame
	}
	// The touch controls, the prompt and the author's overlays take the
	// window, and never cover the frame.
	besideFrame := g.padShown || g.prompt.err != nil || g.devShows()
	if besideFrame {
		g.fit(0, 0)
	} else {
		g.fit(fw, fh)
	}
	g.scale = fitScale(fw, fh, area.Dx(), area.Dy())
	g.offX = float64(area.Min.X) + math.Floor((float64(area.Dx())-float64(fw)*g.scale)/2)
	g.offY = float64(area.Min.Y) + math.Floor((float64(area.Dy())-float64(fh)*g.scale)/2)
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(g.scale, g.scale)
	op.GeoM.Translate(g.offX, g.offY)
	switch {
	case g.scale == math.Floor(g.scale) && !besideFrame:
		// Nothing goes over the frame: DrawFinalScreen draws it and its
		// bars. The screen image gets a pixel, which is what makes
		// Ebitengine present a frame.
		g.direct, g.directOp, g.directArea = true, op, g.frameArea(fw, fh)
		g.final.touch(screen)
	case g.scale != math.Floor(g.scale):
		// A frame scaled down to fit covers pixels partly.
		screen.Fill(backdrop)
		g.cart.Draw(screen, &op)
	default:
		// At a whole scale the frame covers whole pixels: it replaces
		// what was there (an opaque one by itself, a translucent one
		// composited over the backdrop), and only the bars around it are
		// cleared. Clearing the whole screen first would cost another
		// pass over it, on software GL a third of a frame's time.
		g.bars.fill(screen, g.frameArea(fw, fh))
		g.drawFrame(screen, &op)
	}
	g.shownFrame, g.notesArea = g.frameArea(fw, fh), area
	if g.padShown {
		g.pad.draw(screen, g.held, g.cart.Mode() == cart.ModeWASM4)
	}
	g.drawPrompt(screen)
	if g.firstFrame.IsZero() {
		g.firstFrame = time.Now()
		if g.opts.OnFirstFrame != nil {
			g.opts.OnFirstFrame()
		}
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
	if g.padShown && s.Buttons != g.held {
		g.redraw = true // the pad lights what is held
	}
	g.held = s.Buttons
	g.cart.SetInput(cart.Input{Buttons: s.Buttons, MouseX: s.MouseX, MouseY: s.MouseY, MouseButtons: s.MouseButtons,
		WheelX: s.WheelX, WheelY: s.WheelY, Players: s.Players})
}

// toFrame maps a point of the screen to the frame's pixels.
func (g *Game) toFrame(x, y float64) (int32, int32) {
	if g.scale == 0 {
		return -1, -1
	}
	x, y = onScreen(x, y)
	return int32(math.Floor((x - g.offX) / g.scale)), int32(math.Floor((y - g.offY) / g.scale))
}

// fit tells Options.FitFrame the frame size the screen may shrink to,
// when it changed: 0, 0 when the screen must stay the window's.
func (g *Game) fit(w, h int) {
	if g.opts.FitFrame == nil || (w == g.fitW && h == g.fitH) {
		return
	}
	g.fitW, g.fitH = w, h
	g.opts.FitFrame(w, h)
}

// wantsTouchPad reports whether the touch controls show: on a touch
// screen, for every cart that has not hidden them.
func (g *Game) wantsTouchPad() bool {
	return g.input.TouchSeen && !g.cart.ControlsHidden()
}

// padButtons is what a touch at (x, y) presses on the touch controls.
func (g *Game) padButtons(x, y float64) uint32 {
	if !g.padShown {
		return 0
	}
	return g.pad.buttons(onScreen(x, y))
}

// deviceScale is the number of screen pixels per CSS (or window) pixel.
// It is the last LayoutF's, or the monitor's before any layout.
func deviceScale() float64 {
	if s := math.Float64frombits(layoutScale.Load()); s > 0 {
		return s
	}
	return monitorScale()
}

// monitorScale asks the monitor for its device scale factor, 1 without one.
func monitorScale() float64 {
	if m := ebiten.Monitor(); m != nil && m.DeviceScaleFactor() > 0 {
		return m.DeviceScaleFactor()
	}
	return 1
}

// layoutScale is the device scale factor of the last LayoutF, as float64
// bits: asking the monitor allocates, and text is drawn on every redraw.
var layoutScale atomic.Uint64

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
	scale := monitorScale()
	layoutScale.Store(math.Float64bits(scale))
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

// FrameRect is the area of the screen, in screen pixels, that the last
// Draw drew the cart's frame in: the page keeps its controls off it.
func (g *Game) FrameRect() image.Rectangle { return g.frameArea(g.FrameSize()) }

// frameArea is the area of the screen a fw x fh frame covers at the scale
// and offset Draw last chose.
func (g *Game) frameArea(fw, fh int) image.Rectangle {
	return image.Rect(int(g.offX), int(g.offY), int(g.offX+float64(fw)*g.scale), int(g.offY+float64(fh)*g.scale))
}
