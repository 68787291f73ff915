package guest

import (
	"slices"
	"strings"
	"testing"
)

func TestLineWriter(t *testing.T) {
	long := strings.Repeat("x", maxLogLine)
	tests := []struct {
		name string
		ops  []string // "w:..." writes to the stream, "l:..." logs a line, "close"
		want []string
	}{
		{"lines", []string{"w:a\nb\n"}, []string{"a", "b"}},
		{"a line in pieces", []string{"w:he", "w:llo\n"}, []string{"hello"}},
		{"an empty line", []string{"w:\n", "l:"}, []string{"", ""}},
		{"a partial line is not glued to a logged one", []string{"w:progress...", "l:loaded"}, []string{"progress...", "loaded"}},
		{"a logged line with newlines", []string{"l:a\nb"}, []string{"a", "b"}},
		{"a partial line waits for close", []string{"w:tail"}, nil},
		{"close emits it", []string{"w:tail", "close"}, []string{"tail"}},
		{"a long line is split", []string{"w:" + long + "yz\n"}, []string{long, "yz"}},
		{"control characters are escaped", []string{"l:\x1b[2J"}, []string{`\x1b[2J`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			w := &lineWriter{now: func() uint64 { return 0 }, emit: func(l string) { got = append(got, l) }}
			for _, op := range tc.ops {
				switch {
				case op == "close":
					w.Close()
				case strings.HasPrefix(op, "w:"):
					w.Write([]byte(op[2:]))
				case strings.HasPrefix(op, "l:"):
					w.Line([]byte(op[2:]))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("lines %q, want %q", got, tc.want)
			}
		})
	}
}
