package game

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/race"
	"github.com/ebicart/ebicart/internal/testcarts"
)

const testW, testH = 640, 360

func TestMain(m *testing.M) { ebitest.Main(m, testW, testH, "ebicart game tests") }

func run(t *testing.T, g *Game, ticks int, onTick func(int)) ebitest.Shot {
	t.Helper()
	return ebitest.Run(t, g, ticks, onTick)
}

func loader(t testing.TB, path string) Loader {
	wasm, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := &cart.Options{EbitenInput: true, Log: func(l string) { t.Log(l) }}
	return func(ctx context.Context) (*cart.Cart, error) { return cart.LoadContext(ctx, wasm, opts) }
}

// smear fills the shared test window's screen with a colour no test
// expects, so that a check of what a game drew cannot pass on what an
// earlier test left there.
func smear(t *testing.T) {
	t.Helper()
	s := ebitest.Run(t, painter{}, 1, nil)
	if got := s.At(2, 2); got != smearColour {
		t.Fatalf("smear: screen %v, want %v", got, smearColour)
	}
}

var smearColour = color.RGBA{0xff, 0x00, 0xff, 0xff}

type painter struct{}

func (painter) Update() error             { return nil }
func (painter) Draw(screen *ebiten.Image) { screen.Fill(smearColour) }

// TestWindowShowsFrame checks what is on screen: each format cart's frame,
// scaled by a whole factor, centred, with the backdrop around it.
func TestWindowShowsFrame(t *testing.T) {
	for _, c := range testcarts.Carts {
		t.Run(c.Name, func(t *testing.T) {
			smear(t) // the window is shared: leave no backdrop behind
			g := New(loader(t, c.Path()), c.Name, Options{})
			s := run(t, g, 3, nil)
			if g.Err() != nil {
				t.Fatal(g.Err())
			}
			// 61x37 in 640x360: scale 9, 549x333 at (45, 13).
			scale, ox, oy := 9, (testW-61*9)/2, (testH-37*9)/2
			if got := g.FrameRect(); got.Min.X != ox || got.Min.Y != oy || got.Dx() != 61*scale {
				t.Fatalf("frame drawn at %v, want %dx%d at (%d,%d)", got, 61*scale, 37*scale, ox, oy)
			}
			tol := 0
			if c.Format <= 2 {
				tol = 1 // alpha blending on the GPU may round differently
			}
			for y := range testcarts.Height {
				for x := range testcarts.Width {
					want := testcarts.Over(testcarts.Pixel(c.Format, x, y), backdrop)
					// Both corners of the scaled pixel: nearest filtering,
					// no bleeding.
					for _, p := range [][2]int{{ox + x*scale, oy + y*scale}, {ox + x*scale + scale - 1, oy + y*scale + scale - 1}} {
						if got := s.At(p[0], p[1]); !testcarts.Near(got, want, tol) {
							t.Fatalf("frame pixel (%d,%d) on screen at %v = %v, want %v", x, y, p, got, want)
						}
					}
				}
			}
			if got := s.At(2, 2); got != backdrop {
				t.Fatalf("letterbox at (2,2) = %v, want the backdrop %v", got, backdrop)
			}
		})
	}
}

func TestWindowErrorScreen(t *testing.T) {
	g := New(loader(t, testcarts.GuestTestdata("trap_update")), "trap_update", Options{})
	s := run(t, g, 6, nil)
	var ce *guest.CallError
	if !errors.As(g.Err(), &ce) {
		t.Fatalf("Err() = %v, want the trap", g.Err())
	}
	if got := s.At(testW/2, testH-4); got != errorBackground {
		t.Fatalf("screen at the bottom centre = %v, want the error screen %v", got, errorBackground)
	}
	if !g.canRestart() || !strings.HasPrefix(g.errView.hintLine(), "R: restart the cart") {
		t.Fatalf("a trap: canRestart %v, hint %q; want R offered", g.canRestart(), g.errView.hintLine())
	}
	// Restart: the same loader gives a fresh cart that runs again.
	g.restart()
	g.wait()
	if g.Err() != nil || g.Cart() == nil || g.Cart().Frames() != 0 {
		t.Fatalf("after restart: err %v, cart %v", g.Err(), g.Cart())
	}
}

