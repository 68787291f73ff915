//go:build !js

package wazero

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/guest/engine"
)

// growModule is a module with one memory of a page (capped at maxPages
// when hasMax) whose export grow() grows it by a page, stores 7 at byte
// 70,000 and returns its size in pages.
func growModule(maxPages byte, hasMax bool) []byte {
	mem := []byte{0x05, 0x03, 0x01, 0x00, 0x01} // one memory, min 1
	if hasMax {
		mem = []byte{0x05, 0x04, 0x01, 0x01, 0x01, maxPages}
	}
	var b bytes.Buffer
	b.Write([]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00})
	b.Write([]byte{0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f}) // type () -> i32
	b.Write([]byte{0x03, 0x02, 0x01, 0x00})                   // one function
	b.Write(mem)
	b.Write([]byte{0x07, 0x11, 0x02, // exports
		0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00,
		0x04, 'g', 'r', 'o', 'w', 0x00, 0x00})
	b.Write([]byte{0x0a, 0x14, 0x01, 0x12, 0x00,
		0x41, 0x01, 0x40, 0x00, 0x1a, // memory.grow(1); drop
		0x41, 0xf0, 0xa2, 0x04, 0x41, 0x07, 0x3a, 0x00, 0x00, // i32.store8(70000, 7)
		0x3f, 0x00, 0x0b}) // memory.size
	return b.Bytes()
}

// TestEngineRuns runs a module that grows its memory on this machine's
// wazero: compiled on amd64 and arm64, interpreted elsewhere (make test
// runs it as 32-bit ARM under qemu-arm, where wazero cannot compile and
// a memory's 4 GiB maximum cannot be reserved up front).
func TestEngineRuns(t *testing.T) {
	for _, tc := range []struct {
		name     string
		wasm     []byte
		maxPages uint32
		wantErr  bool
	}{
		{"grows within its maximum", growModule(4, true), 4, false},
		{"no maximum of its own", growModule(0, false), 65536, false},
		{"capped below the growth", growModule(4, true), 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, e := range []*Engine{{}, {Interruptible: true}} {
				ctx := context.Background()
				inst, err := e.Instantiate(ctx, engine.Spec{Name: "grow", Wasm: tc.wasm, MaxPages: tc.maxPages})
				if err != nil {
					t.Fatalf("%s: Instantiate: %v", e.Name(), err)
				}
				defer inst.Close()
				pages, err := inst.Call(ctx, "grow")
				if tc.wantErr {
					var trap *engine.Trap
					if !errors.As(err, &trap) {
						t.Fatalf("%s: grow() = %d, %v; want a trap (out of bounds)", e.Name(), pages, err)
					}
					continue
				}
				if err != nil || pages != 2 {
					t.Fatalf("%s: grow() = %d, %v; want 2 pages", e.Name(), pages, err)
				}
				if got := inst.Memory().Size(); got != 2<<16 {
					t.Errorf("%s: memory size %d; want %d", e.Name(), got, 2<<16)
				}
				b := make([]byte, 2)
				if !inst.Memory().Read(69999, b) || b[0] != 0 || b[1] != 7 {
					t.Errorf("%s: bytes 69,999-70,000 = %v (read ok %v); want [0 7]", e.Name(), b, inst.Memory().Read(69999, b))
				}
			}
		})
	}
}

// TestSliceMemory checks the fallback memory: it grows to the size asked,
// keeps what was written and is zero beyond it.
func TestSliceMemory(t *testing.T) {
	m := &sliceMemory{buf: make([]byte, 0, 4)}
	steps := []struct {
		size uint64
		want int
	}{{2, 2}, {4, 4}, {10, 10}, {1 << 16, 1 << 16}, {1 << 17, 1 << 17}}
	for i, s := range steps {
		b := m.Reallocate(s.size)
		if len(b) != s.want {
			t.Fatalf("step %d: Reallocate(%d) has %d bytes; want %d", i, s.size, len(b), s.want)
		}
		for j := 1; j <= i; j++ { // what the earlier steps wrote
			if b[steps[j-1].want-1] != byte(j) {
				t.Fatalf("step %d: byte %d = %d; want %d (kept from step %d)", i, steps[j-1].want-1, b[steps[j-1].want-1], j, j)
			}
		}
		if b[len(b)-1] != 0 {
			t.Fatalf("step %d: the new last byte is %d; want 0", i, b[len(b)-1])
		}
		b[len(b)-1] = byte(i + 1)
	}
	m.Free()
}

// TestProposalRefused: a cart that uses a proposal past WebAssembly 2.0
// is refused with what to do, not only wazero's "feature is disabled".
func TestProposalRefused(t *testing.T) {
	// (func (return_call 0)): a tail call.
	tail := []byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x06\x01\x04\x00\x12\x00\x0b")
	_, err := (&Engine{}).Instantiate(context.Background(), engine.Spec{Name: "tail", Wasm: tail, MaxPages: 1})
	if err == nil {
		t.Fatal("a tail call was taken")
	}
	for _, want := range []string{`"tail-call"`, "ebicart runs WebAssembly 2.0 carts", "build the cart without this proposal"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
