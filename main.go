//go:build !js

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/guest"
)

const usageText = `usage: ebicart [flags] [cart.wasm]

Runs a WebAssembly cartridge: a wasm module whose linear memory holds its
pixel framebuffer (cart ABI v1, see the README). With no cart it runs the
built-in demo cart.

In a window: arrows or WASD move, Z/J is A, X/K is B, Enter is start,
Shift is select; the mouse and gamepads work too. When a cart fails, the
window shows the error: R restarts the cart, Esc quits.

Flags:
`

const usageFooter = `
Exit status: 0 when the run ends normally, 1 when the cart fails in a
-headless or -frames run (or cannot be read), 2 for a usage error.

Examples:
  ebicart                                  the demo cart, in a window
  ebicart -scale 4 assets/carts/seed.wasm
  ebicart -headless -frames 60 -screenshot shot.png cart.wasm
`

// config is the parsed command line.
type config struct {
	cart       string
	headless   bool
	frames     int
	screenshot string
	scale      int
	fullscreen bool
}

// parseArgs parses the command line; errors are usage errors.
func parseArgs(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("ebicart", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors its own way; -h prints usage below
	fs.BoolVar(&c.headless, "headless", false, "run without a window or GPU, updates back to back as fast as they go, no input")
	fs.IntVar(&c.frames, "frames", 0, "stop after `N` updates and exit with status 0 (0: run until closed)")
	fs.StringVar(&c.screenshot, "screenshot", "", "when the run ends, write the cart's last frame to `file` as a PNG, at its native resolution")
	fs.IntVar(&c.scale, "scale", 0, "initial window scale `N` (0: the largest that fits 960x720)")
	fs.BoolVar(&c.fullscreen, "fullscreen", false, "start in fullscreen")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usageText)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			fmt.Fprint(stderr, usageFooter)
		}
		return c, err
	}
	switch {
	case fs.NArg() > 1:
		return c, fmt.Errorf("one cart at a time, got %d: %s", fs.NArg(), strings.Join(fs.Args(), " "))
	case c.frames < 0:
		return c, fmt.Errorf("-frames %d: want 0 or more", c.frames)
	case c.scale < 0:
		return c, fmt.Errorf("-scale %d: want 1 or more (0 picks one)", c.scale)
	case c.screenshot != "" && c.frames == 0 && !c.headless:
		return c, errors.New("-screenshot needs -frames: the shot is taken when the run ends")
	}
	c.cart = fs.Arg(0)
	return c, nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	c, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "ebicart: %v\nRun 'ebicart -h' for usage.\n", err)
		return 2
	}

	wasm, name := assets.DefaultCart, "demo"
	if c.cart != "" {
		wasm, err = os.ReadFile(c.cart)
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: %v\n", err)
			return 1
		}
		name = strings.TrimSuffix(filepath.Base(c.cart), ".wasm")
	}
	cfg := guest.Config{}.WithName(name)
	load := func() (guest.Cart, error) { return guest.Load(context.Background(), wasm, cfg) }

	if c.headless {
		if err := game.RunHeadless(load, c.frames, c.screenshot); err != nil {
			fmt.Fprintf(stderr, "ebicart: %s: %v\n", name, err)
			return 1
		}
		return 0
	}
	opts := game.Options{Scale: c.scale, Fullscreen: c.fullscreen, Frames: c.frames, Screenshot: c.screenshot}
	if err := game.Run(load, name, opts); err != nil {
		fmt.Fprintf(stderr, "ebicart: %s: %v\n", name, err)
		return 1
	}
	return 0
}
