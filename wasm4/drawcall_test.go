package wasm4

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// directMem is a memory the engine gives as bytes, as wazero does.
type directMem struct{ b []byte }

func (m *directMem) Size() uint64                     { return uint64(len(m.b)) }
func (m *directMem) Read(addr uint32, b []byte) bool  { return copy(b, m.b[addr:]) == len(b) }
func (m *directMem) Write(addr uint32, b []byte) bool { return copy(m.b[addr:], b) == len(b) }
func (m *directMem) Bytes() []byte                    { return m.b }
func (m *directMem) Grow(uint32) bool                 { return false }

// copyMem is a memory every access copies, as the browser's is; it counts
// the bytes copied each way.
type copyMem struct {
	b           []byte
	read, wrote int // bytes
	calls       int // Size, Read and Write calls
}

func (m *copyMem) Size() uint64 { m.calls++; return uint64(len(m.b)) }
func (m *copyMem) Read(addr uint32, b []byte) bool {
	m.calls++
	m.read += len(b)
	return copy(b, m.b[addr:]) == len(b)
}
func (m *copyMem) Write(addr uint32, b []byte) bool {
	m.calls++
	m.wrote += len(b)
	return copy(m.b[addr:], b) == len(b)
}
func (m *copyMem) Bytes() []byte    { return nil }
func (m *copyMem) Grow(uint32) bool { return false }

// drawCall is a call of a drawing function with its arguments.
type drawCall struct {
	name string
	args []uint64
}

func (c drawCall) String() string { return fmt.Sprint(c.name, c.args) }

// callOn runs c on m through function and returns the trap it raised.
func callOn(d *drawer, c drawCall, m interface {
	Size() uint64
	Read(uint32, []byte) bool
	Write(uint32, []byte) bool
	Bytes() []byte
	Grow(uint32) bool
}) (trapped any) {
	defer func() { trapped = recover() }()
	stack := make([]uint64, 9)
	copy(stack, c.args)
	function(nil, d, c.name)(m, stack)
	return nil
}

