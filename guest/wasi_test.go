//go:build !js

package guest_test

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/enginetest"
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

// TestVirtualClock checks the clock model docs/abi.md states, with the
// wasi_clock cart: the monotonic clock reads frame/60 s at the start of an
// update, a poll_oneoff sleep returns at once with the clock moved by the
// sleep (5 ms every 10th update, 30 ms more every 25th), an update after
// a sleep that ran past its frame starts at the later time, and the
// realtime clock is the start time plus the monotonic one.
func TestVirtualClock(t *testing.T) {
	const start = 1_700_000_000_000_000_000
	forEngines(t, func(t *testing.T, e enginetest.Engine) {
		o := opts(t)
		o.Config.Start = start
		c, err := enginetest.Load(context.Background(), e, readCart(t, "wasi_clock"), o)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		u64 := func(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
		prevEnd := uint64(0)
		for frame := uint64(0); frame < 60; frame++ {
			if err := c.Update(guest.Input{}); err != nil {
				t.Fatal(err)
			}
			mem, d, err := c.Client.Frame()
			if err != nil {
				t.Fatal(err)
			}
			px := mem[d.Pixels : d.Pixels+128]
			before, real, after := u64(px[0:]), u64(px[8:]), u64(px[32:])
			n := uint64(binary.LittleEndian.Uint32(px[56:]))
			now := max(frame*1e9/60, prevEnd)
			if want := max(now, 1); before != want { // never 0: Go's runtime takes 0 as broken
				t.Fatalf("update %d: monotonic clock %d at its start, want %d", n, before, want)
			}
			if real != start+now {
				t.Fatalf("update %d: realtime %d, want the start time plus %d", n, real, now)
			}
			slept := uint64(0)
			if n%10 == 0 {
				slept += 5e6
			}
			if n%25 == 0 {
				slept += 30e6
			}
			if after != before+slept {
				t.Fatalf("update %d: monotonic clock %d after sleeping %dns from %d", n, after, slept, before)
			}
			if slept > 0 && (px[44] != 0 || px[45] != 1) {
				t.Fatalf("update %d: poll_oneoff gave errno %d and %d events, want 0 and 1", n, px[44], px[45])
			}
			prevEnd = after
		}
	})
}
