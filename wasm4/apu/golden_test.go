package apu

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt from the current synthesiser")

const goldenPath = "testdata/golden.txt"

// goldenSchedule is a three-second piece using every channel, envelope
// shapes, note mode with bends, slides, panning and replacement.
func goldenSchedule() []timed {
	var calls []timed
	melody := []uint8{60, 64, 67, 72, 71, 67, 64, 62, 60, 65, 69, 72}
	for i, n := range melody {
		calls = append(calls, timed{i * 15, toneCall{
			uint32(Note(n, uint8(i*20))), Duration(1, 3, 6, 5), Volume(80, 50),
			TonePulse1 | ToneMode2 | ToneNoteMode}})
	}
	for i, n := range []uint8{36, 43, 41, 36, 43, 41} {
		calls = append(calls, timed{i * 30, toneCall{
			uint32(Note(n, 0)), Duration(0, 0, 25, 5), 90,
			ToneTriangle | ToneNoteMode}})
	}
	for i := range 12 {
		pan := uint32(TonePanLeft)
		if i%2 == 1 {
			pan = TonePanRight
		}
		calls = append(calls, timed{i*15 + 7, toneCall{
			Frequency(6000, 1000), Duration(0, 0, 2, 6), 70, ToneNoise | pan}})
	}
	calls = append(calls,
		timed{90, toneCall{Frequency(300, 1200), 60, 40, TonePulse2 | ToneMode3 | TonePanRight}},
		timed{160, toneCall{Frequency(Note(84, 0), Note(48, 0)), Duration(0, 10, 0, 10), Volume(100, 30),
			TonePulse1 | ToneMode1 | ToneNoteMode | TonePanLeft}},
	)
	// renderSchedule wants calls in frame order.
	for i := 1; i < len(calls); i++ {
		for j := i; j > 0 && calls[j].frame < calls[j-1].frame; j-- {
			calls[j], calls[j-1] = calls[j-1], calls[j]
		}
	}
	return calls
}

// goldenRow summarises one 100 ms window of the golden render.
type goldenRow struct {
	ms                     int
	rmsL, rmsR, peakL, pkR float64
	crossL                 int
}

func summarise(out []float32) []goldenRow {
	const win = SampleRate / 10
	l, r := side(out, 0), side(out, 1)
	var rows []goldenRow
	for i := 0; i+win <= len(l); i += win {
		wl, wr := l[i:i+win], r[i:i+win]
		rows = append(rows, goldenRow{
			ms:   i * 1000 / SampleRate,
			rmsL: rms(wl), rmsR: rms(wr), peakL: peakAbs(wl), pkR: peakAbs(wr),
			crossL: len(risingCrossings(wl)),
		})
	}
	return rows
}

// TestGolden renders a fixed sequence of tones and compares per-100 ms
// RMS, peak and zero-crossing summaries with testdata/golden.txt. The
// comparison has a small tolerance because Go may fuse floating-point
// multiply-adds differently on other architectures. Run with -update to
// regenerate the file after an intended change to the sound.
func TestGolden(t *testing.T) {
	rows := summarise(renderSchedule(goldenSchedule(), 180))
	if *update {
		var b strings.Builder
		b.WriteString("# WASM-4 APU golden summary: see TestGolden. Regenerate with go test -run TestGolden -update.\n")
		b.WriteString("# ms rms_left rms_right peak_left peak_right rising_zero_crossings_left\n")
		for _, r := range rows {
			fmt.Fprintf(&b, "%d %.6f %.6f %.6f %.6f %d\n", r.ms, r.rmsL, r.rmsR, r.peakL, r.pkR, r.crossL)
		}
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d rows)", goldenPath, len(rows))
		return
	}
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer f.Close()
	var want []goldenRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var r goldenRow
		if _, err := fmt.Sscan(line, &r.ms, &r.rmsL, &r.rmsR, &r.peakL, &r.pkR, &r.crossL); err != nil {
			t.Fatalf("bad golden line %q: %v", line, err)
		}
		want = append(want, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(rows) {
		t.Fatalf("golden file has %d rows, render has %d", len(want), len(rows))
	}
	const tol = 2e-5
	for i, g := range rows {
		w := want[i]
		if g.ms != w.ms ||
			math.Abs(g.rmsL-w.rmsL) > tol || math.Abs(g.rmsR-w.rmsR) > tol ||
			math.Abs(g.peakL-w.peakL) > tol || math.Abs(g.pkR-w.pkR) > tol ||
			g.crossL < w.crossL-2 || g.crossL > w.crossL+2 {
			t.Errorf("window %d ms:\n got  %.6f %.6f %.6f %.6f %d\n want %.6f %.6f %.6f %.6f %d",
				g.ms, g.rmsL, g.rmsR, g.peakL, g.pkR, g.crossL, w.rmsL, w.rmsR, w.peakL, w.pkR, w.crossL)
		}
	}
}
