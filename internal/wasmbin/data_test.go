package wasmbin

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// dataModule builds a module with one memory of a page, an immutable i32
// global holding 100, a data count section when count, and a data section
// of segs (each a segment's encoding).
func dataModule(count bool, segs ...[]byte) []byte {
	sec := func(id byte, body []byte) []byte { return append(leb([]byte{id}, uint64(len(body))), body...) }
	b := []byte("\x00asm\x01\x00\x00\x00")
	b = append(b, sec(5, []byte{1, 0, 1})...)
	b = append(b, sec(6, []byte{1, byte(I32), 0, 0x41, 100, 0x0b})...)
	if count {
		b = append(b, sec(12, leb(nil, uint64(len(segs))))...)
	}
	data := leb(nil, uint64(len(segs)))
	for _, s := range segs {
		data = append(data, s...)
	}
	return append(b, sec(11, data)...)
}

// active encodes an active segment of memory 0 at offset.
func active(offset int32, data string) []byte {
	b := sleb([]byte{0, 0x41}, int64(offset))
	return append(leb(append(b, 0x0b), uint64(len(data))), data...)
}

// memoryImage instantiates bin on wazero and returns its memory.
func memoryImage(t *testing.T, bin []byte) []byte {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCoreFeatures(api.CoreFeaturesV2))
	defer r.Close(ctx)
	m, err := r.Instantiate(ctx, bin)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	b, _ := m.Memory().Read(0, m.Memory().Size())
	return bytes.Clone(b)
}

// TestMergeData: segments that may be joined are (gaps of zeros up to
// mergeGap bytes, whatever their order in the section), and what memory
// holds after instantiation is the same; modules where joining could
// change something are returned as they are.
func TestMergeData(t *testing.T) {
	gap := string(make([]byte, mergeGap+1))
	cases := []struct {
		name     string
		bin      []byte
		segments int // after merging; 0: returned unchanged
	}{
		{"neighbours", dataModule(false, active(16, "ab"), active(18, "cd")), 1},
		{"gap of zeros", dataModule(false, active(16, "ab"), active(16+2+mergeGap, "cd")), 1},
		{"gap too long", dataModule(false, active(16, "ab"), active(16+2+mergeGap+1, "cd")), 2},
		{"out of order, as Go writes them", dataModule(false, active(900, "late"), active(10, "early"), active(20, "mid"), active(2000, "far"+gap+"x")), 3},
		{"the last byte of memory", dataModule(false, active(65534, "yz"), active(65500, "w")), 1},
		{"overlapping", dataModule(false, active(16, "abcd"), active(18, "XY")), 0},
		{"passive", dataModule(false, active(16, "ab"), append([]byte{1, 2}, "cd"...)), 0},
		{"global offset", dataModule(false, active(16, "ab"), append([]byte{0, 0x23, 0, 0x0b, 2}, "cd"...)), 0},
		{"data count section", dataModule(true, active(16, "ab"), active(18, "cd")), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := MergeData(c.bin)
			if err != nil {
				t.Fatal(err)
			}
			if c.segments == 0 {
				if !bytes.Equal(out, c.bin) {
					t.Fatal("module changed")
				}
				return
			}
			if got := dataSegments(t, out); got != c.segments {
				t.Errorf("%d segments, want %d", got, c.segments)
			}
			if !bytes.Equal(memoryImage(t, out), memoryImage(t, c.bin)) {
				t.Error("memory differs after instantiation")
			}
		})
	}
}

// TestMergeDataOutOfBounds: a module whose data does not fit in its
// memory fails to instantiate, merged or not.
func TestMergeDataOutOfBounds(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	for _, bin := range [][]byte{
		dataModule(false, active(16, "ab"), active(65535, "cd")),
		dataModule(false, active(16, "ab"), active(-1, "cd")),
		dataModule(false, active(65530, "ab"), active(65533, "cdef")),
	} {
		out, err := MergeData(bin)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range [][]byte{bin, out} {
			if _, err := r.Instantiate(ctx, b); err == nil {
				t.Error("instantiated a module whose data overruns its memory")
			}
		}
	}
}

// TestMergeDataGoCart: the Go demo cart's 22,053 segments become a few,
// and its memory image and validity are kept.
func TestMergeDataGoCart(t *testing.T) {
	bin := readAsset(t, "demo")
	out, err := MergeData(bin)
	if err != nil {
		t.Fatal(err)
	}
	before, after := dataSegments(t, bin), dataSegments(t, out)
	if after > before/100 {
		t.Errorf("%d segments merged into %d", before, after)
	}
	if !bytes.Equal(dataImage(t, out), dataImage(t, bin)) {
		t.Error("the data the segments write differs")
	}
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCoreFeatures(api.CoreFeaturesV2))
	defer r.Close(ctx)
	if _, err := r.CompileModule(ctx, out); err != nil {
		t.Fatalf("merged cart does not compile: %v", err)
	}
}

func readAsset(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "carts", name+".wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dataSection returns a reader over bin's data section, at its count.
func dataSection(t *testing.T, bin []byte) *reader {
	t.Helper()
	r := &reader{b: bin, off: 8}
	for !r.done() {
		id, _ := r.byte()
		size, _ := r.u32()
		if id == 11 {
			return &reader{b: bin[:r.off+int(size)], off: r.off}
		}
		r.off += int(size)
	}
	t.Fatal("no data section")
	return nil
}

func dataSegments(t *testing.T, bin []byte) int {
	n, err := dataSection(t, bin).count()
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// dataImage applies bin's data segments (all active at constant offsets)
// to a zeroed memory.
func dataImage(t *testing.T, bin []byte) []byte {
	r := dataSection(t, bin)
	n, _ := r.count()
	var mem []byte
	for range n {
		at, data, ok, err := r.constSegment()
		if err != nil || !ok {
			t.Fatalf("segment: ok %v, err %v", ok, err)
		}
		if end := int(at) + len(data); end > len(mem) {
			mem = append(mem, make([]byte, end-len(mem))...)
		}
		copy(mem[at:], data)
	}
	return mem
}

// FuzzMergeData: whatever the input, MergeData does not panic, and a
// module wazero instantiates gives the same memory merged.
func FuzzMergeData(f *testing.F) {
	f.Add(dataModule(false, active(900, "late"), active(10, "early"), active(20, "mid")))
	f.Add(dataModule(false, active(16, "abcd"), active(18, "XY")))
	f.Add(dataModule(true, active(16, "ab"), active(18, "cd")))
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCoreFeatures(api.CoreFeaturesV2))
	f.Cleanup(func() { r.Close(ctx) })
	image := func(bin []byte) ([]byte, bool) {
		m, err := r.Instantiate(ctx, bin)
		if err != nil {
			return nil, false
		}
		defer m.Close(ctx)
		if pm, err := Parse(bin); err != nil || len(pm.Memories) == 0 {
			return nil, true // wazero's Memory is then a nil *MemoryInstance
		}
		b, _ := m.Memory().Read(0, m.Memory().Size())
		return bytes.Clone(b), true
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		out, err := MergeData(bin)
		if err != nil {
			return
		}
		want, ok := image(bin)
		if !ok {
			return
		}
		got, ok := image(out)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("merged module: instantiates %v, same memory %v", ok, bytes.Equal(got, want))
		}
	})
}
