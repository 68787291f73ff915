//go:build !js

package guest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
	. "github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/guest/enginetest"
)

func TestLoadErrors(t *testing.T) {
	good := readCart(t, "good")
	const damaged = ": the file is damaged or its toolchain wrote it wrong: rebuild the cart"
	// withGlobals is a cart of memory, update and framebuffer with the
	// global section globals (its contents).
	withGlobals := func(globals string) []byte {
		return []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x05\x03\x01\x00\x01" +
			"\x06" + string(rune(len(globals))) + globals +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b")
	}
	// manyExports is a cart of memory, update and framebuffer, exported
	// with n-3 more names for update, and one mutable global, which the
	// host exports as it loads the cart, as it does its stack bound.
	manyExports := func(n int) []byte {
		var exp []byte
		for _, e := range []string{"\x06memory\x02\x00", "\x06update\x00\x00", "\x0bframebuffer\x00\x01"} {
			exp = append(exp, e...)
		}
		for i := range n - 3 {
			name := fmt.Sprintf("u%d", i)
			exp = append(append(append(exp, byte(len(name))), name...), 0, 0)
		}
		exp = append(leb(uint64(n)), exp...)
		b := []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x05\x03\x01\x00\x01\x06\x06\x01\x7f\x01\x41\x00\x0b\x07")
		b = append(append(b, leb(uint64(len(exp)))...), exp...)
		return append(b, "\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b"...)
	}
	tests := []struct {
		name string
		wasm []byte // nil: testdata/<name>.wasm
		want string // the error, exactly, or its first line for traps
	}{
		{"exports at the limit with the host's", manyExports(100000),
			"guest: the cart has 100000 exports and the host adds 2 as it loads it (its stack bound and mutable globals): more than the 100000 browsers' engines compile: export fewer"},
		// A start section names a function of no parameters and no
		// results, one the module has: engines refuse others, each in
		// its words, and the rewrite that turns the section into an
		// export would hide them from the engine.
		{"start function with a parameter", []byte("\x00asm\x01\x00\x00\x00\x01\x0c\x03\x60\x00\x00\x60\x00\x01\x7f\x60\x01\x7f\x00\x03\x04\x03\x00\x01\x02\x05\x03\x01\x00\x01" +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x08\x01\x02\x0a\x0c\x03\x02\x00\x0b\x04\x00\x41\x00\x0b\x02\x00\x0b"),
			"guest: section 8 (start) at offset 70: the start function, 2, has type (i32) -> (): a start function takes and returns nothing" + damaged},
		{"start function past the functions", []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x05\x03\x01\x00\x01" +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x08\x01\x05\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b"),
			"guest: section 8 (start) at offset 65: the start function, 5, is not one of the module's 2 functions" + damaged},
		{"memory maximum past 4 GiB", []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x05\x06\x01\x01\x01\xf0\xa2\x04" +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b"),
			"guest: section 5 at offset 25: a maximum of 70000 pages, more than the 65536 (4 GiB) a 32-bit memory can have" + damaged},
		{"not wasm", []byte("#!/bin/sh\necho hello\n"), `guest: not a WebAssembly module: it does not start with "\0asm" (is this file a cart?)`},
		{"empty", []byte{}, `guest: not a WebAssembly module: it does not start with "\0asm" (is this file a cart?): the file is empty (0 bytes)`},
		{"truncated", good[:30], "guest: section 7 at offset 30: size 33 runs past the end of the file (30 bytes): truncated module"},
		{"truncated in its header", good[:7], "guest: truncated module: the file is 7 bytes, and a module's header alone is 8"},
		{"component", []byte("\x00asm\x0d\x00\x01\x00"), "guest: unsupported WebAssembly binary layer 1: a cart must be a core module, not a component"},
		{"missing_update", nil, `guest: export "update" missing: a cart must export update() -> (), called 60 times a second`},
		{"missing_framebuffer", nil, `guest: export "framebuffer" missing: a cart must export framebuffer() -> i32, returning the address of its frame descriptor; if this is a WASM-4 cart, it must import its memory ("env"."memory"): link it with --import-memory`},
		{"WASM-4 memory of no pages", []byte("\x00asm\x01\x00\x00\x00\x02\x10\x01\x03env\x06memory\x02\x01\x00\x00"),
			`guest: import "env"."memory" allows at most 0 pages: WASM-4 carts get exactly one (64 KiB)`},
		{"missing_memory", nil, `guest: export "memory" missing: a cart must export its linear memory as "memory"`},
		{"memory_is_global", nil, `guest: export "memory" is a global, want the cart's linear memory`},
		{"update_type", nil, `guest: export "update" has type (i32) -> (), want () -> (): a cart must export update() -> (), called 60 times a second`},
		{"framebuffer_type", nil, `guest: export "framebuffer" has type () -> (i64), want () -> (i32): a cart must export framebuffer() -> i32, returning the address of its frame descriptor`},
		{"start_type", nil, `guest: export "start" has type () -> (i32), want () -> (): start() -> () is called once before the first update`},
		{"unknown_import", nil, `guest: import "env"."draw_sprite" (function (i32, i32) -> ()) is not provided by the host: a cart may import only ebicart.log, ebicart.disk_read, ebicart.disk_write and the wasi_snapshot_preview1 functions`},
		{"wasm4_own_memory", nil, `guest: import "env"."text" (function (i32, i32, i32) -> ()) is not provided by the host: a cart may import only ebicart.log, ebicart.disk_read, ebicart.disk_write and the wasi_snapshot_preview1 functions; if this is a WASM-4 cart, it must import its memory ("env"."memory"): link it with --import-memory`},
		{"log_type", nil, `guest: import "ebicart"."log" has type (i32) -> (), want (i32, i32) -> ()`},
		{"wasi_type", nil, `guest: import "wasi_snapshot_preview1"."fd_write" has type (i32, i32, i32) -> (i32), want (i32, i32, i32, i32) -> (i32)`},
		{"reserved export", []byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x07\x11\x01\x0debicart:stack\x00\x00\x0a\x04\x01\x02\x00\x0b"),
			`guest: export "ebicart:stack": names that start with "ebicart:" are the host's (it adds them as it loads a cart): rename it`},
		{"long import name", []byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x02\x6c\x01\x03env\x64" + strings.Repeat("x", 100) + "\x00\x00"),
			`guest: import "env"."` + strings.Repeat("x", 64) + `"… (100 bytes) (function () -> ()) is not provided by the host`},
		{"global.get of a global the cart defines in a constant", withGlobals("\x02\x7f\x00\x41\x00\x0b\x7f\x00\x23\x00\x0b"),
			"guest: the constant expression of global 1 uses global.get 0, of a global the module defines rather than imports: past WebAssembly 2.0: " + engine.ProposalAdvice},
		{"extended constant", withGlobals("\x01\x7f\x00\x41\x00\x41\x00\x6a\x0b"),
			"guest: the constant expression of global 0 uses i32.add (the extended constant expressions proposal): past WebAssembly 2.0: " + engine.ProposalAdvice},
		{"64-bit table", []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x04\x04\x01\x70\x04\x01\x05\x03\x01\x00\x01" +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b"),
			"guest: table 0 is 64-bit (memory64's table64): " + engine.ProposalAdvice},
		{"table with an initial value", []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x04\x09\x01\x40\x00\x70\x00\x01\xd0\x70\x0b\x05\x03\x01\x00\x01" +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b"),
			"guest: table 0 has an initial value expression (the function references proposal): " + engine.ProposalAdvice},
		{"an export name twice", []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x05\x03\x01\x00\x01" +
			"\x07\x2f\x04\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x0bframebuffer\x00\x00\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b"),
			`guest: section 7 at offset 30: exports 2 and 3 are both named "framebuffer": a module's export names must differ: rename one`},
		{"exception tag", []byte("\x00asm\x01\x00\x00\x00\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f\x03\x03\x02\x00\x01\x05\x03\x01\x00\x01\x0d\x03\x01\x00\x00" +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x0a\x09\x02\x02\x00\x0b\x04\x00\x41\x00\x0b"),
			"guest: the cart defines exception tags (exception handling): " + engine.ProposalAdvice},
		{"anyref parameter", []byte("\x00asm\x01\x00\x00\x00\x01\x0c\x03\x60\x00\x00\x60\x00\x01\x7f\x60\x01\x6e\x00\x03\x04\x03\x00\x01\x02\x05\x03\x01\x00\x01" +
			"\x07\x21\x03\x06memory\x02\x00\x06update\x00\x00\x0bframebuffer\x00\x01\x0a\x0c\x03\x02\x00\x0b\x04\x00\x41\x00\x0b\x02\x00\x0b"),
			"guest: section 1 at offset 10: value type 0x6e is not one of WebAssembly 2.0's (i32, i64, f32, f64, v128, funcref, externref): garbage collection and other newer proposals are not supported"},
		{"table_10m", nil, "guest: table 0 declares 10000001 elements, more than the 10000000 browsers' engines allow a table"},
		{"huge_memory", nil, "guest: memory declares 65536 pages (4.0 GiB), more than the limit of 4096 pages (256.0 MiB, max-memory): ebicart runs no cart of more than 65535 pages (4095.9375 MiB): build it with a smaller memory"},
		{"trap_start", nil, "guest: start trapped: wasm error: unreachable"},
		{"command", nil, "guest: start trapped: wasm error: unreachable: the cart is a WASI command (it exports _start, not _initialize), and ebicart does not call _start: build it as a reactor"},
		{"bad_descriptor", nil, "guest: frame 0: framebuffer: width 0 out of range 1..4096 (the descriptor framebuffer() points to after start)"},
		{"descriptor_outside", nil, "guest: frame descriptor: 0xfff0+32 bytes end past memory size 65536: framebuffer() must return the address of 32 bytes in memory (the descriptor framebuffer() points to after start)"},
		{"pixels_outside", nil, "guest: frame 0: framebuffer: pixels 0x10000+184320 bytes end past memory size 65536: keep the pixels, height rows of stride bytes, in memory (the descriptor framebuffer() points to after start)"},
	}
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				wasm := tc.wasm
				if wasm == nil {
					wasm = readCart(t, tc.name)
				}
				c, err := enginetest.Load(context.Background(), e, wasm, opts(t))
				if err == nil {
					c.Close()
					t.Fatalf("Load succeeded, want error %q", tc.want)
				}
				if got := err.Error(); !strings.HasPrefix(got, tc.want) || (tc.wasm == nil && !strings.Contains(tc.want, "trapped") && got != tc.want) {
					t.Fatalf("Load error:\n got %q\nwant %q", got, tc.want)
				}
			})
		}
	})
}

