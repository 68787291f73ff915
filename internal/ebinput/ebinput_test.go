package ebinput_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/ebinput"
	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/testcarts"
	"github.com/ebicart/ebicart/wasm4"
)

const title = "ebinput tests"

func TestMain(m *testing.M) { ebitest.Main(m, 320, 240, title) }

// reader is a game that reads the input every tick, the screen mapped 1:1
// to frame pixels.
type reader struct {
	r      ebinput.Reader
	states []ebinput.State
}

func (g *reader) Update() error {
	g.states = append(g.states, g.r.Read(func(x, y float64) (int32, int32) { return int32(x), int32(y) }))
	return nil
}

func (g *reader) Draw(*ebiten.Image) {}

// TestPointerStartsOffScreen drives the real X server with xdotool: until
// the pointer moves, the mouse is at (NoPointer, NoPointer), whatever
// Ebitengine reports for a cursor it has not seen move; once it moves over
// the window, the mouse is where it is.
func TestPointerStartsOffScreen(t *testing.T) {
	xdo := ebitest.NeedXdotool(t)
	g := &reader{}
	moved := 0
	ebitest.Run(t, g, 40, func(tick int) {
		if tick == 10 {
			moved = len(g.states)
			xdo("search", "--name", title, "mousemove", "--window", "%1", "--sync", "30", "20")
		}
	})
	for i, s := range g.states[:moved] {
		if s.MouseX != ebinput.NoPointer || s.MouseY != ebinput.NoPointer {
			t.Fatalf("tick %d, before the pointer moved: mouse at (%d, %d), want (%d, %d)", i+1, s.MouseX, s.MouseY, ebinput.NoPointer, ebinput.NoPointer)
		}
	}
	last := g.states[len(g.states)-1]
	if last.MouseX != 30 || last.MouseY != 20 {
		t.Fatalf("after the pointer moved to (30, 20) in the window: mouse at (%d, %d)", last.MouseX, last.MouseY)
	}
}

// cartGame runs a cart that reads Ebitengine's input itself.
type cartGame struct{ c *cart.Cart }

func (g cartGame) Update() error          { return g.c.Update() }
func (g cartGame) Draw(dst *ebiten.Image) { g.c.Draw(dst, nil) }

// TestWASM4KeyboardPlayers drives the real X server with xdotool: WASM-4's
// web runtime's keys for players 1, 2 and 3 reach GAMEPAD1..3 of a WASM-4
// test cart (wasm4/testdata/start_state, which shows the registers its
// update sees in its frame).
func TestWASM4KeyboardPlayers(t *testing.T) {
	xdo := ebitest.NeedXdotool(t)
	wasm, err := os.ReadFile(filepath.Join(testcarts.Root(), "wasm4", "testdata", "start_state.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for _, tc := range []struct {
		keys []string
		want [4]byte // GAMEPAD1..4
	}{
		{[]string{"Left", "x", "z"}, [4]byte{wasm4.ButtonLeft | wasm4.ButtonX | wasm4.ButtonZ}},
		{[]string{"e", "a"}, [4]byte{0, wasm4.ButtonUp | wasm4.ButtonX}},
		{[]string{"f", "d", "Tab"}, [4]byte{0, wasm4.ButtonRight | wasm4.ButtonDown | wasm4.ButtonZ}},
		{[]string{"s", "q", "Shift_L"}, [4]byte{0, wasm4.ButtonLeft | wasm4.ButtonX | wasm4.ButtonZ}},
		{[]string{"KP_Multiply", "KP_8"}, [4]byte{0, 0, wasm4.ButtonX | wasm4.ButtonUp}},
		{[]string{"KP_Subtract", "KP_4", "KP_6"}, [4]byte{0, 0, wasm4.ButtonZ | wasm4.ButtonLeft | wasm4.ButtonRight}},
		{[]string{"KP_Decimal", "KP_Enter", "KP_5"}, [4]byte{0, 0, wasm4.ButtonX | wasm4.ButtonZ | wasm4.ButtonDown}},
	} {
		i++
		c, err := cart.Load(wasm, &cart.Options{EbitenInput: true, Log: func(l string) { t.Log(l) }})
		if err != nil {
			t.Fatal(err)
		}
		var got [4]byte
		ebitest.Run(t, cartGame{c}, 30, func(tick int) {
			switch tick {
			case 1:
				ebiten.SetWindowTitle(title)
			case 5:
				// The pointer moves elsewhere each time: FocusWindow
				// waits for it to move.
				ebitest.FocusWindow(xdo, title, 10+i, 10)
				for _, k := range tc.keys {
					xdo("keydown", k)
				}
			case 25:
				img, err := c.Snapshot()
				if err != nil {
					t.Fatal(err)
				}
				// Row 4 of the frame holds the registers update saw:
				// GAMEPAD1..4 are bytes 0x16..0x19, 4 pixels a byte.
				pal := wasm4.DefaultPalette()
				for i := range got {
					for k := range 4 {
						x, y := 4*(wasm4.AddrGamepad1+i)+k, 4
						r, g, b, _ := img.At(x, y).RGBA()
						rgb := (r>>8)<<16 | (g>>8)<<8 | b>>8
						for v, p := range pal {
							if p == rgb {
								got[i] |= byte(v) << (2 * k)
							}
						}
					}
				}
				for _, k := range tc.keys {
					xdo("keyup", k)
				}
			}
		})
		c.Close()
		if got != tc.want {
			t.Errorf("keys %v: GAMEPAD1..4 % 08b, want % 08b", tc.keys, got, tc.want)
		}
	}
}
