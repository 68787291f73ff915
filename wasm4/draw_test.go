package wasm4_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ebicart/ebicart/internal/wasm4test"
	"github.com/ebicart/ebicart/wasm4"
)

// impl is package wasm4 as a wasm4test.Drawer.
type impl struct{}

func (impl) Blit(mem []byte, sprite uint32, x, y int32, w, h, flags uint32) error {
	return wasm4.Blit(mem, sprite, x, y, w, h, flags)
}
func (impl) BlitSub(mem []byte, sprite uint32, x, y int32, w, h, srcX, srcY, stride, flags uint32) error {
	return wasm4.BlitSub(mem, sprite, x, y, w, h, srcX, srcY, stride, flags)
}
func (impl) Line(mem []byte, x1, y1, x2, y2 int32)       { wasm4.Line(mem, x1, y1, x2, y2) }
func (impl) HLine(mem []byte, x, y int32, n uint32)      { wasm4.HLine(mem, x, y, n) }
func (impl) VLine(mem []byte, x, y int32, n uint32)      { wasm4.VLine(mem, x, y, n) }
func (impl) Rect(mem []byte, x, y int32, w, h uint32)    { wasm4.Rect(mem, x, y, w, h) }
func (impl) Oval(mem []byte, x, y int32, w, h uint32)    { wasm4.Oval(mem, x, y, w, h) }
func (impl) Text(mem []byte, s uint32, x, y int32) error { return wasm4.Text(mem, s, x, y) }
func (impl) TextUTF8(mem []byte, s, n uint32, x, y int32) error {
	return wasm4.TextUTF8(mem, s, n, x, y)
}
func (impl) TextUTF16(mem []byte, s, n uint32, x, y int32) error {
	return wasm4.TextUTF16(mem, s, n, x, y)
}

var _ wasm4test.Drawer = impl{}

const minI32, maxI32 = math.MinInt32, math.MaxInt32

// baseMemory returns a power-on memory whose framebuffer holds a noisy
// pattern, so that pixels a call must leave alone are checked too, and
// whose program memory holds arbitrary bytes.
func baseMemory() []byte {
	mem := make([]byte, wasm4.MemorySize)
	wasm4.Reset(mem)
	seed := uint32(12345)
	for i := wasm4.AddrFramebuffer; i < len(mem); i++ {
		seed = seed*1664525 + 1013904223
		mem[i] = byte(seed >> 24)
	}
	return mem
}

// drawCase is one drawing call checked against the reference.
type drawCase struct {
	name   string
	colors uint16
	setup  func(mem []byte) // writes sprites or strings; may be nil
	call   func(d wasm4test.Drawer, mem []byte) error
}

// check runs c on package wasm4 and on the reference, from the same
// memory, and wants the same error and the same memory, all 64 KiB of it.
func check(t *testing.T, c drawCase) {
	t.Helper()
	mem := baseMemory()
	binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], c.colors)
	if c.setup != nil {
		c.setup(mem)
	}
	got, want := bytes.Clone(mem), bytes.Clone(mem)
	errGot := c.call(impl{}, got)
	errWant := c.call(wasm4test.Reference{}, want)
	if fmt.Sprint(errGot) != fmt.Sprint(errWant) {
		t.Errorf("%s: error %v, reference %v", c.name, errGot, errWant)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: memory differs from the reference%s", c.name, diff(mem, got, want))
	}
}