// TestTableLimit: a table grows to the 10,000,000 elements browsers'
// engines allow and no further, on every engine, though the memory cap
// leaves room for more.
func TestTableLimit(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "table_grow_10m")
		for range 3 {
			if err := c.Update(Input{}); err != nil {
				t.Fatal(err)
			}
		}
		f, err := c.Frame()
		if err != nil {
			t.Fatal(err)
		}
		if grows, failed := f.Pix[0], f.Pix[1] == 255; grows != 1 || !failed {
			t.Fatalf("table.grow by 6 from 9,999,990 elements succeeded %d times (failed: %v), want once, then -1", grows, failed)
		}
	})
}

func TestTrapCarriesStack(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		_, err := enginetest.Load(context.Background(), e, readCart(t, "trap_start"), opts(t))
		var ce *CallError
		if !errors.As(err, &ce) || ce.Func != "start" {
			t.Fatalf("Load error %v (%T), want a *CallError in start", err, err)
		}
		for _, want := range []string{"unreachable", "wasm stack trace", "explode"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("trap message lacks %q:\n%v", want, err)
			}
		}
		if strings.Contains(err.Error(), "WASI command") {
			t.Errorf("a reactor's trap is blamed on its build:\n%v", err)
		}
	})
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name   string
		frames uint32 // updates run when the error shows
		want   string
	}{
		{"trap_update", 2, "guest: update trapped: wasm error: unreachable"},
		{"exit_update", 0, "guest: cart exited with status 7 (in update)"},
		{"turns_invalid", 5, "guest: frame 5: framebuffer: width 4097 out of range 1..4096"},
		{"input_outside", 0, "guest: input block: 0xfffa+32 bytes end past memory size 65536: input() must return the address of 32 bytes in memory"},
	}
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c := load(t, e, tc.name)
				var err error
				for i := 0; i < 10 && err == nil; i++ {
					err = c.Update(Input{})
				}
				if err == nil {
					t.Fatalf("10 updates ran without error, want %q", tc.want)
				}
				if !strings.HasPrefix(err.Error(), tc.want) {
					t.Fatalf("Update error:\n got %q\nwant %q", err, tc.want)
				}
				if c.Frames() != tc.frames {
					t.Errorf("error after %d good frames, want %d", c.Frames(), tc.frames)
				}
				// A stopped cart stays stopped with the same error.
				if err2 := c.Update(Input{}); err2 != err {
					t.Errorf("next Update returned %v, want the same error", err2)
				}
			})
		}
	})
}