// TestWindowSettingsError: an error in the settings (a page's URL) is
// shown as one, with how to fix it, and R, which would meet it again,
// does not restart.
func TestWindowSettingsError(t *testing.T) {
	settings := &SettingsError{Err: errors.New(`URL parameters: -palette: "bogus": want four colours`), Fix: "fix the URL and reload the page"}
	load := func(context.Context) (*cart.Cart, error) { return nil, settings }
	g := New(load, "wasm4", Options{NoQuitKey: true})
	s := run(t, g, 2, nil)
	if g.Err() != settings {
		t.Fatalf("Err() = %v, want the settings error", g.Err())
	}
	if got := s.At(testW/2, testH/2); got != errorBackground {
		t.Fatalf("screen centre = %v, want the error screen", got)
	}
	if title, hint := g.errView.title(), g.errView.hintLine(); title != "WRONG SETTINGS FOR wasm4" || hint != "fix the URL and reload the page    or open another cart" {
		t.Fatalf("title %q, hint %q", title, hint)
	}
	if g.canRestart() {
		t.Fatal("R would restart a cart whose settings are wrong")
	}
}

func TestWindowLoadErrorShown(t *testing.T) {
	g := New(loader(t, testcarts.GuestTestdata("missing_update")), "missing_update", Options{})
	s := run(t, g, 2, nil)
	if g.Err() == nil || g.Cart() != nil {
		t.Fatalf("a cart that fails to load: Err %v, Cart %v", g.Err(), g.Cart())
	}
	if got := s.At(testW/2, testH/2); got != errorBackground {
		t.Fatalf("screen centre = %v, want the error screen", got)
	}
}

// TestWindowTextureReuse checks that the frame texture is created once per
// frame size.
func TestWindowTextureReuse(t *testing.T) {
	g := New(loader(t, testcarts.GuestTestdata("resize")), "resize", Options{})
	imgs := map[int]*ebiten.Image{}
	run(t, g, 25, func(tick int) { imgs[tick] = g.Cart().Image() })
	if imgs[3] == nil || imgs[3] != imgs[8] {
		t.Fatalf("texture changed between ticks 3 and 8 at an unchanged size")
	}
	if imgs[15] == imgs[8] || imgs[15] != imgs[18] {
		t.Fatalf("texture not replaced once when the frame grew to 4x2")
	}
	if imgs[24] == imgs[15] {
		t.Fatalf("texture not replaced when the frame went back to 2x1")
	}
	if w, hh := g.FrameSize(); w != 2 || hh != 1 {
		t.Fatalf("frame size %dx%d, want 2x1", w, hh)
	}
}

// TestWindowClearsAroundFrame: when a wide frame turns tall, the bars
// beside the tall one show the backdrop, not what the wide one left there.
// (An opaque frame is drawn without clearing the screen beneath it.)
func TestWindowClearsAroundFrame(t *testing.T) {
	g := New(loader(t, testcarts.GuestTestdata("reshape")), "reshape", Options{})
	s := run(t, g, 15, nil)
	if g.Err() != nil {
		t.Fatal(g.Err())
	}
	// 4x1 at scale 160 covered (0,100)-(640,260); 1x2 at scale 180
	// covers (230,0)-(410,360).
	if got := g.FrameRect(); got != image.Rect(230, 0, 410, 360) {
		t.Fatalf("frame at %v, want (230,0)-(410,360)", got)
	}
	want := color.RGBA{0xe0, 0x40, 0x20, 0xff}
	for _, p := range []struct {
		x, y int
		want color.RGBA
	}{{10, 180, backdrop}, {629, 180, backdrop}, {229, 180, backdrop}, {410, 180, backdrop}, {230, 180, want}, {409, 180, want}} {
		if got := s.At(p.x, p.y); got != p.want {
			t.Errorf("screen at (%d,%d) = %v, want %v", p.x, p.y, got, p.want)
		}
	}
}

// TestWindowFramesOption checks that -frames ends the run with the
// screenshot written.
func TestWindowFramesOption(t *testing.T) {
	out := t.TempDir() + "/shot.png"
	g := New(loader(t, testcarts.SeedPath()), "seed", Options{Frames: 4, Screenshot: out})
	run(t, g, 4, nil)
	if !errors.Is(g.done, ebiten.Termination) {
		t.Fatalf("after 4 ticks with Frames 4: done = %v, want Termination", g.done)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("screenshot not written: %v", err)
	}
}

