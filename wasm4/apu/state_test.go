package apu

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// TestState: a chip set to the state of another at a frame boundary plays
// on exactly as that one does, whatever the other's reader had read.
func TestState(t *testing.T) {
	tones := func(a *APU, frame int) {
		switch frame % 37 {
		case 0:
			a.Tone(440|880<<16, 10|20<<8, 80|30<<8, 0)
		case 5:
			a.Tone(300, 30, 60, 2|1<<4)
		case 11:
			a.Tone(1000, 5|5<<24, 50, 3)
		case 20:
			a.Tone(220, 40, 70, 1|2<<2)
		}
	}
	run := func(a *APU, from, to int, out []float32) []float32 {
		buf := make([]float32, 2*SamplesPerFrame)
		for f := from; f < to; f++ {
			tones(a, f)
			a.Tick()
			if out != nil {
				a.Render(buf)
				out = append(out, buf...)
			}
		}
		return out
	}
	a := New()
	a.SetMaxBacklog(1000)
	run(a, 0, 50, nil) // nothing read: all of it is backlog
	state := a.State()
	a.Render(make([]float32, 2*SamplesPerFrame*50)) // the backlog
	want := run(a, 50, 120, make([]float32, 0))
	b := New()
	if err := b.SetState(state); err != nil {
		t.Fatal(err)
	}
	got := run(b, 50, 120, make([]float32, 0))
	if !slices.Equal(got, want) {
		t.Fatal("the restored chip's samples differ from the original's")
	}
}

// TestStateNonFinite: a state holding a value no tone makes (NaN or an
// infinity, from a damaged or crafted file) is refused.
func TestStateNonFinite(t *testing.T) {
	good := New().State()
	const phase = 4 + 4 + 6*8 + 2 + 2 // a channel's phase, within it
	for _, tc := range []struct {
		name string
		off  int
		v    float32
	}{
		{"noise phase +Inf", 1 + 24 + 3*channelSize + phase, float32(math.Inf(1))},
		{"pulse freq NaN", 1 + 24, float32(math.NaN())},
		{"triangle duty -Inf", 1 + 24 + 2*channelSize + phase + 4 + 1, float32(math.Inf(-1))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := slices.Clone(good)
			binary.LittleEndian.PutUint32(st[tc.off:], math.Float32bits(tc.v))
			if err := New().SetState(st); err == nil {
				t.Fatal("SetState took it")
			}
		})
	}
	if err := New().SetState(good); err != nil {
		t.Fatalf("SetState of a good state: %v", err)
	}
}
