package apu

import (
	"encoding/binary"
	"io"
	"math"
	"sync"
)

// DefaultMaxBacklog is the default maximum number of committed but not yet
// rendered frames an APU holds (12 frames = 200 ms); see APU.SetMaxBacklog.
const DefaultMaxBacklog = 12

// renderChunk bounds how many sample frames APU.Render synthesises while
// holding the lock, so Tone and Tick on the update goroutine never wait
// long.
const renderChunk = 512

// event is a queued tone() call and the frame it was given in.
type event struct {
	frame                              uint64
	frequency, duration, volume, flags uint32
}

// APU is a WASM-4 sound chip for a host that calls tone() from its update
// goroutine and pulls samples from an audio goroutine. Create one with New;
// the zero value is also usable and equivalent to New().
//
// Time is counted in frames of 1/60 s. During an update the host calls Tone
// (the tone() import); after the update it calls Tick, which commits that
// frame: SamplesPerFrame (735) more sample frames become available to the
// reader, and the tones given during the update start at the first of them.
// Tones given before the first Tick belong to frame 0, and so on: the
// synthesised stream is a pure function of the tones and the frame in which
// each was given, however the reader's calls are timed.
//
// The reader (Render, Read or Float32Reader) never renders past the last
// committed frame. When it has consumed everything committed it pads its
// output with silence instead of blocking; the silence is not part of the
// synthesised stream and delays it. When more than the maximum backlog is
// committed but unread (the reader is stalled, slow, or absent), Tick
// synthesises and discards the oldest audio so the backlog, and the memory
// and latency it costs, stay bounded.
//
// All methods are safe for concurrent use: every field is guarded by one
// sync.Mutex. Tone and Tick hold it briefly; the reader holds it while
// synthesising at most 512 sample frames at a time (about 12 ms of audio,
// well under a millisecond of CPU), releasing it between chunks.
type APU struct {
	mu         sync.Mutex
	synth      Synth
	started    bool    // synth is past its power-on Reset
	open       []event // tones of the frame being updated, not yet committed
	queue      []event // committed tones not yet reached by the synth
	frames     uint64  // committed frames
	maxBacklog uint64  // frames
	silence    uint64  // padding frames the reader has produced
	scratch    []int16
	r16        *pcmReader // reader behind Read
}

// New returns a silent APU with the default maximum backlog.
func New() *APU {
	a := &APU{maxBacklog: DefaultMaxBacklog}
	a.synth.Reset()
	a.started = true
	return a
}

// start puts the synthesiser of a zero APU in its power-on state. a.mu
// must be held.
func (a *APU) start() {
	if !a.started {
		a.synth.Reset()
		a.started = true
	}
}

// Tone queues WASM-4's tone(frequency, duration, volume, flags) for the
// frame being updated: it starts when that frame is committed by Tick and
// replaces whatever the selected channel is playing at that point. See
// DecodeTone for the encoding of the arguments.
//
// Several tones on one channel in the same update start at the same
// sample, so only the last of them is kept: at most four tones are queued
// per frame, however often a cartridge calls tone().
func (a *APU) Tone(frequency, duration, volume, flags uint32) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e := event{a.frames, frequency, duration, volume, flags}
	for i := range a.open {
		if a.open[i].flags&3 == flags&3 {
			a.open[i] = e
			return
		}
	}
	a.open = append(a.open, e)
}

// Tick ends the frame being updated: it commits that frame's tones and
// makes SamplesPerFrame more sample frames available to the reader. Call it
// once after each 1/60 s update of the cartridge.
//
// If more than the maximum backlog of frames is then waiting to be read,
// Tick renders and discards the oldest of them.
func (a *APU) Tick() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.start()
	a.queue = append(a.queue, a.open...)
	a.open = a.open[:0]
	a.frames++
	maxBacklog := a.maxBacklog
	if maxBacklog == 0 {
		maxBacklog = DefaultMaxBacklog
	}
	if excess := int64(a.frames*SamplesPerFrame-a.synth.time) - int64(maxBacklog*SamplesPerFrame); excess > 0 {
		if cap(a.scratch) < 2*renderChunk {
			a.scratch = make([]int16, 2*renderChunk)
		}
		for excess > 0 {
			n := min(int(excess), renderChunk)
			a.renderLocked(a.scratch[:2*n])
			excess -= int64(n)
		}
	}
}

// SetMaxBacklog sets how many committed frames may wait unread before Tick
// starts discarding the oldest audio (default DefaultMaxBacklog; values
// below 1 mean 1). A reader that pulls in large blocks needs a backlog of
// at least its block size; a smaller backlog means lower worst-case
// latency. Each underrun delays the synthesised stream by the silence
// inserted, so with a jittery reader the latency can creep up to the
// maximum backlog before Tick trims it.
func (a *APU) SetMaxBacklog(frames int) {
	a.mu.Lock()
	a.maxBacklog = uint64(max(frames, 1))
	a.mu.Unlock()
}

// Buffered returns the number of stereo sample frames that are committed
// but not yet rendered by the reader.
func (a *APU) Buffered() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return int(a.frames*SamplesPerFrame - a.synth.time)
}

// Frames returns the number of frames committed by Tick so far.
func (a *APU) Frames() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.frames
}

// Underruns returns the total number of stereo sample frames of silence the
// reader has produced because nothing committed was left to render.
func (a *APU) Underruns() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.silence
}

// Reset silences all channels and drops queued tones, including those of
// the frame being updated. Committed time is kept: the reader continues
// with silence up to the last committed frame.
func (a *APU) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.open = a.open[:0]
	a.queue = a.queue[:0]
	for c := range a.synth.ch {
		a.synth.ch[c].release, a.synth.ch[c].endTick = 0, 0
	}
}

