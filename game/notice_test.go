//go:build !js

package game

import (
	"os"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestNoticeWraps: a notice longer than the window is wide, such as the
// error of a watched cart that did not load, wraps onto more lines rather
// than running off the window's edge.
func TestNoticeWraps(t *testing.T) {
	wasm, _ := os.ReadFile(testcarts.SeedPath())
	g := New(bytesLoader(t)(wasm, "seed"), "seed", Options{})
	below := func(msg string) [4]uint8 {
		g.setNotice(msg, true)
		s := run(t, g, 2, nil)
		c := s.At(testW/2, 3*glyphH) // on the third line of text, if there is one
		return [4]uint8{c.R, c.G, c.B, c.A}
	}
	short := below("short")
	long := below("mycart did not load; still running mycart: " + strings.Repeat("guest: a long error message ", 12))
	if short == long {
		t.Fatalf("the pixel on the notice's third line is %v with a short notice and a long one: the long one did not wrap", short)
	}
	if got := wrap("aaa bbb ccc", 7); len(got) != 2 || got[0] != "aaa bbb" || got[1] != "ccc" {
		t.Fatalf("wrap = %q", got)
	}
}
