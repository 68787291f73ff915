package apu

import (
	"math"
	"testing"
)

func TestDecodeTone(t *testing.T) {
	tests := []struct {
		name                  string
		freq, dur, vol, flags uint32
		want                  Params
	}{
		{
			name: "docs example: 262 Hz, 60 frames, volume 100, pulse 1",
			freq: 262, dur: 60, vol: 100, flags: TonePulse1,
			want: Params{Channel: 0, Duty: 0.125, StartHz: 262, EndHz: 262,
				Sustain: 60, SustainVolume: 100, PeakVolume: 100},
		},
		{
			name: "docs slide example: 262 -> 523",
			freq: 262 | 523<<16, dur: 60, vol: 100, flags: TonePulse1 | ToneMode3,
			want: Params{Channel: 0, Duty: 0.5, StartHz: 262, EndHz: 523,
				Sustain: 60, SustainVolume: 100, PeakVolume: 100},
		},
		{
			name: "docs ADSR example: sustain 60, release 30",
			freq: 262, dur: 60 | 30<<8, vol: 100, flags: TonePulse2 | ToneMode2,
			want: Params{Channel: 1, Duty: 0.25, StartHz: 262, EndHz: 262,
				Sustain: 60, Release: 30, SustainVolume: 100, PeakVolume: 100},
		},
		{
			name: "all ADSR bytes distinct, peak volume",
			freq: 1000, dur: 1<<24 | 2<<16 | 3 | 4<<8, vol: 80<<8 | 30, flags: ToneTriangle | TonePanLeft,
			want: Params{Channel: 2, Duty: 0.125, Pan: PanLeft, StartHz: 1000, EndHz: 1000,
				Attack: 1, Decay: 2, Sustain: 3, Release: 4, SustainVolume: 30, PeakVolume: 80},
		},
		{
			name: "noise, pan right, duty mode 4 (25 %, as on WASM-4), volumes clamped",
			freq: 65535, dur: 0xffffffff, vol: 0xffff, flags: ToneNoise | ToneMode4 | TonePanRight,
			want: Params{Channel: 3, Duty: 0.25, Pan: PanRight, StartHz: 65535, EndHz: 65535,
				Attack: 255, Decay: 255, Sustain: 255, Release: 255, SustainVolume: 100, PeakVolume: 100},
		},
		{
			name: "pan value 3 is centre, high flag bits ignored",
			freq: 440, dur: 1, vol: 50, flags: 0xffffff80 | 3<<4 | TonePulse2,
			want: Params{Channel: 1, Duty: 0.125, Pan: PanCenter, StartHz: 440, EndHz: 440,
				Sustain: 1, SustainVolume: 50, PeakVolume: 100},
		},
		{
			name: "note mode: A4",
			freq: 69, dur: 10, vol: 100, flags: ToneNoteMode,
			want: Params{Duty: 0.125, NoteMode: true, StartHz: 440, EndHz: 440,
				Sustain: 10, SustainVolume: 100, PeakVolume: 100},
		},
		{
			name: "note mode: C4 bent half a semitone, slide to A5",
			freq: Frequency(Note(60, 128), Note(81, 0)), dur: 10, vol: 100, flags: ToneNoteMode | ToneTriangle,
			want: Params{Channel: 2, Duty: 0.125, NoteMode: true,
				StartHz: 440 * math.Exp2((60.5-69)/12), EndHz: 880,
				Sustain: 10, SustainVolume: 100, PeakVolume: 100},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecodeTone(tt.freq, tt.dur, tt.vol, tt.flags)
			if !near(got.StartHz, tt.want.StartHz, 1e-12) || !near(got.EndHz, tt.want.EndHz, 1e-12) {
				t.Errorf("Hz = %v -> %v, want %v -> %v", got.StartHz, got.EndHz, tt.want.StartHz, tt.want.EndHz)
			}
			got.StartHz, got.EndHz = tt.want.StartHz, tt.want.EndHz
			if got != tt.want {
				t.Errorf("DecodeTone(%#x, %#x, %#x, %#x)\n got  %+v\n want %+v", tt.freq, tt.dur, tt.vol, tt.flags, got, tt.want)
			}
		})
	}
}

func TestPackers(t *testing.T) {
	if got := Frequency(262, 523); got != 262|523<<16 {
		t.Errorf("Frequency = %#x", got)
	}
	if got := Note(60, 128); got != 60|128<<8 {
		t.Errorf("Note = %#x", got)
	}
	if got := Duration(1, 2, 3, 4); got != 1<<24|2<<16|3|4<<8 {
		t.Errorf("Duration = %#x", got)
	}
	if got := Volume(80, 30); got != 80<<8|30 {
		t.Errorf("Volume = %#x", got)
	}
	if got := Flags(ToneNoise, 2, PanRight); got != ToneNoise|ToneMode3|TonePanRight {
		t.Errorf("Flags = %#x", got)
	}
	p := DecodeTone(Frequency(100, 200), Duration(1, 2, 3, 4), Volume(0, 5), Flags(2, 1, PanLeft)|ToneNoteMode)
	if p.Frames() != 10 || p.Samples() != 10*SamplesPerFrame || !p.NoteMode || p.Pan != PanLeft || p.Channel != 2 {
		t.Errorf("round trip: %+v", p)
	}
}

func TestNoteHz(t *testing.T) {
	for _, tt := range []struct {
		note, bend uint8
		want       float64
	}{
		{69, 0, 440}, {81, 0, 880}, {57, 0, 220}, {60, 0, 261.6255653},
		{69, 128, 452.8929841}, {68, 255, 440 * math.Exp2(-1.0/256/12)},
	} {
		if got := NoteHz(tt.note, tt.bend); !near(got, tt.want, 1e-9) {
			t.Errorf("NoteHz(%d, %d) = %v, want %v", tt.note, tt.bend, got, tt.want)
		}
	}
}