func TestSeedFrame(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "good")
		if err := c.Update(Input{}); err != nil {
			t.Fatal(err)
		}
		f, err := c.Frame()
		if err != nil {
			t.Fatal(err)
		}
		want := []byte{255, 0, 0, 255, 60, 70, 90, 255}
		if f.Width != 2 || f.Height != 1 || string(f.Pix) != string(want) {
			t.Fatalf("frame %dx%d %v, want 2x1 %v", f.Width, f.Height, f.Pix, want)
		}
		if d := c.Descriptor(); d.Format != framebuffer.RGB888 {
			t.Fatalf("descriptor format %v, want RGB888", d.Format)
		}
	})
}

func TestInputBlock(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "input_echo")
		inputs := []Input{
			{Buttons: ButtonLeft | ButtonA, MouseX: 17, MouseY: -3, MouseButtons: MouseLeft | MouseMiddle, WheelX: 2, WheelY: -1},
			{Buttons: ButtonDown | ButtonStart | ButtonSelect, MouseX: 1000, MouseY: 70000, Frame: 999},
		}
		for i, in := range inputs {
			if err := c.Update(in); err != nil {
				t.Fatal(err)
			}
			f, err := c.Frame()
			if err != nil {
				t.Fatal(err)
			}
			in.Frame = uint32(i) // the host's count, not the caller's
			var want [InputSize]byte
			in.Encode(&want)
			for x := range InputSize {
				if got := f.Pix[4*x]; got != want[x] {
					t.Fatalf("update %d: input byte %d = %d, want %d (block %v)", i, x, got, want[x], want)
				}
			}
		}
	})
}

