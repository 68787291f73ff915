package apu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// stateSize is the size of an APU state: a format byte, the frame count,
// the synthesiser's clock and update count, and the four channels.
const stateSize = 1 + 8 + 8 + 8 + 4*channelSize

// channelSize is the size of one channel's state.
const channelSize = 4 + 4 + 6*8 + 2 + 2 + 4 + 1 + 4 + 2 + 2

// stateFormat is the first byte of a state; a state of another format
// (the synthesiser before it followed WASM-4's) is refused.
const stateFormat = 2

// State returns the sound chip's state at the end of the last committed
// frame, for a save state: what the synthesiser will be when the reader
// has caught up, with every committed tone applied. Audio not yet read is
// not part of it.
func (a *APU) State() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.start()
	// Run a copy of the synthesiser to the end of the committed frames.
	cp := APU{synth: a.synth, started: true, queue: append([]event(nil), a.queue...), frames: a.frames}
	var scratch [2 * renderChunk]int16
	for end := a.frames * SamplesPerFrame; cp.synth.time < end; {
		n := min(int(end-cp.synth.time), renderChunk)
		cp.renderLocked(scratch[:2*n])
	}
	return cp.synth.state(a.frames)
}

// State returns the synthesiser's state, in the format of APU.State: a
// save state's sound, for a Synth a host gives SamplesPerFrame sample
// frames each update (Tone, Tick, Render), as WASM-4 does.
func (s *Synth) State() []byte { return s.state(s.ticks) }

// SetState makes the synthesiser what state, of APU.State or
// Synth.State, says.
func (s *Synth) SetState(state []byte) error {
	st, _, err := decodeState(state)
	if err != nil {
		return err
	}
	*s = st
	return nil
}

// state encodes s, with frames committed.
func (s *Synth) state(frames uint64) []byte {
	b := append(make([]byte, 0, stateSize), stateFormat)
	for _, v := range []uint64{frames, s.time, s.ticks} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	for _, c := range s.ch {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.freq1))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.freq2))
		for _, v := range []uint64{c.start, c.attack, c.decay, c.sustain, c.release, c.endTick} {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(c.sustainVol))
		b = binary.LittleEndian.AppendUint16(b, uint16(c.peakVol))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.phase))
		b = append(b, c.pan)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.duty))
		b = binary.LittleEndian.AppendUint16(b, c.seed)
		b = binary.LittleEndian.AppendUint16(b, uint16(c.lastRandom))
	}
	return b
}

// SetState makes the chip what state says (see State): the next Tick
// commits the frame after the state's. Queued tones and unread audio are
// dropped; the reader goes on with the state's sound.
func (a *APU) SetState(state []byte) error {
	s, frames, err := decodeState(state)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.synth, a.frames, a.started = s, frames, true
	a.open, a.queue = a.open[:0], a.queue[:0]
	return nil
}

// decodeState reads a state of State: the synthesiser and the frames
// committed.
func decodeState(state []byte) (Synth, uint64, error) {
	if len(state) != stateSize || state[0] != stateFormat {
		return Synth{}, 0, errors.New("apu: a state of another format")
	}
	b := state[1:]
	u16 := func() uint16 { v := binary.LittleEndian.Uint16(b); b = b[2:]; return v }
	u32 := func() uint32 { v := binary.LittleEndian.Uint32(b); b = b[4:]; return v }
	u64 := func() uint64 { v := binary.LittleEndian.Uint64(b); b = b[8:]; return v }
	f32 := func() float32 { return math.Float32frombits(u32()) }
	var s Synth
	frames := u64()
	s.time, s.ticks = u64(), u64()
	if s.time != frames*SamplesPerFrame || s.ticks != frames {
		return Synth{}, 0, errors.New("apu: a state whose clock is not at its frames' end")
	}
	for i := range s.ch {
		c := &s.ch[i]
		c.freq1, c.freq2 = f32(), f32()
		for _, v := range []*uint64{&c.start, &c.attack, &c.decay, &c.sustain, &c.release, &c.endTick} {
			*v = u64()
		}
		c.sustainVol, c.peakVol = int16(u16()), int16(u16())
		c.phase = f32()
		c.pan, b = b[0], b[1:]
		c.duty = f32()
		c.seed = u16()
		c.lastRandom = int16(u16())
		for _, v := range []float32{c.freq1, c.freq2, c.phase, c.duty} {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return Synth{}, 0, fmt.Errorf("apu: a state whose channel %d holds %v, which no tone makes", i, v)
			}
		}
	}
	return s, frames, nil
}
