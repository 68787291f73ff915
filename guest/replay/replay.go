// Package replay reads and writes ebicart's replay files (docs/replay.md)
// and turns them into the input of each update, or a session's inputs
// into one. Package cart exports it to embedders.
package replay

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/safetext"
)

// Input is the input of one update.
type Input = guest.Input

// Replay is a recorded or hand-written session: what a cart boots with
// (its clocks' origin, its generator's seed, its saved data) and the input
// of every update. A cart is a function of these, so a replay plays back
// the same frames on every engine. The text format (ParseReplay,
// Replay.WriteTo) is specified in docs/replay.md.
type Replay struct {
	// Cart is the hex SHA-256 of the cart file the replay is for; empty:
	// any cart may play it.
	Cart string
	// Seed seeds random_get; Start is the realtime clock's origin, Unix
	// time in ns. Both default to 0.
	Seed  uint64
	Start int64
	// Disk is the saved data the cart boots with (default empty).
	Disk []byte
	// Lines are the input lines, by strictly increasing frame.
	Lines []ReplayLine
}

// ReplayLine changes the input from update number Frame (0 = the first
// update) on. Fields whose flag in Set is clear keep their value; the
// wheel applies to update Frame alone.
type ReplayLine struct {
	Frame uint32
	Set   ReplayFields
	Pads  [4]uint32 // the ABI's button bits, player 1 to 4
	// Mouse: NoPointer in MouseX and MouseY when there is none.
	MouseX, MouseY int32
	MouseButtons   uint32
	WheelX, WheelY int32
}

// ReplayFields are the flags of ReplayLine.Set.
type ReplayFields uint8

// The fields of a replay line.
const (
	SetPad1 ReplayFields = 1 << iota
	SetPad2
	SetPad3
	SetPad4
	SetMouse
	SetWheel
)

// NoPointer is Input.MouseX and MouseY when no pointer is over the cart.
const NoPointer = guest.NoPointer

// Magic is the first line of every replay file.
const Magic = "ebicart replay 1"

// wantText says what a replay file is, for an error about a file that is
// none.
const wantText = "a text file whose first line is \"" + Magic + "\""

// maxLine is the longest line Parse reads: a disk header, the longest
// line a recording writes, is under 6 KiB.
const maxLine = 1 << 20

