package cart

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/replay"
	"github.com/ebicart/ebicart/internal/digest"
)

// StateError is a save state that cannot be loaded into this cart: another
// cart's, another format version's, or not a state at all. The cart runs
// on as it was.
type StateError = guest.StateError

// stateMagic starts a cart's save state: the core's state (the cart's
// memory, globals, clocks, generator, disk) and the sound chip's.
const stateMagic = "ebicart-cart-state\n"

// SaveState returns the cart's state: everything its future depends on,
// in a format that loads on every engine (desktop or browser) and every
// ebicart of the same state format version, into the same cart.
func (c *Cart) SaveState() ([]byte, error) {
	b, err := c.saveState()
	if err == nil && c.recorder != nil {
		if c.recStates == nil {
			c.recStates = map[[digest.Size]byte]uint32{}
		}
		c.recStates[digest.Sum256(b)] = c.client.Result().Frames
	}
	return b, err
}

// saveState is SaveState, without noting the state as this session's
// (the rewind history's keyframes, which the recording follows itself).
func (c *Cart) saveState() ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.rewind != nil && c.rewind.active {
		if err := c.resume(); err != nil {
			return nil, err
		}
	}
	core, err := c.client.SaveState()
	if err != nil {
		return nil, wrap(c.Engine(), err)
	}
	var sound []byte
	if c.chip != nil {
		// The chip, not the sound playing: a state is the same whether
		// it plays (a window), is written (AudioOut) or neither.
		sound = c.chip.synth.State()
	}
	b := make([]byte, 0, len(stateMagic)+12+len(core)+len(sound))
	b = append(b, stateMagic...)
	b = binary.LittleEndian.AppendUint32(b, guest.StateVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(core)))
	b = append(b, core...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(sound)))
	return append(b, sound...), nil
}

// splitState reads a cart's state into the core's part and the sound's.
func splitState(state []byte) (core, sound []byte, err error) {
	if !bytes.HasPrefix(state, []byte(stateMagic)) {
		return nil, nil, &StateError{Reason: "not an ebicart save state"}
	}
	b := state[len(stateMagic):]
	if len(b) < 8 {
		return nil, nil, &StateError{Reason: "truncated"}
	}
	if v := binary.LittleEndian.Uint32(b); v != guest.StateVersion {
		return nil, nil, &StateError{Reason: fmt.Sprintf("it is of format version %d; this ebicart reads version %d: load it with the ebicart that saved it", v, guest.StateVersion)}
	}
	n := binary.LittleEndian.Uint32(b[4:])
	b = b[8:]
	if uint64(n)+4 > uint64(len(b)) {
		return nil, nil, &StateError{Reason: "truncated"}
	}
	core, b = b[:n], b[n:]
	m := binary.LittleEndian.Uint32(b)
	if uint64(m) != uint64(len(b)-4) {
		return nil, nil, &StateError{Reason: "truncated or too long"}
	}
	return core, b[4:], nil
}

// LoadState makes the cart what a save state says, from its frame on. A
// state of another cart or format is refused with a *StateError, and the
// cart runs on as it was, or stays stopped. A cart that had stopped (a
// trap, a deadline) runs again from a state that loads. An update past
// CPULimit (NotResponding) is ended first: any refused state, bytes that
// are no state at all included, leaves the cart stopped by its deadline.
// The cart's save file is not touched until it writes to its disk again.
// A recording goes back to the state's frame when this
// session saved the state and the recording still holds the inputs that
// led to it (no rewind or other state took it back before the state's
// frame since), and ends otherwise (RecordingLost). The rewind history
// starts again from the state.
func (c *Cart) LoadState(state []byte) error {
	return c.loadState(state, true)
}

func (c *Cart) loadState(state []byte, sound bool) error {
	if c.closed {
		return ErrClosed // not a stopped cart to boot again
	}
	core, snd, err := splitState(state)
	if err != nil {
		if c.slow {
			// Ended first, as for a state the core refuses: a refusal
			// leaves the cart stopped by its deadline, whatever refused it.
			c.Stop()
		}
		return err
	}
	c.slow = false // a stuck update is ended, and the state loads on a new worker
	if c.rewind != nil && sound && c.rewind.active {
		c.rewind.active = false
		if c.sound != nil {
			c.sound.player.SetVolume(1)
		}
	}
	err = c.client.LoadState(core)
	var se *StateError
	if err != nil && !errors.As(err, &se) {
		// The worker is gone (killed at a deadline, crashed): a new one.
		// Its start runs from the disk the cart was loaded with, and the
		// state replaces what it does: its saves would overwrite newer
		// ones, and its log lines are not the cart's.
		stopped := err // why the last core is gone
		c.quiet = true
		c.cfg.TickAhead = false // the state replaces what its first update would do
		client, berr := c.newCore(context.Background())
		if berr == nil {
			err = client.LoadState(core)
			if errors.As(err, &se) {
				// Refused (another cart's state): the cart stays
				// stopped, not started afresh by the new core.
				client.Close()
				c.quiet = false
				if c.err == nil { // an update past its limit, ended above
					c.err = wrap(c.Engine(), stopped)
				}
				return err
			}
			c.use(client)
		}
		c.quiet = false
		if berr != nil {
			c.err = berr
			return berr
		}
	}
	if err != nil {
		if !errors.As(err, &se) {
			c.err = wrap(c.Engine(), err)
		}
		return err
	}
	c.err = nil
	c.dirty = true
	c.bootTones = nil // start ran before the state's frames
	frame := c.client.Result().Frames
	if sound && c.sound != nil {
		if len(snd) > 0 {
			c.sound.apu.SetState(snd)
		} else {
			c.sound.apu.Reset()
		}
	}
	if c.chip != nil {
		// The chip (and AudioOut) go on from the state's sound, as the
		// player does: a note held across the state sounds on in it
		// too. So does a rewind's run from its keyframe.
		c.chip.set(snd)
	}
	if c.recorder != nil && sound {
		if f, ok := c.recStates[digest.Sum256(state)]; ok && f == frame {
			c.truncateRecording(frame)
		} else {
			c.recorder, c.recStates = nil, nil
			c.recLost = errors.New("a state this session did not save was loaded (a file, or an earlier run's quick slot), and a recording replays from the cart's start: this session has none")
		}
	}
	if c.rewind != nil && sound {
		// The history before the state is another timeline's (or none
		// the cart had, for a file): it starts again from the state.
		c.rewind.reset()
	}
	if c.player != nil && sound {
		c.player = replayPlayer(c.replaySrc) // it seeks forward to the state's frame
	}
	return nil
}

// truncateRecording takes the recording back to frame, and forgets the
// states saved after it: the inputs that led to them are no longer in it.
func (c *Cart) truncateRecording(frame uint32) {
	c.recorder.Truncate(frame)
	for h, f := range c.recStates {
		if f > frame {
			delete(c.recStates, h)
		}
	}
}

// replayPlayer plays r from its start.
func replayPlayer(r *Replay) *replay.Player { return replay.NewPlayer(r) }
