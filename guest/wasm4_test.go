//go:build !js

package guest_test

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"strings"
	"sync"
	"testing"

	. "github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/wasm4test"
)

// TestWASM4DrawCart runs the WASM-4 drawing test cart (wasm4/testdata/
// draw.c, every function and flag) through the real host, in every
// isolation, and compares its frame with the reference implementation's
// and with the golden PNG checked by eye.
func TestWASM4DrawCart(t *testing.T) {
	wasm, err := os.ReadFile("../wasm4/testdata/draw.wasm")
	if err != nil {
		t.Fatal(err)
	}
	want := wasm4test.RenderDrawCartReference()
	gf, err := os.Open("../wasm4/testdata/draw.png")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := png.Decode(gf)
	gf.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range enginetest.Engines() {
		c, err := enginetest.Load(context.Background(), e, wasm, opts(t))
		if err != nil {
			t.Fatal(err)
		}
		if c.Mode() != ModeWASM4 {
			t.Fatalf("mode %v, want wasm4 (the cart imports env.memory)", c.Mode())
		}
		if err := c.Update(Input{}); err != nil {
			t.Fatal(err)
		}
		f, err := c.Frame()
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Width != 160 || f.Height != 160 {
			t.Fatalf("frame %dx%d, want 160x160", f.Width, f.Height)
		}
		for y := range 160 {
			for x := range 160 {
				got := color.RGBA{f.Pix[4*(160*y+x)], f.Pix[4*(160*y+x)+1], f.Pix[4*(160*y+x)+2], 255}
				r, g, b, _ := want.At(x, y).RGBA()
				w := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
				gr, gg, gb, _ := golden.At(x, y).RGBA()
				gw := color.RGBA{uint8(gr >> 8), uint8(gg >> 8), uint8(gb >> 8), 255}
				if got != w || got != gw {
					t.Fatalf("%s: pixel (%d,%d) = %v, reference %v, golden %v", e.Name, x, y, got, w, gw)
				}
			}
		}
	}
}

// TestWASM4MemoryMapAndServices checks input in the memory map, the
// per-frame clear and SYSTEM_FLAGS, tone, tracef and saves that survive a
// restart.
func TestWASM4MemoryMapAndServices(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var mu sync.Mutex
		var lines []string
		var saved []byte
		o := opts(t)
		o.Output = Output{Log: func(l string) {
			mu.Lock()
			lines = append(lines, l)
			mu.Unlock()
		}, Disk: func(b []byte) { saved = b }}
		wasm := readCart(t, "w4_io")
		for boot := 1; boot <= 2; boot++ {
			lines = nil
			o.Config.Disk = saved
			c, err := enginetest.Load(context.Background(), e, wasm, o)
			if err != nil {
				t.Fatal(err)
			}
			in := Input{Buttons: ButtonB | ButtonLeft, Players: [3]uint32{ButtonA | ButtonDown, 0, ButtonUp}, MouseX: 40, MouseY: -3, MouseButtons: MouseLeft | MouseRight}
			var firstPixel []color.RGBA
			for range 4 {
				if err := c.Update(in); err != nil {
					t.Fatal(err)
				}
				f, _ := c.Frame()
				firstPixel = append(firstPixel, color.RGBA{f.Pix[0], f.Pix[1], f.Pix[2], f.Pix[3]})
			}
			tones := c.Tones()
			c.Close()
			if len(tones) != 1 || tones[0] != (Tone{0x037001b8, 10, 50, 2}) {
				t.Fatalf("tones of the last update %v, want one tone(440|880<<16, 10, 50, 2)", tones)
			}
			mu.Lock()
			log := strings.Join(lines, "\n")
			mu.Unlock()
			if !strings.Contains(log, "boot "+string(rune('0'+boot))) {
				t.Fatalf("boot %d: log %q lacks the boot counter read back from the save", boot, log)
			}
			// X (B) = bit 0, Z (A) = bit 1, left bit 4, down bit 7, up bit 6.
			if want := "pad 17 130 0 64 mouse 40 -3 3"; !strings.Contains(log, want) {
				t.Fatalf("log %q lacks %q", log, want)
			}
			dark := color.RGBA{0x07, 0x18, 0x21, 255}  // palette index 3
			light := color.RGBA{0xe0, 0xf8, 0xcf, 255} // index 0
			if firstPixel[0] != dark || firstPixel[1] != light || firstPixel[2] != dark || firstPixel[3] != dark {
				t.Fatalf("first pixel over 4 updates %v: want drawn, cleared, drawn, kept (SYSTEM_FLAGS bit 0)", firstPixel)
			}
		}
		if !bytes.Equal(saved, []byte{2, 0, 0, 0}) {
			t.Fatalf("save holds %v, want the counter 2", saved)
		}
	})
}

func TestWASM4ImportErrors(t *testing.T) {
	// A cart importing a function WASM-4 does not have, or one of the
	// right name with a signature WASM-4 cannot call (an i64 parameter).
	bad := func(imp string) []byte {
		// (module (import "env" "memory" (memory 1)) (import "env" NAME (func (param i64))))
		mod := []byte("\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x01\x7e\x00")
		body := []byte{2}
		body = append(body, []byte("\x03env\x06memory\x02\x00\x01")...)
		body = append(body, 3, 'e', 'n', 'v', byte(len(imp)))
		body = append(body, imp...)
		body = append(body, 0, 0)
		return append(append(mod, 2, byte(len(body))), body...)
	}
	for _, tc := range []struct{ name, want string }{
		{"drawSprite", `guest: import "env"."drawSprite" (function) is not a WASM-4 function`},
		{"rect", `guest: import "env"."rect" has type (i64) -> (), WASM-4 declares (i32, i32, i32, i32) -> ()`},
	} {
		_, err := enginetest.Load(context.Background(), enginetest.Engines()[0], bad(tc.name), opts(t))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("import %s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
