//go:build !js

package guest

// waitSum256 is sum256: only the browser has a faster one to wait for
// (hash_js.go).
func waitSum256(b []byte) [32]byte { return sum256(b) }
