//go:build !linux

package framebuffer

import "testing"

// guarded returns a plain slice where guard pages are not available.
func guarded(t testing.TB, n int) []byte { return make([]byte, n) }
