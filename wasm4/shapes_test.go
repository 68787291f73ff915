package wasm4_test

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/internal/race"
	"github.com/ebicart/ebicart/wasm4"
)

// The shapes golden test checks oval, rect, line, hline and vline against
// WASM-4's own drawing code, pixel for pixel, over every oval size up to
// 160x160 and many rects and lines. testdata/shapes.txt holds, for each
// group of cases, a CRC-32 of the CRC-32s of the framebuffers WASM-4's
// native runtime (its framebuffer.c, built outside this repository by
// internal/w4diff/ref/build.sh) draws; nothing of WASM-4 is committed.
//
// make w4-diff compares case by case with WASM-4's tool; by hand, with
// DIR where build.sh built it:
//
//	go test ./wasm4 -run TestShapes -shapes-cases /tmp/cases.txt
//	DIR/w4shapes < /tmp/cases.txt > /tmp/ref.txt
//	go test ./wasm4 -run TestShapes -shapes-ref /tmp/ref.txt [-update]
//
// -shapes-ref names the first cases that differ; with -update it rewrites
// testdata/shapes.txt from WASM-4's output.
var (
	shapesCases = flag.String("shapes-cases", "", "write the shapes test's cases to this file, for WASM-4's reference tool")
	shapesRef   = flag.String("shapes-ref", "", "compare the shapes test case by case with WASM-4's reference tool's output in this file")
)

// shapeCase is one drawing call on a framebuffer of palette index 2.
type shapeCase struct {
	group  string
	op     string // oval, rect, line, hline, vline
	args   [4]int32
	colors uint16
}

func (c shapeCase) String() string {
	return fmt.Sprintf("%s %d %d %d %d %d", c.op, c.args[0], c.args[1], c.args[2], c.args[3], c.colors)
}

// shapeCases returns the cases, grouped.
func shapeCases() []shapeCase {
	var cs []shapeCase
	add := func(group, op string, colors uint16, a ...int32) {
		cs = append(cs, shapeCase{group, op, [4]int32{a[0], a[1], a[2], a[3]}, colors})
	}
	// Every oval size from 0x0 to 160x160: filled and outlined at the
	// origin; outline only at negative x and y; fill index 0 with stroke
	// colour 0 (WASM-4 draws it in index 3) clipped right and bottom; no
	// fill and stroke colour 0 clipped at the top.
	for _, v := range []struct {
		colors uint16
		x, y   int32
	}{{0x42, 0, 0}, {0x40, -3, -5}, {0x01, 100, 90}, {0x00, 37, -2}} {
		for w := range int32(161) {
			group := fmt.Sprintf("oval w=%d colors=%#02x at=%d,%d", w, v.colors, v.x, v.y)
			for h := range int32(161) {
				add(group, "oval", v.colors, v.x, v.y, w, h)
			}
		}
	}
	// Larger ovals, off-centre.
	for _, o := range [][4]int32{{-100, 20, 360, 100}, {-500, -500, 1160, 1160}, {10, -300, 140, 700}, {-3, 60, 700, 41}} {
		add("oval large", "oval", 0x42, o[:]...)
		add("oval large", "oval", 0x30, o[:]...)
	}
	// Rects of 0..40 square (and negative sizes), in four colourings.
	for _, colors := range []uint16{0x42, 0x40, 0x03, 0x00} {
		for w := int32(-2); w <= 40; w++ {
			group := fmt.Sprintf("rect w=%d colors=%#02x", w, colors)
			for h := int32(-2); h <= 40; h++ {
				add(group, "rect", colors, 3, 7, w, h)
				add(group, "rect", colors, -5, 140, w, h)
				add(group, "rect", colors, 150, -3, w, h)
			}
		}
	}
	for _, r := range [][4]int32{{-10, -10, 180, 180}, {0, 0, 160, 160}, {159, 159, 1, 1}, {160, 5, 3, 3}, {5, 160, 3, 3}, {-1, 40, 162, 3}} {
		add("rect large", "rect", 0x42, r[:]...)
	}
	// Lines between every pair of points of a grid with points off each
	// edge, and a few long ones.
	coords := []int32{-30, -1, 0, 1, 2, 5, 37, 80, 123, 158, 159, 160, 161, 190}
	for _, x1 := range coords {
		group := fmt.Sprintf("line x1=%d", x1)
		for _, y1 := range coords {
			for _, x2 := range coords {
				for _, y2 := range coords {
					add(group, "line", 0x3, x1, y1, x2, y2)
				}
			}
		}
	}
	for _, l := range [][4]int32{{-40000, 10, 40000, 150}, {10, -40000, 150, 40000}, {-3000, -2000, 3000, 2100}, {80, 80, -40000, 81}, {0, 0, 1, 40000}} {
		add("line long", "line", 0x4, l[:]...)
	}
	// hline and vline: ends at and around the edges and the byte
	// boundaries, every sign of length.
	lens := []int32{-5, -1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 100, 159, 160, 161, 400, -1 << 31, 1<<31 - 1}
	for _, x := range []int32{-200, -5, -1, 0, 1, 2, 3, 4, 5, 77, 155, 158, 159, 160} {
		for _, op := range []string{"hline", "vline"} {
			group := fmt.Sprintf("%s x=%d", op, x)
			for _, y := range []int32{-1, 0, 5, 159, 160} {
				for _, n := range lens {
					if s := int64(max(x, y)) + int64(n); s > 1<<31-1 || int64(min(x, y))+int64(n) < -1<<31 {
						continue // overflows WASM-4's int arithmetic
					}
					add(group, op, 0x2, x, y, n, 0)
				}
			}
		}
	}
	return cs
}

