package framebuffer

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
)

// frameCase lays out a frame in memory: a descriptor at 0, pixels at 64 with
// the given stride, a palette after them when the format has one. Pixel
// bytes follow a pattern that reaches 0 and 255 in every byte position.
type frameCase struct {
	name   string
	format Format
	w, h   int
	stride int // 0: packed
}

func (c frameCase) build(t testing.TB) ([]byte, Descriptor) {
	t.Helper()
	row := c.format.RowBytes(c.w)
	stride := c.stride
	if stride == 0 {
		stride = row
	}
	pix := (c.h-1)*stride + row
	pal := c.format.PaletteEntries() * 4
	mem := guarded(t, 64+pix+pal)
	for i := range mem {
		mem[i] = byte(i*37 + i/7)
	}
	// Force the edges: the first pixel bytes all zero, the second all 0xff.
	for i := 64; i < 64+min(row, 8); i++ {
		mem[i] = 0
	}
	for i := 64 + min(row, 8); i < 64+min(row, 16); i++ {
		mem[i] = 0xff
	}
	d := Descriptor{Format: c.format, Width: uint32(c.w), Height: uint32(c.h), Stride: uint32(c.stride), Pixels: 64}
	if pal > 0 {
		d.Palette = uint32(64 + pix)
		// Palette edge entries: 0 black, last white, and a top byte the
		// host must ignore.
		binary.LittleEndian.PutUint32(mem[d.Palette:], 0xff000000)
		binary.LittleEndian.PutUint32(mem[int(d.Palette)+pal-4:], 0x00ffffff)
	}
	d.Encode(mem[0:])
	return mem, d
}

func packCases() []frameCase {
	var cases []frameCase
	for _, f := range AllFormats() {
		for _, s := range []struct{ w, h, pad int }{
			{1, 1, 0}, {2, 1, 0}, {7, 5, 0}, {7, 5, 3}, {8, 3, 0}, {9, 4, 0}, {13, 3, 5},
			{5, 2, 0}, {6, 2, 0}, {3, 3, 1}, {64, 2, 0}, {31, 7, 11}, {160, 4, 0},
		} {
			stride := 0
			if s.pad > 0 {
				stride = f.RowBytes(s.w) + s.pad
			}
			cases = append(cases, frameCase{fmt.Sprintf("%s/%dx%d+%d", f, s.w, s.h, s.pad), f, s.w, s.h, stride})
		}
	}
	return cases
}

