//go:build !js

package guest

import "github.com/ebicart/ebicart/internal/digest"

// waitSum256 is digest.Sum256: only the browser has a faster one to wait
// for (hash_js.go).
func waitSum256(b []byte) [32]byte { return digest.Sum256(b) }
