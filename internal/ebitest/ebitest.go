// Package ebitest runs Ebitengine games in a real window for tests. A test
// binary has one window (Ebitengine owns the main thread): Main runs it from
// TestMain, and each test hands Run a game to drive for some ticks and gets
// back the screen as it was drawn. Window tests need an X display (Xvfb in
// CI); without one, NeedDisplay skips them, or fails them when CI is set.
package ebitest

import (
	"bufio"
	"errors"
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/internal/worker"
)

// Shot is the screen after a run's last Draw, premultiplied RGBA.
type Shot struct {
	Pix  []byte
	W, H int
}

// At returns the pixel at (x, y).
func (s Shot) At(x, y int) color.RGBA {
	i := 4 * (y*s.W + x)
	return color.RGBA{s.Pix[i], s.Pix[i+1], s.Pix[i+2], s.Pix[i+3]}
}

// Game is what Run drives: an ebiten.Game's Update and Draw, and its
// DrawFinalScreen when it has one (ebiten.FinalScreenDrawer).
type Game interface {
	Update() error
	Draw(screen *ebiten.Image)
}

type job struct {
	g      Game
	ticks  int
	onTick func(tick int)
	until  func() bool
	done   chan result
}

type result struct {
	shot Shot
	err  error
}

type harness struct {
	drawn ebiten.FinalScreenDrawer // the game that drew this frame, if it draws the final screen
	final Final                    // a shot's final screen
	w, h  int
	jobs  chan job
	quit  chan struct{}
	cur   *job
	tick  int
}

var h *harness

func (h *harness) Update() error {
	select {
	case <-h.quit:
		return ebiten.Termination
	default:
	}
	if h.cur == nil {
		select {
		case j := <-h.jobs:
			h.cur, h.tick = &j, 0
		default:
			return nil
		}
	}
	if h.tick >= h.cur.ticks {
		return nil // waiting for the final Draw
	}
	if err := h.cur.g.Update(); err != nil && !errors.Is(err, ebiten.Termination) {
		h.finish(result{err: err})
		return nil
	}
	h.tick++
	if h.cur.onTick != nil {
		h.cur.onTick(h.tick)
	}
	if h.cur.until != nil && h.cur.until() {
		h.cur.ticks = h.tick // done: the next Draw ends the run
	}
	return nil
}

func (h *harness) Draw(screen *ebiten.Image) {
	if h.cur == nil {
		return
	}
	h.cur.g.Draw(screen)
	h.drawn, _ = h.cur.g.(ebiten.FinalScreenDrawer)
	if h.tick >= h.cur.ticks {
		b := screen.Bounds()
		s := Shot{Pix: make([]byte, 4*b.Dx()*b.Dy()), W: b.Dx(), H: b.Dy()}
		if h.drawn != nil {
			// The shot is what the window shows.
			h.final.Draw(h.drawn, screen).ReadPixels(s.Pix)
		} else {
			screen.ReadPixels(s.Pix)
		}
		h.finish(result{shot: s})
	}
}

// DrawFinalScreen draws the window as the game that drew the frame would,
// if it draws its final screen.
func (h *harness) DrawFinalScreen(screen ebiten.FinalScreen, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	if h.drawn != nil {
		h.drawn.DrawFinalScreen(screen, offscreen, geoM)
		return
	}
	ebiten.DefaultDrawFinalScreen(screen, offscreen, geoM)
}

func (h *harness) finish(r result) {
	h.cur.done <- r
	h.cur, h.drawn = nil, nil // the test may close the game's cart now
}

func (h *harness) Layout(int, int) (int, int) { return h.w, h.h }

// privateDisplay starts an X server of this test binary's own (Xvfb, when
// installed) and points DISPLAY at it, so that windows of test binaries
// running at the same time cannot take each other's keyboard focus or
// pointer. It returns a function that stops the server.
func privateDisplay() (func(), error) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = deathSignal() // a test binary killed at its timeout takes its server along
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	w.Close()
	num := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		num <- strings.TrimSpace(line)
	}()
	select {
	case n := <-num:
		if n == "" {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, errors.New("ebitest: Xvfb did not report its display")
		}
		os.Setenv("DISPLAY", ":"+n)
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, errors.New("ebitest: Xvfb did not start")
	}
	return func() { cmd.Process.Kill(); cmd.Wait() }, nil
}

// Main runs the tests of m with a w x h test window titled title, and
// exits. Call it from TestMain. Where Xvfb is installed the window lives on
// an X server of its own (see privateDisplay).
//
// A test binary is also the program cart workers are started from: Main
// serves as one when started so (see cart.ServeWorker).
func Main(m *testing.M, w, hh int, title string) {
	if worker.Serve() {
		return
	}
	os.Exit(runWithDisplay(m, w, hh, title))
}

// runWithDisplay runs the tests and stops the X server before it returns:
// os.Exit skips deferred calls.
func runWithDisplay(m *testing.M, w, hh int, title string) int {
	if stop, err := privateDisplay(); err == nil {
		defer stop()
	}
	return run(m, w, hh, title)
}

