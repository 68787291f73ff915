package game

import (
	"fmt"
	"image"
	"image/color"
	"os"
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

	rec      recorder        // F9's, while it records
	recSize  image.Point     // its frames' size, once the first came
	bases    map[string]bool // the captures' names given (shotBase)
	recTicks int             // ticks since it began

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

// Notice returns the banner shown now, "" when none is.
func (g *Game) Notice() string {
	if time.Now().After(g.dev.noticeUntil) {
		return ""
	}
	return g.dev.notice
}

// setNotice shows a banner for a while: bad for errors.
func (g *Game) setNotice(msg string, bad bool) {
	msg = safetext.Clean(msg) // it may quote a cart's name or error
	g.dev.notice, g.dev.noticeBad, g.dev.noticeUntil = msg, bad, time.Now().Add(noticeTime)
	g.redraw = true
}

// shotBase returns where captures go and how they are named: next to the
// cart's file when it has one, else the user's pictures directory; a
// second capture within the same second gets "-2" (and so on), so that
// no file made with one of exts after it is overwritten, nor one a
// recording still being encoded will write (the names given are kept).
func (g *Game) shotBase(exts ...string) string {
	stamp := time.Now().Format("20060102-150405")
	dir := g.opts.CaptureDir
	if dir == "" {
		dir = picturesDir()
	}
	base := filepath.Join(dir, g.name+"-"+stamp)
	for n := 2; n < 1000 && (g.dev.bases[base] || anyExists(base, exts)); n++ {
		base = filepath.Join(dir, fmt.Sprintf("%s-%s-%d", g.name, stamp, n))
	}
	if g.dev.bases == nil {
		g.dev.bases = map[string]bool{}
	}
	g.dev.bases[base] = true
	return base
}

// anyExists reports whether a file base+ext exists for one of exts.
func anyExists(base string, exts []string) bool {
	for _, ext := range exts {
		if _, err := os.Lstat(base + ext); err == nil {
			return true
		}
	}
	return false
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
	saved, err := saveScreenshot(img, g.shotBase(screenshotExts...))
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
		d.rec, d.recTicks, d.recSize = newRecorder(), 0, image.Point{}
		g.setNotice(fmt.Sprintf("recording %s (F9 stops it; at most %ds)", recordingKind, maxRecordFrames/recordFPS), false)
		return
	}
	g.stopRecording("")
}

// stopRecording ends the recording and saves it in the background; why,
// when not "", says why it ended before F9 did.
func (g *Game) stopRecording(why string) {
	d := &g.dev
	rec := d.rec
	d.rec = nil
	g.setNotice("encoding "+recordingKind+"...", false)
	base := g.shotBase(recordingExt)
	if why != "" {
		why = ": " + why
	}
	g.saving.Add(1) // Close waits for it
	go func() {
		defer g.saving.Done()
		where, err := rec.save(base)
		g.mu.Lock()
		defer g.mu.Unlock()
		if err != nil {
			g.pendingNotice = &pendingNotice{"recording: " + err.Error(), true}
		} else {
			g.pendingNotice = &pendingNotice{fmt.Sprintf("saved %s (%d frames)%s", where, rec.frames(), why), false}
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
	// A recording is of one size: a cart that resizes its frame ends it
	// (a GIF's frames and a video's are the first frame's size).
	if size := img.Rect.Size(); d.recSize == (image.Point{}) {
		d.recSize = size
	} else if size != d.recSize {
		g.stopRecording(fmt.Sprintf("the frame changed size, from %dx%d to %dx%d", d.recSize.X, d.recSize.Y, size.X, size.Y))
		return
	}
	if full := d.rec.add(img); full != "" {
		g.stopRecording(full)
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
	sb := screen.Bounds()
	scale := uiScale(sb.Dx(), sb.Dy(), glyphW*24, glyphH*2)
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
	notice := ""
	if d.noticeShown() {
		notice = d.notice
	}
	// Beside the frame where there is room (not on the touch controls);
	// over it where there is none.
	pl := placeNotes(sb, g.notesArea, g.shownFrame, scale, notice, strings.Join(marks, "   "))
	y := pl.band.Min.Y
	if notice != "" {
		bg := noticeGood
		if d.noticeBad {
			bg = noticeBadColor
		}
		y += g.textBox(screen, pl.notice, pl.band.Min.X, y, pl.scale, bg, pl.band.Dx())
	}
	if len(pl.marks) > 0 {
		y += g.textBox(screen, pl.marks, pl.band.Min.X, y, pl.scale, overlayBackground, 0)
	}
	if f := g.shownFrame; pl.beside && (pl.band.Min.Y >= f.Max.Y || pl.band.Min.X >= f.Max.X) {
		y = 0 // the notes went below or right of the frame: the overlay starts at the top
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
		g.textBox(screen, lines, 0, y, scale, overlayBackground, 0)
	}
}

// notesPlacement is where drawDev puts the notice and the marks.
type notesPlacement struct {
	band          image.Rectangle // on the screen; they start at its top left
	scale         int
	notice, marks []string // wrapped to the band
	beside        bool     // the band is beside the frame, not over it
}

// placeNotes places the notice and the marks (either may be empty) on a
// screen that shows frame within area (frame empty: nothing to keep
// clear). They go in the first band of area beside the frame, above,
// below, left or right of it, that holds them at a text scale from scale
// down to 1, wrapped to its width; where none does, over the top of the
// screen at scale, as a TV or an emulator shows its messages over the
// picture.
func placeNotes(screen, area, frame image.Rectangle, scale int, notice, marks string) notesPlacement {
	lay := func(band image.Rectangle, scale int) (notesPlacement, bool) {
		cols := band.Dx()/scale/glyphW - 2 // textBox's margins
		p := notesPlacement{band: band, scale: scale}
		h := 0
		if notice != "" {
			p.notice = wrap(notice, cols)
			h += len(p.notice)*glyphH + 4
		}
		if marks != "" {
			p.marks = wrap(marks, cols)
			h += len(p.marks)*glyphH + 4
		}
		return p, cols >= 8 && h*scale <= band.Dy()
	}
	if !frame.Empty() {
		// Literals, not image.Rect, which would turn a band the frame
		// leaves no room for inside out into one over the frame.
		bands := []image.Rectangle{
			{area.Min, image.Pt(area.Max.X, frame.Min.Y)},
			{image.Pt(area.Min.X, frame.Max.Y), area.Max},
			{area.Min, image.Pt(frame.Min.X, area.Max.Y)},
			{image.Pt(frame.Max.X, area.Min.Y), area.Max},
		}
		for _, b := range bands {
			if b = b.Intersect(area); b.Empty() {
				continue
			}
			for s := scale; s >= 1; s-- {
				if p, ok := lay(b, s); ok {
					p.beside = true
					return p
				}
			}
		}
	}
	p, _ := lay(screen, scale)
	return p
}

// statsWindow is the number of samples cart timings cover.
const statsWindow = 600

// textBox draws lines of text on a background box at (x, y) of
// the screen, scaled, at least width screen pixels wide. It returns the
// box height in screen pixels.
func (g *Game) textBox(screen *ebiten.Image, lines []string, x, y, scale int, bg color.Color, width int) int {
	cols := 0
	for _, l := range lines {
		cols = max(cols, len(l))
	}
	w, h := max((cols+2)*glyphW, width/scale), len(lines)*glyphH+4
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
