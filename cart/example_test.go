package cart_test

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/cart"
)

// Load a cart, run it, and look at its frame. In a game, call Update from
// your Update and c.Draw(screen, op) from your Draw instead of Snapshot.
func Example() {
	wasm, _ := fs.ReadFile(assets.Carts, "seed.wasm")
	c, err := cart.Load(wasm, &cart.Options{Name: "seed"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	if err := c.Update(); err != nil {
		fmt.Println(err)
		return
	}
	w, h := c.Size()
	img, _ := c.Snapshot()
	fmt.Println(w, h, img.RGBAAt(0, 0), img.RGBAAt(1, 0))
	// Output: 2 1 {255 0 0 255} {60 70 90 255}
}

// A cart that fails returns its error from Update; the game carries on.
func Example_trap() {
	// This cart's update hits an unreachable instruction on its third call.
	c, err := cart.LoadFile("../guest/testdata/trap_update.wasm", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	for c.Err() == nil {
		c.Update()
	}
	first, _, _ := strings.Cut(c.Err().Error(), "\n")
	fmt.Printf("stopped after %d updates: %s\n", c.Frames(), first)
	// Output: stopped after 2 updates: guest: update trapped: wasm error: unreachable
}
