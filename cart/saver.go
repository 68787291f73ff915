package cart

import (
	"sync"
	"time"
)

// saveSpacing is the least time between two writes of a cart's save: at
// most two a second reach the store (and the disk's fsync), however often
// the cart writes; the last is never more than this late.
const saveSpacing = 500 * time.Millisecond

// saver coalesces a cart's saves: each reaches the store at once if the
// last write is saveSpacing old, else when it is; Close writes what is
// pending. The saves come from the core as the cart makes them, so a cart
// whose worker is killed loses nothing it reported.
type saver struct {
	store SaveStore
	key   string
	log   func(string)

	mu      sync.Mutex
	pending []byte
	dirty   bool
	last    time.Time
	timer   *time.Timer
	writes  int   // writes made, for tests
	saves   int   // saves the cart made
	err     error // the last write's
}

// lastErr is the last write's error, nil once one succeeded.
func (s *saver) lastErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// save keeps data, the cart's save, written now or soon; byCart says
// the cart wrote it (Saves counts it), not a rewind that put it back.
func (s *saver) save(data []byte, byCart bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending, s.dirty = data, true
	if byCart {
		s.saves++
	}
	s.schedule()
}

// count is how many saves the cart made.
func (s *saver) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saves
}

// rewrite writes the latest save now, pending or written already.
func (s *saver) rewrite() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending != nil {
		s.writeLocked()
	}
}

// schedule writes now if the last write is old enough, else makes sure a
// timer will.
func (s *saver) schedule() {
	if wait := saveSpacing - time.Since(s.last); wait <= 0 {
		s.writeLocked()
	} else if s.timer == nil {
		s.timer = time.AfterFunc(wait, s.tick)
	}
}

// tick is the timer's: it writes what is pending, when it is its time.
func (s *saver) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timer = nil
	if s.dirty {
		s.schedule()
	}
}

// flush writes what is pending now.
func (s *saver) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dirty {
		s.writeLocked()
	}
}

func (s *saver) writeLocked() {
	s.dirty, s.last = false, time.Now()
	s.writes++
	s.err = s.store.Store(s.key, s.pending)
	if s.err != nil && s.log != nil {
		s.log(s.err.Error())
	}
}

// close writes what is pending and stops the timer.
func (s *saver) close() {
	s.mu.Lock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.mu.Unlock()
	s.flush()
}
