package wasmbin

import (
	"errors"
	"fmt"
	"strconv"
)

// Global is a mutable global a module defines, exported for the host by
// ExportGlobals.
type Global struct {
	Index  uint32  // in the global index space (imported globals first)
	Type   ValType // i32, i64, f32, f64 (v128 and references are refused)
	Export string  // the name it is exported under
}

// GlobalExportPrefix starts the names ExportGlobals gives; no ABI export
// starts so.
const GlobalExportPrefix = "ebicart:global:"

// GlobalExportName is the name ExportGlobals exports the global of index
// under.
func GlobalExportName(index uint32) string {
	return GlobalExportPrefix + strconv.FormatUint(uint64(index), 10)
}

// ExportGlobals returns bin with every mutable global it defines exported
// under GlobalExportPrefix and its index, so that a host can read and
// write all of a module's state, as WASM-4's web runtime does for its save
// states. It refuses a module with a mutable global whose value a host
// cannot hold as 64 bits (v128, references).
func ExportGlobals(bin []byte) ([]byte, []Global, error) {
	m, err := Parse(bin)
	if err != nil {
		return nil, nil, err
	}
	imported := uint32(0)
	for _, im := range m.Imports {
		if im.Kind == KindGlobal {
			imported++
		}
	}
	var globals []Global
	var exportSec, globalEnd = -1, -1 // offsets of the export section's id, the end of the global section
	r := &reader{b: bin, off: 8}
	for !r.done() {
		idStart := r.off
		id, _ := r.byte()
		size, _ := r.u32()
		start := r.off
		end := start + int(size)
		switch id {
		case 6:
			sec := &reader{b: bin[:end], off: start}
			n, err := sec.count()
			if err != nil {
				return nil, nil, err
			}
			for i := range n {
				t, err := sec.byte()
				if err != nil {
					return nil, nil, err
				}
				mut, err := sec.byte()
				if err != nil {
					return nil, nil, err
				}
				if err := sec.skipConstExpr(); err != nil {
					return nil, nil, fmt.Errorf("global %d: %w", imported+i, err)
				}
				if mut != 1 {
					continue
				}
				switch ValType(t) {
				case I32, I64, F32, F64:
				default:
					return nil, nil, fmt.Errorf("global %d is a mutable %s: its value cannot be saved", imported+i, ValType(t))
				}
				idx := imported + i
				globals = append(globals, Global{Index: idx, Type: ValType(t), Export: GlobalExportName(idx)})
			}
			globalEnd = end
		case 7:
			exportSec = idStart
		}
		r.off = end
	}
	if len(globals) == 0 {
		return bin, nil, nil
	}
	entries := func(b []byte) []byte {
		for _, g := range globals {
			b = leb(b, uint64(len(g.Export)))
			b = append(b, g.Export...)
			b = append(b, byte(KindGlobal))
			b = leb(b, uint64(g.Index))
		}
		return b
	}
	out := make([]byte, 0, len(bin)+len(globals)*24)
	if exportSec >= 0 {
		r := &reader{b: bin, off: exportSec + 1}
		size, _ := r.u32()
		start := r.off
		sec := &reader{b: bin[:start+int(size)], off: start}
		n, err := sec.count()
		if err != nil {
			return nil, nil, err
		}
		body := leb(nil, uint64(n)+uint64(len(globals)))
		body = append(body, bin[sec.off:start+int(size)]...)
		body = entries(body)
		out = append(out, bin[:exportSec]...)
		out = append(out, 7)
		out = leb(out, uint64(len(body)))
		out = append(out, body...)
		return append(out, bin[start+int(size):]...), globals, nil
	}
	if globalEnd < 0 {
		return nil, nil, errors.New("mutable globals without a global section")
	}
	// No export section: one goes right after the global section.
	body := entries(leb(nil, uint64(len(globals))))
	out = append(out, bin[:globalEnd]...)
	out = append(out, 7)
	out = leb(out, uint64(len(body)))
	out = append(out, body...)
	return append(out, bin[globalEnd:]...), globals, nil
}

// skipConstExpr reads a constant expression up to its end opcode.
func (r *reader) skipConstExpr() error {
	for {
		op, err := r.byte()
		if err != nil {
			return err
		}
		switch op {
		case 0x0b: // end
			return nil
		case 0x41, 0x23, 0xd2: // i32.const, global.get, ref.func
			_, err = r.u64()
		case 0x42: // i64.const
			_, err = r.u64()
		case 0x43: // f32.const
			r.off += 4
		case 0x44: // f64.const
			r.off += 8
		case 0xd0: // ref.null t
			_, err = r.byte()
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended constants: add, sub, mul
		case 0xfd: // v128.const
			var sub uint64
			if sub, err = r.u64(); err == nil && sub != 12 {
				err = fmt.Errorf("SIMD opcode %d in a constant expression", sub)
			}
			r.off += 16
		default:
			return fmt.Errorf("opcode 0x%02x in a constant expression", op)
		}
		if err != nil {
			return err
		}
		if r.off > len(r.b) {
			return errEOF
		}
	}
}