// TestWindowInput drives the real X server with xdotool: a held key and the
// mouse reach the cart's input block.
func TestWindowInput(t *testing.T) {
	xdo := ebitest.NeedXdotool(t)
	g := New(loader(t, testcarts.GuestTestdata("input_echo")), "input_echo", Options{})
	var block [guest.InputSize]byte
	run(t, g, 90, func(tick int) {
		switch tick {
		case 1:
			ebiten.SetWindowTitle("ebicart game tests") // a Swap in an earlier test renamed the window
		case 5:
			// A pointer counts once it moves: start it elsewhere than where
			// it goes, in case an earlier run left it there.
			xdo("search", "--name", "ebicart game tests", "mousemove", "--window", "%1", "--sync", "90", "40")
		case 10:
			// No window manager runs under Xvfb: keyboard focus follows the
			// pointer, so the pointer goes into the window first.
			ebitest.FocusWindow(xdo, "ebicart game tests", 100, 50)
			xdo("keydown", "Right")
			xdo("keydown", "z")
		case 80:
			f, err := g.Cart().Snapshot()
			if err == nil {
				for i := range block {
					block[i] = f.Pix[4*i]
				}
			}
			xdo("keyup", "Right")
			xdo("keyup", "z")
		}
	})
	buttons := block[0]
	if buttons&guest.ButtonRight == 0 || buttons&guest.ButtonA == 0 {
		t.Fatalf("buttons byte %08b: want Right and A held (input block %v)", buttons, block)
	}
	// The 32x1 frame is scaled 20x in 640x360 and centred at (0, 170):
	// (100, 50) on screen is frame pixel (100/20, floor((50-170)/20)),
	// above the frame, which the cart must see too.
	mx := int32(uint32(block[4]) | uint32(block[5])<<8 | uint32(block[6])<<16 | uint32(block[7])<<24)
	my := int32(uint32(block[8]) | uint32(block[9])<<8 | uint32(block[10])<<16 | uint32(block[11])<<24)
	if mx != 5 || my != -6 {
		t.Fatalf("mouse at (%d, %d) in frame pixels, want (5, -6)", mx, my)
	}
}

// TestRedrawNoAllocs: redrawing an opaque frame into the window, with bars
// around it, allocates nothing, in Draw and DrawFinalScreen, which draws
// it onto the window. (Uploading a changed frame allocates inside
// Ebitengine's WritePixels, which copies the pixels for its command queue,
// and so does a custom shader's draw, DrawOver's; updating and packing are
// checked in packages guest and cart.)
func TestRedrawNoAllocs(t *testing.T) {
	if race.Enabled {
		// sync.Pool drops some of what is put back under -race, on
		// purpose, and Ebitengine reuses sub-images through one.
		t.Skip("allocations are not counted under -race: make test counts them without it")
	}
	path := filepath.Join(testcarts.Root(), "examples", "formats", "rgb888.wasm")
	p := &allocProbe{Game: New(loader(t, path), "rgb888", Options{}), after: 2}
	ebitest.Run(t, p, 20, nil)
	if !p.direct {
		t.Fatal("the frame was not drawn straight onto the window (Game.direct)")
	}
	if p.measured < 3 {
		t.Fatalf("measured at %d frames of 20, want 3", p.measured)
	}
	if p.allocs != 0 {
		t.Fatalf("%v allocations per redraw, want 0", p.allocs)
	}
}

// allocProbe runs its game and, at Draws once the cart has run a few
// updates, measures the allocations of redrawing it. It measures at three
// frames and keeps the last: Ebitengine pools its draw commands per frame,
// so the first frame that redraws many times grows the pool, and the
// frames after show the steady state, where an allocation of the game's
// own still shows in every measurement.
type allocProbe struct {
	*Game
	after    int // cart updates before measuring
	measured int // frames measured
	allocs   float64
	direct   bool // the frames measured went to DrawFinalScreen
	final    ebitest.Final
}

func (p *allocProbe) Draw(screen *ebiten.Image) {
	if c := p.Game.Cart(); p.measured < 3 && c != nil && c.Frames() >= p.after {
		p.allocs = ebitest.AllocsPerRun(4, func() {
			p.Game.redraw = true
			p.Game.Draw(screen)
			p.final.Draw(p.Game, screen)
		})
		p.direct = p.Game.direct
		p.measured++
	}
	p.Game.Draw(screen)
}

