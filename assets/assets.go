// Package assets holds the files built into ebicart: the demo cart and the
// web page of the browser build.
package assets

import (
	"embed"
	"io/fs"
)

// DefaultCart is the demo cart ebicart runs when given none; its source is
// examples/demo.
//
//go:embed default.wasm
var DefaultCart []byte

//go:embed web
var web embed.FS

// Web holds the static files of the browser build's page (index.html).
// make web adds the host, wasm_exec.js and the carts beside them.
var Web, _ = fs.Sub(web, "web")
