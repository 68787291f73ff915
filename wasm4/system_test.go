//go:build !js

package wasm4_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/enginetest"
	"github.com/ebicart/ebicart/internal/wasm4test"
	"github.com/ebicart/ebicart/internal/wasmbin"
	"github.com/ebicart/ebicart/internal/worker"
	"github.com/ebicart/ebicart/wasm4"
)

// The tests of this file run WASM-4 carts of testdata through the cart
// core on every engine of this machine (in-process and a worker process);
// integration's conformance suite runs them in Chromium too.

func TestMain(m *testing.M) {
	if worker.Serve() {
		return
	}
	os.Exit(m.Run())
}

// record collects what a cart says: its log lines and saves.
type record struct {
	mu    sync.Mutex
	logs  []string
	saves [][]byte
}

func (r *record) output(t testing.TB) guest.Output {
	return guest.Output{
		Log: func(l string) {
			t.Logf("cart: %s", l)
			r.mu.Lock()
			r.logs = append(r.logs, l)
			r.mu.Unlock()
		},
		Disk: func(b []byte) {
			r.mu.Lock()
			r.saves = append(r.saves, append([]byte(nil), b...))
			r.mu.Unlock()
		},
	}
}

func (r *record) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.logs...)
}

// readCart reads testdata/<name>.wasm.
func readCart(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".wasm"))
	if err != nil {
		t.Fatalf("%v (run make carts)", err)
	}
	return b
}

// forEngines runs f on every engine.
func forEngines(t *testing.T, f func(t *testing.T, e enginetest.Engine)) {
	for _, e := range enginetest.Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, e) })
	}
}

