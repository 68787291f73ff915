// Package game is ebicart's Ebitengine front end: it feeds a cart the
// keyboard, mouse and gamepads, runs it 60 times a second, uploads its frame
// with WritePixels and draws it scaled to the window, and shows an error
// screen when the cart fails.
//
// Each tick runs: read input, Cart.Update (update and framebuffer in the
// cart), and marks the frame dirty; Draw packs the frame (guest, which uses
// package framebuffer), uploads it into a texture kept while the size is
// unchanged, and draws it with integer scaling and letterboxing.
//
// [RunHeadless] runs a cart with no window and no GPU, as fast as it goes.
package game
