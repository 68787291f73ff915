package game

import (
	"fmt"
	"image"
	"image/color"
	"path/filepath"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/ebicart/ebicart/internal/safetext"
)

// devtools are the cart author's keys: P pauses, period steps one update
// while paused, comma toggles slow motion (an update every 4th tick), F3
// shows the overlay of measurements, F12 saves a screenshot, F9 starts and
// stops a GIF recording. Notices (a save, a cart that failed to load while
// another runs) show in a banner over the frame.
type devtools struct {
	paused   bool
	step     bool
	slow     bool
	slowTick int
	overlay  bool

	notice      string
	noticeBad   bool
	noticeUntil time.Time

	rec      recorder // F9's, while it records
	recTicks int      // ticks since it began

	text *ebiten.Image // scratch for overlay text
}

// slowEvery is slow motion's ratio: one update every slowEvery ticks.
const slowEvery = 4

// noticeTime is how long a notice stays on screen.
const noticeTime = 6 * time.Second

// handleDevKeys reads the author keys once per Update (none with
// Options.NoDevKeys).
func (g *Game) handleDevKeys() {
	if g.opts.NoDevKeys {
		return
	}
	d := &g.dev
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyP):
		d.paused = !d.paused
		g.redraw = true
	case inpututil.IsKeyJustPressed(ebiten.KeyPeriod) && d.paused:
		d.step = true
	case inpututil.IsKeyJustPressed(ebiten.KeyComma):
		d.slow = !d.slow
		g.setNotice(map[bool]string{true: "slow motion: 1/4 speed (comma again: normal)", false: "normal speed"}[d.slow], false)
	case inpututil.IsKeyJustPressed(ebiten.KeyF3):
		d.overlay = !d.overlay
		g.redraw = true
	case inpututil.IsKeyJustPressed(ebiten.KeyF12):
		g.screenshotKey()
	case inpututil.IsKeyJustPressed(ebiten.KeyF9):
		g.recordKey()
	}
}

// runsThisTick applies pause, single step and slow motion to a tick.
func (g *Game) runsThisTick() bool {
	d := &g.dev
	if d.paused {
		if d.step {
			d.step = false
			return true
		}
		return false
	}
	if d.slow {
		d.slowTick++
		return d.slowTick%slowEvery == 1
	}
	return true
}

// setNotice shows a banner for a while: bad for errors.
func (g *Game) setNotice(msg string, bad bool) {
	msg = safetext.Clean(msg) // it may quote a cart's name or error
	g.dev.notice, g.dev.noticeBad, g.dev.noticeUntil = msg, bad, time.Now().Add(noticeTime)
	g.redraw = true
}

// shotBase returns where captures go and how they are named: next to the
// cart's file when it has one, else the user's pictures directory.
func (g *Game) shotBase() string {
	stamp := time.Now().Format("20060102-150405")
	dir := g.opts.CaptureDir
	if dir == "" {
		dir = picturesDir()
	}
	return filepath.Join(dir, g.name+"-"+stamp)
}

func (g *Game) screenshotKey() {
	if g.cart == nil || g.err != nil {
		return
	}
	img, err := g.cart.Snapshot()
	if err != nil {
		g.setNotice("screenshot: "+err.Error(), true)
		return
	}
	saved, err := saveScreenshot(img, g.shotBase())
	if err != nil {
		g.setNotice("screenshot: "+err.Error(), true)
		return
	}
	g.setNotice("screenshot saved: "+strings.Join(saved, ", "), false)
}

func (g *Game) recordKey() {
	d := &g.dev
	if d.rec == nil {
		if g.cart == nil || g.err != nil {
			return
		}
		d.rec, d.recTicks = newRecorder(), 0
		g.setNotice(fmt.Sprintf("recording %s (F9 stops it; at most %ds)", recordingKind, maxRecordFrames/recordFPS), false)
		return
	}
	rec := d.rec
	d.rec = nil
	g.setNotice("encoding "+recordingKind+"...", false)
	base := g.shotBase()
	go func() {
		where, err := rec.save(base)
		g.mu.Lock()
		defer g.mu.Unlock()
		if err != nil {
			g.pendingNotice = &pendingNotice{"recording: " + err.Error(), true}
		} else {
			g.pendingNotice = &pendingNotice{fmt.Sprintf("saved %s (%d frames)", where, rec.frames()), false}
		}
	}()
}

// pendingNotice carries a notice from another goroutine to Update.
type pendingNotice struct {
	msg string
	bad bool
}

