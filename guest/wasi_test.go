//go:build !js

package guest_test

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// TestWASITableMatchesWazero keeps the shared table of WASI signatures, which
// the ABI check and the browser host use, equal to the module wazero gives
// native carts.
func TestWASITableMatchesWazero(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	cm, err := wasi_snapshot_preview1.NewBuilder(r).Compile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fns := cm.ExportedFunctions()
	for name, def := range fns {
		s, ok := guest.WASISignatures[name]
		if !ok {
			t.Errorf("wazero has %s, the table does not", name)
			continue
		}
		want := wasmbin.FuncType{}
		for _, p := range def.ParamTypes() {
			want.Params = append(want.Params, wasmbin.ValType(p))
		}
		for _, r := range def.ResultTypes() {
			want.Results = append(want.Results, wasmbin.ValType(r))
		}
		if got := guest.Sig(s); !got.Equal(want) {
			t.Errorf("%s: table says %s, wazero %s", name, got, want)
		}
	}
	for name := range guest.WASISignatures {
		if _, ok := fns[name]; !ok {
			t.Errorf("the table has %s, wazero does not", name)
		}
	}
}
