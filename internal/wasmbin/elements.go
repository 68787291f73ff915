package wasmbin

import "fmt"

// ElementsError is an active element segment that writes past the end of
// the table it fills: instantiation fails, as the specification says
// (the browser's engine refuses the module), where wazero 1.12 skips the
// segment and every later one and runs the module.
type ElementsError struct {
	Segment    int    // the segment's index in the element section
	Table      uint32 // the table it fills
	Offset     uint64 // where it starts
	Count      uint64 // how many elements it writes
	TableElems uint64 // the table's size at instantiation
}

// Error says which segment writes past which table's end.
func (e *ElementsError) Error() string {
	return fmt.Sprintf("element segment %d puts %d elements at %d in table %d of %d, past its end: instantiating the module traps (was its table declared too small?)",
		e.Segment, e.Count, e.Offset, e.Table, e.TableElems)
}

// CheckElements returns an *ElementsError for the first active element
// segment of bin (a module Parse read as m) that writes past its table's
// initial size, at a constant offset into a table the module defines. A
// segment at another offset (a global's) or into an imported table, whose
// size is the importer's, is the engine's to check, as is anything
// CheckElements cannot read: it returns nil then.
func CheckElements(bin []byte, m *Module) error {
	imported := uint32(m.imported(KindTable))
	var e *ElementsError
	sections(bin, func(id byte, sec *reader) bool {
		if id != 9 {
			return true
		}
		n, err := sec.count()
		if err != nil {
			return false
		}
		for i := range int(n) {
			seg, ok := sec.elemSegment()
			if !ok {
				return false
			}
			if !seg.active || !seg.constOffset || seg.table < imported {
				continue
			}
			t := seg.table - imported
			if uint64(t) >= uint64(len(m.Tables)) {
				return false // an invalid module: the engine says so
			}
			if elems := m.Tables[t].Min; seg.offset+seg.count > elems {
				e = &ElementsError{Segment: i, Table: seg.table, Offset: seg.offset, Count: seg.count, TableElems: elems}
				return false
			}
		}
		return false
	})
	if e != nil {
		return e
	}
	return nil
}

// elemSegment is what CheckElements and CheckConstExprs need of an
// element segment.
type elemSegment struct {
	active, constOffset bool
	table               uint32
	offset, count       uint64
	exprs               [][2]int // where its constant expressions are in the reader's bytes, from and to: the offset's, then its elements'
}

// elemSegment reads an element segment (its eight encodings); ok is false
// where it cannot.
func (r *reader) elemSegment() (s elemSegment, ok bool) {
	flags, err := r.u32()
	if err != nil || flags > 7 {
		return s, false
	}
	s.active = flags&1 == 0
	if flags&2 != 0 && s.active { // an explicit table
		if s.table, err = r.u32(); err != nil {
			return s, false
		}
	}
	if s.active {
		start := r.off
		if err := r.skipConstExpr(); err != nil {
			return s, false
		}
		s.exprs = append(s.exprs, [2]int{start, r.off})
		// i32.const v end, and nothing else, is a constant offset.
		c := &reader{b: r.b[start:r.off]}
		if op, _ := c.byte(); op == 0x41 {
			if v, err := c.s32(); err == nil {
				if end, _ := c.byte(); end == 0x0b && c.done() {
					s.offset, s.constOffset = uint64(uint32(v)), true
				}
			}
		}
	}
	if flags&3 != 0 { // an element kind (0x00) or a reference type
		if _, err := r.byte(); err != nil {
			return s, false
		}
	}
	n, err := r.u32()
	if err != nil {
		return s, false
	}
	s.count = uint64(n)
	for range n {
		if flags&4 != 0 {
			start := r.off
			err = r.skipConstExpr()
			s.exprs = append(s.exprs, [2]int{start, r.off})
		} else {
			_, err = r.u32()
		}
		if err != nil || r.off > len(r.b) {
			return s, false
		}
	}
	return s, true
}
