//go:build linux

package worker

import (
	"errors"
	"testing"

	"github.com/ebicart/ebicart/guest"
)

// TestPool: a spare is started once however often it is asked for, get
// hands it over and then starts anew, and a spare that failed gets one
// more try, unless it was of another build.
func TestPool(t *testing.T) {
	for _, tc := range []struct {
		name     string
		prewarms int
		fails    int   // how many starts fail first
		other    bool  // they fail as workers of another build
		want     []int // what each get returns: the start's number, 0 for an error
		starts   int
	}{
		{"no spare", 0, 0, false, []int{1, 2}, 2},
		{"a spare, then new ones", 1, 0, false, []int{1, 2}, 2},
		{"asked for three times, started once", 3, 0, false, []int{1, 2}, 2},
		{"a failed spare gets one more try", 1, 1, false, []int{2}, 2},
		{"and only one", 1, 2, false, []int{0, 3}, 3},
		{"a spare of another build gets none", 1, 1, true, []int{0, 2}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			starts := 0
			p := pool[int]{start: func() (int, error) {
				starts++
				if starts <= tc.fails {
					if tc.other {
						return 0, &guest.WorkerError{During: "handshake", Status: "of another build", OtherBuild: true}
					}
					return 0, errors.New("no worker")
				}
				return starts, nil
			}}
			for range tc.prewarms {
				p.prewarm()
			}
			for i, want := range tc.want {
				got, err := p.get()
				if (err != nil) != (want == 0) || got != want {
					t.Fatalf("get %d = %d, %v; want %d", i, got, err, want)
				}
			}
			if starts != tc.starts {
				t.Fatalf("%d starts, want %d", starts, tc.starts)
			}
		})
	}
}