// Parse reads a replay file. Anything malformed, and any header or
// key this version does not know, is refused with its line number.
func Parse(r io.Reader) (*Replay, error) {
	rp := &Replay{}
	br := bufio.NewReader(r)
	if b, _ := br.Peek(4); string(b) == "\x00asm" {
		// Looked at first: a cart of megabytes may have no line break
		// for the scanner's longest line.
		return nil, errors.New("replay: a WebAssembly module (a cart), not a replay file: give it as the cart, and as the replay a file recorded of it (" + wantText + ")")
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	n := 0
	magic := false
	seen := map[string]bool{}
	inputs := false
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // a byte-order mark some editors write
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' })
		if len(fields) == 0 {
			continue
		}
		fail := func(format string, a ...any) error {
			// Cleaned: a shared replay file must not drive the terminal.
			return fmt.Errorf("replay: line %d: %s", n, safetext.Clean(fmt.Sprintf(format, a...)))
		}
		if !magic {
			if raw := sc.Text(); !utf8.ValidString(raw) || strings.ContainsFunc(raw, func(r rune) bool { return r < ' ' && r != '\t' && r != '\r' }) {
				// A dump of its bytes, escaped, would say nothing.
				return nil, errors.New("replay: a binary file, not a replay file (" + wantText + ")")
			}
			if len(fields) == 3 && fields[0]+" "+fields[1] == magicWords && fields[2] != Magic[len(magicWords)+1:] {
				if v, err := strconv.ParseUint(fields[2], 10, 32); err == nil {
					return nil, fail("it is of format version %d; this ebicart reads version %s: play it with the ebicart that recorded it", v, Magic[len(magicWords)+1:])
				}
			}
			if strings.Join(fields, " ") != Magic {
				return nil, fail("want %q first, got %s: not an ebicart replay (or another version of the format)", Magic, safetext.Name(strings.Join(fields, " ")))
			}
			magic = true
			continue
		}
		switch key := fields[0]; key {
		case "cart", "seed", "start", "disk":
			if inputs {
				return nil, fail("header %q after an input line: headers come first", key)
			}
			if seen[key] {
				return nil, fail("header %q given twice", key)
			}
			seen[key] = true
			if len(fields) != 2 {
				return nil, fail("header %q takes one value, got %d", key, len(fields)-1)
			}
			v := fields[1]
			switch key {
			case "cart":
				h, ok := strings.CutPrefix(v, "sha256:")
				if b, err := hex.DecodeString(h); !ok || err != nil || len(b) != 32 {
					return nil, fail("cart %q: want sha256: and 64 hex digits", v)
				}
				rp.Cart = strings.ToLower(h)
			case "seed":
				s, err := strconv.ParseUint(v, 10, 64)
				if err != nil {
					return nil, fail("seed %q: want a decimal number up to 18446744073709551615", v)
				}
				rp.Seed = s
			case "start":
				s, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, fail("start %q: want a decimal Unix time in nanoseconds", v)
				}
				rp.Start = s
			case "disk":
				b, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					return nil, fail("disk: %v: want standard base64", err)
				}
				if len(b) > guest.DiskSize {
					return nil, fail("disk of %d bytes: a cart saves at most %d", len(b), guest.DiskSize)
				}
				rp.Disk = b
			}
			continue
		}
		l, err := parseReplayLine(fields)
		if err != nil {
			return nil, fail("%v", err)
		}
		if len(rp.Lines) > 0 && l.Frame <= rp.Lines[len(rp.Lines)-1].Frame {
			return nil, fail("frame %d after frame %d: frames must increase", l.Frame, rp.Lines[len(rp.Lines)-1].Frame)
		}
		inputs = true
		if k := len(rp.Lines) - 1; k >= 0 && rp.Lines[k].Set == 0 {
			// A line with no fields changes nothing, and only a last one
			// says anything (how long the replay runs): one before this
			// is not kept, so that a file of them takes no memory.
			rp.Lines = rp.Lines[:k]
		}
		rp.Lines = append(rp.Lines, l)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, fmt.Errorf("replay: line %d: longer than %s: not an ebicart replay", n+1, bytesize.Text(maxLine))
	} else if err != nil {
		return nil, fmt.Errorf("replay: line %d: %w", n+1, err)
	}
	if !magic {
		return nil, errors.New("replay: empty: the first line must be " + strconv.Quote(Magic))
	}
	return rp, nil
}

// magicWords start the first line, before the format's version.
const magicWords = "ebicart replay"

// maxFrame bounds a line's frame number, as a state's frame counter is.
const maxFrame = 1 << 31

