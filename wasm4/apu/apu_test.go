package apu

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"runtime"
	"sync"
	"testing"
)

// testSchedule is a varied sequence of tones over 40 frames.
var testSchedule = []timed{
	{0, toneCall{Frequency(262, 523), Duration(2, 3, 10, 5), Volume(90, 60), TonePulse1 | ToneMode2}},
	{0, toneCall{110, 30, 80, ToneTriangle | TonePanLeft}},
	{3, toneCall{uint32(Note(72, 40)), Duration(0, 4, 6, 8), 70, TonePulse2 | ToneMode3 | ToneNoteMode | TonePanRight}},
	{5, toneCall{Frequency(3000, 200), Duration(0, 6, 0, 6), 100, ToneNoise}},
	{5, toneCall{440, 10, 100, TonePulse1}},
	{17, toneCall{330, 20, 50, TonePulse2 | ToneMode4}},
	{30, toneCall{8000, 4, 60, ToneNoise | TonePanLeft}},
}

// feed gives the schedule's tones to a, ticking once per frame up to frames.
func feed(a *APU, calls []timed, frames int) {
	i := 0
	for f := range frames {
		for i < len(calls) && calls[i].frame == f {
			c := calls[i]
			a.Tone(c.freq, c.dur, c.vol, c.flags)
			i++
		}
		a.Tick()
	}
}

// TestAPUMatchesSynth checks that an APU's stream equals a Synth given the
// same tones at the same frame boundaries, however the reader splits it.
func TestAPUMatchesSynth(t *testing.T) {
	const frames = 40
	want := renderSchedule(testSchedule, frames)
	for _, chunk := range []int{1, 7, 100, 735, 1000, 4096} {
		a := New()
		a.SetMaxBacklog(frames)
		feed(a, testSchedule, frames)
		if got := a.Buffered(); got != frames*SamplesPerFrame {
			t.Fatalf("Buffered = %d, want %d", got, frames*SamplesPerFrame)
		}
		got := make([]float32, 0, len(want))
		buf := make([]float32, 2*chunk)
		for len(got) < len(want) {
			n := a.Render(buf)
			got = append(got, buf[:2*n]...)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("chunk %d: sample %d = %v, want %v", chunk, i, got[i], want[i])
			}
		}
	}
}

// TestAPUTiming checks that a tone given during update n starts exactly at
// sample n*SamplesPerFrame.
func TestAPUTiming(t *testing.T) {
	var a APU // zero value
	a.Tick()
	a.Tick()
	a.Tone(441, 1, 100, TonePulse1) // given during update 2
	a.Tick()
	a.Tick()
	buf := make([]float32, 2*4*SamplesPerFrame)
	if n := a.Render(buf); n != 4*SamplesPerFrame {
		t.Fatalf("Render = %d frames, want %d", n, 4*SamplesPerFrame)
	}
	x := side(buf, 0)
	for i, v := range x {
		inTone := i >= 2*SamplesPerFrame && i < 3*SamplesPerFrame
		if !inTone && v != 0 {
			t.Fatalf("sample %d = %v outside the tone", i, v)
		}
	}
	if x[2*SamplesPerFrame] == 0 || x[2*SamplesPerFrame+1] == 0 {
		t.Errorf("tone does not start at sample %d: %v", 2*SamplesPerFrame, x[2*SamplesPerFrame:2*SamplesPerFrame+2])
	}
}

// TestAPUUnderrun checks that the reader pads with silence rather than
// rendering uncommitted time, and that the stream resumes afterwards.
func TestAPUUnderrun(t *testing.T) {
	a := New()
	a.Tone(441, 10, 100, TonePulse1)
	buf := make([]float32, 2*1000)
	for i := range buf {
		buf[i] = 9
	}
	if n := a.Render(buf); n != 0 || peakAbs(side(buf, 0)) != 0 {
		t.Fatalf("before Tick: Render = %d frames, peak %v; want 0 and silence", n, peakAbs(side(buf, 0)))
	}
	if a.Underruns() != 1000 {
		t.Errorf("Underruns = %d, want 1000", a.Underruns())
	}
	a.Tick()
	if n := a.Render(buf); n != SamplesPerFrame {
		t.Fatalf("after one Tick: Render = %d frames, want %d", n, SamplesPerFrame)
	}
	if p := peakAbs(side(buf[:2*SamplesPerFrame], 0)); p == 0 {
		t.Error("committed frame is silent")
	}
	if p := peakAbs(side(buf[2*SamplesPerFrame:], 0)); p != 0 {
		t.Errorf("padding peak %v, want 0", p)
	}
	// The tone was not advanced by the padding: the next frame continues it.
	want := renderTone(441, 10, 100, TonePulse1, 2)
	a.Tick()
	got := make([]float32, 2*SamplesPerFrame)
	a.Render(got)
	for i := range got {
		if got[i] != want[2*SamplesPerFrame+i] {
			t.Fatalf("second frame sample %d = %v, want %v", i, got[i], want[2*SamplesPerFrame+i])
		}
	}
}

