//go:build js

package guest

import (
	"syscall/js"

	"github.com/ebicart/ebicart/internal/digest"
)

// waitSum256 is the SHA-256 of b from the browser's own implementation
// (crypto.subtle, native code; a secure context's only: https or
// localhost), waited for, else digest's. Go's SHA-256 runs there as
// unoptimised wasm on the way to a cart's first frame: 58-131 ms for the
// 1.9 MB Go demo on the page's thread of a busy two-core machine, where
// the browser's takes a few. Waiting lets the event loop run, so it must
// not be called on a syscall/js callback's goroutine.
func waitSum256(b []byte) [32]byte {
	if sum, ok := subtleSum256(b); ok {
		return sum
	}
	return digest.Sum256(b)
}

// subtleSum256 asks crypto.subtle for the SHA-256 of b.
func subtleSum256(b []byte) (sum [32]byte, ok bool) {
	subtle := js.Global().Get("crypto")
	if subtle.Type() == js.TypeObject {
		subtle = subtle.Get("subtle")
	}
	if subtle.Type() != js.TypeObject {
		return sum, false
	}
	data := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(data, b)
	return digest.AwaitSubtle(subtle.Call("digest", "SHA-256", data))
}