// boot loads wasm on e with cfg, recording its output in r.
func boot(t *testing.T, e enginetest.Engine, wasm []byte, cfg guest.BootConfig, r *record) *enginetest.Cart {
	t.Helper()
	c, err := enginetest.Load(context.Background(), e, wasm, enginetest.Options{Config: cfg, Limits: enginetest.Short, Output: r.output(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if c.Mode() != guest.ModeWASM4 {
		t.Fatalf("mode %v, want wasm4", c.Mode())
	}
	return c
}

// frameIndices returns the palette index of every pixel of the cart's
// frame, read back through the packed frame and the palette in mem.
func frameIndices(t *testing.T, c *enginetest.Cart, palette [4]uint32) [wasm4.Width * wasm4.Height]uint8 {
	t.Helper()
	f, err := c.Frame()
	if err != nil {
		t.Fatal(err)
	}
	var out [wasm4.Width * wasm4.Height]uint8
	for i := range out {
		rgb := uint32(f.Pix[4*i])<<16 | uint32(f.Pix[4*i+1])<<8 | uint32(f.Pix[4*i+2])
		found := false
		for k, p := range palette {
			if p&0xffffff == rgb {
				out[i], found = uint8(k), true
				break
			}
		}
		if !found {
			t.Fatalf("pixel %d has colour %06x, in no palette entry of %06x", i, rgb, palette)
		}
	}
	return out
}

// indices returns the palette index of every pixel of mem's framebuffer.
func indices(mem []byte) [wasm4.Width * wasm4.Height]uint8 {
	var out [wasm4.Width * wasm4.Height]uint8
	for y := range wasm4.Height {
		for x := range wasm4.Width {
			out[y*wasm4.Width+x] = wasm4.Pixel(mem, x, y)
		}
	}
	return out
}

// diffPixels describes the first pixels where got and want differ.
func diffPixels(got, want [wasm4.Width * wasm4.Height]uint8) string {
	var b strings.Builder
	n := 0
	for i := range got {
		if got[i] != want[i] {
			if n < 8 {
				b.WriteString(" (" + itoa(i%wasm4.Width) + "," + itoa(i/wasm4.Width) + ") " + itoa(int(got[i])) + " want " + itoa(int(want[i])))
			}
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return itoa(n) + " pixels differ:" + b.String()
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// powerOn returns a WASM-4 memory in its power-on state.
func powerOn() []byte {
	mem := make([]byte, wasm4.MemorySize)
	wasm4.Reset(mem)
	return mem
}

// TestLenientImports runs carts whose imports differ from WASM-4's
// documented signatures the way published carts' do, which WASM-4's web
// runtime runs: missing arguments are 0, extra ones ignored, results
// dropped or 0.
func TestLenientImports(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		t.Run("blit with 5 parameters", func(t *testing.T) {
			var r record
			c := boot(t, e, readCart(t, "blit5"), guest.BootConfig{}, &r)
			if err := c.Update(guest.Input{}); err != nil {
				t.Fatal(err)
			}
			want := powerOn()
			copy(want[0x2000:], "\xaa\x55\xaa\x55\xf0\x0f\xff\x00")
			want[wasm4.AddrDrawColors] = 0x42
			if err := wasm4.Blit(want, 0x2000, 10, 20, 8, 8, 0); err != nil {
				t.Fatal(err)
			}
			if d := diffPixels(frameIndices(t, c, wasm4.DefaultPalette()), indices(want)); d != "" {
				t.Fatalf("frame is not blit(sprite, 10, 20, 8, 8, flags 0): %s", d)
			}
		})
		t.Run("extra and missing arguments and results", func(t *testing.T) {
			var r record
			c := boot(t, e, readCart(t, "lenient"), guest.BootConfig{}, &r)
			if err := c.Update(guest.Input{}); err != nil {
				t.Fatal(err)
			}
			want := powerOn()
			wasm4.Rect(want, 10, 10, 5, 5)
			if d := diffPixels(frameIndices(t, c, wasm4.DefaultPalette()), indices(want)); d != "" {
				t.Fatalf("frame is not rect(10, 10, 5, 5): %s", d)
			}
			if got := strings.Join(r.lines(), "\n"); got != "rect=0 diskr=0" {
				t.Fatalf("log %q, want %q (rect's missing result and diskr of size 0 read as 0)", got, "rect=0 diskr=0")
			}
			r.mu.Lock()
			saves := r.saves
			r.mu.Unlock()
			if len(saves) != 1 || string(saves[0]) != "save" {
				t.Fatalf("saves %q, want one of %q (diskw's extra argument ignored)", saves, "save")
			}
		})
		t.Run("_start returning i32", func(t *testing.T) {
			var r record
			c := boot(t, e, readCart(t, "start_i32"), guest.BootConfig{}, &r)
			if err := c.Update(guest.Input{}); err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(r.lines(), " "), "_start _initialize start update"; got != want {
				t.Fatalf("calls %q, want %q (WASM-4's order, results ignored)", got, want)
			}
		})
	})
}

// TestRefusedImports checks that imports neither of WASM-4's runtimes can
// call are refused at load, with an error that says why.
func TestRefusedImports(t *testing.T) {
	for _, tc := range []struct {
		name string
		wasm testModule
		want string
	}{
		{"unknown function", module(imp("drawSprite", "i", "")), `guest: import "env"."drawSprite" (function) is not a WASM-4 function`},
		{"i64 parameter", module(imp("line", "Iiii", "")), `guest: import "env"."line" has type (i64, i32, i32, i32) -> (), WASM-4 declares (i32, i32, i32, i32) -> (): its functions take and return i32 values only`},
		{"f32 result", module(imp("diskr", "ii", "f")), `guest: import "env"."diskr" has type (i32, i32) -> (f32), WASM-4 declares (i32, i32) -> (i32): its functions take and return i32 values only`},
		{"two results", module(imp("diskw", "ii", "ii")), `guest: import "env"."diskw" has type (i32, i32) -> (i32, i32)`},
		{"declared twice", module(imp("blit", "iiiiii", ""), imp("blit", "iiiii", "")), `guest: import "env"."blit" is declared twice, as (i32, i32, i32, i32, i32, i32) -> () and (i32, i32, i32, i32, i32) -> ()`},
		{"start with a parameter", module().export("start", "i", ""), `guest: export "start" has type (i32) -> (), want () -> () (a result is ignored)`},
		{"update with two results", module().export("update", "", "ii"), `guest: export "update" has type () -> (i32, i32), want () -> ()`},
		{"a memory of two pages", module().withMemory(0x00, 0x02), `guest: import "env"."memory" asks for 2 pages: WASM-4 carts get exactly one (64 KiB)`},
		{"a 64-bit memory", module().withMemory(0x05, 0x01, 0x01), `guest: memory is 64-bit (memory64): a cart must be a wasm32 module`},
		{"a shared memory", module().withMemory(0x03, 0x01, 0x01), `guest: the cart's memory is shared (threads): `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := enginetest.Load(context.Background(), enginetest.Engines()[0], tc.wasm.bytes(), enginetest.Options{Limits: enginetest.Short})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("load: %v, want %q", err, tc.want)
			}
		})
	}
}

// testModule is a WASM-4 cart built in a test: env.memory, function
// imports and exports of given types (exports have empty bodies that
// return zeros).
type testModule struct {
	imports []testFunc
	exports []testFunc
	memory  []byte // env.memory's limits, encoded; nil: one page, at most one
}

type testFunc struct{ name, params, results string }

func imp(name, params, results string) testFunc { return testFunc{name, params, results} }

func module(imports ...testFunc) testModule { return testModule{imports: imports} }

// withMemory sets the limits env.memory is imported with, encoded.
func (m testModule) withMemory(limits ...byte) testModule {
	m.memory = limits
	return m
}

func (m testModule) export(name, params, results string) testModule {
	m.exports = append(m.exports, testFunc{name, params, results})
	return m
}

// bytes encodes the module. Types are written as letters: i i32, I i64,
// f f32, F f64.
func (m testModule) bytes() []byte {
	valType := map[byte]byte{'i': 0x7f, 'I': 0x7e, 'f': 0x7d, 'F': 0x7c}
	vec := func(b []byte, n int) []byte { return append(b, byte(n)) } // small counts only
	str := func(b []byte, s string) []byte { return append(vec(b, len(s)), s...) }
	funcType := func(b []byte, f testFunc) []byte {
		b = append(b, 0x60)
		b = vec(b, len(f.params))
		for i := range len(f.params) {
			b = append(b, valType[f.params[i]])
		}
		b = vec(b, len(f.results))
		for i := range len(f.results) {
			b = append(b, valType[f.results[i]])
		}
		return b
	}
	section := func(out []byte, id byte, body []byte) []byte {
		return append(append(append(out, id), byte(len(body))), body...)
	}
	all := append(append([]testFunc(nil), m.imports...), m.exports...)
	types := vec(nil, len(all))
	for _, f := range all {
		types = funcType(types, f)
	}
	imports := vec(nil, len(m.imports)+1)
	limits := m.memory
	if limits == nil {
		limits = []byte{0x01, 0x01, 0x01}
	}
	imports = append(append(str(str(imports, "env"), "memory"), 0x02), limits...)
	for i, f := range m.imports {
		imports = append(str(str(imports, "env"), f.name), 0x00, byte(i))
	}
	funcs := vec(nil, len(m.exports))
	exports := vec(nil, len(m.exports))
	code := vec(nil, len(m.exports))
	for i, f := range m.exports {
		funcs = append(funcs, byte(len(m.imports)+i))
		exports = append(str(exports, f.name), 0x00, byte(len(m.imports)+i))
		var body []byte
		body = append(body, 0) // no locals
		for j := range len(f.results) {
			switch f.results[j] {
			case 'i':
				body = append(body, 0x41, 0)
			case 'I':
				body = append(body, 0x42, 0)
			case 'f':
				body = append(body, 0x43, 0, 0, 0, 0)
			case 'F':
				body = append(body, 0x44, 0, 0, 0, 0, 0, 0, 0, 0)
			}
		}
		body = append(body, 0x0b)
		code = append(vec(code, len(body)), body...)
	}
	out := []byte("\x00asm\x01\x00\x00\x00")
	out = section(out, 1, types)
	out = section(out, 2, imports)
	if len(m.exports) > 0 {
		out = section(out, 3, funcs)
		out = section(out, 7, exports)
		out = section(out, 10, code)
	}
	return out
}

// frameBytes returns the framebuffer bytes the frame shows: 4 pixels a
// byte, the leftmost in the low bits.
func frameBytes(px [wasm4.Width * wasm4.Height]uint8) []byte {
	b := make([]byte, wasm4.FramebufferSize)
	for i := range b {
		for k := range 4 {
			b[i] |= px[4*i+k] << (2 * k)
		}
	}
	return b
}

// TestStartState checks the memory map a cart finds, byte by byte, against
// the state WASM-4's runtimes write at power-on: the default palette,
// DRAW_COLORS 0x1203, MOUSE_X and MOUSE_Y 0x7fff (off the screen) until a
// pointer is over the game, zero everywhere else; and the framebuffer, not
// cleared before the first update (as on WASM-4's native runtime) and
// cleared before the others.
func TestStartState(t *testing.T) {
	var power [0xa0]byte
	copy(power[wasm4.AddrPalette:], "\xcf\xf8\xe0\x00\x6c\xc0\x86\x00\x50\x68\x30\x00\x21\x18\x07\x00")
	copy(power[wasm4.AddrDrawColors:], "\x03\x12")
	copy(power[wasm4.AddrMouseX:], "\xff\x7f\xff\x7f")
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var r record
		c := boot(t, e, readCart(t, "start_state"), guest.BootConfig{}, &r)
		noPointer := guest.Input{MouseX: guest.NoPointer, MouseY: guest.NoPointer}
		for _, step := range []struct {
			name      string
			in        guest.Input
			update    func(b *[0xa0]byte) // the registers update sees, from power
			cursor    [2]int              // -1: none
			startDraw bool                // start's pixels on row 100 show
		}{
			{"frame 1, no pointer", noPointer, func(*[0xa0]byte) {}, [2]int{-1, -1}, true},
			{"frame 2, no pointer", noPointer, func(*[0xa0]byte) {}, [2]int{-1, -1}, false},
			{"frame 3, pointer at (10,100), buttons", guest.Input{MouseX: 10, MouseY: 100, MouseButtons: guest.MouseLeft | guest.MouseMiddle,
				Buttons: guest.ButtonA, Players: [3]uint32{guest.ButtonB, guest.ButtonUp, guest.ButtonDown}}, func(b *[0xa0]byte) {
				copy(b[wasm4.AddrGamepad1:], []byte{wasm4.ButtonZ, wasm4.ButtonX, wasm4.ButtonUp, wasm4.ButtonDown})
				copy(b[wasm4.AddrMouseX:], "\x0a\x00\x64\x00")
				b[wasm4.AddrMouseButtons] = wasm4.MouseLeft | wasm4.MouseMiddle
			}, [2]int{10, 100}, false},
			{"frame 4, pointer off the screen", guest.Input{MouseX: -5, MouseY: 200}, func(b *[0xa0]byte) {
				copy(b[wasm4.AddrMouseX:], "\xfb\xff\xc8\x00")
			}, [2]int{-1, -1}, false},
		} {
			if err := c.Update(step.in); err != nil {
				t.Fatal(err)
			}
			px := frameIndices(t, c, wasm4.DefaultPalette())
			fb := frameBytes(px)
			if got := fb[:0xa0]; string(got) != string(power[:]) {
				t.Fatalf("%s: start saw the registers\n% x\nwant\n% x", step.name, got, power)
			}
			want := power
			step.update(&want)
			if got := fb[0xa0:0x140]; string(got) != string(want[:]) {
				t.Fatalf("%s: update saw the registers\n% x\nwant\n% x", step.name, got, want)
			}
			if fb[0x140] != 0 {
				t.Fatalf("%s: the framebuffer at start ORs to %#x, want 0", step.name, fb[0x140])
			}
			for i, v := range px[9*wasm4.Width:] {
				x, y := i%wasm4.Width, 9+i/wasm4.Width
				want := uint8(0)
				switch {
				case x == step.cursor[0] && y == step.cursor[1]:
					want = 3
				case step.startDraw && y == 100 && x < 4:
					want = 3
				}
				if v != want {
					t.Fatalf("%s: pixel (%d,%d) is %d, want %d (cursor at %v, start's pixels shown %v)", step.name, x, y, v, want, step.cursor, step.startDraw)
				}
			}
		}
	})
}

