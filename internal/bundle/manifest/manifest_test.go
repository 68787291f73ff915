package manifest

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"snake", "snake"},
		{"Space Duck!", "space-duck"},
		{"  My   Game 2 ", "my-game-2"},
		{"../../etc/passwd", "etc-passwd"},
		{"Café", "café"},
		{"日本", "日本"},
		{"!!!", "game"},
		{"", "game"},
		// At most 200 bytes, cut at a word's end in the second half, else
		// at a character's: its files' names must fit a file system's
		// 255, and a long first word is not cut to nothing.
		{strings.Repeat("Long ", 70), strings.TrimSuffix(strings.Repeat("long-", 40), "-")},
		{strings.Repeat("Long", 60), strings.Repeat("long", 50)},
		{"A " + strings.Repeat("x", 300), "a-" + strings.Repeat("x", 198)},
		{strings.Repeat("日", 80), strings.Repeat("日", 66)},
		{strings.Repeat("x", 200), strings.Repeat("x", 200)},
	} {
		if got := Slug(tc.name); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
