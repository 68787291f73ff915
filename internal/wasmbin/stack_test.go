package wasmbin

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// stackCarts are modules with every shape BoundStack rewrites: returns in
// nested blocks, several results, br_table to the function's label, SIMD
// and bulk memory, imports and globals of their own.
var stackCarts = []string{"good", "lifecycle", "grow", "input_echo", "wasi_clock", "hostile/deep_recursion", "hostile/table_grow", "hostile/grow_to_cap", "hostile/log_escape", "simd_bulk"}

// run instantiates bin with wazero (host imports stubbed) and calls
// export, returning its results or the trap.
func runExport(t *testing.T, bin []byte, export string, args ...uint64) ([]uint64, error) {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	defer r.Close(ctx)
	cm, err := r.CompileModule(ctx, bin)
	if err != nil {
		return nil, err
	}
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithStartFunctions())
	if err != nil {
		return nil, err
	}
	return mod.ExportedFunction(export).Call(ctx, args...)
}

// TestBoundStack runs hand-written functions before and after the rewrite:
// results are the same, the budget comes back whole after every way out
// (end, return, br to the function, br_table), and a recursion past the
// budget traps with the global below zero.
func TestBoundStack(t *testing.T) {
	// (func $f (export "f") (param i32) (result i32 i64) ...) exits each way
	// by its parameter; (func $dive (export "dive") (param i32) (result i32))
	// recurses n deep.
	sec := func(id byte, content string) string { return string([]byte{id, byte(len(content))}) + content }
	f := "\x00" + // no locals
		"\x02\x40" + // block
		"\x20\x00\x45\x0d\x00" + // local.get 0; i32.eqz; br_if 0 (param 0: out of the block)
		"\x20\x00\x41\x01\x46\x04\x40\x41\x0b\x42\x0c\x0f\x0b" + // param 1: return (11, 12) from inside an if
		"\x20\x00\x41\x02\x46\x04\x40\x41\x15\x42\x16\x0c\x02\x0b" + // param 2: br 2 (the function) with (21, 22)
		"\x41\x1f\x42\x20\x20\x00\x0e\x01\x01\x01" + // else: (31, 32) br_table to the function
		"\x0b" + // end block
		"\x41\x01\x42\x02" + // (1, 2)
		"\x0b"
	dive := "\x00" +
		"\x20\x00\x45\x04\x7f\x41\x00\x05\x20\x00\x41\x01\x6b\x10\x01\x41\x01\x6a\x0b" + // if n == 0 { 0 } else { dive(n-1) + 1 }
		"\x0b"
	m := "\x00asm\x01\x00\x00\x00" +
		sec(1, "\x02\x60\x01\x7f\x02\x7f\x7e\x60\x01\x7f\x01\x7f") + // (i32)->(i32,i64), (i32)->(i32)
		sec(3, "\x02\x00\x01") +
		sec(7, "\x02\x01f\x00\x00\x04dive\x00\x01") +
		sec(10, "\x02"+string([]byte{byte(len(f))})+f+string([]byte{byte(len(dive))})+dive)
	bin := []byte(m)
	bounded, ok, err := BoundStack(bin, 4096)
	if err != nil || !ok {
		t.Fatalf("BoundStack: ok %v, err %v", ok, err)
	}
	budget := func(t *testing.T, b []byte, fn string, args ...uint64) ([]uint64, int32, error) {
		ctx := context.Background()
		r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
		defer r.Close(ctx)
		mod, err := r.Instantiate(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		res, err := mod.ExportedFunction(fn).Call(ctx, args...)
		g := mod.ExportedGlobal(StackExport)
		if g == nil {
			t.Fatalf("no %s export", StackExport)
		}
		return res, int32(api.DecodeI32(g.Get())), err
	}
	for p, want := range [][2]uint64{{1, 2}, {11, 12}, {21, 22}, {31, 32}} {
		got, left, err := budget(t, bounded, "f", uint64(p))
		if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("f(%d) = %v, %v; want %v", p, got, err, want)
		}
		if left != 4096 {
			t.Errorf("f(%d) left a budget of %d, want all 4096 back", p, left)
		}
	}
	// dive's frame: one parameter, 40 bytes: 4096/40 = 102 calls fit.
	if got, left, err := budget(t, bounded, "dive", 100); err != nil || got[0] != 100 || left != 4096 {
		t.Errorf("dive(100) = %v, %v, budget %d; want 100 with the budget back", got, err, left)
	}
	_, left, err := budget(t, bounded, "dive", 200)
	if err == nil || !strings.Contains(err.Error(), "unreachable") || left >= 0 {
		t.Errorf("dive(200): %v, budget %d; want the bound's trap with the budget below zero", err, left)
	}
	if got, err := runExport(t, bin, "dive", 200); err != nil || got[0] != 200 {
		t.Errorf("unbounded dive(200) = %v, %v", got, err)
	}
}

