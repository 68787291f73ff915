package cart

import (
	"io"

	"github.com/ebicart/ebicart/guest/replay"
)

// Replay is a recorded or hand-written session (docs/replay.md): what a
// cart boots with and the input of every update. A cart is a function of
// these, so a replay plays back the same frames on every engine.
type Replay = replay.Replay

// ReplayLine is one input line of a replay.
type ReplayLine = replay.ReplayLine

// ParseReplay reads a replay file; anything malformed is refused with its
// line number.
func ParseReplay(r io.Reader) (*Replay, error) { return replay.Parse(r) }

// NoPointer in both Input.MouseX and MouseY means no pointer is over the
// cart.
const NoPointer = replay.NoPointer
