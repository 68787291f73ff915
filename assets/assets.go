// Package assets holds the files built into the ebicart binary.
package assets

import _ "embed"

// DefaultCart is the demo cart ebicart runs when given none; its source is
// examples/demo.
//
//go:embed default.wasm
var DefaultCart []byte
