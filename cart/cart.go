package cart

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/ebinput"
)

// Input is the state a cart reads each update: buttons, mouse in
// framebuffer pixels, wheel. See the Button and Mouse constants.
type Input = guest.Input

// Buttons of Input.Buttons.
const (
	ButtonLeft   = guest.ButtonLeft
	ButtonRight  = guest.ButtonRight
	ButtonUp     = guest.ButtonUp
	ButtonDown   = guest.ButtonDown
	ButtonA      = guest.ButtonA
	ButtonB      = guest.ButtonB
	ButtonStart  = guest.ButtonStart
	ButtonSelect = guest.ButtonSelect
)

// Mouse buttons of Input.MouseButtons.
const (
	MouseLeft   = guest.MouseLeft
	MouseRight  = guest.MouseRight
	MouseMiddle = guest.MouseMiddle
)

// Options configure a cart. A nil *Options means the defaults.
type Options struct {
	// Name names the cart in its log lines; LoadFile defaults it to the
	// file name.
	Name string
	// MaxMemory caps the cart's linear memory in bytes (default 256 MiB):
	// memory.grow beyond it returns -1 inside the cart.
	MaxMemory uint64
	// CPULimit bounds one update (default 1s): a cart that runs longer is
	// stopped and Update returns a *guest.DeadlineError. On Linux the cart
	// runs in a worker process killed at the deadline, at full speed.
	CPULimit time.Duration
	// Log receives the cart's log lines (ebicart.log, stdout, stderr).
	// Default: standard error, prefixed with the name.
	Log func(line string)
	// EbitenInput makes Update read the keyboard, mouse, touches and
	// gamepads itself, with ebicart's default key map (WASM-4's in WASM-4
	// mode), mapping the cursor into the cart's frame through where Draw
	// last put it. Without it the cart sees what SetInput gave it.
	EbitenInput bool
	// Mode forces the ABI (default: WASM-4 for carts that import
	// env.memory, ABI v1 for the rest).
	Mode Mode
	// Palette, when set, replaces WASM-4's power-on palette (0xRRGGBB).
	Palette *[4]uint32
	// Sound plays WASM-4 carts' tone() calls through Ebitengine's audio
	// (44.1 kHz). Without an audio device the cart runs silent.
	Sound bool
	// SaveDir keeps saved data (WASM-4 diskw, ebicart.disk_write); empty
	// means the user data directory's ebicart/saves.
	SaveDir string
	// SaveKey names the cart's save; empty means a hash of its bytes. Give
	// rebuilds of one cart the same key to keep their saves.
	SaveKey string
}

// Mode is the ABI a cart runs with.
type Mode = guest.Mode

// Modes of Options.Mode.
const (
	ModeAuto  = guest.ModeAuto
	ModeABI1  = guest.ModeABI1
	ModeWASM4 = guest.ModeWASM4
)

// Tone is a WASM-4 tone() call.
type Tone = guest.Tone

// Cart is a running cartridge. Its methods must be called from the game's
// goroutine (Update and Draw), like Ebitengine's own.
type Cart struct {
	name string
	g    guest.Cart
	err  error

	img    *ebiten.Image // the frame, reused while its size holds
	dirty  bool          // the frame changed since the last upload
	opaque bool          // the frame's format has no alpha
	frames int

	input     Input
	ebInput   bool
	reader    ebinput.Reader
	drawInv   ebiten.GeoM // inverse of where Draw last put the frame
	drawInvOK bool

	over *ebiten.DrawRectShaderOptions // DrawOver's, reused

	stats Stats
	sound *sound // nil: silent
}

// Load starts a cart from its wasm bytes. The error says what is wrong
// with a cart that does not load (not wasm, a missing export, an unknown
// import, a trap in start, an invalid first frame).
func Load(wasm []byte, opts *Options) (*Cart, error) {
	if opts == nil {
		opts = &Options{}
	}
	cfg := guest.Config{}.WithName(opts.Name).WithMaxMemory(opts.MaxMemory).WithCPULimit(opts.CPULimit).WithMode(opts.Mode)
	if opts.Log != nil {
		cfg = cfg.WithLog(opts.Log)
	}
	if opts.Palette != nil {
		cfg = cfg.WithPalette(*opts.Palette)
	}
	switch os.Getenv("EBICART_ISOLATION") { // for measurements: see guest.Isolation
	case "process":
		cfg = cfg.WithIsolation(guest.IsolationProcess)
	case "inprocess":
		cfg = cfg.WithIsolation(guest.IsolationInProcess)
	case "none":
		cfg = cfg.WithIsolation(guest.IsolationNone)
	}
	if opts.SaveDir != "" {
		cfg = cfg.WithSaveDir(opts.SaveDir)
	}
	if opts.SaveKey != "" {
		cfg = cfg.WithSaveKey(opts.SaveKey)
	}
	g, err := guest.Load(context.Background(), wasm, cfg)
	if err != nil {
		return nil, err
	}
	c := &Cart{name: opts.Name, g: g, dirty: true, ebInput: opts.EbitenInput, input: Input{MouseX: -1, MouseY: -1}}
	c.reader.WASM4 = g.Mode() == guest.ModeWASM4
	if opts.Sound && g.Mode() == guest.ModeWASM4 {
		log := opts.Log
		if log == nil {
			log = func(l string) { fmt.Fprintln(os.Stderr, l) }
		}
		c.sound = newSound(log)
	}
	return c, nil
}

