// Command embed is a small Ebitengine game that uses ebicart as a library:
// an arcade with four cabinets, each running a wasm cart on its screen.
// Tab picks the cabinet the keyboard and mouse play; R reloads its cart.
// A cart whose update runs past its limit is asked about, as browsers do
// for a slow page: Enter waits for it, Esc stops it.
//
//	go run ./examples/embed
//
// The same code builds for the browser (see make web: build/web/embed/).
package main

import (
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io/fs"
	"log"
	"os"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/cart"
)

const (
	screenW, screenH = 960, 540
	cabinetW         = 220
	cabinetGap       = 16
)

// cabinet is one arcade machine and the cart it runs.
type cabinet struct {
	file   string
	cart   *cart.Cart
	err    error
	asking bool // its update runs past the limit: wait or stop?
	body   color.RGBA
}

type arcade struct {
	cabinets []*cabinet
	selected int
	frames   int // stop after this many updates (0: never)
	ticks    int
}

// load (re)starts the cabinet's cart. The selected cabinet reads the
// keyboard, mouse and gamepads itself (EbitenInput); the others get none.
func (a *arcade) load(i int) {
	c := a.cabinets[i]
	if c.cart != nil {
		c.cart.Close()
	}
	wasm, err := fs.ReadFile(assets.Carts, c.file)
	if err == nil {
		// Interactive: a busy machine makes a cart slow, not stuck; the
		// player decides (see Update).
		c.cart, err = cart.Load(wasm, &cart.Options{Name: c.file, EbitenInput: i == a.selected, Interactive: a.frames == 0})
	}
	c.err, c.asking = err, false
	if err != nil {
		log.Printf("%s: %v", c.file, err)
	}
}

func (a *arcade) Update() error {
	if inpututil.IsKeyJustPressed(ebiten.KeyTab) {
		a.selected = (a.selected + 1) % len(a.cabinets)
		for i := range a.cabinets {
			a.load(i) // input goes to the newly selected cabinet
		}
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyR) {
		a.load(a.selected)
	}
	wait, stop := inpututil.IsKeyJustPressed(ebiten.KeyEnter), inpututil.IsKeyJustPressed(ebiten.KeyEscape)
	for _, c := range a.cabinets {
		if c.cart == nil || c.err != nil {
			continue
		}
		switch {
		case c.asking && wait:
			c.cart.Wait()
		case c.asking && stop:
			c.err = c.cart.Stop()
			log.Printf("%s: %v", c.file, c.err)
			continue
		}
		err := c.cart.Update()
		var nr *cart.NotRespondingError
		c.asking = errors.As(err, &nr)
		if err != nil && !c.asking {
			c.err = err // a trapping cart stops; the others go on
			log.Printf("%s: %v", c.file, err)
		}
	}
	a.ticks++
	if a.frames > 0 && a.ticks >= a.frames {
		for _, c := range a.cabinets {
			if c.err != nil {
				return fmt.Errorf("%s: %w", c.file, c.err)
			}
		}
		return ebiten.Termination
	}
	return nil
}

func (a *arcade) Draw(screen *ebiten.Image) {
	screen.Fill(color.RGBA{24, 20, 36, 255})
	x0 := float32(screenW-len(a.cabinets)*cabinetW-(len(a.cabinets)-1)*cabinetGap) / 2
	for i, c := range a.cabinets {
		x := x0 + float32(i*(cabinetW+cabinetGap))
		a.drawCabinet(screen, c, x, 60, i == a.selected)
	}
	ebitenutil.DebugPrintAt(screen, "Tab: next cabinet   R: reload its cart   arrows, Z, X, mouse: play", 250, 510)
}