// TestDrawCopiesLittle draws the same calls on a memory the engine gives
// as bytes and, through the drawer's mirror, on one every access copies
// (the browser's): the memories stay identical after every call, traps
// included, over edge cases and random calls of every drawing function.
// An 8x8 blit makes at most three accesses and copies its 8 rows back.
func TestDrawCopiesLittle(t *testing.T) {
	u := func(v int32) uint64 { return uint64(uint32(v)) }
	calls := []drawCall{
		{"blit", []uint64{0x3000, u(-4), u(-4), 8, 8, 0}},
		{"blit", []uint64{0x3000, 150, 155, 8, 8, 1}},
		{"blit", []uint64{0x3000, 10, 150, 16, 4, BlitRotate | Blit2BPP}},
		{"blit", []uint64{0x3000, 10, 10, 16, 4, BlitRotate | BlitFlipY}},
		{"blit", []uint64{0xfff0, 10, 10, 16, 16, 0}},                  // past memory: traps
		{"blit", []uint64{0x100, 0, 20, 40, 40, Blit2BPP}},             // the sprite is the framebuffer
		{"blitSub", []uint64{0x3000, 3, 100, 8, 8, 5, 9, 64, 0}},       // a sheet's cell
		{"blitSub", []uint64{0x3000, 3, 100, 8, 8, 5, 9, 64, 0xff}},    // every flag
		{"line", []uint64{u(-10), 170, 170, u(-10)}},                   // corner to corner
		{"line", []uint64{3, 40, 150, 40}},                             // flat
		{"hline", []uint64{u(-5), 159, 400}},                           // last row
		{"vline", []uint64{7, u(-20), 60}},                             // from above
		{"vline", []uint64{7, 20, u(-60)}},                             // negative length
		{"rect", []uint64{u(-3), u(-3), 20, 0}},                        // zero height
		{"rect", []uint64{30, 90, 0, u(-7)}},                           // negative height
		{"rect", []uint64{30, 150, 40, 40}},                            // clipped
		{"oval", []uint64{40, 40, 30, 20}},                             // whole
		{"oval", []uint64{150, u(-10), 30, 30}},                        // clipped
		{"oval", []uint64{20, 80, u(-9), 11}},                          // negative width
		{"oval", []uint64{20, 80, 9, u(-11)}},                          // negative height
		{"text", []uint64{0x4000, 10, 10}},                             // two lines
		{"text", []uint64{0x4000, u(-20), 156}},                        // clipped
		{"text", []uint64{0xffff, 0, 0}},                               // no NUL: traps
		{"text", []uint64{0x1000, 0, 0}},                               // a string in the framebuffer
		{"textUtf8", []uint64{0x4000, 20, 0, 60}},                      // through the NUL
		{"textUtf16", []uint64{0x4100, 24, 5, 70}},                     // pairs, a newline
		{"textUtf16", []uint64{0xfff0, 40, 5, 70}},                     // past memory: traps
		{"textUtf8", []uint64{0x4000, 0x10000, 5, 70}},                 // too long: traps
		{"blit", []uint64{0x3000, 0, 0, 0, 8, 0}},                      // empty
		{"blitSub", []uint64{0x3000, 9, 9, 8, 8, 0, 0, 0xffffffff, 0}}, // a huge stride: traps
	}
	for w := range uint64(14) { // small ovals draw beside their box
		for h := range uint64(14) {
			calls = append(calls, drawCall{"oval", []uint64{30, 60 + h, w, h}})
		}
	}
	rng := rand.New(rand.NewPCG(15, 6))
	coord := func() uint64 { return u(rng.Int32N(200) - 20) }
	size := func() uint64 { return u(rng.Int32N(44) - 4) }
	for range 3000 {
		var c drawCall
		switch rng.IntN(10) {
		case 0:
			c = drawCall{"blit", []uint64{0x3000 + rng.Uint64N(0x100), coord(), coord(), size(), size(), rng.Uint64N(16)}}
		case 1:
			c = drawCall{"blitSub", []uint64{0x3000 + rng.Uint64N(0x100), coord(), coord(), size(), size(), rng.Uint64N(20), rng.Uint64N(20), rng.Uint64N(70), rng.Uint64N(16)}}
		case 2:
			c = drawCall{"line", []uint64{coord(), coord(), coord(), coord()}}
		case 3:
			c = drawCall{"hline", []uint64{coord(), coord(), size()}}
		case 4:
			c = drawCall{"vline", []uint64{coord(), coord(), size()}}
		case 5:
			c = drawCall{"rect", []uint64{coord(), coord(), size(), size()}}
		case 6:
			c = drawCall{"oval", []uint64{coord(), coord(), size(), size()}}
		case 7:
			c = drawCall{"text", []uint64{0x4000 + rng.Uint64N(0x200), coord(), coord()}}
		case 8:
			c = drawCall{"textUtf8", []uint64{0x4000 + rng.Uint64N(0x200), rng.Uint64N(40), coord(), coord()}}
		default:
			c = drawCall{"textUtf16", []uint64{0x4000 + rng.Uint64N(0x200), rng.Uint64N(40), coord(), coord()}}
		}
		calls = append(calls, c)
	}

	init := make([]byte, 1<<16)
	for i := range init {
		init[i] = byte(rng.Uint32())
	}
	// Strings: printable bytes, newlines, a NUL now and then.
	for i := 0x4000; i < 0x4400; i++ {
		switch r := rng.IntN(20); {
		case r == 0:
			init[i] = 0
		case r < 3:
			init[i] = '\n'
		default:
			init[i] = byte(0x20 + rng.IntN(0xe0))
		}
	}
	copy(init[0x1000:], "in the\nframebuffer\x00")
	init[0xffff] = 'x'
	direct, copied := &directMem{bytes.Clone(init)}, &copyMem{b: bytes.Clone(init)}
	dd, dc := new(drawer), new(drawer)
	for i, c := range calls {
		if i%7 == 0 { // DRAW_COLORS, transparent colours included
			colors := []byte{byte(rng.Uint32()), byte(rng.Uint32())}
			copy(direct.b[AddrDrawColors:], colors)
			copy(copied.b[AddrDrawColors:], colors)
		}
		errDirect, errCopied := callOn(dd, c, direct), callOn(dc, c, copied)
		if fmt.Sprint(errDirect) != fmt.Sprint(errCopied) {
			t.Fatalf("call %d, %v: trap %v on the copying memory, %v on the direct one", i, c, errCopied, errDirect)
		}
		if !bytes.Equal(direct.b, copied.b) {
			at := 0
			for direct.b[at] == copied.b[at] {
				at++
			}
			t.Fatalf("call %d, %v: memories differ from 0x%x (pixel %d,%d): the drawer copied too little", i, c, at, (at-AddrFramebuffer)*4%Width, (at-AddrFramebuffer)*4/Width)
		}
	}

	// In the browser each access is a call into JavaScript, which costs
	// more than copying a few KB: a blit (after the first, which learns
	// the memory's size) reads twice and writes once.
	m := &copyMem{b: bytes.Clone(init)}
	d := new(drawer)
	callOn(d, drawCall{"blit", []uint64{0x3000, 50, 50, 8, 8, 0}}, m)
	m.read, m.wrote, m.calls = 0, 0, 0
	callOn(d, drawCall{"blit", []uint64{0x3000, 50, 150, 8, 8, 0}}, m)
	if m.calls > 3 || m.read > 8<<10 || m.wrote > 8*Width/4 {
		t.Errorf("an 8x8 blit made %d accesses, copying %d bytes in and %d out; want at most 3, 8 KiB and its 8 rows", m.calls, m.read, m.wrote)
	}
}
