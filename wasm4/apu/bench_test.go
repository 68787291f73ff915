package apu

import (
	"io"
	"testing"
)

// benchTones keeps all four channels busy with long sustained tones,
// including a slide, note mode and panning.
var benchTones = [4]toneCall{
	{Frequency(220, 880), 255, 100, TonePulse1 | ToneMode1},
	{uint32(Note(64, 30)), 255, 80, TonePulse2 | ToneMode3 | ToneNoteMode | TonePanLeft},
	{110, Duration(10, 10, 200, 35), Volume(100, 70), ToneTriangle},
	{Frequency(6000, 500), 255, 60, ToneNoise | TonePanRight},
}

// BenchmarkRender measures Synth.Render with four active channels, 1024
// stereo 16-bit frames per call. Bytes are of output; the samples/s metric
// counts stereo sample frames.
func BenchmarkRender(b *testing.B) {
	s := NewSynth()
	buf := make([]int16, 2*1024)
	b.SetBytes(int64(len(buf) * 2))
	b.ResetTimer()
	for b.Loop() {
		for c, t := range benchTones {
			if !s.Active(c) {
				s.Tone(t.freq, t.dur, t.vol, t.flags)
			}
		}
		s.Tick()
		s.Render(buf)
	}
	b.ReportMetric(float64(b.N)*1024/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkAPURead measures the full host path: Tone+Tick per frame and
// APU.Read producing signed 16-bit stereo, one 1/60 s frame (2940 bytes)
// per iteration.
func BenchmarkAPURead(b *testing.B) {
	a := New()
	var r io.Reader = a
	buf := make([]byte, 4*SamplesPerFrame)
	b.SetBytes(int64(len(buf)))
	frame := 0
	b.ResetTimer()
	for b.Loop() {
		if frame%200 == 0 {
			for _, t := range benchTones {
				a.Tone(t.freq, t.dur, t.vol, t.flags)
			}
		}
		frame++
		a.Tick()
		if _, err := r.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*SamplesPerFrame/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkRenderNoise measures a frame of the noise channel alone, at a
// low frequency (the register steps every ~20 samples: the baseline) and
// at frequencies where it steps thousands to billions of times a sample
// (noiseSteps' jump): the ratios to the baseline should stay small.
func BenchmarkRenderNoise(b *testing.B) {
	for _, bc := range []struct {
		name        string
		freq, flags uint32
	}{
		{"210Hz", 210, ToneNoise},
		{"6000Hz", 6000, ToneNoise},
		{"65535Hz", 65535, ToneNoise},
		{"note190", uint32(Note(190, 0)), ToneNoise | ToneNoteMode},
		{"note255", uint32(Note(255, 255)), ToneNoise | ToneNoteMode},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := NewSynth()
			buf := make([]int16, 2*SamplesPerFrame)
			for b.Loop() {
				if !s.Active(3) {
					s.Tone(bc.freq, 255, 100, bc.flags)
				}
				s.Tick()
				s.Render(buf)
			}
		})
	}
}
