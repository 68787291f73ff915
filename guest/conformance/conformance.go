// Package conformance is the cart core's conformance suite: carts that
// exercise every part of the ABI (the frame formats and the input block,
// WASM-4's drawing and memory map, WASI with its virtual clocks and seeded
// randomness, errors, saves), each run with scripted input for a fixed
// number of frames. Run records what a person would see and what the cart
// said: a hash of every frame, the log lines, the saves and the error. The
// same case must give the same Outcome on every engine; the tests compare
// them (guest's for the engines in this process, integration's for the
// browser's as well, through the harness page of package harness).
package conformance

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/replay"
)

// Case is one cart run the same way on every engine.
type Case struct {
	Name   string
	Cart   string // the .wasm file, from the repository's root
	Frames int    // updates to run
	Mode   guest.Mode
	Update time.Duration // the update limit (default 2s)
	// MaxPages caps the cart's memory, tables, globals and stack together
	// (0: the default cap).
	MaxPages uint32
	// Input is the input of update number frame.
	Input func(frame int) guest.Input
	// Replay, when set, gives the input instead, and the seed, start time
	// and saved data the cart boots with.
	Replay *replay.Replay
}

// The fixed seed and start time every case runs with.
const (
	Seed  = 0x5eed
	Start = 1_700_000_000_000_000_000
)

// script is input that changes every few frames: buttons, a pointer that
// wanders over and off the frame, clicks and wheel notches.
func script(frame int) guest.Input {
	return guest.Input{
		Buttons:      uint32(frame/7) & 0xff,
		MouseX:       int32(frame%200) - 20,
		MouseY:       int32(frame*3%150) - 10,
		MouseButtons: uint32(frame/11) & 7,
		WheelX:       int32(frame%5) - 2,
		WheelY:       int32(frame%3) - 1,
		Players:      [3]uint32{uint32(frame/5) & 0x3f, uint32(frame/9) & 0x3f, uint32(frame/13) & 0x3f},
	}
}