// TestDataSegments checks that a cart's data segments write their own
// bytes and no others: data_palette sets PALETTE with one segment and has
// another 44 bytes past its end, and the registers between them
// (DRAW_COLORS, the mouse) keep the power-on values the console wrote
// before the segments, as on WASM-4.
func TestDataSegments(t *testing.T) {
	palette := [4]uint32{0x000000, 0x555555, 0xaaaaaa, 0xffffff}
	want := powerOn()[:0xa0]
	for i, c := range palette {
		binary.LittleEndian.PutUint32(want[wasm4.AddrPalette+4*i:], c)
	}
	want[0x40] = 1
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var r record
		c := boot(t, e, readCart(t, "data_palette"), guest.BootConfig{}, &r)
		if err := c.Update(guest.Input{MouseX: guest.NoPointer, MouseY: guest.NoPointer}); err != nil {
			t.Fatal(err)
		}
		if got := frameBytes(frameIndices(t, c, palette))[:0xa0]; string(got) != string(want) {
			t.Fatalf("update saw the registers\n% x\nwant\n% x", got, want)
		}
	})
}

// TestToneFlood: a cart that calls tone() 101 times in an update, more
// than the core keeps calls, still ends it with the last tone of each
// channel, which is what WASM-4 plays.
func TestToneFlood(t *testing.T) {
	want := map[uint32]guest.Tone{ // by channel
		0: {Frequency: 100, Duration: 10, Volume: 50, Flags: 0},
		2: {Frequency: 300, Duration: 10, Volume: 50, Flags: 2},
	}
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var r record
		c := boot(t, e, readCart(t, "tone_flood"), guest.BootConfig{}, &r)
		for range 2 {
			if err := c.Update(guest.Input{}); err != nil {
				t.Fatal(err)
			}
			last := map[uint32]guest.Tone{}
			for _, tone := range c.Tones() {
				last[tone.Flags&3] = tone
			}
			if !maps.Equal(last, want) {
				t.Fatalf("the last tone of each channel %v, want %v", last, want)
			}
		}
	})
}

