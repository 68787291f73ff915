// Package digest is the SHA-256 of ebicart's carts and states: the hashes
// that name a cart in replays, save states and saves, and that tell a
// recording's own states from others.
//
// Natively it is crypto/sha256's, with its assembly. In the browser
// (GOOS=js) it is this package's own, the FIPS 180-4 algorithm in plain
// Go: importing crypto/sha256 links Go's FIPS 140 module (AES, SHA-3,
// HMAC, a random generator) into a wasm program, 175 KB of each of the
// page's two programs for a hash, and Go's SHA-256 runs as plain Go there
// anyway. The tests check the two against each other natively.
package digest

import (
	"sync"
	"sync/atomic"
)

// Size is the length of a SHA-256 sum, in bytes.
const Size = 32

// noted is the last sum Note recorded: the slice's first byte and length
// say which bytes it is of.
var noted struct {
	sync.Mutex
	first *byte
	n     int
	sum   [Size]byte
}

// Note records sum as the SHA-256 of b, computed by someone this program
// trusts before it had b (the page hashes its first cart while the host
// starts, player.js), so that Noted returns it and the hash is not made
// again on the way to the cart's first frame. Only the last note is
// kept, until Noted returns it. b must not change after: Noted knows it
// only by its address and length.
func Note(b []byte, sum [Size]byte) {
	if len(b) == 0 {
		return
	}
	noted.Lock()
	noted.first, noted.n, noted.sum = &b[0], len(b), sum
	noted.Unlock()
}

// Noted returns the sum Note recorded for b, the same slice, if it did,
// once: the note goes then, and no longer keeps b's array alive.
func Noted(b []byte) (sum [Size]byte, ok bool) {
	if len(b) == 0 {
		return sum, false
	}
	noted.Lock()
	defer noted.Unlock()
	if noted.first != &b[0] || noted.n != len(b) {
		return sum, false
	}
	sum = noted.sum
	noted.first, noted.n = nil, 0
	notedUsed.Add(1)
	return sum, true
}

// notedUsed counts the sums Noted returned.
var notedUsed atomic.Int64

// NotedUsed is how many sums Noted returned: the page's tests read it.
func NotedUsed() int64 { return notedUsed.Load() }