// TestPlayerKeys drives the real X server with xdotool: F5 saves the
// cart's state in its quick slot, F8 loads it back (the frame count goes
// back to the saved one), and holding Backspace rewinds, playing on from
// where it is let go.
func TestPlayerKeys(t *testing.T) {
	xdo := ebitest.NeedXdotool(t)
	wasm, err := os.ReadFile(testcarts.GuestTestdata("input_echo"))
	if err != nil {
		t.Fatal(err)
	}
	load := func(ctx context.Context) (*cart.Cart, error) {
		return cart.LoadContext(ctx, wasm, &cart.Options{Rewind: true})
	}
	states := cart.MemorySaves()
	g := New(load, "input_echo", Options{States: states})
	var saved, loadedAt, beforeRewind, afterRewind, resumed int
	saved, loadedAt = -1, -1
	run(t, g, 260, func(tick int) {
		frames := g.Cart().Frames()
		switch {
		case tick == 1:
			ebiten.SetWindowTitle("ebicart game tests")
		case tick == 10:
			ebitest.FocusWindow(xdo, "ebicart game tests", 100, 50)
		case tick == 40:
			xdo("key", "F5")
		case tick > 40 && saved < 0 && strings.HasPrefix(g.dev.notice, "state saved at frame"):
			fmt.Sscanf(g.dev.notice, "state saved at frame %d", &saved)
		case tick == 100:
			xdo("key", "F8")
		case tick > 100 && loadedAt < 0 && strings.HasPrefix(g.dev.notice, "state loaded"):
			loadedAt = frames
		case tick == 150:
			beforeRewind = frames
			xdo("keydown", "BackSpace")
		case tick == 190:
			afterRewind = frames
			xdo("keyup", "BackSpace")
		case tick == 250:
			resumed = frames
		}
	})
	t.Logf("saved at %d, loaded at %d, rewound from %d to %d, then %d", saved, loadedAt, beforeRewind, afterRewind, resumed)
	if saved < 30 || saved > 60 {
		t.Fatalf("F5 saved at frame %d (notice %q), want about 40", saved, g.dev.notice)
	}
	if loadedAt < saved || loadedAt > saved+5 {
		t.Fatalf("after F8 the cart is at frame %d, want the saved %d", loadedAt, saved)
	}
	if d := beforeRewind - afterRewind; d < 20 || d > 45 {
		t.Fatalf("holding Backspace for 40 ticks went from frame %d to %d, want about 40 back", beforeRewind, afterRewind)
	}
	if resumed <= afterRewind+40 {
		t.Fatalf("after the rewind the cart is at frame %d, from %d: it did not play on", resumed, afterRewind)
	}
	if state, _ := states.Load(quickSlotKey(g.Cart().Hash())); len(state) == 0 {
		t.Fatal("the quick slot is empty")
	}
}

// updateTimer runs a game, timing each Update and noting the first tick
// at which it asked to end.
type updateTimer struct {
	*Game
	ticks, endedAt int
	slowest        time.Duration
}

func (u *updateTimer) Update() error {
	u.ticks++
	start := time.Now()
	err := u.Game.Update()
	u.slowest = max(u.slowest, time.Since(start))
	if errors.Is(err, ebiten.Termination) && u.endedAt == 0 {
		u.endedAt = u.ticks
	}
	return err
}

// TestLoadOffTheGameLoop: a cart that takes a minute to compile loads in
// the background. The window keeps ticking and shows the loading screen,
// no Update waits for the load, Esc quits at once, and closing the game
// abandons the load (its worker is killed).
func TestLoadOffTheGameLoop(t *testing.T) {
	xdo := ebitest.NeedXdotool(t)
	smear(t)
	bomb := testcarts.CompileBomb("blocks", 100000)
	returned := make(chan error, 1)
	load := func(ctx context.Context) (*cart.Cart, error) {
		c, err := cart.LoadContext(ctx, bomb, &cart.Options{CompileLimit: 5 * time.Minute})
		returned <- err
		return c, err
	}
	u := &updateTimer{Game: NewAsync(load, "bomb", Options{})}
	defer u.Close()
	pressed := 0
	s := ebitest.Run(t, u, 60, func(tick int) {
		switch tick {
		case 1:
			ebiten.SetWindowTitle("ebicart game tests")
			ebitest.FocusWindow(xdo, "ebicart game tests", 100, 50)
		case 30:
			xdo("key", "Escape")
			pressed = u.ticks
		}
	})
	if !u.Loading() || u.Cart() != nil || u.Err() != nil {
		t.Fatalf("after 60 ticks: loading %v, cart %v, err %v; want still loading", u.Loading(), u.Cart(), u.Err())
	}
	if u.slowest > 200*time.Millisecond {
		t.Errorf("an Update took %v while the cart loaded: it waited for the load", u.slowest)
	}
	if u.endedAt == 0 || u.endedAt > pressed+10 {
		t.Errorf("Esc pressed at tick %d, Update asked to end at tick %d", pressed, u.endedAt)
	}
	if got := s.At(2, 2); got != backdrop {
		t.Errorf("screen corner %v, want the loading screen's backdrop", got)
	}
	text := false
	for x := 0; x < testW && !text; x++ {
		for y := testH/2 - 20; y < testH/2+20 && !text; y++ {
			text = s.At(x, y) != backdrop
		}
	}
	if !text {
		t.Error("no text on the loading screen")
	}
	u.Close()
	select {
	case err := <-returned:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the abandoned load returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the load went on after the game closed")
	}
}