// TestExampleCart runs the WASM-4 cart ebicart ships
// (assets/carts/wasm4.wasm, from examples/wasm4): it draws in all four
// colours of WASM-4's default palette, which it never changes, so a
// palette given at boot (-palette) recolours every pixel and moves none;
// the arrows move the player; a round ends with a save of the best score.
func TestExampleCart(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join("..", "assets", "carts", "wasm4.wasm"))
	if err != nil {
		t.Fatalf("%v (run make carts)", err)
	}
	green := [4]uint32{0x9bbc0f, 0x8bac0f, 0x306230, 0x0f380f}
	e := enginetest.Engines()[0]
	run := func(palette *[4]uint32, in func(frame int) guest.Input, frames int) ([wasm4.Width * wasm4.Height]uint8, *record) {
		var r record
		c := boot(t, e, wasm, guest.BootConfig{Palette: palette}, &r)
		for f := range frames {
			if err := c.Update(in(f)); err != nil {
				t.Fatal(err)
			}
		}
		want := wasm4.DefaultPalette()
		if palette != nil {
			want = *palette
		}
		return frameIndices(t, c, want), &r
	}
	idle := func(int) guest.Input { return guest.Input{MouseX: guest.NoPointer, MouseY: guest.NoPointer} }
	def, _ := run(nil, idle, 60)
	var seen [4]bool
	for _, v := range def {
		seen[v] = true
	}
	if seen != [4]bool{true, true, true, true} {
		t.Fatalf("the cart's frame uses palette indices %v, want all four", seen)
	}
	if recoloured, _ := run(&green, idle, 60); recoloured != def {
		t.Fatalf("with -palette the frame's pixels moved: %s", diffPixels(recoloured, def))
	}
	right := func(int) guest.Input {
		return guest.Input{Buttons: guest.ButtonRight, MouseX: guest.NoPointer, MouseY: guest.NoPointer}
	}
	if moved, _ := run(nil, right, 60); moved == def {
		t.Fatal("holding right for a second changed nothing on the screen")
	}
	// A round lasts 30 seconds; its end saves the best score and the
	// rounds played.
	_, r := run(nil, idle, 30*60+1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.saves) != 1 || string(r.saves[0]) != "\x00\x00\x00\x00\x01\x00\x00\x00" {
		t.Fatalf("saves after a round: %v, want one: best 0, 1 round", r.saves)
	}
}

