package wasmbin

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
)

// startModule builds a module with a function that traps (unreachable),
// named by a start section, with an export section of the function as
// "f" when exports, and a custom section between the two when custom.
func startModule(exports, custom bool) []byte {
	sec := func(id byte, body []byte) []byte { return append(leb([]byte{id}, uint64(len(body))), body...) }
	b := []byte("\x00asm\x01\x00\x00\x00")
	b = append(b, sec(1, []byte{1, 0x60, 0, 0})...)
	b = append(b, sec(3, []byte{1, 0})...)
	if exports {
		b = append(b, sec(7, []byte{1, 1, 'f', 0, 0})...)
	}
	if custom {
		b = append(b, sec(0, []byte{4, 'n', 'o', 't', 'e', 1, 2, 3})...)
	}
	b = append(b, sec(8, []byte{0})...)
	return append(b, sec(10, []byte{1, 3, 0, 0x00, 0x0b})...)
}

// TestExportStart: the start section becomes an export of its function,
// with or without an export section before, a custom section kept; the
// module stays valid, instantiating it no longer runs the function, and
// calling the export does. A module without a start section is left as
// it is.
func TestExportStart(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	for _, tc := range []struct {
		name            string
		exports, custom bool
	}{
		{"no export section", false, false},
		{"an export section", true, false},
		{"a custom section between", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := startModule(tc.exports, tc.custom)
			if _, err := r.Instantiate(ctx, bin); err == nil {
				t.Fatal("the test's module instantiated: its start function should trap")
			}
			out, err := ExportStart(bin)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			if m.StartSection {
				t.Error("the start section is still there")
			}
			if e, ok := m.Export(StartExport); !ok || e.Kind != KindFunc || e.Index != 0 {
				t.Errorf("export %q: %+v %v, want function 0", StartExport, e, ok)
			}
			if _, ok := m.Export("f"); ok != tc.exports {
				t.Errorf("the module's own export: %v, want %v", ok, tc.exports)
			}
			inst, err := r.Instantiate(ctx, out)
			if err != nil {
				t.Fatalf("instantiating the rewritten module ran its start function: %v", err)
			}
			defer inst.Close(ctx)
			if _, err := inst.ExportedFunction(StartExport).Call(ctx); err == nil {
				t.Error("calling the start export did not run the function (it traps)")
			}
		})
	}
	plain := startModule(true, false)
	plain = plain[:len(plain)-len([]byte{10, 5, 1, 3, 0, 0x00, 0x0b})-3] // without its start and code sections
	plain = append(plain, 10, 5, 1, 3, 0, 0x01, 0x0b)                    // a body of nop
	if out, err := ExportStart(plain); err != nil || string(out) != string(plain) {
		t.Errorf("a module without a start section: %v, changed %v", err, string(out) != string(plain))
	}
}
