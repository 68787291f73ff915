package wasmbin

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// limitsModule builds a module of one type, (i32 × params) -> (i32 ×
// results), and, when body is not nil, one function of that type with
// locals i32 locals and body as its instructions (the final end added).
func limitsModule(params, results, locals int, body []byte) []byte {
	sec := func(id byte, content []byte) []byte { return append(leb([]byte{id}, uint64(len(content))), content...) }
	typ := leb([]byte{1, 0x60}, uint64(params))
	typ = append(typ, bytes.Repeat([]byte{byte(I32)}, params)...)
	typ = leb(typ, uint64(results))
	typ = append(typ, bytes.Repeat([]byte{byte(I32)}, results)...)
	b := append([]byte("\x00asm\x01\x00\x00\x00"), sec(1, typ)...)
	if body == nil {
		return b
	}
	fn := []byte{0}
	if locals > 0 {
		fn = leb([]byte{1}, uint64(locals))
		fn = append(fn, byte(I32))
	}
	fn = append(append(fn, body...), 0x0b)
	b = append(b, sec(3, []byte{1, 0})...)
	return append(b, sec(10, append(leb([]byte{1}, uint64(len(fn))), fn...))...)
}

// brTable is a body whose br_table has n targets, all out of a block.
func brTable(n int) []byte {
	b := leb([]byte{0x02, 0x40, 0x41, 0, 0x0e}, uint64(n))
	b = append(b, bytes.Repeat([]byte{0}, n+1)...)
	return append(b, 0x0b)
}

// TestBrowserLimits: a module past a limit of browsers' engines, which
// wazero compiles, is refused by Parse or BoundStack with an error that
// names the limit, so that it fails the same way on every engine; one at
// the limit is not.
func TestBrowserLimits(t *testing.T) {
	results := func(n int) []byte { return bytes.Repeat([]byte{0x41, 0}, n) }
	for _, tc := range []struct {
		name string
		bin  []byte
		want string // the error, "" for none
	}{
		{"br_table at the limit", limitsModule(0, 0, 0, brTable(maxBrTable)), ""},
		{"br_table past the limit", limitsModule(0, 0, 0, brTable(maxBrTable+1)), "function 0: br_table of 65521 targets, more than the 65520 browsers' engines compile: split it in two"},
		{"parameters at the limit", limitsModule(maxParams, 0, 0, []byte{}), ""},
		{"parameters past the limit", limitsModule(maxParams+1, 0, 0, []byte{}), "section 1 at offset 11: type 0 has 1001 parameters, more than the 1000 browsers' engines compile: pass them in memory"},
		{"results at the limit", limitsModule(0, maxResults, 0, results(maxResults)), ""},
		{"results past the limit", limitsModule(0, maxResults+1, 0, results(maxResults+1)), "section 1 at offset 11: type 0 has 1001 results, more than the 1000 browsers' engines compile: return them in memory"},
		{"locals and parameters at the limit", limitsModule(10, 0, maxLocals-10, []byte{}), ""},
		// nops, with the locals' count and the end, and the 26 bytes the
		// stack bound adds to this function.
		{"a body at the limit with the stack bound", limitsModule(0, 0, 0, bytes.Repeat([]byte{1}, maxBodySize-2-26)), ""},
		{"a body at the limit", limitsModule(0, 0, 0, bytes.Repeat([]byte{1}, maxBodySize-2)),
			"function body 0 is 7654321 bytes, 7654347 with the stack bound the host adds as it loads a cart: more than the 7654321 browsers' engines compile: split the function"},
		{"a body past the limit", limitsModule(0, 0, 0, bytes.Repeat([]byte{1}, maxBodySize-1)), "function body 0 is 7654322 bytes, more than the 7654321 browsers' engines compile: split the function"},
		{"locals and parameters past the limit", limitsModule(10, 0, maxLocals-9, []byte{}), "function body 0 has 50001 locals with its parameters, more than the 50000 browsers' engines compile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
			defer r.Close(ctx)
			if _, err := r.CompileModule(ctx, tc.bin); err != nil {
				t.Fatalf("wazero refuses the module: the case is wrong: %v", err)
			}
			out, _, err := BoundStack(tc.bin, 1<<20)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("BoundStack: %v", err)
				}
				// What the host gives the engine is within the limits
				// too: the stack bound's own bytes and global count.
				if _, err := Parse(out); err != nil {
					t.Fatalf("the bounded module: %v", err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
				t.Fatalf("BoundStack: %v, want an error ending %q", err, tc.want)
			}
		})
	}
}