// LoadFile starts the cart in the file at path. On the browser (GOOS=js),
// where there are no files, use Load with bytes you fetched.
func LoadFile(path string, opts *Options) (*Cart, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Name == "" {
		o.Name = strings.TrimSuffix(filepath.Base(path), ".wasm")
	}
	return Load(wasm, &o)
}

// Name is the cart's name from its Options.
func (c *Cart) Name() string { return c.name }

// SetInput sets what the cart sees at its next Update (buttons, mouse,
// wheel). With Options.EbitenInput, Update reads Ebitengine's input
// instead and SetInput has no effect.
func (c *Cart) SetInput(in Input) { c.input = in }

// Update runs one tick of the cart: call it once from your game's Update.
// It returns the cart's error when the cart fails (and from then on):
// a trap with its wasm stack, an exit, an invalid frame.
func (c *Cart) Update() error {
	if c.err != nil {
		return c.err
	}
	in := c.input
	if c.ebInput {
		in = c.reader.Read(c.toFrame)
	}
	start := time.Now()
	err := c.g.Update(in)
	c.stats.update.add(time.Since(start))
	if err != nil {
		c.err = err
		return err
	}
	c.frames++
	if c.g.Changed() {
		c.dirty = true
	}
	if c.sound != nil {
		c.sound.tick(c.g.Tones())
	}
	return nil
}

// Mode is the ABI the cart runs with: ModeABI1 or ModeWASM4.
func (c *Cart) Mode() Mode { return c.g.Mode() }

// WantsTouchPad reports whether an on-screen gamepad should show for this
// cart: a WASM-4 cart that has not hidden it (SYSTEM_FLAGS bit 1), read
// from Ebitengine's input on a device where a touch has been seen.
func (c *Cart) WantsTouchPad() bool {
	return c.ebInput && c.reader.TouchSeen && c.g.Mode() == guest.ModeWASM4 && c.g.SystemFlags()&2 == 0
}

// SetTouchPad makes touches for which pad returns buttons press them
// (player 1) instead of clicking; nil turns the pad off. See
// WantsTouchPad.
func (c *Cart) SetTouchPad(pad func(x, y float64) (buttons uint32)) { c.reader.Pad = pad }

// Tones returns the WASM-4 tone() calls of the last update.
func (c *Cart) Tones() []Tone { return c.g.Tones() }

// toFrame maps a position on the screen Draw drew to into frame pixels.
func (c *Cart) toFrame(x, y float64) (int32, int32) {
	if !c.drawInvOK {
		return -1, -1
	}
	fx, fy := c.drawInv.Apply(x, y)
	return int32(math.Floor(fx)), int32(math.Floor(fy))
}

// Changed reports whether the frame changed since it was last uploaded:
// a game can skip redrawing a screen whose carts all report false.
func (c *Cart) Changed() bool { return c.dirty }

// Opaque reports whether every pixel of the frame Image returns is opaque,
// as in all formats but the two RGBA ones: a game drawing it at a whole
// scale need not clear the area beneath it first.
func (c *Cart) Opaque() bool { return c.opaque }

// Image returns the cart's current frame as an image at its native size,
// uploading it first if it changed. It is nil when the cart failed before
// its first frame. The image belongs to the cart: draw it, do not keep it
// past Close.
func (c *Cart) Image() *ebiten.Image {
	if c.dirty && c.err == nil {
		c.upload()
	}
	return c.img
}