// Cases are the suite.
func Cases() []Case {
	cs := []Case{
		{Name: "seed", Cart: "assets/carts/seed.wasm", Frames: 600},
		{Name: "input_echo", Cart: "guest/testdata/input_echo.wasm", Frames: 600, Input: script},
		{Name: "grow", Cart: "guest/testdata/grow.wasm", Frames: 600},
		{Name: "reshape", Cart: "guest/testdata/reshape.wasm", Frames: 600},
		{Name: "rgba", Cart: "assets/carts/rgba.wasm", Frames: 600},
		{Name: "idx160", Cart: "assets/carts/idx160.wasm", Frames: 600},
		{Name: "lifecycle", Cart: "guest/testdata/lifecycle.wasm", Frames: 600},
		{Name: "wasi_clock", Cart: "guest/testdata/wasi_clock.wasm", Frames: 600},
		{Name: "sandbox", Cart: "guest/testdata/hostile/sandbox.wasm", Frames: 60},
		{Name: "demo", Cart: "assets/carts/demo.wasm", Frames: 600, Input: script},
		{Name: "mandel", Cart: "assets/carts/mandel.wasm", Frames: 60},
		{Name: "floats", Cart: "examples/floats/floats.wasm", Frames: 600, Input: script},
		{Name: "wasm4_draw", Cart: "wasm4/testdata/draw.wasm", Frames: 600},
		{Name: "wasm4_io", Cart: "guest/testdata/w4_io.wasm", Frames: 600, Input: script},
		{Name: "wasm4_blit5", Cart: "wasm4/testdata/blit5.wasm", Frames: 60},
		{Name: "wasm4_lenient", Cart: "wasm4/testdata/lenient.wasm", Frames: 60},
		{Name: "wasm4_start_i32", Cart: "wasm4/testdata/start_i32.wasm", Frames: 60},
		{Name: "wasm4_start_state", Cart: "wasm4/testdata/start_state.wasm", Frames: 120, Input: script},
		{Name: "wasm4_flags", Cart: "wasm4/testdata/flags.wasm", Frames: 10},
		{Name: "wasm4_disk", Cart: "wasm4/testdata/disk.wasm", Frames: 10},
		{Name: "wasm4_tracef", Cart: "wasm4/testdata/tracef.wasm", Frames: 10},
		{Name: "wasm4_start_section", Cart: "wasm4/testdata/start_section.wasm", Frames: 10},
		{Name: "wasm4_stress", Cart: "wasm4/testdata/stress.wasm", Frames: 5},
		{Name: "wasm4_font", Cart: "wasm4/testdata/font.wasm", Frames: 2},
		{Name: "wasm4_drawtrap", Cart: "wasm4/testdata/drawtrap.wasm", Frames: 2},
		{Name: "wasm4_data_palette", Cart: "wasm4/testdata/data_palette.wasm", Frames: 2},
		{Name: "wasm4_signed", Cart: "wasm4/testdata/signed.wasm", Frames: 2},
		{Name: "trap_update", Cart: "guest/testdata/trap_update.wasm", Frames: 600},
		{Name: "exit_update", Cart: "guest/testdata/exit_update.wasm", Frames: 600},
		{Name: "turns_invalid", Cart: "guest/testdata/turns_invalid.wasm", Frames: 600},
		{Name: "input_outside", Cart: "guest/testdata/input_outside.wasm", Frames: 600},
		{Name: "trap_start", Cart: "guest/testdata/trap_start.wasm", Frames: 600},
		{Name: "start_section", Cart: "guest/testdata/start_section.wasm", Frames: 10},
		{Name: "start_section_recursion", Cart: "guest/testdata/hostile/start_section_recursion.wasm", Frames: 10},
		{Name: "missing_update", Cart: "guest/testdata/missing_update.wasm", Frames: 600},
		{Name: "save_then_trap", Cart: "guest/testdata/hostile/save_then_trap.wasm", Frames: 600},
		{Name: "update_loop", Cart: "guest/testdata/hostile/update_loop.wasm", Frames: 600, Update: 300 * time.Millisecond},
		{Name: "deep_recursion", Cart: "guest/testdata/hostile/deep_recursion.wasm", Frames: 600},
		// Proposals wazero refuses and the browser's engine runs.
		{Name: "exception_tag", Cart: "guest/testdata/hostile/exception_tag.wasm", Frames: 2},
		{Name: "extended_const", Cart: "guest/testdata/hostile/extended_const.wasm", Frames: 2},
		// The caps hold the same on every engine, the browser's too.
		{Name: "table_bomb", Cart: "guest/testdata/hostile/table_bomb.wasm", Frames: 5, MaxPages: 64},
		{Name: "table_grow", Cart: "guest/testdata/hostile/table_grow.wasm", Frames: 20, MaxPages: 64},
		{Name: "grow_forever", Cart: "guest/testdata/hostile/grow_forever.wasm", Frames: 20, MaxPages: 64},
		// Browsers' engines hold a table to 10,000,000 elements.
		{Name: "table_grow_10m", Cart: "guest/testdata/table_grow_10m.wasm", Frames: 3},
		{Name: "stdout_flood", Cart: "guest/testdata/hostile/stdout_flood.wasm", Frames: 5},
		{Name: "log_escape", Cart: "guest/testdata/hostile/log_escape.wasm", Frames: 3},
		{Name: "save_flood", Cart: "guest/testdata/hostile/save_flood.wasm", Frames: 5},
		{Name: "disk_outside", Cart: "guest/testdata/hostile/disk_outside.wasm", Frames: 2},
		{Name: "width_4097", Cart: "guest/testdata/hostile/width_4097.wasm", Frames: 5},
		{Name: "stride_below_row", Cart: "guest/testdata/hostile/stride_below_row.wasm", Frames: 5},
		{Name: "palette_outside", Cart: "guest/testdata/hostile/palette_outside.wasm", Frames: 5},
		{Name: "invalid_after_100", Cart: "guest/testdata/hostile/invalid_after_100.wasm", Frames: 120},
		{Name: "input_loop", Cart: "guest/testdata/hostile/input_loop.wasm", Frames: 600, Update: 300 * time.Millisecond},
		{Name: "framebuffer_loop", Cart: "guest/testdata/hostile/framebuffer_loop.wasm", Frames: 600, Update: 300 * time.Millisecond},
	}
	for _, f := range []string{"rgba8888p", "rgba8888", "rgb888", "xrgb8888", "rgb565", "indexed8", "indexed2"} {
		cs = append(cs, Case{Name: "format_" + f, Cart: "examples/formats/" + f + ".wasm", Frames: 600})
	}
	return cs
}