// TestBoundStackCarts: every test cart still compiles once bounded.
func TestBoundStackCarts(t *testing.T) {
	for _, name := range stackCarts {
		bin := readCart(t, name)
		out, ok, err := BoundStack(bin, 1<<20)
		if err != nil || !ok {
			t.Fatalf("%s: ok %v, err %v", name, ok, err)
		}
		ctx := context.Background()
		r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
		if _, err := r.CompileModule(ctx, out); err != nil {
			t.Errorf("%s: the bounded module does not compile: %v", name, err)
		}
		r.Close(ctx)
	}
}

// FuzzBoundStack: whatever the input, BoundStack does not panic, a
// module wazero compiles still compiles once bounded, and one it refuses
// is still refused.
func FuzzBoundStack(f *testing.F) {
	for _, name := range stackCarts {
		f.Add(readCart(f, name))
	}
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCoreFeatures(api.CoreFeaturesV2))
	f.Cleanup(func() { r.Close(ctx) })
	f.Fuzz(func(t *testing.T, bin []byte) {
		out, ok, err := BoundStack(bin, 1<<20)
		if err == nil && !ok {
			// An instruction BoundStack does not know: the core refuses the
			// cart, which must then be past WebAssembly 2.0, not a valid
			// 2.0 module (SIMD, bulk memory) refused.
			if cm, err := r.CompileModule(ctx, bin); err == nil {
				cm.Close(ctx)
				t.Fatal("a valid WebAssembly 2.0 module holds an instruction BoundStack does not know")
			}
			return
		}
		if err != nil {
			return
		}
		cm, err := r.CompileModule(ctx, bin)
		if err != nil {
			// Not a valid module: it must not become one.
			if cm, err := r.CompileModule(ctx, out); err == nil {
				cm.Close(ctx)
				t.Fatal("an invalid module compiles once bounded")
			}
			return
		}
		cm.Close(ctx)
		cm, err = r.CompileModule(ctx, out)
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("a valid module no longer compiles once bounded: %v", err)
		}
		cm.Close(ctx)
	})
}

// TestRewritesKeepInvalid: a module that is not valid stays so through
// the rewrites, which add a global and types after the module's own and
// cap limits: each case wazero refuses, and BoundStack or CapTables
// refuse too, rather than making it valid (a cart that set the stack
// budget's global could lift the bound).
func TestRewritesKeepInvalid(t *testing.T) {
	sec := func(id byte, content string) string { return string([]byte{id, byte(len(content))}) + content }
	code := func(body string) string { return sec(10, "\x01"+string([]byte{byte(len(body))})+body) }
	head := "\x00asm\x01\x00\x00\x00" + sec(1, "\x01\x60\x00\x00") + sec(3, "\x01\x00") // one () -> () function
	for _, tc := range []struct {
		name string
		bin  string
	}{
		{"global.set of the global the bound adds", head + code("\x00\x41\x00\x24\x00\x0b")},
		{"global.get of the global the bound adds", head + code("\x00\x23\x00\x1a\x0b")},
		{"a block of a type past the module's", head + code("\x00\x02\x01\x0b\x0b")},
		{"an export of the global the bound adds", head + sec(7, "\x01\x01g\x03\x00") + code("\x00\x0b")},
		{"call_indirect of a type past the module's",
			"\x00asm\x01\x00\x00\x00" + sec(1, "\x01\x60\x00\x00") + sec(3, "\x01\x00") + sec(4, "\x01\x70\x00\x01") +
				code("\x00\x41\x00\x11\x01\x00\x0b")},
		{"a table whose maximum is below its minimum",
			"\x00asm\x01\x00\x00\x00" + sec(4, "\x01\x70\x01\x05\x02")},
		{"a memory whose maximum is below its minimum",
			"\x00asm\x01\x00\x00\x00" + sec(5, "\x01\x01\x05\x02")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := []byte(tc.bin)
			ctx := context.Background()
			r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
			defer r.Close(ctx)
			if _, err := r.CompileModule(ctx, bin); err == nil {
				t.Fatal("wazero compiles the module: the case is wrong")
			}
			if out, ok, err := BoundStack(bin, 1<<20); err == nil && ok {
				if _, err := r.CompileModule(ctx, out); err == nil {
					t.Fatal("BoundStack made it valid")
				}
			}
			if out, err := CapTables(bin, []uint64{10}); err == nil {
				if _, err := r.CompileModule(ctx, out); err == nil {
					t.Fatal("CapTables made it valid")
				}
			}
			if out, err := CapMemory(bin, 10); err == nil {
				if _, err := r.CompileModule(ctx, out); err == nil {
					t.Fatal("CapMemory made it valid")
				}
			}
		})
	}
}
