package limits

import (
	"testing"
	"time"
)

// TestBounds: each check takes the values at its bound and refuses the
// ones just past it.
func TestBounds(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		ok   bool
	}{
		{"a millisecond", CPU(time.Millisecond), true},
		{"under a millisecond", Start(time.Millisecond - 1), false},
		{"a negative duration", Compile(-time.Second), false},
		{"65535 pages", Memory(65535 << 16), true},
		{"4GiB of memory", Memory(4 << 30), false},
		{"a cart of 4GiB", CartSize(4 << 30), true},
		{"a cart past 4GiB", CartSize(4<<30 + 1), false},
	} {
		if (tc.err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok %v", tc.name, tc.err, tc.ok)
		}
	}
}
