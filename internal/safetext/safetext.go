// Package safetext makes text that a cart or a file name controls safe to
// show on a terminal, the error screen, the overlay or a page.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean makes text a cart or a file name controls safe to print: C0
// controls but tab, DEL, C1 controls, Unicode bidi and other format
// controls (such as U+202E) and bytes that are not UTF-8 are written as
// \xNN or \uNNNN escapes, so that nothing a cart says can move a terminal's
// cursor, retitle it, reorder a line or forge another program's output.
func Clean(s string) string {
	clean := true
	for i, r := range s {
		if unsafeRune(r) || (r == utf8.RuneError && !validAt(s, i)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		case unsafeRune(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// CleanLines is Clean for text of several lines (an error with its stack
// trace): each line is cleaned and the line breaks are kept.
func CleanLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Clean(l)
	}
	return strings.Join(lines, "\n")
}

// validAt reports whether the rune at s[i] decodes as itself (a real
// U+FFFD), not as the error of an invalid byte.
func validAt(s string, i int) bool {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n > 1
}

// unsafeRune reports whether a terminal or a bidi-aware display would do
// something other than show r.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r < 0xa0:
		return true
	}
	return r > 0x7f && unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029
}

// nameMax is how much of a name Name shows.
const nameMax = 64

// Name quotes a name a cart chose (an import's, an export's) for an
// error, as %q does, and cuts it short: a module may give a name of
// megabytes, which would bury the message around it.
func Name(s string) string {
	if len(s) <= nameMax {
		return fmt.Sprintf("%q", s)
	}
	cut := nameMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:cut], len(s))
}