// TestSystemFlags runs testdata/flags (see its source): the framebuffer
// is kept while SYSTEM_FLAGS bit 0 is set when an update begins, the host
// is told to hide its touch gamepad while bit 1 is set, and NETPLAY, which
// ebicart (without netplay) never writes, is 0 until the cart writes it.
// The frames are WASM-4's native runtime's.
func TestSystemFlags(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var r record
		c := boot(t, e, readCart(t, "flags"), guest.BootConfig{}, &r)
		for i, want := range []struct {
			top, netplay byte
			hide         bool
		}{{0x03, 0x00, false}, {0x0f, 0x1b, true}, {0x3f, 0x1b, true}, {0xc0, 0x1b, false}} {
			if err := c.Update(guest.Input{}); err != nil {
				t.Fatal(err)
			}
			fb := frameBytes(frameIndices(t, c, wasm4.DefaultPalette()))
			hide := c.Result().Flags&guest.FlagHideControls != 0
			if fb[0] != want.top || fb[40] != want.netplay || hide != want.hide {
				t.Fatalf("update %d: top row byte %#02x, NETPLAY %#02x, hide controls %v; want %#02x, %#02x, %v",
					i+1, fb[0], fb[40], hide, want.top, want.netplay, want.hide)
			}
		}
	})
}

