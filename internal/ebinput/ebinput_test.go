package ebinput_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/internal/ebinput"
	"github.com/ebicart/ebicart/internal/ebitest"
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
	ebitest.NeedDisplay(t)
	if _, err := exec.LookPath("xdotool"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xdotool missing in CI: make deps installs it")
		}
		t.Skip("xdotool not installed")
	}
	xdo := func(args ...string) {
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			t.Logf("xdotool %v: %v %s", args, err, out)
		}
	}
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