// Find returns the case named name.
func Find(name string) (Case, bool) {
	for _, c := range Cases() {
		if c.Name == name {
			return c, true
		}
	}
	return Case{}, false
}

// Outcome is what a case gave on one engine.
type Outcome struct {
	Engine string    `json:"engine"`
	Frames uint32    `json:"frames"` // updates run
	Hashes []string  `json:"hashes"` // of the frame after boot, then after each update
	Logs   []string  `json:"logs"`
	Saves  []string  `json:"saves"` // each save, hex
	Err    *ErrorSum `json:"err"`
}

// ErrorSum is the part of an error every engine must agree on: its kind,
// the export, the frame number and the first line of the core's message.
// (Stack traces differ between engines.)
type ErrorSum struct {
	Kind  string `json:"kind"`
	Func  string `json:"func"`
	Frame uint32 `json:"frame"`
	Line  string `json:"line"`
}

// summarise sums up err.
func summarise(err error) *ErrorSum {
	if err == nil {
		return nil
	}
	s := &ErrorSum{Kind: "other"}
	s.Line, _, _ = strings.Cut(err.Error(), "\n")
	var ce *guest.CallError
	var ee *guest.ExitError
	var de *guest.DeadlineError
	var fe *guest.FrameError
	var we *guest.WorkerError
	switch {
	case errors.As(err, &ce):
		s.Kind, s.Func, s.Frame = "trap", ce.Func, ce.Frame
	case errors.As(err, &ee):
		s.Kind, s.Func, s.Frame = "exit", ee.Func, ee.Frame
	case errors.As(err, &de):
		s.Kind, s.Func, s.Frame = "deadline", de.Func, de.Frame
	case errors.As(err, &fe):
		s.Kind, s.Frame = "frame", fe.Frame
	case errors.As(err, &we):
		s.Kind = "worker"
	}
	return s
}

// Run runs c on the core at the other end of link (whose engine stops
// overrunning calls itself when stops is set).
func Run(ctx context.Context, link guest.Link, stops bool, wasm []byte, c Case, cacheDir string) Outcome {
	out := Outcome{Engine: link.Engine(), Hashes: []string{}, Logs: []string{}, Saves: []string{}}
	client := guest.NewClient(link, guest.Output{
		Log:  func(line string) { out.Logs = append(out.Logs, line) },
		Disk: func(data []byte) { out.Saves = append(out.Saves, fmt.Sprintf("%x", data)) },
	})
	defer client.Close()
	limits := guest.Limits{Compile: time.Minute, Start: 5 * time.Second, Update: c.Update}
	if limits.Update == 0 {
		limits.Update = 2 * time.Second
	}
	cfg := guest.BootConfig{Name: c.Name, Mode: c.Mode, Seed: Seed, Start: Start, CacheDir: cacheDir, MaxPages: c.MaxPages}
	var player *replay.Player
	if r := c.Replay; r != nil {
		cfg.Seed, cfg.Start, cfg.Disk = r.Seed, uint64(r.Start), r.Disk
		player = replay.NewPlayer(r)
	}
	var packer framebuffer.Packer
	hash := func() error {
		mem, d, err := client.Frame()
		if err != nil {
			return err
		}
		pix, err := packer.Frame(mem, d)
		if err != nil {
			return err
		}
		h := fnv.New64a()
		fmt.Fprintf(h, "%dx%d:", d.Width, d.Height)
		h.Write(pix)
		out.Hashes = append(out.Hashes, fmt.Sprintf("%016x", h.Sum64()))
		return nil
	}
	err := client.Boot(ctx, wasm, cfg, limits, stops)
	if err == nil {
		err = hash()
	}
	for i := 0; err == nil && i < c.Frames; i++ {
		in := guest.Input{MouseX: guest.NoPointer, MouseY: guest.NoPointer}
		switch {
		case player != nil:
			in = player.Input(uint32(i))
		case c.Input != nil:
			in = c.Input(i)
		}
		if err = client.Tick(in); err == nil {
			err = hash()
		}
	}
	out.Frames = client.Result().Frames
	out.Err = summarise(err)
	client.Close() // the last log lines
	return out
}

