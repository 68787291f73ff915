package wasm4_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/ebicart/ebicart/internal/wasm4test"
	"github.com/ebicart/ebicart/wasm4"
)

// fuzzCall makes drawing call number sel%10 on d with arguments a.
func fuzzCall(d wasm4test.Drawer, mem []byte, sel uint8, a [9]uint32) (string, error) {
	i := func(n int) int32 { return int32(a[n]) }
	switch sel % 10 {
	case 0:
		return fmt.Sprintf("blit(%#x, %d, %d, %d, %d, %d)", a[0], i(1), i(2), a[3], a[4], a[5]),
			d.Blit(mem, a[0], i(1), i(2), a[3], a[4], a[5])
	case 1:
		return fmt.Sprintf("blitSub(%#x, %d, %d, %d, %d, %d, %d, %d, %d)", a[0], i(1), i(2), a[3], a[4], a[5], a[6], a[7], a[8]),
			d.BlitSub(mem, a[0], i(1), i(2), a[3], a[4], a[5], a[6], a[7], a[8])
	case 2:
		d.Line(mem, i(0), i(1), i(2), i(3))
		return fmt.Sprintf("line(%d, %d, %d, %d)", i(0), i(1), i(2), i(3)), nil
	case 3:
		d.HLine(mem, i(0), i(1), a[2])
		return fmt.Sprintf("hline(%d, %d, %d)", i(0), i(1), a[2]), nil
	case 4:
		d.VLine(mem, i(0), i(1), a[2])
		return fmt.Sprintf("vline(%d, %d, %d)", i(0), i(1), a[2]), nil
	case 5:
		d.Rect(mem, i(0), i(1), a[2], a[3])
		return fmt.Sprintf("rect(%d, %d, %d, %d)", i(0), i(1), a[2], a[3]), nil
	case 6:
		d.Oval(mem, i(0), i(1), a[2], a[3])
		return fmt.Sprintf("oval(%d, %d, %d, %d)", i(0), i(1), a[2], a[3]), nil
	case 7:
		return fmt.Sprintf("text(%#x, %d, %d)", a[0], i(1), i(2)), d.Text(mem, a[0], i(1), i(2))
	case 8:
		return fmt.Sprintf("textUtf8(%#x, %d, %d, %d)", a[0], a[1], i(2), i(3)), d.TextUTF8(mem, a[0], a[1], i(2), i(3))
	default:
		return fmt.Sprintf("textUtf16(%#x, %d, %d, %d)", a[0], a[1], i(2), i(3)), d.TextUTF16(mem, a[0], a[1], i(2), i(3))
	}
}

// FuzzWasm4Draw makes one drawing call with arbitrary arguments on a
// memory holding arbitrary bytes at an arbitrary address: it must not
// panic, must write nothing outside the framebuffer, and must do what the
// reference does, error included.
func FuzzWasm4Draw(f *testing.F) {
	seeds := []struct {
		sel    uint8
		colors uint16
		a      [9]uint32
		data   []byte
		addr   uint16
	}{
		{0, 0x4321, [9]uint32{0x4000, 10, 20, 7, 6, 9}, sprite1, 0x4000},
		{0, 0x0042, [9]uint32{0x4000, 0xfffffffd, 150, 8, 8, 14}, sprite1x8, 0x4000},
		{0, 0x4321, [9]uint32{0xfff0, 0, 0, 16, 16, 1}, nil, 0},
		{1, 0x1342, [9]uint32{0x4000, 3, 4, 5, 4, 2, 1, 11, 1 | 2 | 8}, atlas2, 0x4000},
		{1, 0x2413, [9]uint32{wasm4.AddrFramebuffer, 1, 0, 160, 150, 0, 0, 160, 1}, nil, 0},
		{1, 0x0042, [9]uint32{0x100, 0x80000000, 0x7fffffff, 0xffffffff, 0xffffffff, 0, 0, 0, 0}, nil, 0},
		{2, 0x0004, [9]uint32{80, 80, 67, 69}, nil, 0},
		{2, 0x0003, [9]uint32{0x80000000, 0x80000000, 0x7fffffff, 0x7fffffff}, nil, 0},
		{3, 0x0002, [9]uint32{0xfffffffb, 20, 10}, nil, 0},
		{4, 0x0004, [9]uint32{159, 0x80000000, 0xffffffff}, nil, 0},
		{5, 0x0042, [9]uint32{0xfffffffe, 155, 10, 9}, nil, 0},
		{6, 0x0032, [9]uint32{1, 1, 8, 8}, nil, 0},
		{6, 0x0024, [9]uint32{0xffff0000, 10, 0x00030000, 100}, nil, 0},
		{7, 0x0042, [9]uint32{0x4000, 3, 5}, []byte("Hi\n\x86\xe9\x00"), 0x4000},
		{7, 0x0042, [9]uint32{0xfff0, 0, 0}, bytes.Repeat([]byte{'x'}, 16), 0xfff0},
		{8, 0x0004, [9]uint32{0x4000, 12, 0xfffffff0, 150}, []byte("Gr\xc3\xbc\xc3\x9fe \xe2\x82\xac\xff"), 0x4000},
		{9, 0x0021, [9]uint32{0x4001, 13, 5, 7}, []byte{'H', 0, 0x3d, 0xd8, 0, 0xde, 0, 0xdc, 0xe9, 0}, 0x4001},
	}
	for _, s := range seeds {
		f.Add(s.sel, s.colors, s.a[0], s.a[1], s.a[2], s.a[3], s.a[4], s.a[5], s.a[6], s.a[7], s.a[8], s.data, s.addr)
	}
	base := baseMemory()
	f.Fuzz(func(t *testing.T, sel uint8, colors uint16, a0, a1, a2, a3, a4, a5, a6, a7, a8 uint32, data []byte, addr uint16) {
		mem := bytes.Clone(base)
		copy(mem[addr:], data)
		binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], colors)
		before := bytes.Clone(mem)
		ref := bytes.Clone(mem)
		a := [9]uint32{a0, a1, a2, a3, a4, a5, a6, a7, a8}

		call, err := fuzzCall(impl{}, mem, sel, a)
		if !bytes.Equal(mem[:wasm4.AddrFramebuffer], before[:wasm4.AddrFramebuffer]) ||
			!bytes.Equal(mem[wasm4.AddrProgramMemory:], before[wasm4.AddrProgramMemory:]) {
			t.Fatalf("%s wrote outside the framebuffer%s", call, diff(before, mem, before))
		}
		_, refErr := fuzzCall(wasm4test.Reference{}, ref, sel, a)
		if fmt.Sprint(err) != fmt.Sprint(refErr) {
			t.Fatalf("%s: error %v, reference %v", call, err, refErr)
		}
		if !bytes.Equal(mem, ref) {
			t.Fatalf("%s with DRAW_COLORS %#04x differs from the reference%s", call, colors, diff(before, mem, ref))
		}
	})
}
