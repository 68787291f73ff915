package wasm4_test

import (
	"fmt"
	"testing"

	"github.com/ebicart/ebicart/wasm4"
)

func TestGlyphCoverage(t *testing.T) {
	blank := map[rune]bool{' ': true, 0x7f: true, 0x82: true, 0x83: true, 0xa0: true}
	for c := rune(0x88); c <= 0x9f; c++ {
		blank[c] = true
	}
	seen := map[[8]byte]rune{}
	for c := rune(32); c <= 255; c++ {
		g, ok := wasm4.Glyph(c)
		if !ok {
			t.Errorf("Glyph(%#x) has no cell", c)
		}
		if (g == [8]byte{}) != blank[c] {
			t.Errorf("Glyph(%#x %q): blank is %v, want %v", c, c, g == [8]byte{}, blank[c])
		}
		if blank[c] {
			continue
		}
		// Every drawn glyph is its own: no O for 0, no ö for Ö.
		if prev, dup := seen[g]; dup {
			t.Errorf("Glyph(%#x %q) is the same as Glyph(%#x %q)", c, c, prev, prev)
		}
		seen[g] = c
	}
	for _, c := range []rune{-1, 0, 9, 10, 31, 256, 0x20ac, 0x10ffff} {
		if g, ok := wasm4.Glyph(c); ok || g != [8]byte{} {
			t.Errorf("Glyph(%#x) = %v, %v; want no cell", c, g, ok)
		}
	}
}

// TestGlyphButtons checks the codes the WASM-4 documentation gives for the
// button glyphs: each is a round key cap (a filled 7x7 disk) with its
// symbol knocked out, and the arrows point where they say.
func TestGlyphButtons(t *testing.T) {
	codes := map[string]rune{
		"X": wasm4.CharButtonX, "Z": wasm4.CharButtonZ, "left": wasm4.CharLeft,
		"right": wasm4.CharRight, "up": wasm4.CharUp, "down": wasm4.CharDown,
	}
	want := map[string]rune{"X": 0x80, "Z": 0x81, "left": 0x84, "right": 0x85, "up": 0x86, "down": 0x87}
	for name, c := range codes {
		if c != want[name] {
			t.Errorf("%s button is %#x, want %#x", name, c, want[name])
		}
		g, _ := wasm4.Glyph(c)
		if g[0] != 0b01111100 || g[6] != 0b01111100 || g[7] != 0 {
			t.Errorf("%s button glyph %08b is no key cap", name, g)
		}
	}
	// The knocked-out (clear) pixels inside the cap, per row and column.
	holes := func(c rune) (rows, cols [8]int) {
		g, _ := wasm4.Glyph(c)
		for y := 1; y <= 5; y++ {
			for x := 1; x <= 5; x++ {
				if g[y]&(0x80>>x) == 0 {
					rows[y]++
					cols[x]++
				}
			}
		}
		return
	}
	// An arrow's head is its widest part.
	_, left := holes(wasm4.CharLeft)
	_, right := holes(wasm4.CharRight)
	up, _ := holes(wasm4.CharUp)
	down, _ := holes(wasm4.CharDown)
	if !(left[2] > left[4] && right[4] > right[2] && up[2] > up[4] && down[4] > down[2]) {
		t.Errorf("arrow heads: left %v right %v up %v down %v", left, right, up, down)
	}
}

// TestGlyphAccents checks the composition of accented letters: the accent
// sits above the letter (rows 0-1) with the letter's body below it, and
// the cedilla below.
func TestGlyphAccents(t *testing.T) {
	for c := rune(0xc0); c <= 0xff; c++ {
		switch c {
		case 'Æ', 'Ç', 'Ð', '×', 'Ø', 'Þ', 'ß', 'æ', 'ç', 'ð', '÷', 'ø', 'þ':
			continue
		}
		g, _ := wasm4.Glyph(c)
		if g[0]|g[1] == 0 {
			t.Errorf("Glyph(%q) has no accent in rows 0-1: %08b", c, g)
		}
		if g[4]|g[5]|g[6] == 0 {
			t.Errorf("Glyph(%q) has no letter below: %08b", c, g)
		}
	}
	for _, c := range "Çç" {
		g, _ := wasm4.Glyph(c)
		if g[7] == 0 {
			t.Errorf("Glyph(%q) has no cedilla in row 7", c)
		}
	}
}

// ExampleGlyph prints a glyph of the system font.
func ExampleGlyph() {
	g, _ := wasm4.Glyph('A')
	for _, row := range g {
		fmt.Printf("%08b\n", row)
	}
	// Output:
	// 00111000
	// 01000100
	// 01000100
	// 01111100
	// 01000100
	// 01000100
	// 01000100
	// 00000000
}
