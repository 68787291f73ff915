//go:build js

package digest

import (
	"syscall/js"

	"github.com/ebicart/ebicart/internal/promise"
)

// Sum256 returns the SHA-256 of b.
func Sum256(b []byte) [Size]byte { return sum256(b) }

// AwaitSubtle waits for p, a promise of crypto.subtle.digest's SHA-256 (an
// ArrayBuffer), and returns the sum; false where p was rejected or gave
// something else. Waiting lets the event loop run, so it must not be
// called on a syscall/js callback's goroutine.
func AwaitSubtle(p js.Value) (sum [Size]byte, ok bool) {
	v, err := promise.Await(p)
	if err != nil || v.Type() != js.TypeObject || v.Get("byteLength").Int() != Size {
		return sum, false
	}
	js.CopyBytesToGo(sum[:], js.Global().Get("Uint8Array").New(v))
	return sum, true
}