// TestAPUBacklog checks that unread audio beyond the maximum backlog is
// dropped from the front, keeping the stream otherwise intact.
func TestAPUBacklog(t *testing.T) {
	const frames = 40
	a := New()
	a.SetMaxBacklog(5)
	feed(a, testSchedule, frames)
	if got := a.Buffered(); got != 5*SamplesPerFrame {
		t.Fatalf("Buffered = %d, want %d", got, 5*SamplesPerFrame)
	}
	want := renderSchedule(testSchedule, frames)[2*(frames-5)*SamplesPerFrame:]
	got := make([]float32, len(want))
	if n := a.Render(got); n != 5*SamplesPerFrame {
		t.Fatalf("Render = %d frames", n)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestAPUReset(t *testing.T) {
	a := New()
	a.Tone(441, 60, 100, TonePulse1)
	a.Tick()
	a.Tone(441, 60, 100, TonePulse2)
	a.Reset()
	a.Tick()
	buf := make([]float32, 2*2*SamplesPerFrame)
	if n := a.Render(buf); n != 2*SamplesPerFrame || peakAbs(side(buf, 0)) != 0 {
		t.Errorf("after Reset: %d frames, peak %v; want %d frames of silence", n, peakAbs(side(buf, 0)), 2*SamplesPerFrame)
	}
}

// readAll reads want bytes from r in reads of the given sizes, cycling.
func readAll(t *testing.T, r io.Reader, want int, sizes []int) []byte {
	t.Helper()
	var out []byte
	for i := 0; len(out) < want; i++ {
		p := make([]byte, min(sizes[i%len(sizes)], want-len(out)))
		n, err := r.Read(p)
		if err != nil || n != len(p) {
			t.Fatalf("Read(%d bytes) = %d, %v; want %d, nil", len(p), n, err, len(p))
		}
		out = append(out, p...)
	}
	return out
}

// TestReaders checks the byte encodings of Read (s16le) and Float32Reader
// (f32le), including reads that split sample frames.
func TestReaders(t *testing.T) {
	const frames = 12
	ref := renderSchedule(testSchedule, frames)
	want16 := make([]byte, 2*len(ref))
	want32 := make([]byte, 4*len(ref))
	for i, x := range ref {
		binary.LittleEndian.PutUint16(want16[2*i:], uint16(int16(x*32768)))
		binary.LittleEndian.PutUint32(want32[4*i:], math.Float32bits(x))
	}
	for _, sizes := range [][]int{{1 << 20}, {4}, {3, 5, 7, 1, 2}, {1001, 13}} {
		a := New()
		feed(a, testSchedule, frames)
		if got := readAll(t, a, len(want16), sizes); !bytes.Equal(got, want16) {
			t.Errorf("Read with sizes %v: stream differs", sizes)
		}
		b := New()
		feed(b, testSchedule, frames)
		if got := readAll(t, b.Float32Reader(), len(want32), sizes); !bytes.Equal(got, want32) {
			t.Errorf("Float32Reader with sizes %v: stream differs", sizes)
		}
	}
	// Past the committed audio, reads are filled with silence.
	a := New()
	p := []byte{1, 2, 3, 4, 5, 6}
	if n, err := a.Read(p); n != 6 || err != nil || !bytes.Equal(p, make([]byte, 6)) {
		t.Errorf("Read with nothing committed = %d, %v, %v; want 6 zero bytes", n, err, p)
	}
}

// TestAPUConcurrent runs a host goroutine (Tone and Tick at its own pace)
// against a reader goroutine. Run with -race. Whatever the interleaving,
// the non-padding output must be exactly the deterministic stream.
func TestAPUConcurrent(t *testing.T) {
	const frames = 300
	var calls []timed
	for f := 0; f < frames; f += 3 {
		calls = append(calls,
			timed{f, toneCall{uint32(200 + 7*f), Duration(1, 1, 2, 2), Volume(100, 60), uint32(f/3) & 3}},
			timed{f, toneCall{uint32(Note(uint8(40+f%40), uint8(f))), 4, 50, ToneTriangle | ToneNoteMode}})
	}
	want := renderSchedule(calls, frames)
	a := New()
	a.SetMaxBacklog(frames) // never drop: the reader may lag arbitrarily
	var wg sync.WaitGroup
	wg.Go(func() { feed(a, calls, frames) })
	got := make([]float32, 0, len(want))
	buf := make([]float32, 2*333)
	for len(got) < len(want) {
		n := a.Render(buf)
		got = append(got, buf[:2*n]...)
		if n == 0 {
			// Starved: let the host goroutine run (js/wasm has one thread
			// and no preemption of this loop).
			runtime.Gosched()
		}
	}
	wg.Wait()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestAPUCoalesce checks that repeated tones on a channel within one update
// keep only the last, and that the result equals giving all of them to a
// Synth at the same sample.
func TestAPUCoalesce(t *testing.T) {
	calls := []timed{
		{0, toneCall{440, 10, 100, TonePulse1}},
		{0, toneCall{550, 10, 100, ToneTriangle}},
		{0, toneCall{660, 20, 50, TonePulse1 | ToneMode3}},
		{0, toneCall{4000, 5, 100, ToneNoise}},
		{0, toneCall{0, 0, 0, ToneTriangle}}, // silences the triangle
	}
	a := New()
	a.SetMaxBacklog(20)
	for range 1000 {
		a.Tone(123, 4, 100, TonePulse2)
	}
	feed(a, calls, 20)
	if got := len(a.queue); got > 4 {
		t.Errorf("%d tones queued, want at most 4", got)
	}
	want := renderSchedule(append([]timed{{0, toneCall{123, 4, 100, TonePulse2}}}, calls...), 20)
	got := make([]float32, len(want))
	a.Render(got)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d = %v, want %v", i, got[i], want[i])
		}
	}
}
