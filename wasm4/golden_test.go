package wasm4_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/internal/wasm4test"
	"github.com/ebicart/ebicart/wasm4"
)

// -update rewrites the golden files in testdata from the reference
// implementation (and draw.c from its scene, draw.wasm with clang).
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// showcaseScene draws every function: the whole font, blits with every
// flag, lines, rects, ovals and the text variants, in the default palette.
func showcaseScene() wasm4test.Scene {
	s := wasm4test.Scene{Palette: wasm4.DefaultPalette()}
	call := func(colors uint16, fn, blob string, args ...int64) {
		s.Calls = append(s.Calls, wasm4test.Call{Func: fn, Colors: colors, Blob: blob, Args: args})
	}
	// The font, 16 characters a row from code 32, alternating backgrounds.
	for row := range 14 {
		var line []byte
		for c := 32 + 16*row; c < 48+16*row; c++ {
			line = append(line, byte(c))
		}
		name := fmt.Sprintf("font%d", row)
		s.Blobs = append(s.Blobs, wasm4test.Blob{Name: name, Kind: wasm4test.String, Data: line})
		colors := uint16(0x0014)
		if row%2 == 1 {
			colors = 0x0024
		}
		call(colors, "text", name, 0, int64(8*row))
	}
	// Right of the font: the blit flags, 1BPP then 2BPP.
	s.Blobs = append(s.Blobs,
		wasm4test.Blob{Name: "spr1", Kind: wasm4test.Bytes, Data: sprite1},
		wasm4test.Blob{Name: "spr2", Kind: wasm4test.Bytes, Data: sprite2},
		wasm4test.Blob{Name: "atlas", Kind: wasm4test.Bytes, Data: atlas2},
	)
	for i := range int64(8) {
		call(0x0043, "blit", "spr1", 130, 1+14*i, 7, 6, i<<1)
		call(0x4321, "blit", "spr2", 145, 1+14*i, 6, 5, 1|i<<1)
	}
	call(0x2341, "blitSub", "atlas", 130, 114, 7, 4, 2, 1, 11, 1)
	call(0x4320, "blitSub", "atlas", 145, 113, 4, 6, 3, 0, 11, 1|8)
	// Below: shapes.
	for i, n := range []int64{1, 2, 3, 4, 5, 6, 7, 9} {
		call(0x0042, "oval", "", 2+int64(i)*10, 114+9-n, n, n)
		call(0x0043, "rect", "", 2+int64(i)*10, 125, n, n)
	}
	call(0x0032, "oval", "", 84, 113, 22, 12)
	call(0x0020, "oval", "", 108, 113, 18, 22)
	call(0x0004, "line", "", 84, 127, 104, 135)
	call(0x0003, "line", "", 84, 135, 104, 127)
	call(0x0004, "hline", "", 2, 136, 78)
	call(0x0003, "vline", "", 80, 114, 22)
	// Text: the variants, with a new line.
	s.Blobs = append(s.Blobs,
		wasm4test.Blob{Name: "hello", Kind: wasm4test.String, Data: []byte("Press \x86 to jump!\n\x80 fire! \xbfQu\xe9 tal?")},
		wasm4test.Blob{Name: "utf8", Kind: wasm4test.Bytes, Data: []byte("Grüße½©")},
		wasm4test.Blob{Name: "utf16", Kind: wasm4test.UTF16, Data: wasm4test.UTF16LE([]uint16{0xc5, 'n', 'g', 's', 't', 'r', 0xf6, 'm'}...)},
		wasm4test.Blob{Name: "pad", Kind: wasm4test.Bytes, Data: []byte("\x84\x85\x87")},
	)
	call(0x0004, "text", "hello", 0, 138)
	call(0x0004, "textUtf8", "utf8", int64(len("Grüße½©")), 0, 154)
	call(0x0003, "textUtf16", "utf16", 16, 64, 154)
	call(0x0024, "textUtf8", "pad", 3, 136, 154)
	return s
}

// render runs the scene on a power-on memory with d.
func render(t *testing.T, s wasm4test.Scene, d wasm4test.Drawer) *image.Paletted {
	t.Helper()
	mem := make([]byte, wasm4.MemorySize)
	wasm4.Reset(mem)
	if err := s.Run(mem, d); err != nil {
		t.Fatal(err)
	}
	return wasm4test.Image(mem, s.Palette)
}