// TestSwapBombKeepsCartRunning: a cart swapped in (a drop, -watch) that
// fails at the compile limit leaves the running cart running all along,
// with the error beside it.
func TestSwapBombKeepsCartRunning(t *testing.T) {
	g := New(loader(t, testcarts.Carts[0].Path()), "good", Options{})
	defer g.Close()
	old := g.Cart()
	bomb := testcarts.CompileBomb("blocks", 100000)
	g.Swap(func(ctx context.Context) (*cart.Cart, error) {
		return cart.LoadContext(ctx, bomb, &cart.Options{CompileLimit: 500 * time.Millisecond})
	}, "bomb")
	before := old.Frames()
	ebitest.RunUntil(t, g, 600, func() bool { return g.dev.noticeBad })
	if g.Cart() != old || g.Err() != nil {
		t.Fatalf("the bomb replaced the running cart (err %v)", g.Err())
	}
	// About 30 at 60 a second; a game loop held by the compile runs none
	// (a busy machine runs fewer than 30, never so few as 5).
	if ran := old.Frames() - before; ran < 5 {
		t.Errorf("the running cart ran %d updates while the bomb compiled for 0.5s", ran)
	}
	if !strings.Contains(g.dev.notice, "bomb did not load") || !strings.Contains(g.dev.notice, "compile did not return within 500ms") {
		t.Fatalf("notice %q, want the compile limit", g.dev.notice)
	}
}

// TestLoadingScreenDrawnWhenItChanges: while the first cart loads, the
// loading screen is drawn when what it shows changes (the backdrop, then
// its clock's tenths of a second), not on every frame: in a page each
// draw fills the canvas with software WebGL while the cart starts.
func TestLoadingScreenDrawnWhenItChanges(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	load := func(ctx context.Context) (*cart.Cart, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil, context.Canceled
	}
	g := NewAsync(load, "slow", Options{})
	defer g.Close()
	const ticks = 60
	began := time.Now()
	ebitest.Run(t, g, ticks, nil)
	elapsed := time.Since(began)
	// One draw at the start, one when the text appears, one per tenth
	// after that: at most 2 + elapsed/100ms.
	if limit := 2 + int(elapsed/(100*time.Millisecond)); g.Draws() > limit {
		t.Errorf("%d draws of the loading screen in %d ticks (%v): want at most %d", g.Draws(), ticks, elapsed.Round(time.Millisecond), limit)
	}
	if g.Draws() < 2 {
		t.Errorf("%d draws of the loading screen in %v: its clock did not move", g.Draws(), elapsed.Round(time.Millisecond))
	}
}

func TestLoadingStep(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want int
	}{
		{0, -1},
		{loadingQuiet - time.Millisecond, -1},
		{loadingQuiet, 3},
		{349 * time.Millisecond, 3},
		{351 * time.Millisecond, 4},
		{2 * time.Second, 20},
	} {
		if got := loadingStep(c.d); got != c.want {
			t.Errorf("loadingStep(%v) = %d, want %d", c.d, got, c.want)
		}
	}
}

