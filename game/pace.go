package game

import "time"

// pacer decides, once per animation frame, whether the cart ticks in it:
// the page's way of running TPS ticks a second (see paced).
//
// Ebitengine's own clock runs up to five ticks in one frame to catch up
// when frames come slower than TPS. In the browser each tick is a blocking
// round trip to the cart's Web Worker that carries a whole frame back, and
// only the last of them is drawn: on a busy machine, where animation
// frames come at 15-20 Hz, catching up made every frame three round trips
// long, which made the next animation frame later still, and the page
// showed a new frame on only about 0.7 of the browser's animation frames
// (docs/design.md, "The browser player, measured"). The pacer runs at most
// one tick per frame and drops time it cannot catch up: on a display of 60
// Hz or more the cart still ticks TPS times a second, and on a machine too
// slow for that it slows down rather than falling further behind.
type pacer struct {
	last time.Time     // the previous frame; zero before the first
	due  time.Duration // time owed to ticks, at most two ticks'
}

// tick reports whether the cart ticks in the frame that began at now.
func (p *pacer) tick(now time.Time) bool {
	const period = time.Second / TPS
	if p.last.IsZero() {
		p.last = now
		return true
	}
	d := now.Sub(p.last)
	p.last = now
	// Owing up to two ticks keeps the rate TPS at refresh rates that are
	// not multiples of it (75 Hz: four ticks in five frames); more is
	// time a frame too slow for TPS could never pay back.
	p.due = min(p.due+max(d, 0), 2*period)
	// A frame that comes up to a quarter of a tick early still ticks: a
	// 60 Hz display's frames jitter around the tick's period, and a tick
	// skipped for that would show as a stutter. The early part is owed
	// back (due goes below zero), so the rate stays TPS.
	if p.due < period*3/4 {
		return false
	}
	p.due -= period
	return true
}