// TestDisk runs testdata/disk (see its source): diskr and diskw with sizes
// below, at and above the 1024-byte disk return what WASM-4's native
// runtime returns, save what it saves, and a read past the end of memory
// traps. A second boot finds the last save.
func TestDisk(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var saved []byte
		for boot := 1; boot <= 2; boot++ {
			var r record
			c, err := enginetest.Load(context.Background(), e, readCart(t, "disk"), enginetest.Options{
				Config: guest.BootConfig{Disk: saved}, Limits: enginetest.Short, Output: r.output(t)})
			if err != nil {
				t.Fatal(err)
			}
			want := "0 1024 1024 119 10 4 10 0 0 1024"
			if boot == 2 {
				want = "100" + want[1:] // 100 of the 1024 bytes saved last time
			}
			if got := strings.Join(r.lines(), "\n"); got != want {
				t.Fatalf("boot %d: diskr and diskw returned %q, want %q", boot, got, want)
			}
			r.mu.Lock()
			saves := r.saves
			r.mu.Unlock()
			var sizes []int
			for _, s := range saves {
				sizes = append(sizes, len(s))
			}
			if fmt.Sprint(sizes) != "[1024 10 0 1024]" || saves[3][0] != 0xa5 || saves[0][0] != 0x5a {
				t.Fatalf("boot %d: saves of %v bytes, want [1024 10 0 1024] of the cart's bytes", boot, sizes)
			}
			saved = saves[3]
			err = c.Update(guest.Input{})
			c.Close()
			const wantTrap = "guest: update trapped: diskr: 0xff00+512 bytes end past memory size 65536: the whole size asked must lie in memory, however little is saved"
			if first, _, _ := strings.Cut(fmt.Sprint(err), "\n"); first != wantTrap {
				t.Fatalf("boot %d: a read past the end of memory: %v, want a trap %q", boot, err, wantTrap)
			}
		}
	})
}

// TestTracef runs testdata/tracef (see its source): each line is what
// WASM-4's native runtime prints for it, and an argument past the end of
// memory traps.
func TestTracef(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var r record
		c := boot(t, e, readCart(t, "tracef"), guest.BootConfig{}, &r)
		if err := c.Update(guest.Input{}); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"d=-5 d=2147483647 x=ff x=ffffffff c=Hi s=str %",
			"f=3.14159 f=1e+21 f=0.0001 f=1e-05 f=1.23457e+06 f=-0",
			"f=nan f=inf f=-inf f=100000",
			"7 then 2.5, unaligned",
			"unknown %q and ",
			"latin-1 é",
		}
		if got := r.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("tracef lines\n%q\nwant\n%q", got, want)
		}
		err := c.Update(guest.Input{})
		if err == nil || !strings.Contains(err.Error(), "wasm4: tracef: argument at 0xfffe+4 bytes past memory size 65536: pass arguments in memory") {
			t.Fatalf("a tracef argument past the end of memory: %v, want a trap", err)
		}
	})
}

