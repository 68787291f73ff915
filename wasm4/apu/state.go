package apu

import (
	"encoding/binary"
	"errors"
	"math"
)

// stateSize is the size of an APU state: the frame count and the four
// voices.
const stateSize = 8 + 4*voiceSize

// voiceSize is the size of one voice's state.
const voiceSize = 1 + 8 + 4*(8+8+8) + 8 + 8*8 + 8 + 8 + 2

// State returns the sound chip's state at the end of the last committed
// frame, for a save state: what the synthesiser will be when the reader
// has caught up, with every committed tone applied. Audio not yet read is
// not part of it.
func (a *APU) State() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	// Run a copy of the synthesiser to the end of the committed frames.
	s := a.synth
	queue := a.queue
	var scratch [2 * renderChunk]float32
	for end := a.frames * SamplesPerFrame; s.clock < end; {
		for len(queue) > 0 && queue[0].frame*SamplesPerFrame <= s.clock {
			e := queue[0]
			s.Tone(e.frequency, e.duration, e.volume, e.flags)
			queue = queue[1:]
		}
		n := min(int(end-s.clock), renderChunk)
		if len(queue) > 0 {
			n = min(n, int(queue[0].frame*SamplesPerFrame-s.clock))
		}
		s.Render(scratch[:2*n])
	}
	for _, e := range queue { // tones of the last frame, due at its end
		s.Tone(e.frequency, e.duration, e.volume, e.flags)
	}
	b := binary.LittleEndian.AppendUint64(make([]byte, 0, stateSize), a.frames)
	for _, v := range s.v {
		b = appendBool(b, v.active)
		b = binary.LittleEndian.AppendUint64(b, uint64(v.t))
		for _, sg := range v.seg {
			b = binary.LittleEndian.AppendUint64(b, uint64(sg.n))
			b = appendFloat(b, sg.from)
			b = appendFloat(b, sg.to)
		}
		b = binary.LittleEndian.AppendUint64(b, uint64(v.total))
		for _, f := range []float64{v.f0, v.slope, v.duty, v.hi, v.lo, v.gl, v.gr, v.phase} {
			b = appendFloat(b, f)
		}
		b = appendFloat(b, v.nphase)
		b = binary.LittleEndian.AppendUint64(b, 0) // reserved
		b = binary.LittleEndian.AppendUint16(b, v.lfsr)
	}
	return b
}

// SetState makes the chip what state says (see State): the next Tick
// commits the frame after the state's. Queued tones and unread audio are
// dropped; the reader goes on with the state's sound.
func (a *APU) SetState(state []byte) error {
	if len(state) != stateSize {
		return errors.New("apu: a state of another size")
	}
	var s Synth
	frames := binary.LittleEndian.Uint64(state)
	b := state[8:]
	u64 := func() uint64 { v := binary.LittleEndian.Uint64(b); b = b[8:]; return v }
	f64 := func() float64 { return math.Float64frombits(u64()) }
	for i := range s.v {
		v := &s.v[i]
		v.active, b = b[0] == 1, b[1:]
		v.t = int(u64())
		for j := range v.seg {
			v.seg[j] = segment{int(u64()), f64(), f64()}
		}
		v.total = int(u64())
		for _, f := range []*float64{&v.f0, &v.slope, &v.duty, &v.hi, &v.lo, &v.gl, &v.gr, &v.phase} {
			*f = f64()
		}
		v.nphase = f64()
		u64()
		v.lfsr, b = binary.LittleEndian.Uint16(b), b[2:]
	}
	s.clock = frames * SamplesPerFrame
	a.mu.Lock()
	defer a.mu.Unlock()
	a.synth, a.frames = s, frames
	a.open, a.queue = a.open[:0], a.queue[:0]
	return nil
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}