// drawShape draws c on mem, whose framebuffer it first fills with index
// 2, and returns the CRC-32 of the framebuffer.
func drawShape(mem []byte, c shapeCase) uint32 {
	fb := mem[wasm4.AddrFramebuffer:wasm4.AddrProgramMemory]
	for i := range fb {
		fb[i] = 0xaa
	}
	binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], c.colors)
	a := c.args
	switch c.op {
	case "oval":
		wasm4.Oval(mem, a[0], a[1], uint32(a[2]), uint32(a[3]))
	case "rect":
		wasm4.Rect(mem, a[0], a[1], uint32(a[2]), uint32(a[3]))
	case "line":
		wasm4.Line(mem, a[0], a[1], a[2], a[3])
	case "hline":
		wasm4.HLine(mem, a[0], a[1], uint32(a[2]))
	case "vline":
		wasm4.VLine(mem, a[0], a[1], uint32(a[2]))
	}
	return crc32.ChecksumIEEE(fb)
}

// groupSums folds the per-case CRCs of each group into one, in order.
func groupSums(cases []shapeCase, crcs []uint32) (groups []string, sums map[string]uint32) {
	sums = map[string]uint32{}
	var b [4]byte
	for i, c := range cases {
		if _, ok := sums[c.group]; !ok {
			groups = append(groups, c.group)
		}
		binary.LittleEndian.PutUint32(b[:], crcs[i])
		sums[c.group] = crc32.Update(sums[c.group], crc32.IEEETable, b[:])
	}
	return groups, sums
}

func TestShapes(t *testing.T) {
	cases := shapeCases()
	if *shapesCases != "" {
		var b strings.Builder
		for _, c := range cases {
			b.WriteString(c.String() + "\n")
		}
		if err := os.WriteFile(*shapesCases, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The race detector slows the drawing tenfold and has nothing to find
	// in it: with it on, every fourth group is checked.
	skip := map[string]bool{}
	if race.Enabled && *shapesRef == "" {
		n := 0
		for i, c := range cases {
			if i == 0 || c.group != cases[i-1].group {
				skip[c.group] = n%4 != 0
				n++
			}
		}
	}
	mem := make([]byte, wasm4.MemorySize)
	wasm4.Reset(mem)
	got := make([]uint32, len(cases))
	for i, c := range cases {
		if !skip[c.group] {
			got[i] = drawShape(mem, c)
		}
	}
	golden := filepath.Join("testdata", "shapes.txt")
	if *shapesRef != "" {
		ref := readShapesRef(t, *shapesRef, len(cases))
		diffs := 0
		for i, c := range cases {
			if got[i] != ref[i] {
				if diffs < 20 {
					t.Errorf("%s: framebuffer CRC %08x, WASM-4's %08x", c, got[i], ref[i])
				}
				diffs++
			}
		}
		if diffs > 0 {
			t.Fatalf("%d of %d cases differ from WASM-4's", diffs, len(cases))
		}
		if *update {
			groups, sums := groupSums(cases, ref)
			var b strings.Builder
			b.WriteString("# CRC-32 of the framebuffer CRC-32s WASM-4's native runtime (framebuffer.c at\n")
			b.WriteString("# aduros/wasm4 b6dcb6a) draws for each group of TestShapes's cases; see shapes_test.go.\n")
			for _, g := range groups {
				fmt.Fprintf(&b, "%08x %s\n", sums[g], g)
			}
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readShapesGolden(t, golden)
	groups, sums := groupSums(cases, got)
	if len(groups) != len(want) {
		t.Fatalf("%d groups of cases, %s has %d: regenerate it (see shapes_test.go)", len(groups), golden, len(want))
	}
	bad := 0
	for _, g := range groups {
		w, ok := want[g]
		switch {
		case skip[g]:
		case !ok:
			t.Fatalf("group %q is not in %s: regenerate it (see shapes_test.go)", g, golden)
		case w != sums[g]:
			if bad < 20 {
				t.Errorf("%s: draws differently from WASM-4 (group CRC %08x, WASM-4's %08x)", g, sums[g], w)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d groups differ from WASM-4: compare case by case with -shapes-ref (see shapes_test.go)", bad, len(groups))
	}
}

// readShapesRef reads the reference tool's output: one hex CRC a line.
func readShapesRef(t *testing.T, path string, n int) []uint32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []uint32
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.ParseUint(strings.TrimSpace(sc.Text()), 16, 32)
		if err != nil {
			t.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		out = append(out, uint32(v))
	}
	if len(out) != n {
		t.Fatalf("%s has %d lines for %d cases: was it made from this test's -shapes-cases?", path, len(out), n)
	}
	return out
}

// readShapesGolden reads testdata/shapes.txt: "crc group" lines.
func readShapesGolden(t *testing.T, path string) map[string]uint32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint32{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		sum, group, ok := strings.Cut(line, " ")
		v, err := strconv.ParseUint(sum, 16, 32)
		if !ok || err != nil {
			t.Fatalf("%s line %d: %q is not \"crc group\"", path, i+1, line)
		}
		out[group] = uint32(v)
	}
	return out
}
