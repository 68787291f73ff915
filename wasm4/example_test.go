package wasm4_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/ebicart/ebicart/wasm4"
)

// Example draws the way a host does for a cart's imports: on the cart's
// own 64 KiB memory, with DRAW_COLORS and the sprite in that memory, an
// error becoming a trap.
func Example() {
	mem := make([]byte, wasm4.MemorySize)
	wasm4.Reset(mem)

	// *DRAW_COLORS = 0x42; rect(1, 1, 4, 3);
	binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], 0x42)
	wasm4.Rect(mem, 1, 1, 4, 3)

	// A 1BPP sprite at 0x2000, drawn with bit 0 transparent.
	mem[0x2000] = 0b10100000
	binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], 0x20)
	if err := wasm4.Blit(mem, 0x2000, 0, 5, 3, 1, wasm4.Blit1BPP); err != nil {
		fmt.Println("trap:", err)
	}
	if err := wasm4.Blit(mem, 0xfff0, 0, 0, 16, 16, wasm4.Blit1BPP); err != nil {
		fmt.Println("trap:", err)
	}

	for y := range 6 {
		for x := range 6 {
			fmt.Print(wasm4.Pixel(mem, x, y))
		}
		fmt.Println()
	}
	// Output:
	// trap: wasm4: blit: sprite 0xfff0+32 bytes end past memory size 65536: pass a sprite wholly in memory
	// 000000
	// 033330
	// 031130
	// 033330
	// 000000
	// 101000
}

func benchMemory(colors uint16) []byte {
	mem := make([]byte, wasm4.MemorySize)
	wasm4.Reset(mem)
	binary.LittleEndian.PutUint16(mem[wasm4.AddrDrawColors:], colors)
	copy(mem[0x2000:], sprite1x8)
	copy(mem[0x3000:], "Hello, WASM-4 world!\x00")
	return mem
}

func BenchmarkBlit8x8(b *testing.B) {
	mem := benchMemory(0x4320)
	for b.Loop() {
		wasm4.Blit(mem, 0x2000, 37, 41, 8, 8, wasm4.BlitFlipX)
	}
}

func BenchmarkRectFullScreen(b *testing.B) {
	mem := benchMemory(0x0042)
	for b.Loop() {
		wasm4.Rect(mem, 0, 0, 160, 160)
	}
}

func BenchmarkOval64(b *testing.B) {
	mem := benchMemory(0x0042)
	for b.Loop() {
		wasm4.Oval(mem, 40, 40, 64, 64)
	}
}

func BenchmarkOvalHuge(b *testing.B) {
	mem := benchMemory(0x0042)
	for b.Loop() {
		wasm4.Oval(mem, -1<<30, -1<<30, 1<<31-1, 1<<31-1)
	}
}

// BenchmarkOvalWide is the most WASM-4's walk costs: the widest oval it
// draws, flat, so that it walks its whole width on screen.
func BenchmarkOvalWide(b *testing.B) {
	mem := benchMemory(0x0042)
	for b.Loop() {
		wasm4.Oval(mem, -32688, 0, 1<<16, 160)
	}
}

func BenchmarkLineHuge(b *testing.B) {
	mem := benchMemory(0x0004)
	for b.Loop() {
		wasm4.Line(mem, -1<<31, -1<<31, 1<<31-1, 1<<31-1)
	}
}

func BenchmarkText20(b *testing.B) {
	mem := benchMemory(0x0042)
	for b.Loop() {
		wasm4.Text(mem, 0x3000, 0, 76)
	}
}
