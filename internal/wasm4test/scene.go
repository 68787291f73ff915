package wasm4test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// A Scene is a deterministic sequence of WASM-4 drawing calls with the data
// they point to: what a test cart's update() does, runnable on any
// [Drawer] with [Scene.Run] and printable as C with [Scene.C].
type Scene struct {
	// Palette is written to PALETTE before the first call.
	Palette [4]uint32
	// Blobs are the data the calls point to.
	Blobs []Blob
	// Calls are made in order.
	Calls []Call
}

// A BlobKind says how a [Blob] is declared in C and laid out in memory.
type BlobKind int

const (
	// Bytes is a uint8_t array.
	Bytes BlobKind = iota
	// String is a char array holding Data and a terminating NUL.
	String
	// UTF16 is a uint16_t array; Data holds its little-endian bytes.
	UTF16
)

// A Blob is named data in the cart's memory.
type Blob struct {
	Name string
	Kind BlobKind
	Data []byte
}

// A Call is one drawing call.
type Call struct {
	// Func is the WASM-4 import: blit, blitSub, line, hline, vline, rect,
	// oval, text, textUtf8 or textUtf16.
	Func string
	// Colors is stored to DRAW_COLORS before the call.
	Colors uint16
	// Blob names the data the call's pointer argument points to, for the
	// functions that take one (blit, blitSub, text*).
	Blob string
	// Args are the remaining arguments, in order, as the cart passes them
	// (int32 or uint32 values).
	Args []int64
}

// argCounts is the number of Args of each function.
var argCounts = map[string]int{
	"blit": 5, "blitSub": 8, "line": 4, "hline": 3, "vline": 3, "rect": 4, "oval": 4,
	"text": 2, "textUtf8": 3, "textUtf16": 3,
}

// BlobBase is where [Scene.Run] places the first blob; the others follow,
// each 2-byte aligned.
const BlobBase = 0x2000

// Run lays out the blobs from [BlobBase], writes the palette, and makes
// the calls on d. mem must be a 64 KiB memory, usually fresh from
// [PowerOn].
func (s Scene) Run(mem []byte, d Drawer) error {
	addr := map[string]uint32{}
	next := uint32(BlobBase)
	for _, b := range s.Blobs {
		addr[b.Name] = next
		n := copy(mem[next:], b.Data)
		if b.Kind == String {
			mem[next+uint32(n)] = 0
			n++
		}
		next += uint32(n+1) &^ 1
	}
	for i, c := range s.Palette {
		binary.LittleEndian.PutUint32(mem[addrPalette+4*i:], c)
	}
	for i, c := range s.Calls {
		if err := s.check(c); err != nil {
			return fmt.Errorf("call %d: %w", i, err)
		}
		binary.LittleEndian.PutUint16(mem[addrDrawColors:], c.Colors)
		a, p := c.Args, addr[c.Blob]
		i32 := func(i int) int32 { return int32(a[i]) }
		u32 := func(i int) uint32 { return uint32(a[i]) }
		var err error
		switch c.Func {
		case "blit":
			err = d.Blit(mem, p, i32(0), i32(1), u32(2), u32(3), u32(4))
		case "blitSub":
			err = d.BlitSub(mem, p, i32(0), i32(1), u32(2), u32(3), u32(4), u32(5), u32(6), u32(7))
		case "line":
			d.Line(mem, i32(0), i32(1), i32(2), i32(3))
		case "hline":
			d.HLine(mem, i32(0), i32(1), u32(2))
		case "vline":
			d.VLine(mem, i32(0), i32(1), u32(2))
		case "rect":
			d.Rect(mem, i32(0), i32(1), u32(2), u32(3))
		case "oval":
			d.Oval(mem, i32(0), i32(1), u32(2), u32(3))
		case "text":
			err = d.Text(mem, p, i32(0), i32(1))
		case "textUtf8":
			err = d.TextUTF8(mem, p, u32(0), i32(1), i32(2))
		case "textUtf16":
			err = d.TextUTF16(mem, p, u32(0), i32(1), i32(2))
		}
		if err != nil {
			return fmt.Errorf("call %d (%s): %w", i, c.Func, err)
		}
	}
	return nil
}

func (s Scene) check(c Call) error {
	n, ok := argCounts[c.Func]
	if !ok {
		return fmt.Errorf("unknown function %q", c.Func)
	}
	if len(c.Args) != n {
		return fmt.Errorf("%s takes %d arguments after the pointer, not %d", c.Func, n, len(c.Args))
	}
	needBlob := strings.HasPrefix(c.Func, "blit") || strings.HasPrefix(c.Func, "text")
	if needBlob != (c.Blob != "") {
		return fmt.Errorf("%s with blob %q", c.Func, c.Blob)
	}
	if needBlob && s.blob(c.Blob) == nil {
		return fmt.Errorf("no blob %q", c.Blob)
	}
	return nil
}

