package testcarts

// CompileBomb returns a small cart that is valid but slow to compile: its
// update holds n nested blocks (kind "blocks": 3 bytes each) or br_tables
// of n targets in all (kind "br_table": 1 byte each). Made here rather than
// committed, since the bytes are megabytes of the same few.
func CompileBomb(kind string, n int) []byte {
	var body []byte
	body = append(body, 0) // no locals
	switch kind {
	case "blocks":
		for range n {
			body = append(body, 0x02, 0x40) // block
		}
		for range n {
			body = append(body, 0x0b) // end
		}
	case "br_table":
		// br_tables of n targets in all, each of at most the 65,520
		// browsers' engines compile (and ebicart's core allows).
		for left := n; left > 0; {
			k := min(left, 65520)
			body = append(body, 0x41, 0x00, 0x0e) // i32.const 0; br_table
			body = appendLEB(body, uint32(k))
			body = append(body, make([]byte, k+1)...) // k targets and the default, all 0
			left -= k
		}
	default:
		panic("testcarts: unknown compile bomb " + kind)
	}
	body = append(body, 0x0b)
	fb := []byte{0, 0x41, 0x00, 0x0b} // framebuffer: i32.const 0

	m := []byte("\x00asm\x01\x00\x00\x00")
	m = appendSection(m, 1, []byte{2, 0x60, 0, 0, 0x60, 0, 1, 0x7f}) // () -> (), () -> i32
	m = appendSection(m, 3, []byte{2, 0, 1})                         // update, framebuffer
	m = appendSection(m, 5, []byte{1, 0, 1})                         // memory 1
	var exports []byte
	exports = append(exports, 3)
	exports = appendName(exports, "memory", 2, 0)
	exports = appendName(exports, "update", 0, 0)
	exports = appendName(exports, "framebuffer", 0, 1)
	m = appendSection(m, 7, exports)
	var code []byte
	code = append(code, 2)
	code = appendLEB(code, uint32(len(body)))
	code = append(code, body...)
	code = appendLEB(code, uint32(len(fb)))
	code = append(code, fb...)
	return appendSection(m, 10, code)
}

func appendSection(m []byte, id byte, b []byte) []byte {
	m = append(m, id)
	m = appendLEB(m, uint32(len(b)))
	return append(m, b...)
}

func appendName(b []byte, name string, kind byte, index uint32) []byte {
	b = appendLEB(b, uint32(len(name)))
	b = append(b, name...)
	b = append(b, kind)
	return appendLEB(b, index)
}

func appendLEB(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