func (a *arcade) drawCabinet(screen *ebiten.Image, c *cabinet, x, y float32, selected bool) {
	body := c.body
	vector.FillRect(screen, x, y, cabinetW, 380, body, false)
	vector.FillRect(screen, x+10, y+10, cabinetW-20, 40, color.RGBA{30, 24, 48, 255}, false) // marquee
	ebitenutil.DebugPrintAt(screen, c.file, int(x)+20, int(y)+22)
	// The screen: a black bezel with the cart scaled to fit inside.
	sx, sy, sw, sh := x+14, y+64, float32(cabinetW-28), float32(150)
	vector.FillRect(screen, sx-4, sy-4, sw+8, sh+8, color.RGBA{8, 8, 8, 255}, false)
	if selected {
		vector.StrokeRect(screen, sx-6, sy-6, sw+12, sh+12, 2, color.RGBA{255, 255, 255, 255}, false)
	}
	if c.err != nil {
		// The debug font is 6x16 pixels a character: wrap to the screen.
		cols, rows := int(sw-12)/6, int(sh-12)/16
		ebitenutil.DebugPrintAt(screen, strings.Join(wrapText("TILT! "+c.err.Error(), cols, rows), "\n"), int(sx)+6, int(sy)+6)
	} else if c.asking {
		ebitenutil.DebugPrintAt(screen, "NOT RESPONDING\nEnter: wait\nEsc: stop", int(sx)+6, int(sy)+6)
	} else if c.cart != nil {
		w, h := c.cart.Size()
		scale := min(float64(sw)/float64(w), float64(sh)/float64(h))
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(scale, scale)
		op.GeoM.Translate(float64(sx)+(float64(sw)-float64(w)*scale)/2, float64(sy)+(float64(sh)-float64(h)*scale)/2)
		c.cart.Draw(screen, op)
	}
	// The control panel: a joystick and two buttons.
	vector.FillRect(screen, x, y+240, cabinetW, 50, color.RGBA{body.R / 2, body.G / 2, body.B / 2, 255}, false)
	vector.FillCircle(screen, x+50, y+265, 10, color.RGBA{220, 40, 40, 255}, true)
	vector.FillCircle(screen, x+150, y+265, 8, color.RGBA{40, 200, 240, 255}, true)
	vector.FillCircle(screen, x+175, y+265, 8, color.RGBA{250, 210, 60, 255}, true)
	// The coin door.
	vector.FillRect(screen, x+cabinetW/2-30, y+310, 60, 44, color.RGBA{body.R / 3, body.G / 3, body.B / 3, 255}, false)
	vector.FillRect(screen, x+cabinetW/2-4, y+320, 8, 16, color.RGBA{250, 200, 60, 255}, false)
}

// wrapText breaks s into at most rows lines of at most cols characters, at
// spaces where it can; a text that does not fit ends in "...".
func wrapText(s string, cols, rows int) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\t", "  "), "\n") {
		for len(para) > cols {
			cut := strings.LastIndexByte(para[:cols+1], ' ')
			if cut < cols/2 {
				cut = cols
			}
			lines = append(lines, para[:cut])
			para = strings.TrimLeft(para[cut:], " ")
		}
		lines = append(lines, para)
	}
	if len(lines) > rows {
		lines = lines[:rows]
		last := lines[rows-1]
		lines[rows-1] = last[:min(len(last), cols-3)] + "..."
	}
	return lines
}

func (a *arcade) Layout(int, int) (int, int) { return screenW, screenH }

func main() {
	if cart.ServeWorker() { // a cart worker started from this program: serves its cart, then exits
		return
	}
	frames := flag.Int("frames", 0, "quit after `N` updates, with status 1 if a cart failed (for tests)")
	flag.Parse()
	a := &arcade{frames: *frames, cabinets: []*cabinet{
		{file: "demo.wasm", body: color.RGBA{150, 40, 160, 255}},
		{file: "mandel.wasm", body: color.RGBA{40, 90, 170, 255}},
		{file: "wasm4.wasm", body: color.RGBA{60, 140, 70, 255}},
		{file: "seed.wasm", body: color.RGBA{170, 70, 40, 255}},
	}}
	for i := range a.cabinets {
		a.load(i)
	}
	ebiten.SetWindowSize(screenW, screenH)
	ebiten.SetWindowTitle("ebicart arcade")
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	if err := ebiten.RunGame(a); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