// golden compares img with testdata/name.png. With -update it writes the
// reference's image there instead; on a mismatch it writes img as
// testdata/name.actual.png.
func golden(t *testing.T, name string, img, reference *image.Paletted) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	actual := filepath.Join("testdata", name+".actual.png")
	if *update {
		writePNG(t, path, reference)
	}
	want := readPNG(t, path)
	for _, c := range []struct {
		who string
		img *image.Paletted
	}{{"the reference", reference}, {"package wasm4", img}} {
		if x, y, ok := samePixels(c.img, want); !ok {
			writePNG(t, actual, c.img)
			t.Fatalf("%s: %s draws pixel (%d,%d) differently; wrote %s (run with -update to accept the reference)", path, c.who, x, y, actual)
		}
	}
	os.Remove(actual)
}

// samePixels compares the colours of a and b.
func samePixels(a *image.Paletted, b image.Image) (x, y int, ok bool) {
	if a.Bounds() != b.Bounds() {
		return 0, 0, false
	}
	for y := range a.Bounds().Dy() {
		for x := range a.Bounds().Dx() {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return x, y, false
			}
		}
	}
	return 0, 0, true
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func TestShowcase(t *testing.T) {
	s := showcaseScene()
	golden(t, "showcase", render(t, s, impl{}), render(t, s, wasm4test.Reference{}))
}

// TestDrawCartReference checks the draw.c cart's expected screen: package
// wasm4 draws the cart's scene like the reference, and both match
// testdata/draw.png.
func TestDrawCartReference(t *testing.T) {
	golden(t, "draw", render(t, wasm4test.DrawCartScene(), impl{}), wasm4test.RenderDrawCartReference())
}

// drawCHeader and drawCFooter frame the generated scene in draw.c.
const drawCHeader = `// Code generated by go test ./wasm4 -run TestDrawCartSource -update
// from wasm4test.DrawCartScene; DO NOT EDIT.
//
// draw.c is a WASM-4 test cart: update() sets PALETTE and draws one
// deterministic scene with every drawing function and blit flag. A host
// that runs it for one frame must show wasm4test.RenderDrawCartReference()
// (testdata/draw.png). Build:
//
//   clang --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry \
//     -Wl,--import-memory -Wl,--initial-memory=65536 -Wl,--max-memory=65536 \
//     -Wl,--stack-first -Wl,-zstack-size=14752 -o draw.wasm draw.c

#include "../../examples/wasm4/wasm4.h"

`

// TestDrawCartSource checks that testdata/draw.c is the C form of
// wasm4test.DrawCartScene; -update rewrites it.
func TestDrawCartSource(t *testing.T) {
	body, err := wasm4test.DrawCartScene().C()
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte(drawCHeader), body...)
	path := filepath.Join("testdata", "draw.c")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run go test ./wasm4 -run TestDrawCartSource -update", path)
	}
}

// TestDrawCart checks the committed testdata/draw.wasm's imports and
// exports: it is a WASM-4 cart that calls every drawing function. That it
// is what draw.c builds to is make carts-check's business (make carts
// builds it the way the WASM-4 C template links a cart: env.memory
// imported, exactly one page, the stack first).
func TestDrawCart(t *testing.T) {
	path := filepath.Join("testdata", "draw.wasm")
	wasm, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ what, bytes string }{
		{"import of env.memory, 1 page min and max", "\x03env\x06memory\x02\x01\x01\x01"},
		{"export of update", "\x06update\x00"},
	} {
		if !bytes.Contains(wasm, []byte(want.bytes)) {
			t.Errorf("%s lacks the %s", path, want.what)
		}
	}
	for _, fn := range []string{"blit", "blitSub", "line", "hline", "vline", "rect", "oval", "text", "textUtf8", "textUtf16"} {
		if !bytes.Contains(wasm, []byte("\x03env"+string(rune(len(fn)))+fn+"\x00")) {
			t.Errorf("%s does not import env.%s", path, fn)
		}
	}
	if strings.Contains(string(wasm), "\x06memory\x02\x00") {
		t.Errorf("%s exports its memory instead of importing it", path)
	}
}
