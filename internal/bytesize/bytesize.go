// Package bytesize writes sizes in bytes for people, in the binary units
// of ebicart's flags: 912 bytes, 4.5 KiB, 64.0 MiB, 1.0 GiB.
package bytesize

import "fmt"

// Text is n bytes for a person.
func Text(n uint64) string {
	for _, u := range units {
		if n >= 1<<u.shift {
			return fmt.Sprintf("%.1f %s", float64(n)/float64(uint64(1)<<u.shift), u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// units are Text's, largest first.
var units = []struct {
	shift uint
	name  string
}{{60, "EiB"}, {50, "PiB"}, {40, "TiB"}, {30, "GiB"}, {20, "MiB"}, {10, "KiB"}}