// Render fills dst with interleaved stereo float32 samples (left, right,
// ...) in [-1, 1) at SampleRate, the chip's 16-bit samples divided by
// 32768, and returns how many stereo frames of it came from committed
// audio; the rest of dst (from element 2*n on) is silence padding. An odd
// final element is set to 0. Render never blocks waiting for Tick.
func (a *APU) Render(dst []float32) int {
	if len(dst)%2 != 0 {
		dst[len(dst)-1] = 0
		dst = dst[:len(dst)-1]
	}
	var buf [2 * renderChunk]int16
	frames, done := len(dst)/2, 0
	for done < frames {
		k := min(frames-done, renderChunk)
		n := a.renderSome(buf[:2*k])
		for i, v := range buf[:2*n] {
			dst[2*done+i] = float32(v) / 32768
		}
		done += n
		if n < k {
			break
		}
	}
	a.pad(frames - done)
	clear(dst[2*done:])
	return done
}

// RenderInt16 is Render in the chip's own signed 16-bit samples.
func (a *APU) RenderInt16(dst []int16) int {
	if len(dst)%2 != 0 {
		dst[len(dst)-1] = 0
		dst = dst[:len(dst)-1]
	}
	frames, done := len(dst)/2, 0
	for done < frames {
		k := min(frames-done, renderChunk)
		n := a.renderSome(dst[2*done : 2*(done+k)])
		done += n
		if n < k {
			break
		}
	}
	a.pad(frames - done)
	clear(dst[2*done:])
	return done
}

// renderSome renders up to len(dst)/2 committed frames (at most
// renderChunk) holding the lock, and returns how many.
func (a *APU) renderSome(dst []int16) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.start()
	n := min(len(dst)/2, int(a.frames*SamplesPerFrame-a.synth.time))
	a.renderLocked(dst[:2*n])
	return n
}

// pad counts n frames of silence the reader produced.
func (a *APU) pad(n int) {
	if n > 0 {
		a.mu.Lock()
		a.silence += uint64(n)
		a.mu.Unlock()
	}
}

// renderLocked renders len(dst)/2 committed frames. At the first sample
// of each frame it gives the synthesiser that frame's tones, then ends
// the frame's update (Synth.Tick), as WASM-4 does after each update.
// a.mu must be held.
func (a *APU) renderLocked(dst []int16) {
	s := &a.synth
	for len(dst) > 0 {
		if s.time == s.ticks*SamplesPerFrame {
			i := 0
			for i < len(a.queue) && a.queue[i].frame <= s.ticks {
				e := a.queue[i]
				s.Tone(e.frequency, e.duration, e.volume, e.flags)
				i++
			}
			if i > 0 {
				a.queue = a.queue[:copy(a.queue, a.queue[i:])]
			}
			s.Tick()
		}
		n := min(len(dst)/2, int(s.ticks*SamplesPerFrame-s.time))
		s.Render(dst[:2*n])
		dst = dst[2*n:]
	}
}

// Read implements io.Reader, yielding interleaved stereo signed 16-bit
// little-endian PCM at SampleRate (4 bytes per stereo frame), the format of
// ebiten/audio's NewPlayer. It always fills p (splitting a sample frame
// across calls if len(p) is not a multiple of 4), pads with silence when
// nothing committed is left (see Render), never blocks and never returns an
// error.
func (a *APU) Read(p []byte) (int, error) {
	return a.reader16().Read(p)
}

func (a *APU) reader16() *pcmReader {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.r16 == nil {
		a.r16 = &pcmReader{apu: a, size: 2}
	}
	return a.r16
}

// Float32Reader returns an io.Reader yielding interleaved stereo 32-bit
// float little-endian PCM at SampleRate (8 bytes per stereo frame), the
// format of ebiten/audio's NewPlayerF32. Like Read it always fills its
// buffer, pads with silence, and never blocks or fails. Each call returns a
// new reader; readers of one APU share its stream, so use one at a time.
func (a *APU) Float32Reader() io.Reader {
	return &pcmReader{apu: a, size: 4}
}

// pcmReader encodes APU output as little-endian PCM bytes, keeping the
// bytes of a partially delivered sample frame for the next call.
type pcmReader struct {
	apu   *APU
	size  int // bytes per sample: 2 (int16) or 4 (float32)
	mu    sync.Mutex
	buf   []int16
	carry []byte // undelivered bytes of the last encoded frame
}

func (r *pcmReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := copy(p, r.carry)
	r.carry = r.carry[n:]
	p = p[n:]
	if len(p) == 0 {
		return n, nil
	}
	frameBytes := 2 * r.size
	frames := (len(p) + frameBytes - 1) / frameBytes
	if cap(r.buf) < 2*frames {
		r.buf = make([]int16, 2*frames)
	}
	buf := r.buf[:2*frames]
	r.apu.RenderInt16(buf)
	var tmp [8]byte
	for i, x := range buf {
		var b []byte
		if off := i * r.size; off+r.size <= len(p) {
			b = p[off : off+r.size]
		} else {
			b = tmp[:r.size]
		}
		if r.size == 2 {
			binary.LittleEndian.PutUint16(b, uint16(x))
		} else {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(x)/32768))
		}
		if off := i * r.size; off+r.size > len(p) {
			// This sample straddles or follows the end of p: deliver what
			// fits and keep the rest.
			k := copy(p[min(off, len(p)):], b)
			r.carry = append(r.carry, b[k:]...)
		}
	}
	return n + len(p), nil
}
