package wasmbin

import (
	"context"
	"errors"
	"testing"

	"github.com/tetratelabs/wazero"
)

// elemModule builds a module with an imported immutable i32 global
// (env.g), a function of type () -> (), a table of 4 funcrefs (imported
// too, as env.t, when importTable), and an element section of segs (each
// a segment's encoding).
func elemModule(importTable bool, segs ...[]byte) []byte {
	sec := func(id byte, body []byte) []byte { return append(leb([]byte{id}, uint64(len(body))), body...) }
	b := []byte("\x00asm\x01\x00\x00\x00")
	b = append(b, sec(1, []byte{1, 0x60, 0, 0})...)
	imports := []byte{1, 3, 'e', 'n', 'v', 1, 'g', 3, 0x7f, 0}
	if importTable {
		imports = append([]byte{2}, imports[1:]...)
		imports = append(imports, 3, 'e', 'n', 'v', 1, 't', 1, 0x70, 0, 4)
	}
	b = append(b, sec(2, imports)...)
	b = append(b, sec(3, []byte{1, 0})...)
	if !importTable {
		b = append(b, sec(4, []byte{1, 0x70, 0, 4})...)
	}
	body := leb(nil, uint64(len(segs)))
	for _, s := range segs {
		body = append(body, s...)
	}
	b = append(b, sec(9, body)...)
	return append(b, sec(10, []byte{1, 2, 0, 0x0b})...)
}

// at is an i32.const offset expression.
func at(offset int32) []byte { return append(sleb([]byte{0x41}, int64(offset)), 0x0b) }

// funcs is a vector of n indices of function 0.
func funcs(n int) []byte { return append(leb(nil, uint64(n)), make([]byte, n)...) }

// refs is a vector of n ref.func 0 expressions.
func refs(n int) []byte {
	b := leb(nil, uint64(n))
	for range n {
		b = append(b, 0xd2, 0, 0x0b)
	}
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// TestCheckElements: an active segment at a constant offset past its
// table's end is refused in each of the element section's encodings; a
// segment that fits, a passive or declarative one, one at a global's
// offset and one into an imported table are left to the engine. Every
// module is valid (wazero compiles it).
func TestCheckElements(t *testing.T) {
	tests := []struct {
		name        string
		importTable bool
		segs        [][]byte
		want        *ElementsError
	}{
		{"0: fits", false, [][]byte{cat([]byte{0}, at(0), funcs(4))}, nil},
		{"0: past the end", false, [][]byte{cat([]byte{0}, at(0), funcs(2)), cat([]byte{0}, at(3), funcs(2))}, &ElementsError{Segment: 1, Offset: 3, Count: 2, TableElems: 4}},
		{"0: a negative offset", false, [][]byte{cat([]byte{0}, at(-1), funcs(1))}, &ElementsError{Offset: 1<<32 - 1, Count: 1, TableElems: 4}},
		{"0: empty, at the end", false, [][]byte{cat([]byte{0}, at(4), funcs(0))}, nil},
		{"0: empty, past the end", false, [][]byte{cat([]byte{0}, at(5), funcs(0))}, &ElementsError{Offset: 5, TableElems: 4}},
		{"1: passive", false, [][]byte{cat([]byte{1, 0}, funcs(9))}, nil},
		{"2: explicit table", false, [][]byte{cat([]byte{2, 0}, at(2), []byte{0}, funcs(3))}, &ElementsError{Offset: 2, Count: 3, TableElems: 4}},
		{"3: declarative", false, [][]byte{cat([]byte{3, 0}, funcs(9))}, nil},
		{"4: expressions", false, [][]byte{cat([]byte{4}, at(1), refs(4))}, &ElementsError{Offset: 1, Count: 4, TableElems: 4}},
		{"5: passive expressions", false, [][]byte{cat([]byte{5, 0x70}, refs(9))}, nil},
		{"6: explicit table, expressions", false, [][]byte{cat([]byte{6, 0}, at(0), []byte{0x70}, refs(5))}, &ElementsError{Count: 5, TableElems: 4}},
		{"7: declarative expressions", false, [][]byte{cat([]byte{7, 0x70}, refs(9))}, nil},
		{"a global's offset", false, [][]byte{cat([]byte{0, 0x23, 0, 0x0b}, funcs(9))}, nil},
		{"an imported table", true, [][]byte{cat([]byte{0}, at(3), funcs(9))}, nil},
	}
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bin := elemModule(tc.importTable, tc.segs...)
			if _, err := r.CompileModule(ctx, bin); err != nil {
				t.Fatalf("the test's module is invalid: %v", err)
			}
			m, err := Parse(bin)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckElements(bin, m)
			var ee *ElementsError
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("CheckElements: %v, want nil", err)
			case tc.want != nil && (!errors.As(err, &ee) || *ee != *tc.want):
				t.Fatalf("CheckElements: %#v, want %#v", err, tc.want)
			}
		})
	}
}