func run(m *testing.M, w, hh int, title string) int {
	if os.Getenv("DISPLAY") == "" {
		return m.Run() // the window tests skip or fail in NeedDisplay
	}
	h = &harness{w: w, h: hh, jobs: make(chan job), quit: make(chan struct{})}
	code := make(chan int, 1)
	go func() {
		c := m.Run()
		close(h.quit)
		code <- c
	}()
	ebiten.SetWindowSize(w, hh)
	ebiten.SetWindowTitle(title)
	ebiten.SetTPS(60)
	// Games may leave the screen untouched when nothing changed (as
	// package game does); the shot is then what they drew last.
	ebiten.SetScreenClearedEveryFrame(false)
	if err := ebiten.RunGame(h); err != nil {
		fmt.Fprintln(os.Stderr, "test window:", err)
		return 1
	}
	return <-code
}

// Run drives g in the test window for ticks ticks, calling onTick (if not
// nil) after each Update, and returns the screen after the last Draw.
func Run(t testing.TB, g Game, ticks int, onTick func(tick int)) Shot {
	t.Helper()
	return runJob(t, job{g: g, ticks: ticks, onTick: onTick})
}

// RunUntil drives g until until reports true after a tick, and returns the
// screen as then drawn; it fails the test if that has not happened within
// max ticks.
func RunUntil(t testing.TB, g Game, max int, until func() bool) Shot {
	t.Helper()
	met := false
	s := runJob(t, job{g: g, ticks: max, until: func() bool { met = until(); return met }})
	if !met {
		t.Fatalf("ebitest: the condition was not met within %d ticks", max)
	}
	return s
}

func runJob(t testing.TB, j job) Shot {
	t.Helper()
	NeedDisplay(t)
	if h == nil {
		t.Fatal("ebitest: call ebitest.Main from TestMain")
	}
	j.done = make(chan result, 1)
	select {
	case h.jobs <- j:
	case <-time.After(20 * time.Second):
		t.Fatal("ebitest: the test window did not take the job")
	}
	select {
	case r := <-j.done:
		if r.err != nil {
			t.Fatalf("game: %v", r.err)
		}
		return r.shot
	case <-time.After(60 * time.Second):
		t.Fatal("ebitest: the test window did not draw in time")
	}
	return Shot{}
}

// NeedDisplay skips the test without an X display, or fails it when the
// CI environment variable is set: CI must run window tests (under Xvfb).
func NeedDisplay(t testing.TB) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no X display in CI: run the tests with make test (xvfb-run)")
		}
		t.Skip("no X display: run under xvfb-run (make test) for the window tests")
	}
}

// AllocsPerRun is testing.AllocsPerRun made steady beside a running game
// loop: testing.AllocsPerRun counts every goroutine's allocations, and
// Ebitengine's loop, which Main keeps running, allocates as it polls
// events. It measures five times and returns the least: an allocation of
// f's shows in every measurement, the loop's only in some.
func AllocsPerRun(runs int, f func()) float64 {
	least := testing.AllocsPerRun(runs, f)
	for range 4 {
		least = min(least, testing.AllocsPerRun(runs, f))
	}
	return least
}

// Final is an image of what the window shows for a game that draws its
// final screen (ebiten.FinalScreenDrawer), which cannot be read back: the
// game's DrawFinalScreen drawn from its screen image, over black, as
// Ebitengine draws it. It reuses one image, and allocates nothing once the
// size is steady.
type Final struct{ img *ebiten.Image }

var black color.Color = color.Black // made an interface once, not per Fill

// Draw draws g's final screen from screen and returns it, until the next
// Draw.
func (f *Final) Draw(g ebiten.FinalScreenDrawer, screen *ebiten.Image) *ebiten.Image {
	if b := screen.Bounds(); f.img == nil || f.img.Bounds() != b {
		f.img = ebiten.NewImage(b.Dx(), b.Dy())
	}
	f.img.Fill(black)
	g.DrawFinalScreen(f.img, screen, ebiten.GeoM{})
	return f.img
}

// NeedXdotool skips the test without xdotool, which drives the X
// server's keyboard and pointer, or fails it in CI (make deps installs
// it), like NeedDisplay for the display. It returns a function that runs
// xdotool with args and logs a failure.
func NeedXdotool(t testing.TB) func(args ...string) {
	t.Helper()
	NeedDisplay(t)
	if _, err := exec.LookPath("xdotool"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xdotool missing in CI: make deps installs it")
		}
		t.Skip("xdotool not installed")
	}
	return func(args ...string) {
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			t.Logf("xdotool %v: %v %s", args, err, out)
		}
	}
}

// FocusWindow gives the window titled title the keyboard: it moves the
// pointer into it, to (x, y), and waits for that (no window manager runs
// under Xvfb, and focus follows the pointer), then focuses it.
func FocusWindow(xdo func(args ...string), title string, x, y int) {
	xdo("search", "--name", title, "mousemove", "--window", "%1", "--sync", fmt.Sprint(x), fmt.Sprint(y))
	xdo("search", "--name", title, "windowfocus")
}
