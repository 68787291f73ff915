package apu

import (
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
