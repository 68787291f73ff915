package wasm4

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ebicart/ebicart/guest"
)

// cString returns the NUL-terminated string at ptr, or an error naming
// function when it does not end within mem (WASM-4's runtimes trap then).
func cString(function string, mem []byte, ptr uint32) ([]byte, error) {
	if uint64(ptr) >= uint64(len(mem)) {
		return nil, fmt.Errorf("wasm4: %s: string at 0x%x past memory size %d: pass a string in memory", function, ptr, len(mem))
	}
	n := bytes.IndexByte(mem[ptr:], 0)
	if n < 0 {
		return nil, fmt.Errorf("wasm4: %s: string at 0x%x has no NUL before memory end %d: end it with a 0 byte", function, ptr, len(mem))
	}
	return mem[ptr : int(ptr)+n], nil
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

// tracef formats WASM-4's tracef(fmt, args) as its native runtime does:
// the arguments are read one after the other from args, 4 bytes for %c,
// %d, %x and %s and 8 for %f, with no alignment (C varargs would align a
// double to 8 bytes; WASM-4 does not, and neither do the bindings written
// for it). %c writes the argument's low byte, %d it signed, %x unsigned in
// lower-case hex, %s the NUL-terminated string it points to, %f the
// double as C's %g does (6 significant digits, "inf", "nan"), %% a %; any
// other character after % is written with it, and a % that ends the
// format ends the output. The error reports an argument or string outside
// mem, where WASM-4's runtimes trap.
func tracef(mem []byte, format, args uint32) (string, error) {
	f, err := cString("tracef", mem, format)
	if err != nil {
		return "", err
	}
	var out []byte
	off := uint64(args)
	arg := func(n uint64) ([]byte, error) {
		if off+n > uint64(len(mem)) {
			return nil, fmt.Errorf("wasm4: tracef: argument at 0x%x+%d bytes past memory size %d: pass arguments in memory", off, n, len(mem))
		}
		b := mem[off : off+n]
		off += n
		return b, nil
	}
	for i := 0; i < len(f); i++ {
		if len(out) > guest.MaxLogMessage {
			// The log keeps no more of a message: a format of a
			// thousand %s of itself must not cost the host more. The
			// arguments are still checked, as WASM-4 does.
			out = out[:guest.MaxLogMessage]
		}
		full := len(out) == guest.MaxLogMessage
		c := f[i]
		if c != '%' {
			out = append(out, c)
			continue
		}
		i++
		if i == len(f) {
			break
		}
		var b []byte
		switch f[i] {
		case 'c', 'd', 'x', 's':
			if b, err = arg(4); err != nil {
				return "", err
			}
		case 'f':
			if b, err = arg(8); err != nil {
				return "", err
			}
		}
		switch f[i] {
		case 'c':
			out = append(out, b[0])
		case 'd':
			out = strconv.AppendInt(out, int64(int32(binary.LittleEndian.Uint32(b))), 10)
		case 'x':
			out = strconv.AppendUint(out, uint64(binary.LittleEndian.Uint32(b)), 16)
		case 's':
			str, err := cString("tracef", mem, binary.LittleEndian.Uint32(b))
			if err != nil {
				return "", err
			}
			if !full {
				out = append(out, str...)
			}
		case 'f':
			out = appendG(out, math.Float64frombits(binary.LittleEndian.Uint64(b)))
		case '%':
			out = append(out, '%')
		default:
			out = append(out, '%', f[i])
		}
	}
	return latin1OrUTF8(out[:min(len(out), guest.MaxLogMessage)]), nil
}

// appendG appends v as C's printf("%g") writes it: 6 significant digits,
// trailing zeros dropped, an exponent of at least two digits.
func appendG(out []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		if math.Signbit(v) {
			return append(out, "-nan"...)
		}
		return append(out, "nan"...)
	case math.IsInf(v, 1):
		return append(out, "inf"...)
	case math.IsInf(v, -1):
		return append(out, "-inf"...)
	}
	return strconv.AppendFloat(out, v, 'g', 6, 64)
}
