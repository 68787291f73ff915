package game

import (
	"testing"
	"time"
)

// TestPacer checks the ticks the pacer runs for frames at the rates
// displays and busy machines give: TPS a second from 60 Hz up, one a
// frame below.
func TestPacer(t *testing.T) {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	tests := []struct {
		name   string
		frames []time.Duration // the intervals between frames, repeated
		ticks  float64         // ticks a second, within 2%
	}{
		{"60 Hz", []time.Duration{ms(16.667)}, 60},
		{"60 Hz with jitter", []time.Duration{ms(15), ms(18.3), ms(16.2), ms(17.1)}, 60},
		{"75 Hz", []time.Duration{ms(13.333)}, 60},
		{"120 Hz", []time.Duration{ms(8.333)}, 60},
		{"144 Hz", []time.Duration{ms(6.944)}, 60},
		{"30 Hz: one a frame, no catching up", []time.Duration{ms(33.333)}, 30},
		{"a busy page at 17 Hz", []time.Duration{ms(40), ms(100), ms(35)}, 1000 / 58.333},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p pacer
			now := time.Unix(1000, 0)
			p.tick(now)
			var ticks int
			var elapsed time.Duration
			for i := 0; i < 3000; i++ {
				d := tc.frames[i%len(tc.frames)]
				now = now.Add(d)
				elapsed += d
				if p.tick(now) {
					ticks++
				}
			}
			got := float64(ticks) / elapsed.Seconds()
			if got < tc.ticks*0.98 || got > tc.ticks*1.02 {
				t.Errorf("%d ticks in %v: %.2f a second, want %.2f", ticks, elapsed, got, tc.ticks)
			}
		})
	}
}
