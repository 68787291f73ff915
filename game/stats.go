package game

import (
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// statsWindow is the number of recent ticks the statistics cover.
const statsWindow = 600

// sampler keeps the last statsWindow durations in a ring, without
// allocating.
type sampler struct {
	buf [statsWindow]time.Duration
	n   int // samples ever added
}

func (s *sampler) add(d time.Duration) {
	s.buf[s.n%statsWindow] = d
	s.n++
}

// samples returns a copy of the samples in the ring, oldest first.
func (s *sampler) samples() []time.Duration {
	if s.n <= statsWindow {
		return slices.Clone(s.buf[:s.n])
	}
	i := s.n % statsWindow
	return append(slices.Clone(s.buf[i:]), s.buf[:i]...)
}

// percentile returns the p-th percentile (0..100) of the samples.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// Stats are the host's measurements of the running cart over the last 600
// ticks (10 seconds).
type Stats struct {
	Updates int // updates run since the cart started
	Uploads int // frames packed and uploaded

	UpdateP50, UpdateP95 time.Duration // the cart's update (and framebuffer) call
	UploadP50, UploadP95 time.Duration // packing plus WritePixels
	FrameP50, FrameP95   time.Duration // both, for ticks that uploaded

	FPS, TPS float64 // Ebitengine's draws and updates per second

	// Frame holds the per-frame host cost (update plus upload) of the
	// recent ticks, oldest first.
	Frame []time.Duration
}

// hostStats collects the game's measurements.
type hostStats struct {
	update, upload, frame sampler
	lastUpdate            time.Duration
}

// Stats returns the host's measurements. It allocates, unlike the
// recording, so call it when needed, not every frame.
func (g *Game) Stats() Stats {
	st := &g.stats
	s := Stats{Updates: st.update.n, Uploads: st.upload.n, FPS: ebiten.ActualFPS(), TPS: ebiten.ActualTPS()}
	pct := func(sm *sampler) (time.Duration, time.Duration, []time.Duration) {
		raw := sm.samples()
		sorted := slices.Clone(raw)
		slices.Sort(sorted)
		return percentile(sorted, 50), percentile(sorted, 95), raw
	}
	s.UpdateP50, s.UpdateP95, _ = pct(&st.update)
	s.UploadP50, s.UploadP95, _ = pct(&st.upload)
	s.FrameP50, s.FrameP95, s.Frame = pct(&st.frame)
	return s
}
