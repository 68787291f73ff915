package safetext

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, tabs\tand ünïcödé ✓", "plain text, tabs\tand ünïcödé ✓"},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"line\nebicart: forged", `line\x0aebicart: forged`},
		{"cr\rover", `cr\x0dover`},
		{"del\x7f", `del\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"isolate \u2066x\u2069", `isolate \u2066x\u2069`},
		{"zero width \u200b", `zero width \u200b`},
		{"line sep \u2028", `line sep \u2028`},
		{"bad utf-8 \xff\xfe", `bad utf-8 \xff\xfe`},
		{"real replacement \ufffd", "real replacement \ufffd"},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCleanLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"one line", "one line"},
		{"trap\nwasm stack trace:\n\t.f(x)", "trap\nwasm stack trace:\n\t.f(x)"},
		{"a\x1b[2J\nb\rc\n", `a\x1b[2J` + "\n" + `b\x0dc` + "\n"},
		{"\n\n", "\n\n"},
	} {
		if got := CleanLines(tc.in); got != tc.want {
			t.Errorf("CleanLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestName(t *testing.T) {
	long := strings.Repeat("é", 40) // 80 bytes
	for _, tc := range []struct{ in, want string }{
		{"update", `"update"`},
		{"a\x1b[2Jb", `"a\x1b[2Jb"`},
		{strings.Repeat("x", 64), `"` + strings.Repeat("x", 64) + `"`},
		{strings.Repeat("x", 1<<20), `"` + strings.Repeat("x", 64) + `"… (1048576 bytes)`},
		{long, `"` + strings.Repeat("é", 32) + `"… (80 bytes)`},
		{"x" + long, `"x` + strings.Repeat("é", 31) + `"… (81 bytes)`},
	} {
		if got := Name(tc.in); got != tc.want {
			t.Errorf("Name(%.20q): %s, want %s", tc.in, got, tc.want)
		}
	}
}