// diff describes where got and want differ: bytes outside the framebuffer
// by address, pixels as a picture of the differing region.
func diff(before, got, want []byte) string {
	var b strings.Builder
	for i := range got {
		if (i < wasm4.AddrFramebuffer || i >= wasm4.AddrProgramMemory) && got[i] != want[i] {
			fmt.Fprintf(&b, "\n  byte 0x%x: got %#x, want %#x (was %#x)", i, got[i], want[i], before[i])
		}
	}
	x0, y0, x1, y1 := wasm4.Width, wasm4.Height, -1, -1
	for y := range wasm4.Height {
		for x := range wasm4.Width {
			if wasm4.Pixel(got, x, y) != wasm4.Pixel(want, x, y) {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return b.String()
	}
	x0, y0, x1, y1 = max(x0-2, 0), max(y0-2, 0), min(x1+2, wasm4.Width-1), min(y1+2, wasm4.Height-1)
	fmt.Fprintf(&b, "\n  pixels (%d,%d)-(%d,%d), got | want | changed by the reference:", x0, y0, x1, y1)
	for y := y0; y <= y1; y++ {
		b.WriteString("\n  ")
		for _, m := range [][]byte{got, want} {
			for x := x0; x <= x1; x++ {
				b.WriteByte("0123"[wasm4.Pixel(m, x, y)])
			}
			b.WriteString(" | ")
		}
		for x := x0; x <= x1; x++ {
			c := byte('.')
			if wasm4.Pixel(want, x, y) != wasm4.Pixel(before, x, y) {
				c = '#'
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// spriteAddr is where the tests put sprites and strings.
const spriteAddr = 0x4000

func put(addr int, data []byte) func([]byte) {
	return func(mem []byte) { copy(mem[addr:], data) }
}

var (
	sprite1, sprite2 = wasm4test.AsymSprite1, wasm4test.AsymSprite2
	sprite1x8        = wasm4test.Sprite1(
		"#######.", "#.......", "#.......", "#####...",
		"#.......", "#.....##", "#.....##", "#.......",
	)
	atlas1 = wasm4test.Sprite1( // 19x7
		"#..#.##.#...#.##..#",
		".##..#.#.#.#..#.##.",
		"###.#..##..#.#..#..",
		"#.#.##..#.#..####.#",
		"..###.#.#..##.#.#..",
		"#..#..#...#.#.##..#",
		".#.#####.##..#...##",
	)
	atlas2 = wasm4test.Sprite2( // 11x6
		"01230123012",
		"13333333321",
		"23100001332",
		"33122221303",
		"03300003302",
		"11112222331",
	)
)

func TestBlitFlags(t *testing.T) {
	sprites := []struct {
		name          string
		data          []byte
		w, h, bppFlag uint32
	}{
		{"1bpp 7x6", sprite1, 7, 6, 0},
		{"1bpp 8x8", sprite1x8, 8, 8, 0},
		{"2bpp 6x5", sprite2, 6, 5, 1},
		{"1bpp 1x1", []byte{0x80}, 1, 1, 0},
		{"2bpp 3x2", wasm4test.Sprite2("123", "302"), 3, 2, 1},
	}
	positions := [][2]int32{
		{10, 20}, {-3, 5}, {155, 7}, {5, -4}, {7, 156}, {-4, -3}, {157, 158},
		{-7, 0}, {0, -8}, {160, 0}, {0, 160}, {-100, 5}, {minI32, maxI32},
	}
	colors := []uint16{0x4321, 0x0042, 0x4030, 0x0000, 0x1203, 0xfedc, 0x0204}
	for _, s := range sprites {
		for f := range uint32(8) {
			flags := s.bppFlag | f<<1
			for i, pos := range positions {
				c := colors[(int(f)+i)%len(colors)]
				check(t, drawCase{
					name:   fmt.Sprintf("blit %s flags %d at %v colors %#04x", s.name, flags, pos, c),
					colors: c,
					setup:  put(spriteAddr, s.data),
					call: func(d wasm4test.Drawer, mem []byte) error {
						return d.Blit(mem, spriteAddr, pos[0], pos[1], s.w, s.h, flags)
					},
				})
			}
			// Flag bits above the documented four are ignored.
			check(t, drawCase{
				name:   fmt.Sprintf("blit %s flags %#x", s.name, flags|0xfff0),
				colors: 0x4321,
				setup:  put(spriteAddr, s.data),
				call: func(d wasm4test.Drawer, mem []byte) error {
					return d.Blit(mem, spriteAddr, 20, 30, s.w, s.h, flags|0xfff0)
				},
			})
		}
	}
}

// TestBlitOrientation pins the documented orientation: FLIP_X mirrors
// left-right, FLIP_Y top-bottom, ROTATE turns anti-clockwise after the
// flips, so the top-right pixel becomes the top-left one.
func TestBlitOrientation(t *testing.T) {
	sprite := wasm4test.Sprite1( // 3x2
		"##.",
		"#..",
	)
	tests := []struct {
		flags uint32
		want  []string
	}{
		{0, []string{"##.", "#.."}},
		{wasm4.BlitFlipX, []string{".##", "..#"}},
		{wasm4.BlitFlipY, []string{"#..", "##."}},
		{wasm4.BlitFlipX | wasm4.BlitFlipY, []string{"..#", ".##"}},
		{wasm4.BlitRotate, []string{"..", "#.", "##"}},
		{wasm4.BlitRotate | wasm4.BlitFlipX, []string{"##", "#.", ".."}},
		{wasm4.BlitRotate | wasm4.BlitFlipY, []string{"..", ".#", "##"}},
		{wasm4.BlitRotate | wasm4.BlitFlipX | wasm4.BlitFlipY, []string{"##", ".#", ".."}},
	}
	for _, tt := range tests {
		mem := make([]byte, wasm4.MemorySize)
		wasm4.Reset(mem)
		copy(mem[spriteAddr:], sprite)
		binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], 0x0041) // 0: index 0, 1: index 3
		if err := wasm4.Blit(mem, spriteAddr, 0, 0, 3, 2, tt.flags); err != nil {
			t.Fatal(err)
		}
		var got []string
		for y := range len(tt.want) {
			row := ""
			for x := range len(tt.want[0]) {
				row += map[uint8]string{0: ".", 3: "#"}[wasm4.Pixel(mem, x, y)]
			}
			got = append(got, row)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("flags %d: got %q, want %q", tt.flags, got, tt.want)
		}
	}
}

func TestBlitSub(t *testing.T) {
	type sub struct {
		x, y                         int32
		w, h, srcX, srcY, stride, fl uint32
	}
	var subs []sub
	for f := range uint32(8) {
		subs = append(subs,
			sub{3, 4, 5, 4, 2, 1, 19, f << 1},
			sub{-2, 150, 7, 6, 12, 1, 19, f << 1},
			sub{150, -3, 19, 7, 0, 0, 19, f << 1},
			sub{40, 40, 3, 3, 5, 3, 19, f << 1},
		)
	}
	subs = append(subs,
		sub{10, 10, 19, 7, 0, 0, 0, 0},    // stride 0: every row is row 0
		sub{10, 10, 10, 5, 0, 0, 5, 2},    // stride below width: rows overlap
		sub{10, 10, 4, 4, 30, 0, 19, 0},   // srcX beyond the stride: wraps into later rows
		sub{10, 10, 0, 4, 0, 0, 19, 0},    // zero width
		sub{10, 10, 4, 0, 0, 0, 19, 0},    // zero height
		sub{10, 10, 1, 50, 0, 0, 1, 8},    // a column, rotated into a row
		sub{10, 10, 1, 1e6, 3, 0, 0, 0},   // tall with stride 0: clipped, not looped
		sub{-5, -5, 133, 1, 0, 0, 133, 8}, // the whole sheet as one row, rotated
	)
	for i, s := range subs {
		for _, a := range []struct {
			name string
			data []byte
			bpp  uint32
		}{{"1bpp", atlas1, 0}, {"2bpp", atlas2, 1}} {
			stride := s.stride
			if a.bpp == 1 && stride == 19 {
				stride = 11 // atlas2 is 11 wide
			}
			check(t, drawCase{
				name:   fmt.Sprintf("blitSub %s #%d %+v", a.name, i, s),
				colors: []uint16{0x4321, 0x0420, 0x3104}[i%3],
				setup:  put(spriteAddr, a.data),
				call: func(d wasm4test.Drawer, mem []byte) error {
					return d.BlitSub(mem, spriteAddr, s.x, s.y, s.w, s.h, s.srcX, s.srcY, stride, a.bpp|s.fl)
				},
			})
		}
	}
}

func TestBlitBounds(t *testing.T) {
	tests := []struct {
		name                         string
		ptr                          uint32
		w, h, srcX, srcY, stride, fl uint32
		wantErr                      string
	}{
		{"fits at the end", 0xfff8, 8, 8, 0, 0, 8, 0, ""},
		{"one byte over", 0xfff9, 8, 8, 0, 0, 8, 0, "wasm4: blitSub: sprite 0xfff9+8 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{"2bpp over", 0xfff1, 8, 8, 0, 0, 8, 1, "wasm4: blitSub: sprite 0xfff1+16 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{"2bpp fits", 0xfff0, 8, 8, 0, 0, 8, 1 | 8, ""},
		{"odd bits round up", 0xffff, 3, 3, 0, 0, 3, 0, "wasm4: blitSub: sprite 0xffff+2 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{"pointer past memory", 0x10000, 1, 1, 0, 0, 1, 0, "wasm4: blitSub: sprite 0x10000+1 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{"pointer far past memory", math.MaxUint32, 1, 1, 0, 0, 1, 0, "wasm4: blitSub: sprite 0xffffffff+1 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{"zero width, bad pointer", math.MaxUint32, 0, 9, 0, 0, 9, 0, ""},
		{"huge everything", 0x100, math.MaxInt32, math.MaxInt32, math.MaxUint32, math.MaxUint32, math.MaxUint32, 1,
			"wasm4: blitSub: sprite 0x100+6917529024419856385 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{"srcY past the sheet", 0x8000, 8, 8, 0, 1e6, 8, 0, "wasm4: blitSub: sprite 0x8000+1000008 bytes end past memory size 65536: pass a sprite wholly in memory"},
		{"stride 0, tall", 0xffff, 8, math.MaxUint32, 0, 0, 0, 0, ""},
		// Width and height are signed on WASM-4: a negative one draws
		// nothing, as a zero one, and reads nothing.
		{"width -1", 0x100, math.MaxUint32, 8, 0, 0, 8, 0, ""},
		{"height -1", 0x100, 8, math.MaxUint32, 0, 0, 8, 0, ""},
		{"width min int32, rotated", 0x100, 1 << 31, 8, 0, 0, 8, 8, ""},
		{"height -8, bad pointer", math.MaxUint32, 8, 0xfffffff8, 0, 0, 8, 1, ""},
		{"both negative, huge source", 0xfff0, 0xfffffff0, 0xfffffff0, math.MaxUint32, math.MaxUint32, math.MaxUint32, 0, ""},
		{"largest width", 0, math.MaxInt32, 1, 0, 0, 0, 0, "wasm4: blitSub: sprite 0x0+268435456 bytes end past memory size 65536: pass a sprite wholly in memory"},
	}
	for _, tt := range tests {
		mem := baseMemory()
		err := wasm4.BlitSub(mem, tt.ptr, 3, 4, tt.w, tt.h, tt.srcX, tt.srcY, tt.stride, tt.fl)
		if fmt.Sprint(err) != fmt.Sprint(errOrNil(tt.wantErr)) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
		}
		check(t, drawCase{name: "blitSub " + tt.name, colors: 0x4321, call: func(d wasm4test.Drawer, mem []byte) error {
			return d.BlitSub(mem, tt.ptr, 3, 4, tt.w, tt.h, tt.srcX, tt.srcY, tt.stride, tt.fl)
		}})
	}
	err := wasm4.Blit(make([]byte, wasm4.MemorySize), 0xfff0, 0, 0, 16, 16, 0)
	if want := "wasm4: blit: sprite 0xfff0+32 bytes end past memory size 65536: pass a sprite wholly in memory"; fmt.Sprint(err) != want {
		t.Errorf("blit error %v, want %q", err, want)
	}
}

func errOrNil(s string) error {
	if s == "" {
		return nil
	}
	return fmt.Errorf("%s", s)
}

// TestBlitFromFramebuffer blits the framebuffer onto itself: the sprite is
// read as it was before the call.
func TestBlitFromFramebuffer(t *testing.T) {
	for _, tt := range []struct {
		ptr           uint32
		x, y          int32
		w, h, flags   uint32
		srcX, srcY, s uint32
	}{
		{wasm4.AddrFramebuffer, 3, 1, 160, 40, 0, 0, 0, 160},
		{wasm4.AddrFramebuffer, 0, 2, 640, 10, 1, 0, 0, 640},
		{wasm4.AddrFramebuffer + 40, -1, 0, 160, 150, 1 | 8, 0, 0, 160},
		{wasm4.AddrFramebuffer - 3, 5, 5, 80, 80, 2 | 4, 7, 3, 97},
		{wasm4.AddrProgramMemory - 10, 5, 5, 8, 20, 1, 0, 0, 8},
	} {
		check(t, drawCase{name: fmt.Sprintf("blit framebuffer %+v", tt), colors: 0x2413, call: func(d wasm4test.Drawer, mem []byte) error {
			return d.BlitSub(mem, tt.ptr, tt.x, tt.y, tt.w, tt.h, tt.srcX, tt.srcY, tt.s, tt.flags)
		}})
	}
}

// consoleLine is the Bresenham loop of the console's line function as a
// behaviour model, for short lines: start at the end with the smaller y,
// plot, and step x, y or both by the error term until the other end.
func consoleLine(plot func(x, y int), x1, y1, x2, y2 int) {
	if y1 > y2 {
		x1, y1, x2, y2 = x2, y2, x1, y1
	}
	dx, dy := max(x2-x1, x1-x2), y2-y1
	sx := -1
	if x1 < x2 {
		sx = 1
	}
	err := -dy / 2
	if dx > dy {
		err = dx / 2
	}
	for {
		plot(x1, y1)
		if x1 == x2 && y1 == y2 {
			return
		}
		e := err
		if e > -dx {
			err -= dy
			x1 += sx
		}
		if e < dy {
			err += dx
			y1++
		}
	}
}

func TestLine(t *testing.T) {
	var lines [][4]int32
	// All octants and slopes from a centre, and from near the edges.
	for _, c := range [][2]int32{{80, 80}, {3, 4}, {157, 150}} {
		for dx := int32(-13); dx <= 13; dx += 2 {
			for dy := int32(-11); dy <= 11; dy += 3 {
				lines = append(lines, [4]int32{c[0], c[1], c[0] + dx, c[1] + dy})
			}
		}
		for d := int32(-8); d <= 8; d++ {
			lines = append(lines, [4]int32{c[0], c[1], c[0] + d, c[1] + 8}, [4]int32{c[0], c[1], c[0] + 8, c[1] + d},
				[4]int32{c[0], c[1], c[0] + d, c[1] - 8}, [4]int32{c[0], c[1], c[0] - 8, c[1] + d})
		}
		lines = append(lines, [4]int32{c[0], c[1], c[0], c[1]}) // zero length
	}
	lines = append(lines,
		[4]int32{-50, 30, 210, 90}, [4]int32{210, 30, -50, 91}, [4]int32{20, -40, 90, 200},
		[4]int32{-1, -1, 160, 160}, [4]int32{159, 0, 0, 159}, [4]int32{-300, 5, 300, 6},
		[4]int32{minI32, minI32, maxI32, maxI32}, [4]int32{minI32, maxI32, maxI32, minI32},
		[4]int32{minI32, 80, maxI32, 81}, [4]int32{80, minI32, 81, maxI32},
		[4]int32{minI32, 0, maxI32, 159}, [4]int32{0, minI32, 159, maxI32},
		[4]int32{maxI32, maxI32, maxI32, maxI32}, [4]int32{minI32, 3, minI32 + 200, 5},
		[4]int32{-1000, 1000, 1000, -1000}, [4]int32{5, 5, 5, 4e6}, [4]int32{minI32, 7, 0, 7},
	)
	for i, l := range lines {
		check(t, drawCase{
			name:   fmt.Sprintf("line %v", l),
			colors: []uint16{0x0004, 0x0043, 0x0002, 0x0000, 0xfff1}[i%5],
			call: func(d wasm4test.Drawer, mem []byte) error {
				d.Line(mem, l[0], l[1], l[2], l[3])
				return nil
			},
		})
	}
	// The pixels are those of the console's Bresenham loop.
	for _, l := range lines {
		if max(abs(l[0]), abs(l[1]), abs(l[2]), abs(l[3])) > 1000 {
			continue
		}
		mem := make([]byte, wasm4.MemorySize)
		wasm4.Reset(mem)
		binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], 4)
		wasm4.Line(mem, l[0], l[1], l[2], l[3])
		var want [wasm4.Height][wasm4.Width]bool
		consoleLine(func(x, y int) {
			if x >= 0 && y >= 0 && x < wasm4.Width && y < wasm4.Height {
				want[y][x] = true
			}
		}, int(l[0]), int(l[1]), int(l[2]), int(l[3]))
		for y := range wasm4.Height {
			for x := range wasm4.Width {
				if (wasm4.Pixel(mem, x, y) == 3) != want[y][x] {
					t.Fatalf("line %v: pixel (%d,%d) differs from the console's loop", l, x, y)
				}
			}
		}
	}
}

func abs(v int32) int64 { return max(int64(v), -int64(v)) }

func TestHLineVLine(t *testing.T) {
	type hv struct {
		x, y int32
		n    uint32
	}
	cases := []hv{
		{10, 10, 0}, {10, 10, 1}, {10, 11, 5}, {0, 0, 160}, {-5, 20, 10}, {155, 30, 10},
		{-5, -1, 50}, {3, 160, 5}, {3, 159, 3}, {minI32, 50, math.MaxUint32}, {maxI32, 50, math.MaxUint32},
		{-1, 5, 2}, {1, 5, 2}, {2, 5, 3}, {3, 5, 9}, {4, 5, 4}, {6, 5, 154}, {-160, 6, 161},
		{0, 7, math.MaxUint32}, {minI32, 8, 1 << 31}, {minI32, 9, 1<<31 + 1},
		{100, 11, maxI32}, {-3, 12, maxI32}, {maxI32 - 2, 13, 5}, {150, 14, 1<<31 - 100},
	}
	for i, c := range cases {
		colors := []uint16{0x0004, 0x0002, 0x0000, 0x0001, 0x4321}[i%5]
		check(t, drawCase{name: fmt.Sprintf("hline %+v", c), colors: colors, call: func(d wasm4test.Drawer, mem []byte) error {
			d.HLine(mem, c.x, c.y, c.n)
			return nil
		}})
		check(t, drawCase{name: fmt.Sprintf("vline %+v", c), colors: colors, call: func(d wasm4test.Drawer, mem []byte) error {
			d.VLine(mem, c.y, c.x, c.n)
			return nil
		}})
	}
}

func TestRect(t *testing.T) {
	colors := []uint16{0x0042, 0x0040, 0x0002, 0x0000, 0x0044, 0x4321, 0x00f1}
	i := 0
	for w := range uint32(11) {
		for h := range uint32(11) {
			for _, pos := range [][2]int32{{20, 30}, {-2, 155}} {
				c := colors[i%len(colors)]
				i++
				check(t, drawCase{name: fmt.Sprintf("rect %dx%d at %v colors %#04x", w, h, pos, c), colors: c,
					call: func(d wasm4test.Drawer, mem []byte) error {
						d.Rect(mem, pos[0], pos[1], w, h)
						return nil
					}})
			}
		}
	}
	for _, r := range [][4]int64{
		{-10, -10, 180, 180}, {-10, 5, 170, 20}, {5, -10, 20, 170}, {0, 0, 160, 160}, {1, 1, 158, 158},
		{minI32, minI32, math.MaxUint32, math.MaxUint32}, {minI32, 10, 1<<31 + 20, 20}, {maxI32, maxI32, 5, 5},
		{159, 159, 1, 1}, {159, 159, 2, 2}, {-1, -1, 2, 2}, {-1, 40, 162, 3}, {40, -1, 3, 162},
		// x+width and y+height past 2^31: exact, as on WASM-4's web
		// runtime (its native one wraps them in C ints).
		{100, 10, maxI32, 5}, {10, 100, 5, maxI32}, {-5, 10, maxI32, 5}, {100, 100, maxI32, maxI32},
		{maxI32 - 3, 10, 10, 10}, {10, maxI32 - 3, 10, 10}, {minI32 + 1, minI32 + 1, math.MaxUint32, math.MaxUint32},
	} {
		for _, c := range colors {
			check(t, drawCase{name: fmt.Sprintf("rect %v colors %#04x", r, c), colors: c,
				call: func(d wasm4test.Drawer, mem []byte) error {
					d.Rect(mem, int32(r[0]), int32(r[1]), uint32(r[2]), uint32(r[3]))
					return nil
				}})
		}
	}
}

func TestOval(t *testing.T) {
	colors := []uint16{0x0042, 0x0040, 0x0002, 0x0000, 0x0043, 0x4321, 0x00f1}
	i := 0
	for w := range uint32(13) {
		for h := range uint32(13) {
			for _, pos := range [][2]int32{{20, 30}, {-3, 154}} {
				c := colors[i%len(colors)]
				i++
				check(t, drawCase{name: fmt.Sprintf("oval %dx%d at %v colors %#04x", w, h, pos, c), colors: c,
					call: func(d wasm4test.Drawer, mem []byte) error {
						d.Oval(mem, pos[0], pos[1], w, h)
						return nil
					}})
			}
		}
	}
	for _, r := range [][4]int64{
		{0, 0, 160, 160}, {-20, -20, 200, 200}, {-100, 30, 300, 60}, {30, -100, 60, 300}, {10, 10, 140, 37},
		{80, 0, 1, 160}, {0, 80, 160, 1}, {-1000, -1000, 2160, 2160}, {-30000, 70, 60159, 20},
		{minI32, minI32, math.MaxUint32, math.MaxUint32}, {-70000, 10, 140160, 140160}, {5, -65540, 150, 131100},
		{minI32, 20, 1<<31 + 80, 100}, {maxI32, maxI32, 9, 9}, {150, 150, 20, 20}, {-10, -10, 20, 20},
	} {
		for _, c := range colors[:3] {
			check(t, drawCase{name: fmt.Sprintf("oval %v colors %#04x", r, c), colors: c,
				call: func(d wasm4test.Drawer, mem []byte) error {
					d.Oval(mem, int32(r[0]), int32(r[1]), uint32(r[2]), uint32(r[3]))
					return nil
				}})
		}
	}
}

// TestOvalShapes pins a few small ovals: outline 'o', fill '#'.
func TestOvalShapes(t *testing.T) {
	tests := []struct {
		w, h uint32
		want []string
	}{
		{1, 1, []string{"o"}},
		{2, 2, []string{"oo", "oo"}},
		{3, 3, []string{".o.", "o#o", ".o."}},
		{1, 4, []string{"o", "o", "o", "o"}},
		{4, 4, []string{".oo.", "o##o", "o##o", ".oo."}},
		{5, 5, []string{".ooo.", "o###o", "o###o", "o###o", ".ooo."}},
		{7, 3, []string{".ooooo.", "o#####o", ".ooooo."}},
		{8, 8, []string{
			"..oooo..",
			".o####o.",
			"o######o",
			"o######o",
			"o######o",
			"o######o",
			".o####o.",
			"..oooo..",
		}},
	}
	for _, tt := range tests {
		mem := make([]byte, wasm4.MemorySize)
		wasm4.Reset(mem)
		binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], 0x0032) // fill index 1, outline index 2
		wasm4.Oval(mem, 1, 1, tt.w, tt.h)
		var got []string
		for y := range int(tt.h) + 2 {
			row := ""
			for x := range int(tt.w) + 2 {
				row += string(".#o"[wasm4.Pixel(mem, x, y)])
			}
			got = append(got, row)
		}
		var want []string
		blank := strings.Repeat(".", int(tt.w)+2)
		want = append(want, blank)
		for _, r := range tt.want {
			want = append(want, "."+r+".")
		}
		want = append(want, blank)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("oval %dx%d:\n%s\nwant\n%s", tt.w, tt.h, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

func textCase(name string, colors uint16, data []byte, call func(d wasm4test.Drawer, mem []byte) error) drawCase {
	return drawCase{name: name, colors: colors, setup: put(spriteAddr, data), call: call}
}

func TestText(t *testing.T) {
	strs := []string{
		"Hello, WASM-4!",
		"two\nlines\n\nand a gap",
		"\x80\x81\x82\x83\x84\x85\x86\x87",
		"Latin-1: \xc0\xc9\xce\xd5\xdc\xdf\xe0\xe9\xee\xf5\xfc\xff\xa9\xbd",
		"ctrl\x01\x02\t\r\x1f\x7fend",
		// Every control byte but "\n": each advances a cell, drawing nothing.
		"<\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f>",
		"",
		"\n\n\n",
		strings.Repeat("long line ", 30),
		strings.Repeat("many\n", 40),
	}
	pos := [][2]int32{{3, 5}, {-13, 150}, {150, -5}, {0, 156}, {minI32, minI32}, {maxI32, 0}, {-4, -4}, {100, maxI32 - 3}}
	colors := []uint16{0x0004, 0x0042, 0x0040, 0x0003, 0x0000, 0x4321, 0x0024}
	for i, s := range strs {
		for j, p := range pos {
			c := colors[(i+j)%len(colors)]
			data := append([]byte(s), 0)
			check(t, textCase(fmt.Sprintf("text %q at %v colors %#04x", s, p, c), c, data, func(d wasm4test.Drawer, mem []byte) error {
				return d.Text(mem, spriteAddr, p[0], p[1])
			}))
		}
	}
	// The whole font.
	var all []byte
	for c := 32; c < 256; c++ {
		all = append(all, byte(c))
		if c%16 == 15 {
			all = append(all, '\n')
		}
	}
	check(t, textCase("text font", 0x0014, append(all, 0), func(d wasm4test.Drawer, mem []byte) error {
		return d.Text(mem, spriteAddr, 0, 0)
	}))
}

func TestTextErrors(t *testing.T) {
	noNUL := func(mem []byte) { // no zero byte from 0xff00 to the end
		for i := 0xff00; i < len(mem); i++ {
			mem[i] = 'x'
		}
	}
	tests := []struct {
		name    string
		setup   func([]byte)
		call    func(d wasm4test.Drawer, mem []byte) error
		wantErr string
	}{
		{"text without NUL", noNUL, func(d wasm4test.Drawer, mem []byte) error { return d.Text(mem, 0xff00, 0, 0) },
			"wasm4: text: string at 0xff00 has no NUL before memory end 65536: end it with a 0 byte"},
		{"text past memory", nil, func(d wasm4test.Drawer, mem []byte) error { return d.Text(mem, 0x10000, 0, 0) },
			"wasm4: text: string at 0x10000 past memory size 65536: pass a string in memory"},
		{"text NUL at the end", func(mem []byte) { noNUL(mem); mem[0xffff] = 0 },
			func(d wasm4test.Drawer, mem []byte) error { return d.Text(mem, 0xff00, 0, 0) }, ""},
		{"textUtf8 past the end", nil, func(d wasm4test.Drawer, mem []byte) error { return d.TextUTF8(mem, 0xfff0, 17, 0, 0) },
			"wasm4: textUtf8: string 0xfff0+17 bytes end past memory size 65536: pass a string wholly in memory"},
		{"textUtf8 to the end", noNUL, func(d wasm4test.Drawer, mem []byte) error { return d.TextUTF8(mem, 0xfff0, 16, 0, 0) }, ""},
		{"textUtf8 huge", nil, func(d wasm4test.Drawer, mem []byte) error {
			return d.TextUTF8(mem, math.MaxUint32, math.MaxUint32, 0, 0)
		}, "wasm4: textUtf8: string 0xffffffff+4294967295 bytes end past memory size 65536: pass a string wholly in memory"},
		{"textUtf8 empty past memory", nil, func(d wasm4test.Drawer, mem []byte) error { return d.TextUTF8(mem, 0x10001, 0, 0, 0) },
			"wasm4: textUtf8: string 0x10001+0 bytes end past memory size 65536: pass a string wholly in memory"},
		{"textUtf16 past the end", nil, func(d wasm4test.Drawer, mem []byte) error { return d.TextUTF16(mem, 0xfffe, 3, 0, 0) },
			"wasm4: textUtf16: string 0xfffe+3 bytes end past memory size 65536: pass a string wholly in memory"},
		{"textUtf16 odd to the end", noNUL, func(d wasm4test.Drawer, mem []byte) error { return d.TextUTF16(mem, 0xfff1, 15, 0, 0) }, ""},
	}
	for _, tt := range tests {
		mem := baseMemory()
		if tt.setup != nil {
			tt.setup(mem)
		}
		if err := tt.call(impl{}, mem); fmt.Sprint(err) != fmt.Sprint(errOrNil(tt.wantErr)) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
		}
		check(t, drawCase{name: tt.name, colors: 0x0042, setup: tt.setup, call: tt.call})
	}
}

func TestTextUTF8(t *testing.T) {
	strs := []string{
		"plain ASCII",
		"Grüße, ¿Qué tal? «ÀÉÎÕÜ» ½ ©",
		"raw Latin-1 \x80\x86 caf\xe9 \xff",
		"beyond Latin-1: € ✓ 😀 Ā",
		"overlong \xc0\x80 \xc1\xbf \xe0\x80\x80 \xf0\x80\x80\x80",
		"surrogates \xed\xa0\x80 \xed\xbf\xbf",
		"too big \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80",
		"max \xf4\x8f\xbf\xbf \xef\xbf\xbd",
		"truncated \xe2\x82 \xf0\x9f\x98 \xc3",
		"lone continuation \x80\xbf\xa9",
		"mixed \xc3\xa9\xa9\xc3",
		"nul stops\x00hidden",
		"line\none\x85\nnext",
		"\xc3",
		"",
	}
	for i, s := range strs {
		for j, p := range [][2]int32{{2, 3}, {-9, 100}} {
			c := []uint16{0x0004, 0x0042, 0x0031}[(i+j)%3]
			check(t, textCase(fmt.Sprintf("textUtf8 %q", s), c, []byte(s), func(d wasm4test.Drawer, mem []byte) error {
				return d.TextUTF8(mem, spriteAddr, uint32(len(s)), p[0], p[1])
			}))
			// A shorter length cuts sequences.
			check(t, textCase(fmt.Sprintf("textUtf8 %q cut", s), c, []byte(s), func(d wasm4test.Drawer, mem []byte) error {
				return d.TextUTF8(mem, spriteAddr, uint32(len(s)/2+1), p[0], p[1])
			}))
		}
	}
}

func TestTextUTF16(t *testing.T) {
	units := [][]uint16{
		{'H', 'i', 0xe9, 0xff, 0x100, 0x20ac},
		{0xd83d, 0xde00, 'x', 0xd800, 'y', 0xdc00, 'z', 0xdbff, 0xdfff},
		{0xd800, 0xd800, 0xdc00},
		{'a', '\n', 'b', 0, 'c'},
		{0x86, 0x80, 0x81, 0x87},
		{'e', 'n', 'd', 0xd83d},
	}
	for i, u := range units {
		data := wasm4test.UTF16LE(u...)
		for _, n := range []int{len(data), len(data) - 1, len(data) + 1, 1, 0} {
			c := []uint16{0x0004, 0x0042, 0x0021}[i%3]
			check(t, textCase(fmt.Sprintf("textUtf16 %x len %d", u, n), c, data, func(d wasm4test.Drawer, mem []byte) error {
				return d.TextUTF16(mem, spriteAddr, uint32(n), 5, 7)
			}))
			check(t, textCase(fmt.Sprintf("textUtf16 %x len %d odd address", u, n), c, data, func(d wasm4test.Drawer, mem []byte) error {
				return d.TextUTF16(mem, spriteAddr+1, uint32(n), -3, 150)
			}))
		}
	}
}

// TestTextFromFramebuffer draws strings stored in the framebuffer: they
// are read before the first glyph changes them.
func TestTextFromFramebuffer(t *testing.T) {
	setup := func(mem []byte) {
		copy(mem[wasm4.AddrFramebuffer:], "Drawn over itself!\x00")
		copy(mem[wasm4.AddrFramebuffer+41:], "\xc3\xa9t\xc3\xa9 \xe2\x82\xac ok")
	}
	for _, c := range []drawCase{
		{name: "text in the framebuffer", colors: 0x0034, setup: setup, call: func(d wasm4test.Drawer, mem []byte) error {
			return d.Text(mem, wasm4.AddrFramebuffer, 0, 0)
		}},
		{name: "textUtf8 in the framebuffer", colors: 0x0042, setup: setup, call: func(d wasm4test.Drawer, mem []byte) error {
			return d.TextUTF8(mem, wasm4.AddrFramebuffer+41, 14, 4, 0)
		}},
		{name: "textUtf16 in the framebuffer", colors: 0x0042, setup: setup, call: func(d wasm4test.Drawer, mem []byte) error {
			return d.TextUTF16(mem, wasm4.AddrFramebuffer, 40, 0, 1)
		}},
	} {
		check(t, c)
	}
}

// TestDecodeUTF8 checks the reference's UTF-8 reading against the
// standard library's decoder with the Latin-1 fallback, and its UTF-16
// reading against unicode/utf16 (which turns unpaired surrogates into
// U+FFFD where textUtf16 keeps them, without a glyph either way).
func TestDecodeUTF8(t *testing.T) {
	seed := uint32(7)
	next := func() uint32 {
		seed = seed*1103515245 + 12345
		return seed >> 8
	}
	for range 5000 {
		var s []byte
		for range 10 {
			v := next()
			b := byte(v)
			switch v >> 20 & 7 {
			case 0, 1, 2:
				b = 0x80 | b&0x3f
			case 3:
				b = 0xc0 | b&0x3f
			case 4:
				b = 0xe0 | b&0x1f
			case 5:
				b = 0xf0 | b&0x0f
			}
			s = append(s, b)
		}
		var want []rune
		for rest := s; len(rest) > 0; {
			r, size := utf8.DecodeRune(rest)
			if r == utf8.RuneError && size == 1 {
				r = rune(rest[0])
			}
			want = append(want, r)
			rest = rest[size:]
		}
		if got := wasm4test.DecodeUTF8(s); !slices.Equal(got, want) {
			t.Fatalf("DecodeUTF8(%q) = %U, want %U", s, got, want)
		}

		units := make([]uint16, len(s)/2)
		for i := range units {
			units[i] = binary.LittleEndian.Uint16(s[2*i:])
			if next()&3 == 0 {
				units[i] = 0xd800 | units[i]&0x7ff
			}
		}
		got := wasm4test.DecodeUTF16(wasm4test.UTF16LE(units...))
		for i, r := range got {
			if r >= 0xd800 && r <= 0xdfff {
				got[i] = utf8.RuneError
			}
		}
		if want := utf16.Decode(units); !slices.Equal(got, want) {
			t.Fatalf("DecodeUTF16(%x) = %U, want %U", units, got, want)
		}
	}
}