func TestPackMatchesReference(t *testing.T) {
	for _, c := range packCases() {
		t.Run(c.name, func(t *testing.T) {
			mem, d := c.build(t)
			want := refFrame(mem, d)

			dst := guarded(t, len(want))
			if err := Pack(dst, mem, d); err != nil {
				t.Fatalf("Pack: %v", err)
			}
			if !bytes.Equal(dst, want) {
				t.Fatalf("Pack differs from the reference at byte %d\n got %v\nwant %v", firstDiff(dst, want), head(dst), head(want))
			}

			var p Packer
			got, err := p.Frame(mem, d)
			if err != nil {
				t.Fatalf("Frame: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Frame differs from the reference at byte %d", firstDiff(got, want))
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func head(b []byte) []byte { return b[:min(len(b), 32)] }

// TestFrameZeroCopy checks the fast path: packed premultiplied RGBA is
// handed over as a view of the cart's memory, not copied.
func TestFrameZeroCopy(t *testing.T) {
	mem, d := frameCase{format: RGBA8888Premultiplied, w: 4, h: 3}.build(t)
	var p Packer
	got, err := p.Frame(mem, d)
	if err != nil {
		t.Fatal(err)
	}
	if &got[0] != &mem[d.Pixels] || len(got) != 4*4*3 {
		t.Fatalf("Frame copied a packed RGBA8888 premultiplied frame; want a view of memory")
	}
	d.Stride = 20
	d.Height = 2
	got, err = p.Frame(mem, d)
	if err != nil {
		t.Fatal(err)
	}
	if &got[0] == &mem[d.Pixels] {
		t.Fatalf("Frame returned memory itself for a padded stride")
	}
}

// TestPremultiplyExhaustive checks every colour value against every alpha.
func TestPremultiplyExhaustive(t *testing.T) {
	src := everyColourAlpha(4)
	dst := make([]byte, len(src))
	premultiplyRow(dst, src)
	checkPremultiplied(t, dst, src)
}

// TestPremultiplyTable checks every colour value against every alpha with a
// transparent pixel after each, so that no group of four pixels is opaque
// and opaque pixels too are looked up rather than copied.
func TestPremultiplyTable(t *testing.T) {
	src := everyColourAlpha(8)
	dst := make([]byte, len(src))
	premultiplyRow(dst, src)
	checkPremultiplied(t, dst, src)
}

// everyColourAlpha returns straight RGBA pixels, one every step bytes (the
// rest zero), holding every colour value 0..255 with every alpha.
func everyColourAlpha(step int) []byte {
	src := make([]byte, 256*256*step)
	for a := range 256 {
		for c := range 256 {
			i := (a*256 + c) * step
			src[i], src[i+1], src[i+2], src[i+3] = byte(c), byte(255-c), byte(c^0x5a), byte(a)
		}
	}
	return src
}

// TestPremultiplyRuns checks rows made of runs of opaque, translucent and
// transparent pixels of random lengths, so that runs start and end at every
// place in the groups of four that premultiplyRow copies or looks up, and
// rows of every length up to 67 pixels, so that every tail is taken. The
// rows end at a guard page.
func TestPremultiplyRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 68 {
		src, dst := guarded(t, 4*n), guarded(t, 4*n)
		for range 30 {
			for p := 0; p < n; {
				kind, run := rng.IntN(3), 1+rng.IntN(12)
				for ; run > 0 && p < n; run, p = run-1, p+1 {
					a := [3]byte{255, byte(rng.IntN(256)), 0}[kind]
					v := rng.Uint32()
					src[4*p], src[4*p+1], src[4*p+2], src[4*p+3] = byte(v), byte(v>>8), byte(v>>16), a
				}
			}
			clear(dst)
			premultiplyRow(dst, src)
			checkPremultiplied(t, dst, src)
		}
	}
}

// checkPremultiplied compares dst with src premultiplied the obvious way.
func checkPremultiplied(t *testing.T, dst, src []byte) {
	t.Helper()
	for i := 0; i < len(src); i += 4 {
		a := int(src[i+3])
		for k := range 3 {
			want := byte((int(src[i+k])*a*2 + 255) / 510)
			if dst[i+k] != want {
				t.Fatalf("pixel %d: premultiply(c=%d, a=%d) = %d, want %d", i/4, src[i+k], a, dst[i+k], want)
			}
		}
		if dst[i+3] != src[i+3] {
			t.Fatalf("pixel %d: alpha changed: %d -> %d", i/4, src[i+3], dst[i+3])
		}
	}
}

// TestRGB565Exhaustive checks every 16-bit value against bit replication.
func TestRGB565Exhaustive(t *testing.T) {
	src := make([]byte, 65536*2)
	for v := range 65536 {
		binary.LittleEndian.PutUint16(src[2*v:], uint16(v))
	}
	dst := make([]byte, 65536*4)
	rgb565Row(dst, src)
	for v := range 65536 {
		r, g, b := v>>11, v>>5&63, v&31
		want := [4]byte{byte(r<<3 | r>>2), byte(g<<2 | g>>4), byte(b<<3 | b>>2), 255}
		if got := [4]byte(dst[4*v:]); got != want {
			t.Fatalf("rgb565(%#04x) = %v, want %v", v, got, want)
		}
	}
}

// TestIndexed2PaletteChange makes sure the cached table follows the palette.
func TestIndexed2PaletteChange(t *testing.T) {
	mem, d := frameCase{format: Indexed2, w: 8, h: 1}.build(t)
	var p Packer
	if _, err := p.Frame(mem, d); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		binary.LittleEndian.PutUint32(mem[int(d.Palette)+4*i:], 0x102030*uint32(i+1))
	}
	got, err := p.Frame(mem, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := refFrame(mem, d); !bytes.Equal(got, want) {
		t.Fatalf("after a palette change got %v, want %v", got, want)
	}
}

func TestPackNoAllocs(t *testing.T) {
	for _, f := range AllFormats() {
		mem, d := frameCase{format: f, w: 33, h: 9, stride: f.RowBytes(33) + 4}.build(t)
		var p Packer
		if _, err := p.Frame(mem, d); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(50, func() {
			if _, err := p.Frame(mem, d); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per frame, want 0", f, allocs)
		}
	}
}

func TestPackShortDestination(t *testing.T) {
	mem, d := frameCase{format: RGB888, w: 4, h: 4}.build(t)
	err := Pack(make([]byte, 63), mem, d)
	want := "framebuffer: destination holds 63 bytes, the 4x4 frame needs 64"
	if err == nil || err.Error() != want {
		t.Fatalf("Pack with a short destination: got %v, want %q", err, want)
	}
}