// parseReplayLine reads an input line's fields.
func parseReplayLine(fields []string) (ReplayLine, error) {
	var l ReplayLine
	f, err := strconv.ParseUint(fields[0], 10, 32)
	if errors.Is(err, strconv.ErrRange) || err == nil && f >= maxFrame {
		// The cap of a state's frame counter: headless, a replay ran
		// for ever to a line no run reaches.
		return l, fmt.Errorf("frame %s is past 2^31 (a year of play at 60 updates a second), which no run reaches: want a frame number below %d", fields[0], maxFrame)
	}
	if err != nil {
		return l, fmt.Errorf("%q: want a frame number or a header (cart, seed, start, disk)", fields[0])
	}
	l.Frame = uint32(f)
	for _, field := range fields[1:] {
		key, v, ok := strings.Cut(field, "=")
		if !ok {
			return l, fmt.Errorf("%q: want key=value (pad1..pad4, mouse, wheel)", field)
		}
		var flag ReplayFields
		switch key {
		case "pad1", "pad2", "pad3", "pad4":
			i := key[3] - '1'
			flag = SetPad1 << i
			b, err := strconv.ParseUint(v, 16, 8)
			if err != nil {
				return l, fmt.Errorf("%s=%s: want a hex byte of button bits (bit 0 left ... bit 7 select)", key, v)
			}
			l.Pads[i] = uint32(b)
		case "mouse":
			flag = SetMouse
			if v == "none" {
				l.MouseX, l.MouseY = NoPointer, NoPointer
				break
			}
			parts := strings.Split(v, ",")
			if len(parts) != 3 {
				return l, fmt.Errorf("mouse=%s: want mouse=<x>,<y>,<buttons hex> or mouse=none", v)
			}
			x, err1 := strconv.ParseInt(parts[0], 10, 32)
			y, err2 := strconv.ParseInt(parts[1], 10, 32)
			b, err3 := strconv.ParseUint(parts[2], 16, 8)
			if err1 != nil || err2 != nil || err3 != nil || b > 7 {
				return l, fmt.Errorf("mouse=%s: want signed decimal x and y and hex buttons 0..7 (bit 0 left, 1 right, 2 middle)", v)
			}
			l.MouseX, l.MouseY, l.MouseButtons = int32(x), int32(y), uint32(b)
		case "wheel":
			flag = SetWheel
			parts := strings.Split(v, ",")
			if len(parts) != 2 {
				return l, fmt.Errorf("wheel=%s: want wheel=<dx>,<dy>", v)
			}
			x, err1 := strconv.ParseInt(parts[0], 10, 32)
			y, err2 := strconv.ParseInt(parts[1], 10, 32)
			if err1 != nil || err2 != nil {
				return l, fmt.Errorf("wheel=%s: want signed decimal notches", v)
			}
			l.WheelX, l.WheelY = int32(x), int32(y)
		default:
			return l, fmt.Errorf("unknown key %q: this version knows pad1, pad2, pad3, pad4, mouse and wheel", key)
		}
		if l.Set&flag != 0 {
			return l, fmt.Errorf("%s given twice", key)
		}
		l.Set |= flag
	}
	return l, nil
}

// LastFrame is the frame of the last input line, -1 without one.
func (r *Replay) LastFrame() int64 {
	if len(r.Lines) == 0 {
		return -1
	}
	return int64(r.Lines[len(r.Lines)-1].Frame)
}