// TestStartSection runs testdata/start_section, whose module start
// function calls diskr, diskw, rect and tracef while the cart is being
// instantiated (as the published samurai-revenge calls diskr), on every
// engine, twice: the calls work, the save persists, and the rect shows in
// the first frame, as on WASM-4's native runtime.
func TestStartSection(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var saved []byte
		for n, want := range []string{"diskr=0", "diskr=2"} {
			var r record
			c := boot(t, e, readCart(t, "start_section"), guest.BootConfig{Disk: saved}, &r)
			if got := strings.Join(r.lines(), "\n"); got != want {
				t.Fatalf("boot %d: log %q, want %q", n+1, got, want)
			}
			r.mu.Lock()
			saves := r.saves
			r.mu.Unlock()
			if len(saves) != 1 || string(saves[0]) != "ok" {
				t.Fatalf("boot %d: saves %q, want one of \"ok\"", n+1, saves)
			}
			saved = saves[0]
			if err := c.Update(guest.Input{}); err != nil {
				t.Fatal(err)
			}
			fb := frameBytes(frameIndices(t, c, wasm4.DefaultPalette()))
			if string(fb[:3]) != "\xaa\xaa\x0a" || fb[3] != 0 {
				t.Fatalf("boot %d: the first row starts % x, want the rect's aa aa 0a 00", n+1, fb[:4])
			}
		}
	})
}

// TestDrawTrap checks that a drawing call reading past memory stops the
// cart on every engine with the error of the Go function, naming the call,
// though the cart's imports bind to wasm4.DrawModule, and that the frame
// drawn up to it is the module's.
func TestDrawTrap(t *testing.T) {
	cart := readCart(t, "drawtrap")
	at := bytes.Index(cart, []byte("CALL\x00")) + 4
	tests := []struct {
		call byte
		want string // "" for no trap
	}{
		{0, "wasm4: blit: sprite 0xfff0+64 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{1, "wasm4: blitSub: sprite 0x8000+1000008 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{2, "wasm4: text: string at 0xff00 has no NUL before memory end 65536: end it with a 0 byte"},
		{3, "wasm4: textUtf8: string 0xfff0+17 bytes end past memory size 65536: pass a string wholly in memory"},
		{4, "wasm4: textUtf16: string 0x10000+2 bytes end past memory size 65536: pass a string wholly in memory"},
		{5, ""},
	}
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		for _, tt := range tests {
			wasm := bytes.Clone(cart)
			wasm[at] = tt.call
			var r record
			c := boot(t, e, wasm, guest.BootConfig{}, &r)
			err := c.Update(guest.Input{})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("call %d: %v, want no error", tt.call, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("call %d: error %v, want one with %q", tt.call, err, tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), "\tebicart_draw."):
				t.Errorf("call %d: the stack of %v has no frame of the drawing module: the cart's imports did not bind to it", tt.call, err)
			case tt.want == "":
				want := powerOn()
				wasm4.Rect(want, 10, 10, 20, 20)
				if d := diffPixels(frameIndices(t, c, wasm4.DefaultPalette()), indices(want)); d != "" {
					t.Errorf("frame is not rect(10, 10, 20, 20): %s", d)
				}
			}
		}
	})
}

// BenchmarkStressUpdate times an update of the stress cart (1,000 8x8
// blits and 200 texts) on the in-process engine with its drawing imports
// bound to wasm4.DrawModule, against the same cart with them bound to the
// Go functions, in the same run: ns/update of each and their ratio.
func BenchmarkStressUpdate(b *testing.B) {
	e := enginetest.Engines()[0] // inprocess
	load := func(module bool) *enginetest.Cart {
		defer wasm4.SetDrawModule(module)()
		c, err := enginetest.Load(context.Background(), e, readCart(b, "stress"), enginetest.Options{Limits: enginetest.Short})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		return c
	}
	goCart, modCart := load(false), load(true)
	var goTime, modTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := goCart.Update(guest.Input{}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := modCart.Update(guest.Input{}); err != nil {
			b.Fatal(err)
		}
		goTime += t1.Sub(t0)
		modTime += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(goTime.Nanoseconds())/n, "go-ns/update")
	b.ReportMetric(float64(modTime.Nanoseconds())/n, "module-ns/update")
	b.ReportMetric(float64(modTime)/float64(goTime), "module/go")
}

