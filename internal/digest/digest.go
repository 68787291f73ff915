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

// Size is the length of a SHA-256 sum, in bytes.
const Size = 32