// WriteTo writes the replay in its text format.
func (r *Replay) WriteTo(w io.Writer) (int64, error) {
	bw := &countWriter{w: w}
	fmt.Fprintln(bw, Magic)
	if r.Cart != "" {
		fmt.Fprintf(bw, "cart sha256:%s\n", r.Cart)
	}
	fmt.Fprintf(bw, "seed %d\n", r.Seed)
	fmt.Fprintf(bw, "start %d\n", r.Start)
	if len(r.Disk) > 0 {
		fmt.Fprintf(bw, "disk %s\n", base64.StdEncoding.EncodeToString(r.Disk))
	}
	for _, l := range r.Lines {
		var b strings.Builder
		b.WriteString(strconv.FormatUint(uint64(l.Frame), 10))
		for i := range 4 {
			if l.Set&(SetPad1<<i) != 0 {
				fmt.Fprintf(&b, " pad%d=%02x", i+1, l.Pads[i])
			}
		}
		if l.Set&SetMouse != 0 {
			if l.MouseX == NoPointer && l.MouseY == NoPointer {
				b.WriteString(" mouse=none")
			} else {
				fmt.Fprintf(&b, " mouse=%d,%d,%x", l.MouseX, l.MouseY, l.MouseButtons)
			}
		}
		if l.Set&SetWheel != 0 {
			fmt.Fprintf(&b, " wheel=%d,%d", l.WheelX, l.WheelY)
		}
		fmt.Fprintln(bw, b.String())
	}
	return bw.n, bw.err
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// Player gives the input of a replay, update by update.
type Player struct {
	r    *Replay
	next int   // the next line to apply
	in   Input // the state so far
}

// NewPlayer starts playing r.
func NewPlayer(r *Replay) *Player {
	return &Player{r: r, in: Input{MouseX: NoPointer, MouseY: NoPointer}}
}

// Input returns the input of update number frame. Frames must not go
// back; they may start late (a cart loaded from a state) or skip.
func (p *Player) Input(frame uint32) Input {
	p.in.WheelX, p.in.WheelY = 0, 0
	for p.next < len(p.r.Lines) && p.r.Lines[p.next].Frame <= frame {
		l := p.r.Lines[p.next]
		p.next++
		for i := range 4 {
			if l.Set&(SetPad1<<i) != 0 {
				if i == 0 {
					p.in.Buttons = l.Pads[0]
				} else {
					p.in.Players[i-1] = l.Pads[i]
				}
			}
		}
		if l.Set&SetMouse != 0 {
			p.in.MouseX, p.in.MouseY, p.in.MouseButtons = l.MouseX, l.MouseY, l.MouseButtons
		}
		if l.Set&SetWheel != 0 && l.Frame == frame {
			p.in.WheelX, p.in.WheelY = l.WheelX, l.WheelY
		}
	}
	return p.in
}

// Done reports whether every line has been played.
func (p *Player) Done() bool { return p.next == len(p.r.Lines) }

// Recorder turns the inputs of a session into replay lines, only changes,
// and a last line, bare if nothing changed there, at the session's last
// update: a replay plays as long as the session ran.
type Recorder struct {
	replay Replay
	prev   Input
	full   bool  // the next line gives every field (after Truncate)
	ran    int64 // the updates recorded
}

// NewRecorder starts a recording of a session of the cart with hex SHA-256
// cart, booted with seed, start and disk.
func NewRecorder(cart string, seed uint64, start int64, disk []byte) *Recorder {
	return &Recorder{replay: Replay{Cart: cart, Seed: seed, Start: start, Disk: append([]byte(nil), disk...)},
		prev: Input{MouseX: NoPointer, MouseY: NoPointer}}
}

// Add records the input of update number frame.
func (r *Recorder) Add(frame uint32, in Input) {
	l := ReplayLine{Frame: frame}
	pads := [4]uint32{in.Buttons, in.Players[0], in.Players[1], in.Players[2]}
	prev := [4]uint32{r.prev.Buttons, r.prev.Players[0], r.prev.Players[1], r.prev.Players[2]}
	for i := range 4 {
		if pads[i] != prev[i] || r.full {
			l.Set |= SetPad1 << i
			l.Pads[i] = pads[i] & 0xff
		}
	}
	if in.MouseX != r.prev.MouseX || in.MouseY != r.prev.MouseY || in.MouseButtons != r.prev.MouseButtons || r.full {
		l.Set |= SetMouse
		l.MouseX, l.MouseY, l.MouseButtons = in.MouseX, in.MouseY, in.MouseButtons&7
	}
	if in.WheelX != 0 || in.WheelY != 0 {
		l.Set |= SetWheel
		l.WheelX, l.WheelY = in.WheelX, in.WheelY
	}
	r.prev, r.full = in, false
	r.prev.WheelX, r.prev.WheelY = 0, 0
	r.ran = int64(frame) + 1
	if l.Set != 0 {
		r.replay.Lines = append(r.replay.Lines, l)
	}
}

// Truncate forgets what was recorded from update number frame on (the
// session went back there: a rewind, a loaded state); the next line gives
// every field.
func (r *Recorder) Truncate(frame uint32) {
	for len(r.replay.Lines) > 0 && r.replay.Lines[len(r.replay.Lines)-1].Frame >= frame {
		r.replay.Lines = r.replay.Lines[:len(r.replay.Lines)-1]
	}
	r.full = true
	r.ran = min(r.ran, int64(frame))
}

// Replay returns what was recorded so far. Its last line is at the last
// update recorded (a line with no fields where the input did not change
// there), so that a headless replay runs as many updates as the session.
func (r *Recorder) Replay() *Replay {
	rp := r.replay
	rp.Lines = append([]ReplayLine(nil), r.replay.Lines...)
	if last := r.ran - 1; last >= 0 && rp.LastFrame() < last {
		rp.Lines = append(rp.Lines, ReplayLine{Frame: uint32(last)})
	}
	return &rp
}
