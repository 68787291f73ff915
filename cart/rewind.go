package cart

import (
	"bytes"
	"fmt"

	"github.com/ebicart/ebicart/internal/bytesize"
)

// The rewind history: a save state (a keyframe) every one to four seconds
// of play (bigger states less often), and the input of every update since the oldest. Going back to a
// frame loads the keyframe before it and runs the recorded inputs up to
// it: a cart is a function of its inputs, so the frames are the ones
// played. Shown backwards, each keyframe's stretch is run once and its
// frames kept, so rewinding costs about one update per frame shown.

// Defaults of Options.Rewind.
const (
	DefaultRewindSeconds = 30
	DefaultRewindBudget  = 64 << 20
)

// maxRewindSeconds caps Options.RewindSeconds: a day of updates, whose
// count fits the history's frame numbers (the budget ends it sooner).
const maxRewindSeconds = 24 * 60 * 60

type keyframe struct {
	frame uint32 // updates run when it was taken
	state []byte
	disk  []byte // the cart's save then (Cart.disk)
}

type rewinder struct {
	seconds  int
	budget   uint64
	started  bool   // the first update has run: keyframes may begin
	interval uint32 // frames between keyframes
	keys     []keyframe
	bytes    uint64 // the keyframes' size
	base     uint32 // the frame of inputs[0]
	inputs   []Input
	off      bool

	// While rewinding: the frame shown, and the frames of the stretch
	// from segFrom on, packed.
	active  bool
	pos     uint32
	segFrom uint32
	seg     [][]byte
	segW    int
	segH    int
}

func newRewinder(seconds int, budget uint64) *rewinder {
	if seconds <= 0 {
		seconds = DefaultRewindSeconds
	}
	seconds = min(seconds, maxRewindSeconds)
	if budget == 0 {
		budget = DefaultRewindBudget
	}
	return &rewinder{seconds: seconds, budget: budget}
}

// before runs before update number frame with input in: it takes a
// keyframe when one is due and records the input.
func (r *rewinder) before(c *Cart, frame uint32, in Input) {
	if r.off {
		return
	}
	if !r.started {
		// The first keyframe waits for the first frame, which saving a
		// big state (a Go cart's megabytes) would otherwise hold back:
		// the history starts an update later.
		r.started = true
		return
	}
	if len(r.keys) == 0 || frame-r.keys[len(r.keys)-1].frame >= r.interval {
		if mem := c.client.Result().MemSize; mem > 4*r.budget {
			// Saving a state reads the whole memory: for gigabytes that
			// is seconds, and more memory than the worker may have, each
			// time. The size of the state is not needed to say no, at
			// the first keyframe or at a later one of a cart that grew.
			r.switchOff(c, fmt.Sprintf("rewind is off: this cart's memory is %s, over four times the %s budget", bytesize.Text(mem), bytesize.Text(r.budget)))
			return
		}
		state, err := c.saveState()
		if err != nil {
			r.switchOff(c, fmt.Sprintf("rewind is off: %v", err))
			return
		}
		if len(r.keys) == 0 {
			// One keyframe a second; fewer for big states, whose saving
			// costs more (a state is saved in about 3 ms a MiB): the cost
			// stays a few percent of the updates'.
			switch {
			case len(state) <= 256<<10:
				r.interval = 60
			case len(state) <= 1<<20:
				r.interval = 120
			default:
				r.interval = 240
			}
			keys := uint64(r.seconds*60)/uint64(r.interval) + 1
			if need := keys * uint64(len(state)); need > r.budget {
				r.switchOff(c, fmt.Sprintf("rewind is off: this cart's state is %s, and %d s of history would take %s, over the %s budget",
					bytesize.Text(uint64(len(state))), r.seconds, bytesize.Text(need), bytesize.Text(r.budget)))
				return
			}
			r.base, r.inputs = frame, r.inputs[:0]
		}
		r.keys = append(r.keys, keyframe{frame, state, c.disk})
		r.bytes += uint64(len(state))
		r.trim(frame)
	}
	if i := int(frame - r.base); i == len(r.inputs) {
		r.inputs = append(r.inputs, in)
	}
}

// trim forgets history older than the seconds kept, and beyond the budget.
func (r *rewinder) trim(frame uint32) {
	keep := uint32(r.seconds * 60)
	for len(r.keys) > 1 && (frame-r.keys[1].frame >= keep || r.bytes > r.budget) {
		r.bytes -= uint64(len(r.keys[0].state))
		r.keys = r.keys[1:]
	}
	if drop := int(r.keys[0].frame - r.base); drop > 0 {
		r.inputs = r.inputs[:copy(r.inputs, r.inputs[drop:])]
		r.base = r.keys[0].frame
	}
}

func (r *rewinder) switchOff(c *Cart, notice string) {
	r.off, r.keys, r.inputs, r.bytes = true, nil, nil, 0
	c.log(notice)
}

// reset forgets the whole history: the cart was given a state, whose
// past is not the history's. The next update takes a keyframe.
func (r *rewinder) reset() {
	if r.off {
		return
	}
	r.keys, r.inputs, r.bytes = nil, r.inputs[:0], 0
	r.started = true
	r.active, r.seg = false, nil
}