func TestMemoryGrowth(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "grow")
		for i := 1; i <= 10; i++ {
			if err := c.Update(Input{}); err != nil {
				t.Fatal(err)
			}
			f, err := c.Frame()
			if err != nil {
				t.Fatal(err)
			}
			want := []byte{byte(i), 0x80, 0x40, 255, byte(i), 0x80, 0x40, 255}
			if string(f.Pix) != string(want) {
				t.Fatalf("update %d: frame %v, want %v", i, f.Pix, want)
			}
			if pages := min(i+1, 8); c.MemorySize() != uint64(pages)<<16 {
				t.Fatalf("update %d: memory %d bytes, want %d pages", i, c.MemorySize(), pages)
			}
		}
	})
}

func TestLifecycleAndLog(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		var lines []string
		o := opts(t)
		o.Output.Log = func(l string) { lines = append(lines, l) }
		c, err := enginetest.Load(context.Background(), e, readCart(t, "lifecycle"), o)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := c.Update(Input{}); err != nil {
				t.Fatal(err)
			}
		}
		c.Close()
		want := []string{"hello, start!", "from stdout", "from stdout"}
		if strings.Join(lines, "|") != strings.Join(want, "|") {
			t.Fatalf("log lines %q, want %q", lines, want)
		}
	})
}

