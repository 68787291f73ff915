package replay

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/guest"
)

func TestParseErrors(t *testing.T) {
	const head = "ebicart replay 1\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "replay: empty"},
		{"not a replay", "hello\n", `replay: line 1: want "ebicart replay 1" first, got "hello"`},
		{"other version", "# made by hand\nebicart replay 2\n", "replay: line 2: it is of format version 2; this ebicart reads version 1"},
		{"not a version", "ebicart replay x\n", "replay: line 1: want \"ebicart replay 1\" first"},
		// Another version says which ebicart plays it.
		{"a newer version", "ebicart replay 2\n", "replay: line 1: it is of format version 2; this ebicart reads version 1: play it with the ebicart that recorded it"},
		{"unknown header", head + "speed 2\n", `replay: line 2: "speed": want a frame number or a header`},
		{"header twice", head + "seed 1\nseed 2\n", `replay: line 3: header "seed" given twice`},
		{"header after input", head + "0 pad1=01\nseed 1\n", `replay: line 3: header "seed" after an input line`},
		{"bad cart", head + "cart md5:abc\n", "replay: line 2: cart \"md5:abc\": want sha256: and 64 hex digits"},
		{"bad seed", head + "seed -1\n", `replay: line 2: seed "-1"`},
		{"bad disk", head + "disk !!!\n", "replay: line 2: disk: illegal base64"},
		{"unknown key", head + "5 jump=1\n", `replay: line 2: unknown key "jump"`},
		{"key twice", head + "5 pad1=1 pad1=2\n", "replay: line 2: pad1 given twice"},
		{"pad too big", head + "5 pad1=100\n", "replay: line 2: pad1=100: want a hex byte"},
		{"bad mouse", head + "5 mouse=1,2\n", "replay: line 2: mouse=1,2: want mouse=<x>,<y>,<buttons hex> or mouse=none"},
		{"mouse buttons", head + "5 mouse=1,2,8\n", "replay: line 2: mouse=1,2,8: want signed decimal x and y and hex buttons 0..7"},
		// A frame no run reaches (a year of play, the cap of a state's
		// frame counter): headless, the replay ran for ever to it.
		{"a frame past 2^31", head + "2147483648 pad1=1\n", "replay: line 2: frame 2147483648 is past 2^31 (a year of play at 60 updates a second), which no run reaches: want a frame number below 2147483648"},
		{"a frame past 2^64", head + "99999999999999999999 pad1=1\n", "replay: line 2: frame 99999999999999999999 is past 2^31"},
		{"frames back", head + "5 pad1=1\n5 pad1=2\n", "replay: line 3: frame 5 after frame 5: frames must increase"},
		{"no key", head + "5 pad1\n", `replay: line 2: "pad1": want key=value`},
		{"escapes in a value", head + "0 pad1=\x1b[2J\x1b]0;pwned\x07\n", `replay: line 2: pad1=\x1b[2J\x1b]0;pwned\x07: want a hex byte`},
		// A file that is not text at all is named for what it is, not
		// dumped escaped on the error screen.
		{"a cart", "\x00asm\x01\x00\x00\x00\x01\x04\x01`\x00\x00\n", "replay: a WebAssembly module (a cart), not a replay file: give it as the cart, and as the replay a file recorded of it (a text file whose first line is \"ebicart replay 1\")"},
		{"a binary file", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "replay: a binary file, not a replay file (a text file whose first line is \"ebicart replay 1\")"},
		{"a line too long", head + strings.Repeat("\x00", 2<<20), "replay: line 2: longer than 1.0 MiB: not an ebicart replay"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.in))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParseAndPlay(t *testing.T) {
	src := `# a hand-written replay
ebicart replay 1
cart sha256:` + strings.Repeat("aB", 32) + `
seed 42	# the generator
start 1700000000000000000
disk AQID
0 pad1=10 mouse=3,-4,1
2 pad2=Ff wheel=0,-2
5 mouse=none pad1=00

9 pad4=81
`
	r, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if r.Cart != strings.Repeat("ab", 32) || r.Seed != 42 || r.Start != 1700000000000000000 || !bytes.Equal(r.Disk, []byte{1, 2, 3}) || r.LastFrame() != 9 {
		t.Fatalf("headers %+v", r)
	}
	p := NewPlayer(r)
	want := map[uint32]guest.Input{
		0: {Buttons: 0x10, MouseX: 3, MouseY: -4, MouseButtons: 1},
		1: {Buttons: 0x10, MouseX: 3, MouseY: -4, MouseButtons: 1},
		2: {Buttons: 0x10, MouseX: 3, MouseY: -4, MouseButtons: 1, WheelY: -2, Players: [3]uint32{0xff}},
		3: {Buttons: 0x10, MouseX: 3, MouseY: -4, MouseButtons: 1, Players: [3]uint32{0xff}},
		5: {MouseX: NoPointer, MouseY: NoPointer, Players: [3]uint32{0xff}},
		9: {MouseX: NoPointer, MouseY: NoPointer, Players: [3]uint32{0xff, 0, 0x81}},
	}
	for f := range uint32(10) {
		got := p.Input(f)
		if w, ok := want[f]; ok && got != w {
			t.Errorf("frame %d: %+v, want %+v", f, got, w)
		}
	}
	if !p.Done() {
		t.Error("the player is not done after the last line")
	}
}

