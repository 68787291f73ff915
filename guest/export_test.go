//go:build !js

package guest

import "github.com/ebicart/ebicart/guest/engine"

// For the external tests.
var (
	WASISignatures = wasiSignatures
	LogBurst       = logBurst
	LogRate        = logRate
)

// NewUnboundedDirectLink is NewDirectLink with carts run without their
// stack bound (wasmbin.BoundStack): BenchmarkUpdate's measure of its cost.
func NewUnboundedDirectLink(eng engine.Engine) *DirectLink {
	l := NewDirectLink(eng, nil)
	l.srv.unboundedStack = true
	return l
}
