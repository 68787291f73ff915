// Package assets holds the files built into ebicart: the carts it ships
// (their sources are in examples/) and the web page of the browser build.
package assets

import (
	"embed"
	"io/fs"
	"sync"
)

//go:embed carts/*.wasm
var carts embed.FS

//go:embed web
var web embed.FS

//go:embed templates
var templates embed.FS

//go:embed bundle
var bundle embed.FS

// Carts holds the carts ebicart ships, built from examples/ by make carts:
//
//	demo.wasm    the default cart, a synthwave scene (Go)
//	seed.wasm    the classic two-pixel image (Rust)
//	mandel.wasm  a Mandelbrot zoom, loop-heavy (C)
//	w4.wasm      a WASM-4-style 160x160 INDEXED2 pattern (C)
//	rgba.wasm, rgb360.wasm, rgb720.wasm, idle.wasm
//	             frame-cost benchmark carts (C)
var Carts, _ = fs.Sub(carts, "carts")

// DefaultCart returns the demo cart ebicart runs when given none. It is
// read when asked for, not at start-up: every process of the program (a
// cart's worker too) would pay for the copy.
var DefaultCart = sync.OnceValue(func() []byte { return mustRead(Carts, "demo.wasm") })

// Templates holds the project templates of ebicart new, one directory per
// language (go, c, rust, zig, assemblyscript). A file named *.tmpl is
// written without the suffix (a go.mod cannot be embedded as such).
var Templates, _ = fs.Sub(templates, "templates")

// Bundle holds the page of a game's web bundle (ebicart bundle):
// index.html, an html/template of the game's name, its settings and -dev.
var Bundle, _ = fs.Sub(bundle, "bundle")

// Web holds the static files of the browser build's page (index.html).
// make web adds the host, wasm_exec.js and the carts beside them.
var Web, _ = fs.Sub(web, "web")

func mustRead(fsys fs.FS, name string) []byte {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic("assets: " + err.Error())
	}
	return b
}