// TestParseKeepsWhatCounts: a byte-order mark before the first line is
// read past; lines with no fields are not kept (they change nothing), but
// for a last one, which says how long the replay runs, and their frames
// must still increase.
func TestParseKeepsWhatCounts(t *testing.T) {
	var b strings.Builder
	b.WriteString("\ufeffebicart replay 1\n0 pad1=01\n")
	for f := 1; f < 100000; f++ {
		fmt.Fprintf(&b, "%d\n", f)
	}
	b.WriteString("100000 pad1=00\n100001\n100002\n")
	r, err := Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines) != 3 || r.LastFrame() != 100002 || r.Lines[1].Frame != 100000 {
		t.Fatalf("%d lines kept, the last at %d, want 3 (0, 100000 and 100002)", len(r.Lines), r.LastFrame())
	}
	if _, err := Parse(strings.NewReader("ebicart replay 1\n5\n3 pad1=01\n")); err == nil || !strings.Contains(err.Error(), "line 3: frame 3 after frame 5: frames must increase") {
		t.Errorf("frames going back after a line of no fields: %v", err)
	}
}

// TestRecordRoundTrip: a session recorded, written, parsed and played
// gives back every update's input; the file holds changes only.
func TestRecordRoundTrip(t *testing.T) {
	inputs := make([]guest.Input, 300)
	for i := range inputs {
		inputs[i] = guest.Input{Buttons: uint32(i/40) & 0xff, MouseX: NoPointer, MouseY: NoPointer}
		if i > 100 {
			inputs[i].MouseX, inputs[i].MouseY, inputs[i].MouseButtons = int32(i/10), -int32(i/20), uint32(i/50)&7
		}
		if i%37 == 0 {
			inputs[i].WheelX = 1
		}
		inputs[i].Players[2] = uint32(i/90) & 0xff
	}
	rec := NewRecorder(strings.Repeat("0", 64), 7, -5, []byte("save"))
	for i, in := range inputs {
		rec.Add(uint32(i), in)
	}
	var buf bytes.Buffer
	if _, err := rec.Replay().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n > 80 {
		t.Errorf("%d lines for 300 updates: the file should hold changes only\n%s", n, buf.String())
	}
	r, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.Seed != 7 || r.Start != -5 || string(r.Disk) != "save" {
		t.Fatalf("headers %+v", r)
	}
	p := NewPlayer(r)
	for i, in := range inputs {
		if got := p.Input(uint32(i)); got != in {
			t.Fatalf("update %d: %+v, want %+v", i, got, in)
		}
	}
	if got := r.LastFrame(); got != int64(len(inputs)-1) {
		t.Errorf("the replay's last line is at update %d, want %d: a headless replay would not run as long as the session", got, len(inputs)-1)
	}
}

// TestRecordLength: a recording ends at its session's last update, with a
// line of no fields when the input did not change there, and after the
// session went back (Truncate) at the update it went back to.
func TestRecordLength(t *testing.T) {
	still := guest.Input{MouseX: NoPointer, MouseY: NoPointer}
	for _, tc := range []struct {
		name     string
		updates  int
		truncate int // -1: none
		want     int64
		lines    int
	}{
		{"no updates", 0, -1, -1, 0},
		{"no input", 120, -1, 119, 1},
		{"back to 50", 120, 50, 49, 1},
		{"back to the start", 120, 0, -1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := NewRecorder("", 0, 0, nil)
			for i := range tc.updates {
				rec.Add(uint32(i), still)
			}
			if tc.truncate >= 0 {
				rec.Truncate(uint32(tc.truncate))
			}
			r := rec.Replay()
			if r.LastFrame() != tc.want || len(r.Lines) != tc.lines {
				t.Fatalf("last line at %d of %d lines, want %d of %d", r.LastFrame(), len(r.Lines), tc.want, tc.lines)
			}
			var buf bytes.Buffer
			if _, err := r.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			back, err := Parse(&buf)
			if err != nil {
				t.Fatalf("%v in:\n%s", err, buf.String())
			}
			if back.LastFrame() != tc.want {
				t.Errorf("parsed back, the last line is at %d, want %d", back.LastFrame(), tc.want)
			}
		})
	}
}
