package wasm4

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// cString reads a NUL-terminated string at ptr (at most 4096 bytes).
func cString(mem []byte, ptr uint32) string {
	if uint64(ptr) >= uint64(len(mem)) {
		return ""
	}
	b := mem[ptr:min(len(mem), int(ptr)+4096)]
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return latin1OrUTF8(b)
}

// latin1OrUTF8 decodes UTF-8, taking bytes that are not UTF-8 as Latin-1.
func latin1OrUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// memSlice returns mem[ptr:ptr+n] or false when it is not all in memory.
func memSlice(mem []byte, ptr, n uint32) ([]byte, bool) {
	if uint64(ptr)+uint64(n) > uint64(len(mem)) {
		return nil, false
	}
	return mem[ptr : ptr+n], true
}

// utf16String decodes n bytes of UTF-16LE.
func utf16String(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// tracef formats WASM-4's tracef(fmt, args): %c %d %x %s %f and %%, the
// arguments packed as C varargs are on wasm32 (4 bytes each, doubles 8,
// 8-byte aligned).
func tracef(mem []byte, format, args uint32) string {
	f := cString(mem, format)
	var out strings.Builder
	off := uint64(args)
	word := func() (uint32, bool) {
		if off+4 > uint64(len(mem)) {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(mem[off:])
		off += 4
		return v, true
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' || i+1 == len(f) {
			out.WriteByte(c)
			continue
		}
		i++
		switch f[i] {
		case 'c':
			v, ok := word()
			if !ok {
				return out.String() + "<args past memory>"
			}
			out.WriteRune(rune(v))
		case 'd':
			v, ok := word()
			if !ok {
				return out.String() + "<args past memory>"
			}
			out.WriteString(strconv.Itoa(int(int32(v))))
		case 'x':
			v, ok := word()
			if !ok {
				return out.String() + "<args past memory>"
			}
			out.WriteString(strconv.FormatUint(uint64(v), 16))
		case 's':
			v, ok := word()
			if !ok {
				return out.String() + "<args past memory>"
			}
			out.WriteString(cString(mem, v))
		case 'f':
			off = (off + 7) &^ 7
			if off+8 > uint64(len(mem)) {
				return out.String() + "<args past memory>"
			}
			v := math.Float64frombits(binary.LittleEndian.Uint64(mem[off:]))
			off += 8
			out.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		case '%':
			out.WriteByte('%')
		default:
			out.WriteByte('%')
			out.WriteByte(f[i])
		}
	}
	return out.String()
}