// TestValueTypes: the value types of WebAssembly 2.0 pass wherever a
// module names one, and the newer reference types (anyref 0x6e, eqref
// 0x6d, which wazero refuses and browsers' engines run) are refused.
func TestValueTypes(t *testing.T) {
	sec := func(id byte, content string) string { return string([]byte{id, byte(len(content))}) + content }
	const head = "\x00asm\x01\x00\x00\x00"
	// fn is a module of one function of type params -> () with the local
	// declarations locals and the instructions body.
	fn := func(params, locals, body string) []byte {
		code := locals + body + "\x0b"
		return []byte(head + sec(1, "\x01\x60"+string(rune(len(params)))+params+"\x00") + sec(3, "\x01\x00") +
			sec(10, "\x01"+string(rune(len(code)))+code))
	}
	for _, tc := range []struct {
		name string
		bin  []byte
		ok   bool
	}{
		{"every 2.0 type as a parameter", fn("\x7f\x7e\x7d\x7c\x7b\x70\x6f", "\x00", ""), true},
		{"2.0 locals, block, select and ref.null", fn("", "\x02\x01\x7b\x01\x6f", "\x02\x7c\x44\x00\x00\x00\x00\x00\x00\x00\x00\x0b\x1a\xd0\x6f\xd0\x6f\x41\x00\x1c\x01\x6f\x1a"), true},
		{"a global of externref", []byte(head + sec(6, "\x01\x6f\x00\xd0\x6f\x0b")), true},
		{"an anyref parameter", fn("\x6e", "\x00", ""), false},
		{"an eqref local", fn("", "\x01\x01\x6d", ""), false},
		{"an anyref global", []byte(head + sec(6, "\x01\x6e\x00\xd0\x6e\x0b")), false},
		{"a block of anyref", fn("", "\x00", "\x02\x6e\xd0\x6e\x0b\x1a"), false},
		{"a select of anyref", fn("", "\x00", "\xd0\x6e\xd0\x6e\x41\x00\x1c\x01\x6e\x1a"), false},
		{"ref.null any", fn("", "\x00", "\xd0\x6e\x1a"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
			defer r.Close(ctx)
			if _, err := r.CompileModule(ctx, tc.bin); (err == nil) != tc.ok {
				t.Fatalf("wazero: %v: the case is wrong", err)
			}
			_, ok, err := BoundStack(tc.bin, 1<<20)
			if tc.ok && (err != nil || !ok) {
				t.Fatalf("BoundStack: ok %v, %v", ok, err)
			}
			if !tc.ok && err == nil {
				t.Fatal("BoundStack took the module")
			}
		})
	}
}

// TestBrowserCounts: a module with more of a part (types, functions,
// imports, exports, globals, tables, segments) than browsers' engines
// compile, or an import's or export's name longer, is refused by Parse
// with an error naming the limit; one at the limit is not. wazero
// compiles such modules: without the check they ran natively only.
func TestBrowserCounts(t *testing.T) {
	sec := func(id byte, content []byte) []byte { return append(leb([]byte{id}, uint64(len(content))), content...) }
	// vec is a section's vector of n copies of item.
	vec := func(n int, item []byte) []byte {
		return append(leb(nil, uint64(n)), bytes.Repeat(item, n)...)
	}
	module := func(sections ...[]byte) []byte {
		return bytes.Join(append([][]byte{[]byte("\x00asm\x01\x00\x00\x00")}, sections...), nil)
	}
	voidType := sec(1, []byte{1, 0x60, 0, 0})
	// exports is a module of one function, exported n times under
	// names "0", "1" and so on.
	exports := func(n int) []byte {
		e := leb(nil, uint64(n))
		for i := range n {
			name := strconv.Itoa(i)
			e = append(append(leb(e, uint64(len(name))), name...), byte(KindFunc), 0)
		}
		return module(voidType, sec(3, []byte{1, 0}), sec(7, e), sec(10, []byte{1, 2, 0, 0x0b}))
	}
	named := func(n int) []byte {
		name := leb(nil, uint64(n))
		name = append(name, bytes.Repeat([]byte{'a'}, n)...)
		return module(voidType, sec(3, []byte{1, 0}), sec(7, append(append([]byte{1}, name...), byte(KindFunc), 0)), sec(10, []byte{1, 2, 0, 0x0b}))
	}
	segments := func(id byte, n int) []byte { // only the count, and room for it
		return module(sec(id, append(leb(nil, uint64(n)), make([]byte, n)...)))
	}
	for _, tc := range []struct {
		name   string
		bin    []byte
		want   string // the error's end, "" for none
		wazero bool   // wazero compiles it: checked
	}{
		{"types past the limit", module(sec(1, vec(1000001, []byte{0x60, 0, 0}))), "1000001 types, more than the 1000000 browsers' engines compile", false},
		{"functions past the limit", module(voidType, sec(3, vec(1000001, []byte{0}))), "1000001 functions with the imported ones, more than the 1000000 browsers' engines compile", false},
		{"imports past the limit", module(voidType, sec(2, vec(100001, []byte{1, 'm', 1, 'f', byte(KindFunc), 0}))), "100001 imports, more than the 100000 browsers' engines compile", false},
		{"exports at the limit", exports(100000), "", true},
		{"exports past the limit", exports(100001), "100001 exports, more than the 100000 browsers' engines compile", true},
		{"globals past the limit", module(sec(6, vec(1000001, []byte{byte(I32), 0, 0x41, 0, 0x0b}))), "1000001 globals with the imported ones, more than the 1000000 browsers' engines compile", false},
		{"tables past the limit", module(sec(4, vec(100001, []byte{0x70, 0, 0}))), "100001 tables with the imported ones, more than the 100000 browsers' engines compile", false},
		{"data segments at the limit", segments(11, 100000), "", false},
		{"data segments past the limit", segments(11, 100001), "100001 data segments, more than the 100000 browsers' engines compile", false},
		{"a data count past the limit", module(sec(12, leb(nil, 100001))), "100001 data segments, more than the 100000 browsers' engines compile", false},
		{"element segments past the limit", segments(9, 10000001), "10000001 element segments, more than the 10000000 browsers' engines compile", false},
		{"an export's name at the limit", named(100000), "", true},
		{"an export's name past the limit", named(100001), "an export name of 100001 bytes, more than the 100000 browsers' engines compile", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.wazero {
				ctx := context.Background()
				r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
				defer r.Close(ctx)
				if _, err := r.CompileModule(ctx, tc.bin); err != nil && tc.want == "" {
					t.Fatalf("wazero refuses the module: the case is wrong: %v", err)
				}
			}
			_, err := Parse(tc.bin)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
				t.Fatalf("Parse: %v, want an error ending %q", err, tc.want)
			}
		})
	}
}

