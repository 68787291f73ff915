package game

import (
	"image"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// latencyProbe is a game that notes, after each Draw, what the screen
// shows at frame pixel 0 of the input echo cart (its buttons byte), and
// how long after a key went down the first frame that shows it was drawn.
type latencyProbe struct {
	*Game
	mu     sync.Mutex
	downAt time.Time // when the pending key down was sent; zero when none
	shown  byte      // the pixel's red, as last drawn
	out    []time.Duration
	px     [4]byte
	drawn  chan byte     // the pixel's red after each Draw, when someone listens
	final  ebitest.Final // what the window shows, to read
}

func (p *latencyProbe) Draw(screen *ebiten.Image) {
	p.Game.Draw(screen)
	r := p.Game.FrameRect()
	if r.Dx() < 32 {
		return
	}
	s := r.Dx() / 32 // the 32x1 frame's scale
	x, y := r.Min.X+s/2, r.Min.Y+s/2
	// The frame may go straight onto the window: read what it shows.
	p.final.Draw(p.Game, screen).SubImage(image.Rect(x, y, x+1, y+1)).(*ebiten.Image).ReadPixels(p.px[:])
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shown = p.px[0]
	if !p.downAt.IsZero() && p.shown == 0x10 {
		p.out = append(p.out, time.Since(p.downAt))
		p.downAt = time.Time{}
	}
	select {
	case p.drawn <- p.shown:
	default:
	}
}

// waitShown waits until a Draw shows v at the pixel.
func (p *latencyProbe) waitShown(v byte) {
	for got := range p.drawn {
		if got == v {
			return
		}
	}
}

// BenchmarkKeyLatency measures, in a window (Xvfb), the time from a key
// down (xdotool, Z: the A button) to the first frame drawn that shows it,
// with the input echo cart: the median of 20 presses. Its browser twin is
// BenchmarkWebKeyLatency of the integration tests (make bench-web). The
// time starts as xdotool starts (xdotool-ms reports how long it ran), so
// the window's figure is, if anything, high: the page's starts at the
// browser's own time stamp of the key event.
func BenchmarkKeyLatency(b *testing.B) {
	xdo := ebitest.NeedXdotool(b)
	for b.Loop() {
		p := &latencyProbe{Game: New(loader(b, testcarts.GuestTestdata("input_echo")), "input_echo", Options{}), drawn: make(chan byte)}
		const presses = 20
		var pending atomic.Bool // a press or release on its way
		var xdoMu sync.Mutex
		var xdoTimes []time.Duration // how long each xdotool keydown ran
		tick := 0
		ebitest.RunUntil(b, p, 60*60, func() bool {
			tick++
			switch {
			case tick == 1:
				ebiten.SetWindowTitle("ebicart game tests")
			case tick == 10:
				ebitest.FocusWindow(xdo, "ebicart game tests", 100, 50)
			case tick > 30 && !pending.Load():
				p.mu.Lock()
				shown, n := p.shown, len(p.out)
				p.mu.Unlock()
				if n >= presses {
					return true
				}
				pending.Store(true)
				// Off the game loop: xdotool takes milliseconds to run.
				go func() {
					if shown == 0 {
						p.mu.Lock()
						p.downAt = time.Now()
						p.mu.Unlock()
						t0 := time.Now()
						xdo("keydown", "z")
						xdoMu.Lock()
						xdoTimes = append(xdoTimes, time.Since(t0))
						xdoMu.Unlock()
						p.waitShown(0x10)
					} else {
						xdo("keyup", "z")
						p.waitShown(0)
					}
					pending.Store(false)
				}()
			}
			return false
		})
		p.mu.Lock()
		out := slices.Clone(p.out)
		p.mu.Unlock()
		slices.Sort(out)
		med := out[len(out)/2]
		xdoMu.Lock()
		slices.Sort(xdoTimes)
		xmed := xdoTimes[len(xdoTimes)/2]
		xdoMu.Unlock()
		b.ReportMetric(float64(med.Microseconds())/1e3, "key-to-frame-ms")
		b.ReportMetric(float64(xmed.Microseconds())/1e3, "xdotool-ms")
		b.Logf("window: key down to the first frame showing it, median of %d: %v (all %v); of which xdotool's own run, median %v", len(out), med, out, xmed)
	}
}