// TestDrawingStaysInEngine: a cart that declares WASM-4's drawing
// functions with their own signatures gets them from DrawModule, which
// defines its memory, so that no drawing call leaves the engine (in the
// browser each call into Go copies memory: BenchmarkWebWASM4 measures
// it); a cart that declares one with another signature gets the Go
// functions, adapted, for all of them.
func TestDrawingStaysInEngine(t *testing.T) {
	drawing := []string{"blit", "blitSub", "line", "hline", "vline", "oval", "rect", "text", "textUtf8", "textUtf16"}
	for _, tc := range []struct {
		cart   string
		module bool
	}{
		{"stress", true},
		{"draw", true},
		{"blit5", false},
	} {
		t.Run(tc.cart, func(t *testing.T) {
			m, err := wasmbin.Parse(readCart(t, tc.cart))
			if err != nil {
				t.Fatal(err)
			}
			sys := wasm4.System()
			if _, err := sys.Check(m); err != nil {
				t.Fatal(err)
			}
			mi := sys.Memory(guest.SystemOptions{})
			if mi == nil || mi.Pages != 1 {
				t.Fatalf("memory %+v, want WASM-4's one page", mi)
			}
			if !tc.module {
				if mi.Lib != nil || len(mi.LibFuncs) != 0 {
					t.Fatalf("the drawing functions come from the module (%v), want the Go functions", mi.LibFuncs)
				}
				return
			}
			if !bytes.Equal(mi.Lib, wasm4.DrawModule) {
				t.Fatal("the memory is not DrawModule's: drawing calls would go through the host")
			}
			for _, name := range drawing {
				if !slices.Contains(mi.LibFuncs, name) {
					t.Errorf("%s is not taken from DrawModule (LibFuncs %v)", name, mi.LibFuncs)
				}
			}
		})
	}
}

// TestSignedCart runs testdata/signed (see its source): on every engine,
// its frame is what the test reference draws for the same calls, blits of
// negative sizes drawing nothing instead of trapping.
func TestSignedCart(t *testing.T) {
	want := powerOn()
	binary.LittleEndian.PutUint16(want[wasm4.AddrDrawColors:], 0x4321)
	copy(want[0x2000:], "<\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0b\x0c\x0d\x0e\x0f>\n<\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f>\x00")
	copy(want[0x2100:], "A\x00\x00\x01\xfd\xffB\x00")
	copy(want[0x3000:], "\xf0\x0f\xaa\x55\xff\x00\xc3\x3c\x18\x81\xe7\x7e\x99\x66\x24\x42")
	ref := wasm4test.Reference{}
	const maxI32 = 1<<31 - 1
	for _, err := range []error{
		ref.Blit(want, 0x3000, 10, 10, 0xfffffff8, 8, 0),
		ref.Blit(want, 0x3000, 10, 10, 8, 0xffffffff, 1),
		ref.BlitSub(want, 0xfffffff0, 10, 10, 0x80000000, 8, 0xffffffff, 0xffffffff, 0xffffffff, 9),
		ref.Blit(want, 0x3000, 20, 20, 8, 8, 1),
	} {
		if err != nil {
			t.Fatalf("the reference: %v", err)
		}
	}
	ref.Rect(want, 100, 30, maxI32, 5)
	ref.Rect(want, 30, 100, 5, maxI32)
	ref.HLine(want, 100, 50, maxI32)
	ref.VLine(want, 50, 100, maxI32)
	ref.HLine(want, 10, 60, 0xfffffffb)
	if err := ref.Text(want, 0x2000, 0, 140); err != nil {
		t.Fatal(err)
	}
	if err := ref.TextUTF16(want, 0x2100, 8, 0, 150); err != nil {
		t.Fatal(err)
	}
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var r record
		c := boot(t, e, readCart(t, "signed"), guest.BootConfig{}, &r)
		if err := c.Update(guest.Input{MouseX: guest.NoPointer, MouseY: guest.NoPointer}); err != nil {
			t.Fatal(err)
		}
		got := frameBytes(frameIndices(t, c, wasm4.DefaultPalette()))
		if !bytes.Equal(got, want[wasm4.AddrFramebuffer:wasm4.AddrProgramMemory]) {
			t.Fatal("the frame differs from the reference's")
		}
	})
}
