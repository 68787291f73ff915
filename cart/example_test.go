package cart_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// A program that runs carts: ServeWorker first; saves and compiled code in
// directories of its choice (by default they stay in memory; the ebicart
// command uses cart.UserSaveDir() and cart.UserCacheDir()); errors told
// apart with errors.As.
func ExampleServeWorker() {
	if cart.ServeWorker() { // this process is a cart's worker: it served the cart
		return
	}
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	c, err := cart.LoadFile("../guest/testdata/trap_update.wasm", &cart.Options{
		SaveDir:  filepath.Join(dir, "saves"),
		CacheDir: filepath.Join(dir, "cache"),
		Engine:   cart.EngineAuto,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	for c.Err() == nil {
		c.Update()
	}
	var trap *cart.TrapError
	if errors.As(c.Err(), &trap) {
		fmt.Printf("%s trapped after %d updates\n", trap.Func, trap.Frame)
	}
	// Output: update trapped after 2 updates
}
