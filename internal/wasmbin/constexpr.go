package wasmbin

import "fmt"

// ConstExprError is a constant expression (a global's initial value, a
// segment's offset, an element) that WebAssembly 2.0 does not allow but
// browsers' engines run: arithmetic (the extended constant expressions
// proposal), or global.get of a global the module defines rather than
// imports (allowed since the garbage collection proposal). wazero 1.12
// refuses both, so such a module would run in the browser only.
type ConstExprError struct {
	Where string // "global 3", "data segment 0", "element segment 1"
	What  string // the instruction and the proposal it needs
}

// Error says where the expression is and what in it is past 2.0.
func (e *ConstExprError) Error() string {
	return fmt.Sprintf("the constant expression of %s uses %s: past WebAssembly 2.0", e.Where, e.What)
}

// CheckConstExprs returns a *ConstExprError for the first constant
// expression of bin (a module Parse read as m) that WebAssembly 2.0 does
// not allow and browsers' engines do, else nil. What it cannot read is
// left to the engine, which refuses an invalid module.
func CheckConstExprs(bin []byte, m *Module) error {
	imported := uint32(m.imported(KindGlobal))
	var e *ConstExprError
	sections(bin, func(id byte, sec *reader) bool {
		switch id {
		case 6:
			e = sec.globalExprs(imported)
		case 9:
			e = sec.elementExprs(imported)
		case 11:
			e = sec.dataExprs(imported)
		}
		return e == nil
	})
	if e != nil {
		return e
	}
	return nil
}

// globalExprs checks the global section's initial values.
func (r *reader) globalExprs(imported uint32) *ConstExprError {
	n, err := r.count()
	if err != nil {
		return nil
	}
	for i := range n {
		if r.skipN(2) != nil { // type, mutability
			return nil
		}
		if what, ok := r.constExprV2(imported); !ok {
			return nil
		} else if what != "" {
			return &ConstExprError{Where: fmt.Sprintf("global %d", imported+i), What: what}
		}
	}
	return nil
}

// elementExprs checks the element section's offsets and elements.
func (r *reader) elementExprs(imported uint32) *ConstExprError {
	n, err := r.count()
	if err != nil {
		return nil
	}
	for i := range n {
		seg, ok := r.elemSegment()
		if !ok {
			return nil
		}
		for _, x := range seg.exprs {
			e := &reader{b: r.b[:x[1]], off: x[0]}
			if what, ok := e.constExprV2(imported); !ok {
				return nil
			} else if what != "" {
				return &ConstExprError{Where: fmt.Sprintf("element segment %d", i), What: what}
			}
		}
	}
	return nil
}

// dataExprs checks the data section's offsets.
func (r *reader) dataExprs(imported uint32) *ConstExprError {
	n, err := r.count()
	if err != nil {
		return nil
	}
	for i := range n {
		flags, err := r.u32()
		if err != nil || flags > 2 {
			return nil
		}
		if flags == 2 { // an explicit memory
			if _, err := r.u32(); err != nil {
				return nil
			}
		}
		if flags != 1 { // active: an offset
			if what, ok := r.constExprV2(imported); !ok {
				return nil
			} else if what != "" {
				return &ConstExprError{Where: fmt.Sprintf("data segment %d", i), What: what}
			}
		}
		size, err := r.u32()
		if err != nil || r.skipN(int(size)) != nil {
			return nil
		}
	}
	return nil
}

// constExprV2 reads a constant expression up to its end and returns what
// in it is past WebAssembly 2.0 ("" for nothing), the first such thing;
// ok is false where it cannot read the expression. global.get of global
// imported or above is one: 2.0 allows only imported globals there.
func (r *reader) constExprV2(imported uint32) (what string, ok bool) {
	for {
		op, err := r.byte()
		if err != nil {
			return "", false
		}
		switch op {
		case 0x0b: // end
			return what, true
		case 0x41, 0x42: // i32.const, i64.const
			err = r.skipSLEB()
		case 0x43: // f32.const
			err = r.skipN(4)
		case 0x44: // f64.const
			err = r.skipN(8)
		case 0xd0: // ref.null t
			err = r.skipN(1)
		case 0xd2: // ref.func
			_, err = r.u32()
		case 0x23: // global.get
			var g uint32
			if g, err = r.u32(); err == nil && g >= imported && what == "" {
				what = fmt.Sprintf("global.get %d, of a global the module defines rather than imports", g)
			}
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e:
			if what == "" {
				what = map[byte]string{0x6a: "i32.add", 0x6b: "i32.sub", 0x6c: "i32.mul", 0x7c: "i64.add", 0x7d: "i64.sub", 0x7e: "i64.mul"}[op] +
					" (the extended constant expressions proposal)"
			}
		case 0xfd: // v128.const
			var sub uint32
			if sub, err = r.u32(); err == nil {
				if sub != 12 {
					return "", false
				}
				err = r.skipN(16)
			}
		default:
			return "", false // not a constant instruction: the engine refuses it
		}
		if err != nil {
			return "", false
		}
	}
}