// upload packs the frame and writes it into the frame texture.
func (c *Cart) upload() {
	start := time.Now()
	f, err := c.g.Frame()
	if err != nil {
		c.err = err
		return
	}
	if c.img == nil || c.img.Bounds().Dx() != f.Width || c.img.Bounds().Dy() != f.Height {
		if c.img != nil {
			c.img.Deallocate()
		}
		c.img = ebiten.NewImage(f.Width, f.Height)
	}
	c.img.WritePixels(f.Pix)
	c.opaque = !c.g.Descriptor().Format.HasAlpha()
	c.dirty = false
	c.stats.upload.add(time.Since(start))
}

// Draw draws the cart's frame onto dst with op, as dst.DrawImage would
// (nil op: at the origin, unscaled). The filter defaults to nearest, for
// crisp pixels. With Options.EbitenInput, the mouse is mapped into the
// frame through op.GeoM.
func (c *Cart) Draw(dst *ebiten.Image, op *ebiten.DrawImageOptions) {
	img := c.Image()
	if img == nil {
		return
	}
	var o ebiten.DrawImageOptions
	if op != nil {
		o = *op
	}
	c.setDrawn(o.GeoM)
	dst.DrawImage(img, &o)
}

// setDrawn records where the frame was drawn, to map the mouse into it.
func (c *Cart) setDrawn(m ebiten.GeoM) {
	c.drawInv = m
	c.drawInv.Invert()
	c.drawInvOK = m.IsInvertible()
}

// DrawOver draws the cart's frame onto dst like Draw, but composited over
// a solid colour instead of over what dst held: where the frame is
// translucent, under shows through. It takes one pass over the frame's
// area where filling it and then drawing would take two. op's GeoM and
// ColorScale apply; its Blend and Filter do not (pixels are nearest, and
// replace dst's).
func (c *Cart) DrawOver(dst *ebiten.Image, op *ebiten.DrawImageOptions, under color.Color) {
	img := c.Image()
	if img == nil {
		return
	}
	shader, err := overShader()
	if err != nil {
		panic(err) // the shader is a constant: a failure is a bug
	}
	if c.over == nil {
		c.over = &ebiten.DrawRectShaderOptions{Blend: ebiten.BlendCopy, Uniforms: map[string]any{"Under": make([]float32, 4)}}
	}
	o := c.over
	o.GeoM, o.ColorScale = ebiten.GeoM{}, ebiten.ColorScale{}
	if op != nil {
		o.GeoM, o.ColorScale = op.GeoM, op.ColorScale
	}
	r, g, b, a := under.RGBA()
	u := o.Uniforms["Under"].([]float32)
	u[0], u[1], u[2], u[3] = float32(r)/0xffff, float32(g)/0xffff, float32(b)/0xffff, float32(a)/0xffff
	o.Images[0] = img
	c.setDrawn(o.GeoM)
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dst.DrawRectShader(w, h, shader, o)
	o.Images[0] = nil
}

// overSource composites the frame (premultiplied, nearest) over the
// premultiplied colour Under.
const overSource = `//kage:unit pixels
package main

var Under vec4

func Fragment(dst vec4, src vec2, color vec4) vec4 {
	c := imageSrc0At(src) * color
	return c + Under*(1-c.a)
}
`

var overShader = sync.OnceValues(func() (*ebiten.Shader, error) {
	return ebiten.NewShader([]byte(overSource))
})

// Size returns the size of the cart's frame in pixels, which a cart may
// change from one update to the next.
func (c *Cart) Size() (width, height int) {
	d := c.g.Descriptor()
	return int(d.Width), int(d.Height)
}

// Snapshot returns a copy of the cart's current frame, premultiplied RGBA
// at its native size, for screenshots and thumbnails. It needs no GPU.
func (c *Cart) Snapshot() (*image.RGBA, error) {
	if c.err != nil {
		return nil, c.err
	}
	f, err := c.g.Frame()
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, f.Width, f.Height))
	copy(img.Pix, f.Pix)
	return img, nil
}

// Frames returns the number of updates the cart has run.
func (c *Cart) Frames() int { return c.frames }

// Err returns the error that stopped the cart, or nil while it runs.
func (c *Cart) Err() error { return c.err }

// MemorySize returns the size of the cart's linear memory in bytes.
func (c *Cart) MemorySize() uint64 { return c.g.MemorySize() }

// Guest returns the cart as package guest sees it, for tools that need the
// ABI-level view (its descriptor, its memory size).
func (c *Cart) Guest() guest.Cart { return c.g }

// Close stops the cart and frees its memory and its frame texture.
func (c *Cart) Close() error {
	if c.img != nil {
		c.img.Deallocate()
		c.img = nil
	}
	if c.sound != nil {
		c.sound.close()
		c.sound = nil
	}
	if c.err == nil {
		c.err = errClosed
	}
	return c.g.Close()
}
