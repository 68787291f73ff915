// Package bytesize writes sizes in bytes for people, in the binary units
// of ebicart's flags: 912 bytes, 4.5 KiB, 64.0 MiB, 1.0 GiB.
package bytesize

import "fmt"

// Text is n bytes for a person.
func Text(n uint64) string {
	switch {
	case n >= 1<<60:
		return fmt.Sprintf("%.1f EiB", float64(n)/(1<<60))
	case n >= 1<<50:
		return fmt.Sprintf("%.1f PiB", float64(n)/(1<<50))
	case n >= 1<<40:
		return fmt.Sprintf("%.1f TiB", float64(n)/(1<<40))
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
