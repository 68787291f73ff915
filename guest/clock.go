package guest

import (
	"encoding/binary"
	"math/rand/v2"
)

// clock is a cart's virtual time and randomness, the same on every engine
// and in every run given the same start and seed:
//
//   - the monotonic clock reads frame/60 s at the start of update number
//     frame (but never 0: 1 ns instead), and advances within an update by exactly what poll_oneoff
//     clock subscriptions ask to sleep (the sleep returns at once); the next
//     update starts at the later of its own time and that;
//   - the realtime clock is start plus the monotonic clock;
//   - random_get reads a ChaCha8 stream seeded with seed.
type clock struct {
	start uint64 // Unix time of the realtime clock's origin, in ns
	mono  uint64 // ns since boot
	rng   *rand.ChaCha8
}

func newClock(start, seed uint64) clock {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return clock{start: start, rng: rand.NewChaCha8(s)}
}

// frameTime is the time at which update number frame starts.
func frameTime(frame uint32) uint64 { return uint64(frame) * 1_000_000_000 / 60 }

// beginUpdate moves the clock to the start of update number frame.
func (c *clock) beginUpdate(frame uint32) { c.mono = max(c.mono, frameTime(frame)) }

func (c *clock) realtime() uint64 { return sat(c.start, c.mono) }

// monotonic is what the monotonic clock reads: the virtual time, except
// that it never reads 0, which Go's runtime takes for a broken clock: time
// 0 (the boot, the first update) reads 1 ns.
func (c *clock) monotonic() uint64 { return max(c.mono, 1) }

// deadline is the monotonic time at which a clock subscription on clock id
// for timeout fires: timeout from now, or at timeout when absolute.
func (c *clock) deadline(id uint32, timeout uint64, absolute bool) uint64 {
	switch {
	case !absolute:
		return sat(c.mono, timeout)
	case id == clockRealtime:
		if timeout < c.start {
			return 0
		}
		return timeout - c.start
	}
	return timeout
}

// sleepUntil advances the clock to t, if it is later.
func (c *clock) sleepUntil(t uint64) { c.mono = max(c.mono, t) }

func (c *clock) random(b []byte) { c.rng.Read(b) }

// sat adds without wrapping.
func sat(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}
