package flagargs

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		rest   []string
		frames int
	}{
		{[]string{"cart.wasm"}, []string{"cart.wasm"}, 0},
		{[]string{"-frames", "5", "cart.wasm"}, []string{"cart.wasm"}, 5},
		{[]string{"cart.wasm", "-frames", "5"}, []string{"cart.wasm"}, 5},
		{[]string{"a", "-frames", "5", "b"}, []string{"a", "b"}, 5},
		{[]string{"--", "-frames", "5"}, []string{"-frames", "5"}, 0},
		{[]string{"a", "--", "-b"}, []string{"a", "-b"}, 0},
		{nil, nil, 0},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		frames := fs.Int("frames", 0, "")
		rest, err := Parse(fs, tc.args)
		if err != nil || !slices.Equal(rest, tc.rest) || *frames != tc.frames {
			t.Errorf("Parse(%q) = %q, -frames %d, %v; want %q, %d", tc.args, rest, *frames, err, tc.rest, tc.frames)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := Parse(fs, []string{"cart.wasm", "-nope"}); err == nil || err.Error() != "flag provided but not defined: -nope" {
		t.Errorf("an unknown flag after an argument: %v", err)
	}
}