// truncate forgets the history after frame (the cart went back there).
func (r *rewinder) truncate(frame uint32) {
	for len(r.keys) > 0 && r.keys[len(r.keys)-1].frame > frame {
		r.bytes -= uint64(len(r.keys[len(r.keys)-1].state))
		r.keys = r.keys[:len(r.keys)-1]
	}
	if len(r.keys) == 0 {
		r.inputs = r.inputs[:0]
		return
	}
	if n := int(frame - r.base); n >= 0 && n < len(r.inputs) {
		r.inputs = r.inputs[:n]
	}
	r.active, r.seg = false, nil
}

// keyBefore returns the last keyframe at or before frame.
func (r *rewinder) keyBefore(frame uint32) keyframe {
	k := r.keys[0]
	for _, key := range r.keys {
		if key.frame <= frame {
			k = key
		}
	}
	return k
}

// image is the frame shown while rewinding.
func (r *rewinder) image() ([]byte, int, int) {
	return r.seg[r.pos-r.segFrom], r.segW, r.segH
}

// RewindHistory returns how many updates back Rewind can go now.
func (c *Cart) RewindHistory() int {
	r := c.rewind
	if r == nil || r.off || len(r.keys) == 0 {
		return 0
	}
	pos := c.client.Result().Frames
	if r.active {
		pos = r.pos
	}
	return int(pos - r.keys[0].frame)
}

// Rewind steps the cart back one update through its history
// (Options.Rewind), showing the frame it had then, silently; call it once
// a tick for as long as the player holds the rewind key. The next Update
// plays on from the frame shown, which is then exactly the state the cart
// had, its sound chip (and AudioOut's sound) included, and its save is
// the one it had made by that frame: the updates Rewind runs again write
// no save. It returns false when the history goes no further back.
func (c *Cart) Rewind() (bool, error) {
	r := c.rewind
	if c.err != nil || r == nil || r.off || len(r.keys) == 0 {
		return false, c.err
	}
	cur := c.client.Result().Frames
	if !r.active {
		r.active, r.pos, r.seg = true, cur, nil
		if c.sound != nil {
			c.sound.player.SetVolume(0) // rewinding is silent
		}
	}
	if r.pos == 0 || r.pos-1 < r.keys[0].frame {
		return false, nil
	}
	target := r.pos - 1
	if r.seg == nil || target < r.segFrom || int(target-r.segFrom) >= len(r.seg) {
		// Run the stretch from the keyframe before target to the frame
		// shown, keeping its frames.
		k := r.keyBefore(target)
		if err := c.replayTo(k, r.pos-1, false, func(pix []byte, w, h int) {
			r.seg = append(r.seg, append([]byte(nil), pix...))
			r.segW, r.segH = w, h
		}); err != nil {
			return false, err
		}
		r.segFrom = k.frame
	}
	r.pos = target
	c.dirty = true
	return true, nil
}

// replayTo loads keyframe k and runs the recorded inputs up to update
// number to; each frame from k's on goes to frame, when set. With sound,
// the sound chip is set to k's and given the tones on the way (it plays
// the last of them); without, the run is silent.
func (c *Cart) replayTo(k keyframe, to uint32, sound bool, frame func(pix []byte, w, h int)) error {
	r := c.rewind
	r.seg = r.seg[:0]
	// The updates run again wrote their saves the first time: written
	// again they would put older data over the cart's save.
	c.resim, c.resimSaved, c.resimDisk = true, false, nil
	defer func() { c.resim = false }()
	if err := c.loadState(k.state, false); err != nil {
		return err
	}
	if sound && c.sound != nil {
		if _, snd, err := splitState(k.state); err == nil && len(snd) > 0 {
			c.sound.apu.SetState(snd)
		}
	} else {
		c.muted = true
		defer func() { c.muted = false }()
	}
	for f := k.frame; ; f++ {
		if frame != nil {
			pix, w, h, err := c.frame()
			if err != nil {
				return err
			}
			frame(pix, w, h)
		}
		if f >= to {
			return nil
		}
		if err := c.tick(r.inputs[f-r.base]); err != nil {
			return err
		}
	}
}

// resume ends a rewind: the cart becomes what it was at the frame shown,
// and the history after it is forgotten.
func (c *Cart) resume() error {
	r := c.rewind
	r.active = false
	if c.sound != nil {
		c.sound.player.SetVolume(1)
	}
	pos := r.pos
	k := r.keyBefore(pos)
	if err := c.replayTo(k, pos, true, nil); err != nil {
		return err
	}
	// The save goes back with the cart: the one it had made by the
	// frame it plays on from, as the history after it is forgotten.
	disk := k.disk
	if c.resimSaved {
		disk = c.resimDisk
	}
	if !bytes.Equal(disk, c.disk) {
		c.disk = disk
		c.newSaver()
		c.saver.save(disk, false)
	}
	r.truncate(pos)
	r.seg = nil
	if c.recorder != nil {
		c.truncateRecording(pos)
	}
	if c.player != nil && c.replaySrc != nil {
		c.player = replayPlayer(c.replaySrc)
	}
	c.dirty = true
	return nil
}