func (s Scene) blob(name string) *Blob {
	for i := range s.Blobs {
		if s.Blobs[i].Name == name {
			return &s.Blobs[i]
		}
	}
	return nil
}

// C returns the scene as the body of a C cart: the blobs as static arrays
// and an update() that sets PALETTE, then DRAW_COLORS and makes each call,
// for a file that includes wasm4.h first. Every value is written out as a
// literal, so the cart needs no C library.
func (s Scene) C() ([]byte, error) {
	var b bytes.Buffer
	for _, bl := range s.Blobs {
		switch bl.Kind {
		case Bytes:
			fmt.Fprintf(&b, "static const uint8_t %s[%d] = {", bl.Name, len(bl.Data))
			for i, v := range bl.Data {
				if i%12 == 0 {
					b.WriteString("\n   ")
				}
				fmt.Fprintf(&b, " 0x%02x,", v)
			}
			b.WriteString("\n};\n\n")
		case String:
			fmt.Fprintf(&b, "static const char %s[] = \"%s\";\n\n", bl.Name, cString(bl.Data))
		case UTF16:
			fmt.Fprintf(&b, "static const uint16_t %s[%d] = {", bl.Name, len(bl.Data)/2)
			for i := 0; i+1 < len(bl.Data); i += 2 {
				if i%16 == 0 {
					b.WriteString("\n   ")
				}
				fmt.Fprintf(&b, " 0x%04x,", uint16(bl.Data[i])|uint16(bl.Data[i+1])<<8)
			}
			b.WriteString("\n};\n\n")
		}
	}
	b.WriteString("WASM_EXPORT(\"update\") void update(void) {\n")
	for i, c := range s.Palette {
		fmt.Fprintf(&b, "    PALETTE[%d] = 0x%06x;\n", i, c)
	}
	for i, c := range s.Calls {
		if err := s.check(c); err != nil {
			return nil, fmt.Errorf("call %d: %w", i, err)
		}
		kinds := cArgKinds[c.Func]
		args := []string{}
		if c.Blob != "" {
			args = append(args, c.Blob)
		}
		for j, v := range c.Args {
			if kinds[j] == 'u' {
				args = append(args, fmt.Sprintf("%du", uint32(v)))
			} else if int32(v) == -1<<31 {
				args = append(args, "(-2147483647 - 1)")
			} else {
				args = append(args, fmt.Sprint(int32(v)))
			}
		}
		fmt.Fprintf(&b, "    *DRAW_COLORS = 0x%04x;\n    %s(%s);\n", c.Colors, c.Func, strings.Join(args, ", "))
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// cArgKinds says which Args are unsigned ('u') or signed ('i') in C.
var cArgKinds = map[string]string{
	"blit": "iiuuu", "blitSub": "iiuuuuuu", "line": "iiii", "hline": "iiu", "vline": "iiu",
	"rect": "iiuu", "oval": "iiuu", "text": "ii", "textUtf8": "uii", "textUtf16": "uii",
}

// cString escapes s for a C string literal: printable ASCII as is, the
// rest as 3-digit octal escapes, which cannot run into what follows.
func cString(s []byte) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '"' || c == '\\' || c == '?':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	return b.String()
}

// Sprite1 packs rows of '#' (bit 1) and '.' (bit 0) into a 1BPP sprite:
// row after row without padding, the leftmost pixel in the top bit.
func Sprite1(rows ...string) []byte {
	var bitsOut []int
	for _, r := range rows {
		for _, c := range r {
			if c == '#' {
				bitsOut = append(bitsOut, 1)
			} else {
				bitsOut = append(bitsOut, 0)
			}
		}
	}
	return packBits(bitsOut)
}

// Sprite2 packs rows of the digits '0'..'3' into a 2BPP sprite: row after
// row without padding, the leftmost pixel in the top two bits.
func Sprite2(rows ...string) []byte {
	var bitsOut []int
	for _, r := range rows {
		for _, c := range r {
			v := int(c - '0')
			bitsOut = append(bitsOut, v>>1&1, v&1)
		}
	}
	return packBits(bitsOut)
}

func packBits(bitsIn []int) []byte {
	out := make([]byte, (len(bitsIn)+7)/8)
	for i, b := range bitsIn {
		out[i/8] |= byte(b) << (7 - i%8)
	}
	return out
}

// UTF16LE encodes the code units as little-endian bytes.
func UTF16LE(units ...uint16) []byte {
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
