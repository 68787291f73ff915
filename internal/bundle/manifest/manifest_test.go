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
		// At most 64 bytes, cut at a word's end, else at a character's:
		// its files' names must fit a file system's 255.
		{strings.Repeat("Long ", 70), strings.TrimSuffix(strings.Repeat("long-", 13), "-")},
		{strings.Repeat("x", 300), strings.Repeat("x", 64)},
		{strings.Repeat("日", 30), strings.Repeat("日", 21)},
	} {
		if got := Slug(tc.name); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