// TestBoundStackCounts: the global and the types the stack bound adds
// count against browsers' limits, so a module at a limit is refused by
// BoundStack, and what BoundStack returns for one below Parse reads.
func TestBoundStackCounts(t *testing.T) {
	sec := func(id byte, content []byte) []byte { return append(leb([]byte{id}, uint64(len(content))), content...) }
	vec := func(n int, item []byte) []byte { return append(leb(nil, uint64(n)), bytes.Repeat(item, n)...) }
	module := func(sections ...[]byte) []byte {
		return bytes.Join(append([][]byte{[]byte("\x00asm\x01\x00\x00\x00")}, sections...), nil)
	}
	fn := append(sec(3, []byte{1, 0}), sec(10, []byte{1, 2, 0, 0x0b})...)
	// globals is a module of n globals and one function.
	globals := func(n int) []byte {
		return module(sec(1, []byte{1, 0x60, 0, 0}), fn[:4], sec(6, vec(n, []byte{byte(I32), 0, 0x41, 0, 0x0b})), fn[4:])
	}
	// types is a module of n types, the first () -> (i32, i32), and one
	// function of it, whose block the bound types anew.
	types := func(n int) []byte {
		ts := append(leb(nil, uint64(n)), 0x60, 0, 2, byte(I32), byte(I32))
		ts = append(ts, bytes.Repeat([]byte{0x60, 0, 0}, n-1)...)
		return module(sec(1, ts), sec(3, []byte{1, 0}), sec(10, []byte{1, 6, 0, 0x41, 0, 0x41, 0, 0x0b}))
	}
	for _, tc := range []struct {
		name string
		bin  []byte
		want string // BoundStack's error, "" for none
	}{
		{"globals below the limit", globals(maxGlobals - 1), ""},
		{"globals at the limit", globals(maxGlobals), "1000000 globals with the imported ones, and one more for the stack bound the host adds as it loads a cart: more than the 1000000 browsers' engines compile: use fewer globals"},
		{"types below the limit", types(maxTypes - 1), ""},
		{"types at the limit", types(maxTypes), "1000000 types, and 1 more for the stack bound the host adds as it loads a cart: more than the 1000000 browsers' engines compile: use fewer types"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse(tc.bin); err != nil {
				t.Fatalf("Parse: %v: the case is wrong", err)
			}
			out, ok, err := BoundStack(tc.bin, 1<<20)
			if got := errString(err); got != tc.want {
				t.Fatalf("BoundStack: %s\nwant        %s", got, tc.want)
			}
			if err == nil {
				if !ok {
					t.Fatal("BoundStack did not bound the module")
				}
				if _, err := Parse(out); err != nil {
					t.Fatalf("the bounded module: %v", err)
				}
			}
		})
	}
}