// Diff lists how b differs from a, "" when they agree.
func Diff(a, b Outcome) string {
	var d []string
	if a.Frames != b.Frames {
		d = append(d, fmt.Sprintf("frames: %d vs %d", a.Frames, b.Frames))
	}
	for i := range min(len(a.Hashes), len(b.Hashes)) {
		if a.Hashes[i] != b.Hashes[i] {
			d = append(d, fmt.Sprintf("frame %d differs first (hash %s vs %s)", i, a.Hashes[i], b.Hashes[i]))
			break
		}
	}
	if len(a.Hashes) != len(b.Hashes) {
		d = append(d, fmt.Sprintf("%d frames hashed vs %d", len(a.Hashes), len(b.Hashes)))
	}
	if strings.Join(a.Logs, "\n") != strings.Join(b.Logs, "\n") {
		d = append(d, fmt.Sprintf("logs differ:\n%q\nvs\n%q", a.Logs, b.Logs))
	}
	if strings.Join(a.Saves, ",") != strings.Join(b.Saves, ",") {
		d = append(d, fmt.Sprintf("saves %q vs %q", a.Saves, b.Saves))
	}
	switch {
	case (a.Err == nil) != (b.Err == nil):
		d = append(d, fmt.Sprintf("error %+v vs %+v", a.Err, b.Err))
	case a.Err != nil && *a.Err != *b.Err:
		d = append(d, fmt.Sprintf("error %+v vs %+v", *a.Err, *b.Err))
	}
	return strings.Join(d, "; ")
}

// Summary is a case's outcome in one line, for the conformance table.
func (o Outcome) Summary() string {
	s := fmt.Sprintf("%d frames, %d logs, %d saves", len(o.Hashes), len(o.Logs), len(o.Saves))
	if e := o.Err; e != nil {
		s += ", " + e.Kind
		if e.Func != "" {
			s += " in " + e.Func
		}
		s += fmt.Sprintf(" at frame %d", e.Frame)
	}
	return s
}

// Determinism are the carts whose recorded sessions the determinism tests
// replay on every engine, with how many frames: the Go demo, a WASM-4
// cart, a cart that reads random_get and the clocks and sleeps, and a C
// cart with float math.
func Determinism() []Case {
	return []Case{
		{Name: "demo", Cart: "assets/carts/demo.wasm", Frames: 3000, Input: script},
		{Name: "wasm4_io", Cart: "guest/testdata/w4_io.wasm", Frames: 3000, Input: script},
		{Name: "wasi_clock", Cart: "guest/testdata/wasi_clock.wasm", Frames: 3000},
		{Name: "floats", Cart: "examples/floats/floats.wasm", Frames: 3000, Input: script},
	}
}

// Record turns a case's scripted input into a recorded session, as
// ebicart -record writes it, with a seed and a start time of its own.
func Record(c Case, wasm []byte) string {
	rec := replay.NewRecorder(guest.CartHash(wasm), 0x1234_5678_9abc, 1_750_000_000_123_456_789, nil)
	for i := range c.Frames {
		in := guest.Input{MouseX: guest.NoPointer, MouseY: guest.NoPointer}
		if c.Input != nil {
			in = c.Input(i)
		}
		rec.Add(uint32(i), in)
	}
	var b strings.Builder
	rec.Replay().WriteTo(&b)
	return b.String()
}
