package wasmbin

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// TestCheckConstExprs: constant expressions WebAssembly 2.0 allows pass,
// and those only browsers' engines run (arithmetic, global.get of a
// global the module defines), which wazero refuses, are named.
func TestCheckConstExprs(t *testing.T) {
	sec := func(id byte, content string) string { return string([]byte{id, byte(len(content))}) + content }
	const head = "\x00asm\x01\x00\x00\x00"
	// A memory of a page, a table of four functions and one function.
	const mem = "\x01\x04\x01\x60\x00\x00" + "\x03\x02\x01\x00" + "\x04\x04\x01\x70\x00\x04" + "\x05\x03\x01\x00\x01"
	const code = "\x0a\x04\x01\x02\x00\x0b"
	importGlobal := sec(2, "\x01\x03env\x01g\x03\x7f\x00")
	for _, tc := range []struct {
		name string
		bin  string
		want string // the error, "" for none
	}{
		{"constants of every type", head + sec(6, "\x04\x7f\x00\x41\x7f\x0b\x7e\x00\x42\x01\x0b\x7d\x00\x43\x00\x00\x80\x3f\x0b\x7c\x01\x44\x00\x00\x00\x00\x00\x00\xf0\x3f\x0b"), ""},
		{"v128.const, ref.null, ref.func", head + "\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00" + sec(6, "\x03\x7b\x00\xfd\x0c"+string(make([]byte, 16))+"\x0b\x70\x00\xd0\x70\x0b\x70\x00\xd2\x00\x0b") + code, ""},
		{"global.get of an imported global", head + importGlobal + sec(6, "\x01\x7f\x00\x23\x00\x0b"), ""},
		{"a data offset of an imported global", head + importGlobal + "\x05\x03\x01\x00\x01" + sec(11, "\x01\x00\x23\x00\x0b\x01x"), ""},
		{"global.get of a global the module defines", head + sec(6, "\x02\x7f\x00\x41\x00\x0b\x7f\x00\x23\x00\x0b"),
			"the constant expression of global 1 uses global.get 0, of a global the module defines rather than imports: past WebAssembly 2.0"},
		{"i32.add", head + sec(6, "\x01\x7f\x00\x41\x01\x41\x02\x6a\x0b"),
			"the constant expression of global 0 uses i32.add (the extended constant expressions proposal): past WebAssembly 2.0"},
		{"i64.mul", head + importGlobal + sec(6, "\x01\x7e\x00\x42\x01\x42\x02\x7e\x0b"),
			"the constant expression of global 1 uses i64.mul (the extended constant expressions proposal): past WebAssembly 2.0"},
		{"a data offset of i32.sub", head + "\x05\x03\x01\x00\x01" + sec(11, "\x02\x00\x41\x00\x0b\x01x\x00\x41\x02\x41\x01\x6b\x0b\x01y"),
			"the constant expression of data segment 1 uses i32.sub (the extended constant expressions proposal): past WebAssembly 2.0"},
		{"an element offset of a global the module defines", head + mem + sec(6, "\x01\x7f\x00\x41\x00\x0b") + sec(9, "\x01\x00\x23\x00\x0b\x01\x00") + code,
			"the constant expression of element segment 0 uses global.get 0, of a global the module defines rather than imports: past WebAssembly 2.0"},
		{"elements of ref.func and ref.null", head + mem + sec(9, "\x01\x04\x41\x00\x0b\x02\xd2\x00\x0b\xd0\x70\x0b") + code, ""},
		{"an element of i32.add", head + mem + sec(9, "\x01\x04\x41\x00\x0b\x02\xd2\x00\x0b\x41\x00\x41\x00\x6a\x0b") + code,
			"the constant expression of element segment 0 uses i32.add (the extended constant expressions proposal): past WebAssembly 2.0"},
		{"an element offset of i32.add", head + mem + sec(9, "\x01\x00\x41\x00\x41\x00\x6a\x0b\x01\x00") + code,
			"the constant expression of element segment 0 uses i32.add (the extended constant expressions proposal): past WebAssembly 2.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := []byte(tc.bin)
			m, err := Parse(bin)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckConstExprs(bin, m)
			if got := errString(err); got != tc.want {
				t.Fatalf("CheckConstExprs: %q, want %q", got, tc.want)
			}
			if tc.want == "" {
				return
			}
			ctx := context.Background()
			r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
			defer r.Close(ctx)
			if _, err := r.CompileModule(ctx, bin); err == nil {
				t.Fatal("wazero compiles the module: no need to refuse it")
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
