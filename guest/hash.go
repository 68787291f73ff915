package guest

import "crypto/sha256"

// hashChunk is how much of a cart sum256 gives SHA-256 at a time.
const hashChunk = 64 << 10

// sum256 is the SHA-256 of b, hashed in chunks. In the browser, Go's
// SHA-256 is wasm that the engine first runs unoptimised, and optimises
// only for its next call: one call over a 1.9 MB cart took 41 ms there,
// 64 KiB calls 22 ms (Go's wasm in node, first hash of the program). On
// the way to a page's first frame the host hashes every cart it loads.
// Natively the chunks cost nothing measurable.
func sum256(b []byte) [32]byte {
	h := sha256.New()
	for len(b) > 0 {
		n := min(len(b), hashChunk)
		h.Write(b[:n])
		b = b[n:]
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}