// captureTick feeds a running recording after an update: every second
// tick's frame, recordFPS a second.
func (g *Game) captureTick() {
	d := &g.dev
	if d.rec == nil || g.cart == nil {
		return
	}
	d.recTicks++
	if d.recTicks%2 != 1 {
		return
	}
	img, err := g.cart.Snapshot()
	if err != nil {
		return
	}
	if full := d.rec.add(img); full {
		g.recordKey() // the cap: stop and save
	}
}

var (
	overlayBackground = color.RGBA{0, 0, 0, 0xb0}
	noticeGood        = color.RGBA{0x10, 0x50, 0x30, 0xe0}
	noticeBadColor    = color.RGBA{0x80, 0x10, 0x20, 0xe0}
)

// noticeShown reports whether the notice is up.
func (d *devtools) noticeShown() bool { return d.notice != "" && time.Now().Before(d.noticeUntil) }

// marked reports whether a mark (paused, slow, recording) shows.
func (d *devtools) marked() bool { return d.paused || d.slow || d.rec != nil }

// devShows reports whether drawDev draws anything over the frame.
func (g *Game) devShows() bool {
	d := &g.dev
	return d.noticeShown() || d.marked() || (d.overlay && g.cart != nil)
}

// drawDev draws the overlay, the notice and the status marks.
func (g *Game) drawDev(screen *ebiten.Image) {
	d := &g.dev
	if !g.devShows() {
		return
	}
	scale := uiScale(screen.Bounds().Dx(), screen.Bounds().Dy(), glyphW*24, glyphH*2)
	y := 0
	if d.noticeShown() {
		bg := noticeGood
		if d.noticeBad {
			bg = noticeBadColor
		}
		cols := screen.Bounds().Dx()/scale/glyphW - 2 // textBox's margins
		y += g.textBox(screen, wrap(d.notice, cols), 0, 0, scale, bg, true)
	}
	if d.marked() {
		var marks []string
		if d.paused {
			marks = append(marks, "PAUSED (P resumes, . steps)")
		}
		if d.slow {
			marks = append(marks, "SLOW x1/4")
		}
		if d.rec != nil {
			marks = append(marks, fmt.Sprintf("REC %.1fs", float64(d.rec.frames())/recordFPS))
		}
		y += g.textBox(screen, []string{strings.Join(marks, "   ")}, 0, y, scale, overlayBackground, false)
	}
	if d.overlay && g.cart != nil {
		u, work, p := g.cart.UpdateTiming(), g.cart.WorkTiming(), g.cart.UploadTiming()
		w, h := g.cart.Size()
		lines := []string{
			fmt.Sprintf("FPS %5.1f  TPS %5.1f", ebiten.ActualFPS(), ebiten.ActualTPS()),
			fmt.Sprintf("update      %6dus (median of %d)", u.P50.Microseconds(), min(u.Count, statsWindow)),
			fmt.Sprintf(" in %-8s %6dus (mean)", g.cart.Engine(), work.Mean.Microseconds()),
			fmt.Sprintf("pack+upload %6dus (median of %d)", p.P50.Microseconds(), min(p.Count, statsWindow)),
			fmt.Sprintf("memory %d KiB", g.cart.MemorySize()>>10),
			fmt.Sprintf("%dx%d %s (%s, %s engine)", w, h, g.cart.Format(), g.cart.Mode(), g.cart.Engine()),
			fmt.Sprintf("frame %d", g.cart.Frames()),
		}
		g.textBox(screen, lines, 0, y, scale, overlayBackground, false)
	}
}

// statsWindow is the number of samples cart timings cover.
const statsWindow = 600

// textBox draws lines of text on a background box at (x, y) of
// the screen, scaled; wide spans the screen's width. It returns the box
// height in screen pixels.
func (g *Game) textBox(screen *ebiten.Image, lines []string, x, y, scale int, bg color.Color, wide bool) int {
	cols := 0
	for _, l := range lines {
		cols = max(cols, len(l))
	}
	w, h := (cols+2)*glyphW, len(lines)*glyphH+4
	if wide {
		w = max(w, screen.Bounds().Dx()/scale)
	}
	if g.dev.text == nil || g.dev.text.Bounds().Dx() < w || g.dev.text.Bounds().Dy() < h {
		if g.dev.text != nil {
			g.dev.text.Deallocate()
		}
		g.dev.text = ebiten.NewImage(max(w, 256), max(h, 64))
	}
	img := g.dev.text.SubImage(image.Rect(0, 0, w, h)).(*ebiten.Image)
	img.Fill(bg)
	drawText(img, strings.Join(lines, "\n"), glyphW, 2)
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(float64(scale), float64(scale))
	op.GeoM.Translate(float64(x), float64(y))
	screen.DrawImage(img, &op)
	return h * scale
}
