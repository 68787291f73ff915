// Package cart puts ebicart cartridges into your own Ebitengine game: load a
// wasm cart, call its Update from your game's Update, and draw its frame
// into any *ebiten.Image with the usual DrawImageOptions (scaled, rotated,
// tinted). Each cart runs in its own sandbox; several can run side by side,
// and closing one frees its memory. The same code runs on the desktop
// (carts on wazero) and in the browser (GOOS=js: carts on the browser's
// WebAssembly engine).
//
// A cart's linear memory holds its pixels; the host reads them in place
// each frame and uploads them with WritePixels only when they changed. See
// package guest for the cart ABI.
//
// In a browser page, a Load before ebiten.RunGame also keeps Ebitengine from
// waiting for the GPU before each of those uploads: the WebGL context
// Ebitengine then makes from the page's canvas gets a finish that does
// nothing, which WebGL's ordering of commands makes safe (see
// docs/design.md, "No wait for the GPU before an upload").
//
// In a few lines:
//
//	c, err := cart.LoadFile("mandel.wasm", &cart.Options{EbitenInput: true})
//	if err != nil { ... }
//	defer c.Close()
//
//	// in your Game's Update:
//	if err := c.Update(); err != nil { ... } // the cart trapped: show err, carry on
//
//	// in your Game's Draw:
//	op := &ebiten.DrawImageOptions{}
//	op.GeoM.Scale(2, 2)
//	op.GeoM.Translate(40, 30)
//	c.Draw(screen, op)
//
// A cart's error (a trap, an invalid frame) is a value: Update returns it,
// Err reports it later, the cart stops, and the other carts go on. Load it
// again to restart it.
package cart