// TestWindowOnFirstFrame: OnFirstFrame is told once, after OnStart, when a
// cart's frame was first drawn, and never for a cart that did not load.
func TestWindowOnFirstFrame(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		want       int // OnFirstFrame calls
	}{
		{"plays", testcarts.Carts[0].Path(), 1},
		{"fails to load", testcarts.GuestTestdata("missing_update"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var events []string
			g := New(loader(t, tc.path), tc.name, Options{
				OnStart:      func(string) { events = append(events, "start") },
				OnFirstFrame: func() { events = append(events, "first frame") },
			})
			run(t, g, 4, nil)
			got := strings.Count(strings.Join(events, ","), "first frame")
			if got != tc.want {
				t.Fatalf("OnFirstFrame told %d times, want %d (events %v)", got, tc.want, events)
			}
			if tc.want > 0 && (events[0] != "start" || g.FirstFrame().IsZero()) {
				t.Fatalf("events %v, FirstFrame %v: want the start first, then the frame", events, g.FirstFrame())
			}
		})
	}
}

// TestSwapKeepsSaves: a cart swapped in that shares the running cart's
// save (a rebuild, -watch; the same cart opened again) goes on from the
// running cart's last save, which the old one may have written an update
// before, coalesced, or while the new one loaded; the old cart writes
// nothing after it. A rebuild's old cart waits, once it has saved; any
// other is loaded again if the old cart saved during its load. A cart of
// another save is neither waited for nor loaded again. Saves were lost
// both ways before: the new cart read the store at its load, and the old
// one ran and saved on until the swap.
func TestSwapKeepsSaves(t *testing.T) {
	wasm, err := os.ReadFile(testcarts.GuestTestdata("save_counter"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		rebuild    bool
		savedFirst bool   // the running cart saved before the swap began
		newKey     string // the new cart's save key
		wantLoads  int
	}{
		{"a rebuild, saved before", true, true, "mycart", 1},
		{"a rebuild, first save during the load", true, false, "mycart", 2},
		{"the same cart, saved during the load", false, true, "mycart", 2},
		{"another save", false, true, "other", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := cart.MemorySaves()
			loader := func(key string) Loader {
				opts := &cart.Options{Saves: store, SaveKey: key, Log: func(l string) { t.Log(l) }}
				return func(ctx context.Context) (*cart.Cart, error) { return cart.LoadContext(ctx, wasm, opts) }
			}
			g := New(loader("mycart"), "mycart", Options{})
			defer g.Close()
			old := g.Cart()
			counter := func(c *cart.Cart) int {
				img, err := c.Snapshot()
				if err != nil {
					t.Fatal(err)
				}
				return int(img.Pix[0])
			}
			if tc.savedFirst {
				// Saves a tick apart: all but the first wait in the
				// cart's coalescing (two writes a second).
				ebitest.RunUntil(t, g, 600, func() bool { return old.Frames() >= 5 })
			}
			// The new cart's load reads the store at once, then waits:
			// the running cart plays (and saves) meanwhile, if it may.
			release := make(chan struct{})
			loads := 0
			load := loader(tc.newKey)
			g.swap(func(ctx context.Context) (*cart.Cart, error) {
				loads++
				c, err := load(ctx)
				<-release
				return c, err
			}, "mycart", tc.rebuild)
			ebitest.RunUntil(t, g, 600, func() bool { return old.Saves() > 0 && g.Loading() })
			before := old.Frames()
			ebitest.Run(t, g, 10, nil)
			ran := old.Frames() - before
			final := counter(old)
			close(release)
			ebitest.RunUntil(t, g, 600, func() bool { return g.Cart() != old && g.Cart() != nil && g.Cart().Frames() >= 1 })
			// The running cart saved its counter at each update, from 0:
			// the new one goes on from the last, or from 0 for another
			// save. (The running cart may play on until the new one is
			// in: its count when it ended is its saves'.)
			nw := g.Cart()
			want := old.Saves() + nw.Frames()
			if tc.newKey != "mycart" {
				want = nw.Frames()
			}
			if got := counter(nw); got != want {
				t.Fatalf("the new cart's counter after %d updates: %d, want %d (the running cart ended at %d, %d when the load was let go; %d loads)", nw.Frames(), got, want, old.Saves(), final, loads)
			}
			if loads != tc.wantLoads {
				t.Errorf("%d loads, want %d", loads, tc.wantLoads)
			}
			if waits := tc.rebuild; waits != (ran == 0) {
				t.Errorf("the running cart ran %d updates during the load; want it to wait: %v", ran, waits)
			}
		})
	}
}
