package wasmbin

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// module is a header and the sections given as id, contents pairs.
func module(secs ...any) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for i := 0; i < len(secs); i += 2 {
		content := secs[i+1].([]byte)
		b = append(leb(append(b, secs[i].(byte)), uint64(len(content))), content...)
	}
	return b
}

// TestSectionShape: a module whose sections are malformed in a way that
// every engine refuses, each with its own words, is refused by Parse with
// one message that names what is wrong, so that it fails the same way on
// every engine.
func TestSectionShape(t *testing.T) {
	voidType := []byte{1, 0x60, 0, 0}
	body := []byte{1, 2, 0, 0x0b} // one body: no locals, end
	const damaged = ": the file is damaged or its toolchain wrote it wrong: rebuild the cart"
	for _, tc := range []struct {
		name string
		bin  []byte
		want string // Parse's error, "" for none
	}{
		{"well formed", module(byte(1), voidType, byte(3), []byte{1, 0}, byte(12), []byte{0}, byte(10), body, byte(11), []byte{0}), ""},
		{"custom sections anywhere", module(byte(0), []byte("\x01a"), byte(1), voidType, byte(0), []byte("\x01b"), byte(3), []byte{1, 0}, byte(10), body, byte(0), []byte("\x01c!")), ""},
		{"unknown id 14", module(byte(1), voidType, byte(14), []byte{}),
			"section 14 at offset 16: unknown section id 14: WebAssembly 2.0's are 0 to 12: the file is damaged, or its toolchain wrote a proposal past 2.0: rebuild the cart for WebAssembly 2.0"},
		{"unknown id 255", module(byte(255), []byte{1, 2, 3}),
			"section 255 at offset 10: unknown section id 255: WebAssembly 2.0's are 0 to 12: the file is damaged, or its toolchain wrote a proposal past 2.0: rebuild the cart for WebAssembly 2.0"},
		{"function before type", module(byte(3), []byte{0}, byte(1), voidType),
			"section 1 (type) at offset 13: after section 3 (function): sections come in the order type, import, function, table, memory, global, export, start, element, data count, code, data" + damaged},
		{"data count after code", module(byte(1), voidType, byte(3), []byte{1, 0}, byte(10), body, byte(12), []byte{0}),
			"section 12 (data count) at offset 26: after section 10 (code): sections come in the order type, import, function, table, memory, global, export, start, element, data count, code, data" + damaged},
		{"type twice, apart", module(byte(1), voidType, byte(3), []byte{0}, byte(1), voidType),
			"section 1 (type) at offset 19: after section 3 (function): sections come in the order type, import, function, table, memory, global, export, start, element, data count, code, data" + damaged},
		{"type twice in a row", module(byte(1), voidType, byte(1), voidType),
			"section 1 (type) at offset 16: appears twice" + damaged},
		{"type with a byte after", module(byte(1), append(voidType, 0)),
			"section 1 (type) at offset 10: 1 byte after its contents: its size is wrong" + damaged},
		{"memory with bytes after", module(byte(5), []byte{1, 0, 1, 9, 9}),
			"section 5 (memory) at offset 10: 2 bytes after its contents: its size is wrong" + damaged},
		{"export with a byte after", module(byte(7), []byte{0, 0}),
			"section 7 (export) at offset 10: 1 byte after its contents: its size is wrong" + damaged},
		{"data count with a byte after", module(byte(12), []byte{0, 0}),
			"section 12 (data count) at offset 10: 1 byte after its contents: its size is wrong" + damaged},
		{"code with a byte after", module(byte(1), voidType, byte(3), []byte{1, 0}, byte(10), append(body, 0)),
			"section 10 (code) at offset 20: 1 byte after its contents: its size is wrong" + damaged},
		{"element with a byte after", module(byte(9), []byte{0, 0}),
			"section 9 (element) at offset 10: 1 byte after its contents: its size is wrong" + damaged},
		{"data with bytes after its segment", module(byte(5), []byte{1, 0, 1}, byte(11), []byte{1, 0, 0x41, 0, 0x0b, 1, 7, 8, 9}),
			"section 11 (data) at offset 15: 2 bytes after its contents: its size is wrong" + damaged},
		{"passive data with a byte after", module(byte(5), []byte{1, 0, 1}, byte(11), []byte{1, 1, 0, 0}),
			"section 11 (data) at offset 15: 1 byte after its contents: its size is wrong" + damaged},
		{"export of a missing function", module(byte(1), voidType, byte(3), []byte{1, 0}, byte(7), []byte{1, 1, 'f', 0, 1}, byte(10), body),
			`export 0, "f", names function 1, but the module has 1` + damaged},
		{"export of a missing memory", module(byte(7), []byte{1, 1, 'm', 2, 0}),
			`export 0, "m", names memory 0, but the module has 0` + damaged},
		{"export of a missing global", module(byte(6), []byte{1, 0x7f, 0, 0x41, 0, 0x0b}, byte(7), []byte{1, 1, 'g', 3, 1}),
			`export 0, "g", names global 1, but the module has 1` + damaged},
		{"export of a missing table", module(byte(7), []byte{1, 1, 't', 1, 0}),
			`export 0, "t", names table 0, but the module has 0` + damaged},
		{"export of an unknown kind", module(byte(7), []byte{1, 1, 'x', 9, 0}),
			`export 0, "x", is of unknown kind 9` + damaged},
		{"function of a missing type", module(byte(1), voidType, byte(3), []byte{1, 1}, byte(10), body),
			"section 3 (function) at offset 16: function 0 has type 1, but the module has 1 type" + damaged},
		{"element segment of flags 8", module(byte(9), []byte{1, 8, 0}),
			"section 9 (element) at offset 10: element segment 0 has flags 8: WebAssembly 2.0's are 0 to 7" + damaged},
		{"data segment of flags 3", module(byte(5), []byte{1, 0, 1}, byte(11), []byte{1, 3, 0}),
			"section 11 (data) at offset 15: data segment 0 has flags 3: WebAssembly 2.0's are 0 to 2" + damaged},
		{"more functions than bodies", module(byte(1), voidType, byte(3), []byte{2, 0, 0}, byte(10), body),
			"the function section declares 2 functions and the code section has 1 body: they must match" + damaged},
		{"functions and no code", module(byte(1), voidType, byte(3), []byte{1, 0}),
			"the function section declares 1 function and the code section has 0 bodies: they must match" + damaged},
		{"data count and no data", module(byte(12), []byte{1}),
			"the data count section says 1 data segment and the data section has 0: they must match" + damaged},
		{"custom section of no bytes", module(byte(1), voidType, byte(0), []byte{}),
			"section 0 (custom) at offset 16: empty: a custom section starts with its name" + damaged},
		{"custom name past the section", module(byte(0), []byte{5, 'a'}),
			"section 0 (custom) at offset 10: a name of 5 bytes with 1 byte left in the section" + damaged},
		{"custom name not UTF-8", module(byte(0), []byte{1, 0xff}),
			`section 0 (custom) at offset 10: name "\xff" is not valid UTF-8` + damaged},
		{"table of element type i32", module(byte(4), []byte{1, 0x7f, 0, 1}),
			"section 4 at offset 10: a table of element type 0x7f: WebAssembly 2.0's are funcref (0x70) and externref (0x6f)" + damaged},
		{"limits of flags 8", module(byte(5), []byte{1, 8, 1}),
			"section 5 at offset 10: limits of flags 0x08: WebAssembly 2.0's are 0 and 1 (a maximum)" + damaged},
		{"an import of kind 5", module(byte(2), []byte{1, 1, 'm', 1, 'f', 5, 0}),
			`section 2 at offset 10: import "m"."f" has unknown kind 5` + damaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
			defer r.Close(ctx)
			if _, err := r.CompileModule(ctx, tc.bin); (err == nil) != (tc.want == "") {
				t.Fatalf("wazero compiles it: %v: the case is wrong", err)
			}
			_, err := Parse(tc.bin)
			if got := errString(err); got != tc.want {
				t.Fatalf("Parse: %s\nwant        %s", got, tc.want)
			}
		})
	}
}
