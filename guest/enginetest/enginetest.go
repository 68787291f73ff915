// Package enginetest runs carts on every engine available, for the tests
// of the cart core: each test is a table over Engines, and Cart gives a
// test the view it needs of a running cart (its packed frame, its state)
// through the same client the UI side uses.
package enginetest

import (
	"context"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/worker"
)

// Engine is a way to run a cart.
type Engine struct {
	Name string
	// Open returns a link to a new core, and whether its engine stops
	// overrunning calls itself.
	Open func() (guest.Link, bool, error)
}

// Engines returns the engines available on this machine: in-process, and
// a worker process where supported.
func Engines() []Engine {
	es := []Engine{{"inprocess", func() (guest.Link, bool, error) { return worker.Open(worker.KindInProcess) }}}
	if worker.Supported {
		es = append(es, Engine{"process", func() (guest.Link, bool, error) { return worker.Open(worker.KindProcess) }})
	}
	return es
}

// Cart is a cart running on an engine.
type Cart struct {
	*guest.Client
	packer framebuffer.Packer
}

// Options are what Load takes besides the cart.
type Options struct {
	Config guest.BootConfig
	Limits guest.Limits
	Output guest.Output
}

// Load boots wasm on e.
func Load(ctx context.Context, e Engine, wasm []byte, o Options) (*Cart, error) {
	link, stops, err := e.Open()
	if err != nil {
		return nil, err
	}
	c := &Cart{Client: guest.NewClient(link, o.Output)}
	if err := c.Boot(ctx, wasm, o.Config, o.Limits, stops); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Update runs one tick.
func (c *Cart) Update(in guest.Input) error { return c.Tick(in) }

// Frame is a packed frame.
type Frame struct {
	Pix           []byte // premultiplied RGBA
	Width, Height int
}

// Frame packs the current frame.
func (c *Cart) Frame() (Frame, error) {
	mem, d, err := c.Client.Frame()
	if err != nil {
		return Frame{}, err
	}
	pix, err := c.packer.Frame(mem, d)
	if err != nil {
		return Frame{}, err
	}
	return Frame{pix, int(d.Width), int(d.Height)}, nil
}

// Frames is the number of updates run.
func (c *Cart) Frames() uint32 { return c.Result().Frames }

// Changed reports whether the last update changed the frame.
func (c *Cart) Changed() bool { return c.Result().Changed }

// Mode is the ABI the cart runs with.
func (c *Cart) Mode() guest.Mode { return c.Result().Mode }

// Tones are the tone() calls of the last update.
func (c *Cart) Tones() []guest.Tone { return c.Result().Tones }

// MemorySize is the memory's size in bytes.
func (c *Cart) MemorySize() uint64 { return c.Result().MemSize }

// Descriptor is the cart's frame descriptor.
func (c *Cart) Descriptor() framebuffer.Descriptor { return c.Result().Desc }

// Short are limits for tests: stuck carts are stopped soon, honest ones
// have time to spare on a loaded machine.
var Short = guest.Limits{Compile: 60 * time.Second, Start: 2 * time.Second, Update: 2 * time.Second}
