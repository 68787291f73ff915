package game

import (
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// A pacer drives the game at exactly TPS updates a second and presents at
// most once per update. Ebitengine runs in FPSModeVsyncOffMinimum, where
// it calls Update and Draw only when asked: a ticker asks TPS times a
// second. Left to itself, a game without vsync (Xvfb, some drivers) is
// drawn and presented hundreds of times a second; this way a tick whose
// update left the frame unchanged draws nothing, and Ebitengine, seeing an
// untouched screen, presents nothing.
//
// Input events also wake Ebitengine in this mode; those extra Update calls
// find no tick due and do nothing, so carts keep their 60 updates a second.
type pacer struct {
	due  atomic.Int64 // ticks the ticker has asked for
	done int64        // ticks run
	stop chan struct{}
}

// maxCatchUp bounds the ticks run in one Update after a stall, so a slow
// moment does not turn into a burst of updates.
const maxCatchUp = 4

func startPacer() *pacer {
	p := &pacer{stop: make(chan struct{})}
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	go func() {
		t := time.NewTicker(time.Second / TPS)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.due.Add(1)
				ebiten.ScheduleFrame()
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

// take returns how many ticks to run now.
func (p *pacer) take() int {
	due := p.due.Load()
	n := due - p.done
	if n > maxCatchUp {
		p.done = due - maxCatchUp
		n = maxCatchUp
	}
	if n < 0 {
		n = 0
	}
	p.done += n
	return int(n)
}

func (p *pacer) close() { close(p.stop) }
