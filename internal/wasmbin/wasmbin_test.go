package wasmbin

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readCart(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "guest", "testdata", name+".wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseLifecycle(t *testing.T) {
	m, err := Parse(readCart(t, "lifecycle"))
	if err != nil {
		t.Fatal(err)
	}
	var imports []string
	for _, im := range m.Imports {
		imports = append(imports, im.Module+"."+im.Name+" "+im.Func.String())
	}
	want := "ebicart.log (i32, i32) -> ()|wasi_snapshot_preview1.fd_write (i32, i32, i32, i32) -> (i32)"
	if got := strings.Join(imports, "|"); got != want {
		t.Fatalf("imports %q, want %q", got, want)
	}
	fb, ok := m.Export("framebuffer")
	if !ok || fb.Kind != KindFunc || fb.Func.String() != "() -> (i32)" {
		t.Fatalf("framebuffer export %+v", fb)
	}
	mem, ok := m.Memory()
	if !ok || mem.Min != 1 || mem.HasMax {
		t.Fatalf("memory %+v", mem)
	}
}

func TestParseErrors(t *testing.T) {
	good := readCart(t, "good")
	tests := []struct {
		name string
		bin  []byte
		want string
	}{
		{"empty", nil, `not a WebAssembly module`},
		{"text", []byte("(module)"), `not a WebAssembly module`},
		{"version 2", []byte("\x00asm\x02\x00\x00\x00"), "unsupported WebAssembly binary version 2"},
		{"truncated section", good[:len(good)-3], "truncated module"},
		{"huge vector", []byte("\x00asm\x01\x00\x00\x00\x01\x05\xff\xff\xff\xff\x0f"), "vector of 4294967295 entries"},
		{"long leb", []byte("\x00asm\x01\x00\x00\x00\x01\x0b\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), "too long for 32 bits"},
		// A small number in six bytes: wazero and V8 refuse it, as the spec does.
		{"overlong leb", []byte("\x00asm\x01\x00\x00\x00\x01\x06\x80\x80\x80\x80\x80\x00"), "too long for 32 bits"},
		{"past 32 bits", []byte("\x00asm\x01\x00\x00\x00\x01\x05\xff\xff\xff\xff\x1f"), "does not fit in 32 bits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.bin)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// FuzzParse: any bytes give a module or an error, never a panic; so does
// CheckElements on what Parse read.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"good", "lifecycle", "grow", "input_echo", "unknown_import", "hostile/elem_past_table"} {
		f.Add(readCart(f, name))
	}
	f.Add(elemModule(false, cat([]byte{6, 0}, at(0), []byte{0x70}, refs(5)), cat([]byte{2, 0}, at(2), []byte{0}, funcs(3))))
	f.Fuzz(func(t *testing.T, bin []byte) {
		m, err := Parse(bin)
		if err == nil && m == nil {
			t.Fatal("nil module without error")
		}
		if err == nil {
			CheckElements(bin, m)
		}
	})
}

func TestCapMemory(t *testing.T) {
	// (module (memory 2)) and (module (memory 1 100)) and (module (memory 3 4))
	mod := func(limits ...byte) []byte {
		b := []byte("\x00asm\x01\x00\x00\x00\x05")
		b = append(b, byte(1+len(limits)), 1)
		return append(b, limits...)
	}
	for _, tc := range []struct {
		name     string
		in       []byte
		min, max uint64
	}{
		{"no max", mod(0, 2), 2, 16},
		{"max above", mod(1, 1, 100), 1, 16},
		{"max below", mod(1, 3, 4), 3, 4},
		{"min above the cap", mod(0, 20), 20, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := CapMemory(tc.in, 16)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(out)
			if err != nil {
				t.Fatalf("the capped module does not parse: %v", err)
			}
			if l := m.Memories[0]; !l.HasMax || l.Min != tc.min || l.Max != tc.max {
				t.Fatalf("limits %+v, want min %d max %d", l, tc.min, tc.max)
			}
		})
	}
}

func TestExportGlobals(t *testing.T) {
	for _, name := range []string{"good", "lifecycle", "hostile/update_loop", "w4_io"} {
		t.Run(name, func(t *testing.T) {
			bin := readCart(t, name)
			out, globals, err := ExportGlobals(bin)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(out)
			if err != nil {
				t.Fatalf("the rewritten module does not parse: %v", err)
			}
			orig, _ := Parse(bin)
			if len(m.Exports) != len(orig.Exports)+len(globals) {
				t.Fatalf("%d exports, want %d + %d", len(m.Exports), len(orig.Exports), len(globals))
			}
			for _, g := range globals {
				e, ok := m.Export(g.Export)
				if !ok || e.Kind != KindGlobal || e.Index != g.Index {
					t.Errorf("global %d not exported as %q: %+v", g.Index, g.Export, e)
				}
			}
		})
	}
}

// TestCleanCustom: every custom section with nothing after its name goes,
// wherever it is, and so does a "name" section whose contents do not read
// as wazero reads them, or that comes after one that does; every other
// section stays, in order; a module with none comes back as it was, not
// copied.
func TestCleanCustom(t *testing.T) {
	good := readCart(t, "good")
	custom := func(name string, content ...byte) []byte {
		body := append(append([]byte{byte(len(name))}, name...), content...)
		return append([]byte{0, byte(len(body))}, body...)
	}
	named := custom("producers", 0)
	names := custom("name", 1, 5, 1, 0, 2, 'f', 'n') // function 0 is "fn"
	bare := withoutCustom(t, good)
	for _, tc := range []struct {
		name     string
		in, want []byte
	}{
		{"none", good, good},
		{"at the end", slices.Concat(good, custom("")), good},
		{"empty name, with content", slices.Concat(good[:8], custom("", 9, 9), good[8:]), slices.Concat(good[:8], custom("", 9, 9), good[8:])},
		{"around a named one", slices.Concat(good, custom(""), named, custom("")), slices.Concat(good, named)},
		{"a named one, empty, at the end", slices.Concat(good, named, custom("producers")), slices.Concat(good, named)},
		{"names that read", slices.Concat(bare, names), slices.Concat(bare, names)},
		{"a second name section", slices.Concat(bare, names, named, names), slices.Concat(bare, names, named)},
		{"names past their subsection", slices.Concat(bare, custom("name", 1, 2, 1, 0, 2, 'f', 'n')), bare},
		{"names short of their subsection", slices.Concat(bare, custom("name", 1, 6, 1, 0, 2, 'f', 'n', 0)), bare},
		{"a module name past its subsection", slices.Concat(bare, custom("name", 0, 1, 3, 'c', 'a', 'r')), bare},
		{"a subsection past the section", slices.Concat(bare, custom("name", 1, 40, 0)), bare},
		{"a billion names in five bytes", slices.Concat(bare, named, custom("name", 1, 5, 0x80, 0x80, 0x80, 0x80, 0x04)), slices.Concat(bare, named)},
		{"a local name past the section", slices.Concat(bare, custom("name", 2, 3, 1, 0, 9)), bare},
		{"a name that is not UTF-8", slices.Concat(bare, custom("name", 1, 4, 1, 0, 1, 0xff)), bare},
		{"a bad one, then one that reads", slices.Concat(bare, custom("name", 1, 40, 0), names), slices.Concat(bare, names)},
		{"an overlong number in the names", slices.Concat(bare, custom("name", 1, 0x85, 0x80, 0x80, 0x80, 0x80, 0x00, 1, 0, 2, 'f', 'n')), bare},
		{"an empty name section", slices.Concat(bare, custom("name")), slices.Concat(bare, custom("name"))},
		{"an unknown subsection, skipped", slices.Concat(bare, custom("name", 9, 2, 0xff, 0xff)), slices.Concat(bare, custom("name", 9, 2, 0xff, 0xff))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse(tc.in); err != nil {
				t.Fatalf("Parse refused a valid module: %v", err)
			}
			got := CleanCustom(tc.in)
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("got %d bytes, want %d", len(got), len(tc.want))
			}
			if tc.name == "none" && &got[0] != &tc.in[0] {
				t.Error("a module with nothing to drop was copied")
			}
		})
	}
}

// withoutCustom returns bin without its custom sections.
func withoutCustom(t *testing.T, bin []byte) []byte {
	t.Helper()
	out := slices.Clone(bin[:8])
	r := &reader{b: bin, off: 8}
	for !r.done() {
		at := r.off
		id, err := r.byte()
		if err != nil {
			t.Fatal(err)
		}
		size, err := r.u32()
		if err != nil {
			t.Fatal(err)
		}
		r.off += int(size)
		if id != 0 {
			out = append(out, bin[at:r.off]...)
		}
	}
	return out
}