func TestClosedCart(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "good")
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if err := c.Update(Input{}); !errors.Is(err, ErrClosed) || err.Error() != "guest: cart is closed" {
			t.Fatalf("Update after Close: %v", err)
		}
		if err := c.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})
}

// TestUpdateNoAllocs: a tick allocates nothing on the UI side or in the
// core. (In-process, wazero's deadline checks start a goroutine a call.)
func TestUpdateNoAllocs(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		if e.Name == "inprocess" {
			t.Skip("wazero watches each call's context with a goroutine of its own")
		}
		c := load(t, e, "input_echo")
		in := Input{Buttons: ButtonA, MouseX: 3}
		step := func() {
			if err := c.Update(in); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Frame(); err != nil {
				t.Fatal(err)
			}
		}
		step()
		if n := testing.AllocsPerRun(100, step); n != 0 {
			t.Fatalf("%v allocations per frame, want 0", n)
		}
	})
}

func TestChanged(t *testing.T) {
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		c := load(t, e, "turns_invalid") // a static frame until update 5
		if !c.Changed() {
			t.Fatal("Changed() false after start: the first frame is always new")
		}
		if err := c.Update(Input{}); err != nil {
			t.Fatal(err)
		}
		if c.Changed() {
			t.Fatal("Changed() true after an update that left the frame alone")
		}
		g := load(t, e, "grow") // a new colour and address every update
		for i := range 3 {
			if err := g.Update(Input{}); err != nil {
				t.Fatal(err)
			}
			if !g.Changed() {
				t.Fatalf("update %d changed the frame, Changed() says no", i+1)
			}
		}
		ec := load(t, e, "input_echo") // the frame is the input block
		ec.Update(Input{Buttons: ButtonA})
		ec.Update(Input{Buttons: ButtonA})
		if !ec.Changed() {
			t.Fatal("the frame counter in the input block changed the frame, Changed() says no")
		}
	})
}

// TestDeadlineSetting: a deadline's error names the setting whose limit
// the call ran past: framebuffer() before the first update is the boot's
// (start-limit), after it an update's (cpu-limit).
func TestDeadlineSetting(t *testing.T) {
	for _, tc := range []struct {
		fn    string
		frame uint32
		want  string
	}{
		{"compile", 0, "compile-limit"},
		{"instantiate", 0, "start-limit"},
		{StartSectionCall, 0, "start-limit"},
		{"_initialize", 0, "start-limit"},
		{"start", 0, "start-limit"},
		{"framebuffer", 0, "start-limit"},
		{"framebuffer", 1, "cpu-limit"},
		{"input", 0, "cpu-limit"},
		{"update", 0, "cpu-limit"},
		{"load state", 7, "start-limit"},
	} {
		e := &DeadlineError{Func: tc.fn, Frame: tc.frame, Limit: time.Second}
		if got := e.Setting(); got != tc.want {
			t.Errorf("%s at frame %d: %s, want %s", tc.fn, tc.frame, got, tc.want)
		}
		if want := "(" + tc.want + ")"; !strings.HasSuffix(e.Error(), want) {
			t.Errorf("%q does not end with %s", e.Error(), want)
		}
	}
}

// leb is v in unsigned LEB128.
func leb(v uint64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		if v >>= 7; v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}
