//go:build !js

package guest

// For the external tests.
var (
	WASISignatures = wasiSignatures
	LogBurst       = logBurst
	LogRate        = logRate
)
