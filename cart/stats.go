package cart

import (
	"slices"
	"time"
)

// statsWindow is the number of recent samples Stats covers.
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

// stats holds the host's timings of a cart: its update calls, their work
// where the cart runs, and the packing and upload of its frames.
type stats struct {
	update, work, upload sampler
}

// Timing summarises recent samples of one measurement.
type Timing struct {
	Count    int             // samples ever taken
	P50, P95 time.Duration   // over the last 600
	Mean     time.Duration   // over the last 600: exact where the clock is coarse (a Web Worker's is to 0.1 ms)
	Samples  []time.Duration // the last 600, oldest first
}

func (s *sampler) timing() Timing {
	raw := s.samples()
	sorted := slices.Clone(raw)
	slices.Sort(sorted)
	pct := func(p int) time.Duration {
		if len(sorted) == 0 {
			return 0
		}
		return sorted[min(len(sorted)-1, len(sorted)*p/100)]
	}
	var sum time.Duration
	for _, d := range raw {
		sum += d
	}
	var mean time.Duration
	if len(raw) > 0 {
		mean = sum / time.Duration(len(raw))
	}
	return Timing{Count: s.n, P50: pct(50), P95: pct(95), Mean: mean, Samples: raw}
}

// UpdateTiming reports how long the cart's updates take (update and
// framebuffer calls, the descriptor check and the change check).
func (c *Cart) UpdateTiming() Timing { return c.stats.update.timing() }

// WorkTiming reports how long the same updates take where the cart runs
// (its worker process, its Web Worker, or this process): UpdateTiming
// without the round trip to it.
func (c *Cart) WorkTiming() Timing { return c.stats.work.timing() }

// UploadTiming reports how long packing and uploading its changed frames
// takes.
func (c *Cart) UploadTiming() Timing { return c.stats.upload.timing() }

// Counts reports how many updates the cart has run and how many of its
// frames were uploaded: the Count of UpdateTiming and of UploadTiming,
// without copying and sorting their samples, for a caller that polls.
func (c *Cart) Counts() (updates, uploads int) { return c.stats.update.n, c.stats.upload.n }
