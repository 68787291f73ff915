package wasm4test

import (
	"fmt"
	"image"
)

// Sprites with no symmetry (no two flips alike), of widths that are no
// multiple of 8 or 4: AsymSprite1 is 7x6 at 1 bit per pixel, AsymSprite2
// 6x5 at 2 bits per pixel.
var (
	AsymSprite1 = Sprite1(
		"######.",
		"#......",
		"####...",
		"#.....#",
		"#....##",
		"#...###",
	)
	AsymSprite2 = Sprite2(
		"333321",
		"300001",
		"322001",
		"300011",
		"300111",
	)
)

// DrawCartScene returns the scene of the draw.c test cart in
// wasm4/testdata: one update() that sets PALETTE and draws, with
// DRAW_COLORS set before every call, every drawing function: blit with all
// 16 flag combinations (8 for 1BPP, 8 for 2BPP), transparent draw colours,
// blitSub with srcX/srcY/stride, clipping at all four edges, lines in all
// octants, zero and huge lengths, rects and ovals of many sizes, and text
// with new lines, Latin-1, the button glyphs, UTF-8 and UTF-16.
//
// testdata/draw.c is generated from it (go test ./wasm4 -run
// TestDrawCartSource -update) and must not be edited by hand.
func DrawCartScene() Scene {
	s := Scene{
		// Ice Cream GB, so a host that ignores PALETTE shows.
		Palette: [4]uint32{0xfff6d3, 0xf9a875, 0xeb6b6f, 0x7c3f58},
		Blobs: []Blob{
			{Name: "spr1", Kind: Bytes, Data: AsymSprite1},
			{Name: "spr2", Kind: Bytes, Data: AsymSprite2},
			{Name: "atlas1", Kind: Bytes, Data: Sprite1( // 16x8, two tiles
				"..####..#......#",
				".#....#.##....##",
				"#.#..#.##.#..#.#",
				"#......##..##..#",
				"#.#..#.##..##..#",
				"#..##..##.#..#.#",
				".#....#.##....##",
				"..####..#......#",
			)},
			{Name: "atlas2", Kind: Bytes, Data: Sprite2( // 10x6
				"0123012301",
				"1333333332",
				"2310000133",
				"3312222130",
				"0330000330",
				"1111222233",
			)},
			{Name: "hello", Kind: String, Data: []byte("Hello, WASM-4!\n\x80 \x81 \x84\x85\x86\x87 ok")},
			{Name: "latin", Kind: String, Data: []byte("\xc0\xc9\xce\xd5\xdc\xdf \xe0\xe9\xee\xf5\xfc\xff\xe7\xf1")},
			{Name: "ctrl", Kind: String, Data: []byte("a\tb\x01c\x7fd")},
			{Name: "utf8", Kind: String, Data: []byte("Grüße €\xff\x86\xe2\x82!\x00hidden")},
			{Name: "utf16", Kind: UTF16, Data: UTF16LE(
				'\u00dc', 'n', '\u00ef', 0xd83d, 0xde00, 0xdc00, '\u00e9', '\n', '\u00a9', '\u00bd', 0, 'X',
			)},
		},
	}
	call := func(colors uint16, fn, blob string, args ...int64) {
		s.Calls = append(s.Calls, Call{Func: fn, Colors: colors, Blob: blob, Args: args})
	}

	// Every flag combination: 1BPP then 2BPP, FLIP_X, FLIP_Y and ROTATE
	// counting up.
	for i := range int64(8) {
		call(0x0042, "blit", "spr1", 2+9*i, 3, 7, 6, i<<1)
		call(0x4321, "blit", "spr2", 74+9*i, 3, 6, 5, 1|i<<1)
	}
	// The same over a strip, with transparent draw colours.
	call(0x0002, "rect", "", 0, 11, 145, 9)
	for i := range int64(8) {
		call(0x0030, "blit", "spr1", 2+9*i, 12, 7, 6, i<<1)
		call(0x4031, "blit", "spr2", 74+9*i, 12, 6, 5, 1|i<<1)
	}
	// Clipped at the top and the right edge.
	call(0x0043, "blit", "spr1", 148, -3, 7, 6, 0)
	call(0x4321, "blit", "spr2", 156, 8, 6, 5, 1|8)

	// blitSub: tiles of a 1BPP sheet, odd regions of a 2BPP one.
	call(0x0042, "blitSub", "atlas1", 8, 22, 8, 8, 0, 0, 16, 0)
	call(0x0041, "blitSub", "atlas1", 18, 22, 8, 8, 8, 0, 16, 0)
	call(0x0024, "blitSub", "atlas1", 28, 22, 8, 8, 8, 0, 16, 2|8)
	call(0x0042, "blitSub", "atlas1", 38, 23, 5, 3, 2, 3, 16, 4)
	call(0x4321, "blitSub", "atlas2", 46, 22, 10, 6, 0, 0, 10, 1)
	call(0x4321, "blitSub", "atlas2", 58, 22, 5, 4, 3, 1, 10, 1)
	call(0x4321, "blitSub", "atlas2", 65, 22, 5, 4, 3, 1, 10, 1|4)
	call(0x1342, "blitSub", "atlas2", 72, 22, 5, 4, 3, 1, 10, 1|2|4|8)
	call(0x4320, "blitSub", "atlas2", 79, 22, 7, 3, 2, 2, 10, 1|2)
	// Clipped at the left edge; a stride-0 sheet repeats its first row.
	call(0x0042, "blit", "spr1", -3, 22, 7, 6, 2)
	call(0x4321, "blitSub", "atlas2", 88, 22, 10, 5, 0, 0, 0, 1)

	// Lines: a star in all octants around (30, 51), alternating colours.
	ends := [][2]int64{
		{48, 51}, {48, 60}, {48, 69}, {39, 69}, {30, 69}, {21, 69}, {12, 69}, {12, 60},
		{12, 51}, {12, 42}, {12, 33}, {21, 33}, {30, 33}, {39, 33}, {48, 33}, {48, 42},
	}
	for i, e := range ends {
		colors := uint16(0x0004)
		if i%2 == 1 {
			colors = 0x0003
		}
		call(colors, "line", "", 30, 51, e[0], e[1])
	}
	call(0x0004, "line", "", 54, 34, 54, 34)              // a single pixel
	call(0x0040, "line", "", 54, 36, 70, 50)              // colour 1 transparent: nothing
	call(0x0003, "line", "", 56, 36, 75, 43)              // shallow
	call(0x0004, "line", "", 57, 44, 61, 66)              // steep
	call(0x0004, "line", "", -20, 40, 5, 70)              // clipped left
	call(0x0003, "line", "", 150, 40, 175, 62)            // clipped right
	call(0x0004, "line", "", 150, -12, 146, 20)           // clipped top
	call(0x0004, "line", "", -(1 << 31), 32, 1<<31-1, 33) // huge, nearly flat

	// hline and vline, including 0, 1 and huge lengths.
	call(0x0004, "hline", "", 80, 34, 40)
	call(0x0003, "hline", "", 80, 36, 1)
	call(0x0004, "hline", "", 80, 38, 0)
	call(0x0002, "hline", "", 150, 38, 20)
	call(0x0004, "vline", "", 80, 40, 25)
	call(0x0003, "vline", "", 82, 40, 1)
	call(0x0004, "vline", "", 84, 40, 0)
	call(0x0040, "vline", "", 86, 40, 25) // transparent: nothing
	call(0x0004, "hline", "", -(1 << 31), 159, 1<<32-1)
	call(0x0003, "vline", "", 159, -(1 << 31), 1<<32-1)

	// Rects: sizes 0..7, then transparent fill, transparent outline,
	// clipped at the left edge.
	x := int64(90)
	for n := range int64(8) {
		call(0x0042, "rect", "", x, 42, n, n)
		x += n + 2
	}
	call(0x0040, "rect", "", 90, 52, 14, 9)
	call(0x0003, "rect", "", 106, 52, 14, 9)
	call(0x0034, "rect", "", 122, 52, 14, 9)
	call(0x0000, "rect", "", 138, 52, 10, 9) // all transparent: nothing
	call(0x0042, "rect", "", -4, 72, 10, 8)
	call(0x0042, "rect", "", 90, 63, 1, 6)
	call(0x0042, "rect", "", 93, 63, 6, 1)

	// Ovals: circles 1..9, ellipses, transparent fill or outline, a large
	// one clipped at the right edge, zero sizes.
	x = 10
	for n := range int64(9) {
		call(0x0042, "oval", "", x, 73, n+1, n+1)
		x += n + 3
	}
	call(0x0043, "oval", "", 72, 72, 16, 8)
	call(0x0043, "oval", "", 90, 72, 7, 14)
	call(0x0040, "oval", "", 99, 72, 12, 12)
	call(0x0003, "oval", "", 113, 72, 12, 12)
	call(0x0024, "oval", "", 130, 74, 60, 40)
	call(0x0042, "oval", "", 2, 84, 0, 10)
	call(0x0042, "oval", "", 2, 90, 30, 1)
	call(0x0042, "oval", "", 2, 93, 1, 9)
	call(0x0034, "oval", "", 6, 88, 40, 20)
	call(0x0042, "oval", "", 50, 88, 70, 26)

	// Text.
	call(0x0004, "text", "hello", 2, 116)
	call(0x0042, "text", "latin", 2, 133)
	call(0x0034, "text", "ctrl", 120, 133)
	call(0x0012, "textUtf8", "utf8", int64(len("Grüße €\xff\x86\xe2\x82!\x00hidden")), 2, 142)
	call(0x0003, "textUtf16", "utf16", 2*12+1, 104, 142)
	call(0x0024, "text", "hello", -20, 151)
	return s
}

// RenderDrawCartReference returns what one update() of the draw.c test cart
// in wasm4/testdata must leave on the screen of a WASM-4 host, computed
// with the reference implementation: the framebuffer after [PowerOn] and
// [DrawCartScene], as an image in the palette the cart sets.
func RenderDrawCartReference() *image.Paletted {
	mem := PowerOn()
	s := DrawCartScene()
	if err := s.Run(mem, Reference{}); err != nil {
		panic(fmt.Sprint("wasm4test: the draw cart scene fails: ", err))
	}
	return Image(mem, s.Palette)
}
