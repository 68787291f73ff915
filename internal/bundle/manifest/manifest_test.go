package manifest

import "testing"

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
	} {
		if got := Slug(tc.name); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
