package wasmbin

import (
	"errors"
	"fmt"
	"slices"
)

// StackExport is the name BoundStack exports its stack budget under: a
// mutable i32 global, the bytes of stack the cart has left. It is negative
// only in the instant before the trap that a call past the budget causes,
// which is how a host tells that trap from the cart's own unreachable.
const StackExport = "ebicart:stack"

// StackFrameBytes estimates the stack a call of a function with slots
// 64-bit parameters and locals takes (v128 counts two): what BoundStack
// charges a call.
func StackFrameBytes(slots uint64) uint64 { return 32 + 8*slots }

// errUnknownOp stops BoundStack at an instruction it does not know.
var errUnknownOp = errors.New("unknown instruction")

// BoundStack returns bin with its call stack bounded to about budget
// bytes. wazero has no stack limit of its own but a ceiling near 100 MB,
// which a runaway recursion takes seconds to reach while wazero copies the
// growing stack: here every function charges its frame
// (StackFrameBytes) to a global at entry, traps with unreachable when the
// budget is spent, and gives the frame back at every exit: its body is
// wrapped in a block whose end is the one way out, and each return
// becomes a branch to that end. No function index moves. The global is
// exported as StackExport.
//
// ok is false, and bin comes back unchanged, when the module holds an
// instruction BoundStack does not know: one past WebAssembly 2.0 (a tail
// call, a throw, an atomic), for which the core refuses the cart.
func BoundStack(bin []byte, budget uint32) (out []byte, ok bool, err error) {
	m, err := Parse(bin)
	if err != nil {
		return nil, false, err
	}
	if m.Funcs == 0 {
		return bin, true, nil
	}
	type section struct {
		id         byte
		start, end int // the section's whole bytes, id included
		body       int // where its content starts
	}
	var secs []section
	r := &reader{b: bin, off: 8}
	for !r.done() {
		start := r.off
		id, _ := r.byte()
		size, _ := r.u32()
		secs = append(secs, section{id, start, r.off + int(size), r.off})
		r.off += int(size)
	}
	find := func(id byte) *section {
		for i := range secs {
			if secs[i].id == id {
				return &secs[i]
			}
		}
		return nil
	}
	var types []FuncType
	if s := find(1); s != nil {
		if types, err = (&reader{b: bin[:s.end], off: s.body}).types(); err != nil {
			return nil, false, err
		}
	}
	importedFuncs, importedGlobals := 0, 0
	for _, im := range m.Imports {
		switch im.Kind {
		case KindFunc:
			importedFuncs++
		case KindGlobal:
			importedGlobals++
		}
	}
	var funcTypes []uint32
	if s := find(3); s != nil {
		fr := &reader{b: bin[:s.end], off: s.body}
		n, err := fr.count()
		for i := uint32(0); i < n && err == nil; i++ {
			var t uint32
			if t, err = fr.u32(); err == nil && int(t) >= len(types) {
				err = fmt.Errorf("function %d has type %d of %d", i, t, len(types))
			}
			funcTypes = append(funcTypes, t)
		}
		if err != nil {
			return nil, false, err
		}
	}
	global := uint32(importedGlobals + m.Globals)
	if uint64(global)+1 > maxGlobals {
		return nil, false, fmt.Errorf("%d globals with the imported ones, and one more for the stack bound the host adds as it loads a cart: more than the %d browsers' engines compile: use fewer globals", global, maxGlobals)
	}
	for _, ex := range m.Exports {
		if ex.Kind == KindGlobal && ex.Index >= global {
			// The global the rewrite adds would make it valid.
			return nil, false, fmt.Errorf("an export of global %d, of %d: the module is not valid", ex.Index, global)
		}
	}

	// The code section, rewritten; new types for blocks of several results.
	code := find(10)
	if code == nil {
		return bin, true, nil
	}
	var extraTypes [][]ValType
	blockType := func(results []ValType) []byte {
		switch len(results) {
		case 0:
			return []byte{0x40}
		case 1:
			return []byte{byte(results[0])}
		}
		i := slices.IndexFunc(extraTypes, func(t []ValType) bool { return slices.Equal(t, results) })
		if i < 0 {
			i = len(extraTypes)
			extraTypes = append(extraTypes, results)
		}
		return sleb(nil, int64(len(types)+i))
	}
	cr := &reader{b: bin[:code.end], off: code.body}
	n, err := cr.count()
	if err != nil {
		return nil, false, err
	}
	if int(n) != len(funcTypes) {
		return nil, false, fmt.Errorf("%d function bodies for %d functions", n, len(funcTypes))
	}
	newCode := leb(make([]byte, 0, code.end-code.body+int(n)*48), uint64(n))
	var fn []byte
	for i := range n {
		size, err := cr.u32()
		if err != nil {
			return nil, false, err
		}
		if uint64(size) > uint64(len(cr.b)-cr.off) {
			return nil, false, fmt.Errorf("function body %d runs past the code section", i)
		}
		body := cr.b[cr.off : cr.off+int(size)]
		cr.off += int(size)
		ft := types[funcTypes[i]]
		fn, err = boundBody(fn[:0], body, ft, len(types), global, budget, blockType(ft.Results))
		if errors.Is(err, errUnknownOp) {
			return bin, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("function %d: %w", importedFuncs+int(i), err)
		}
		// The bound's own bytes count against browsers' limit too: a
		// body just within it would be refused in the browser alone.
		if len(fn) > maxBodySize {
			return nil, false, fmt.Errorf("function body %d is %d bytes, %d with the stack bound the host adds as it loads a cart: more than the %d browsers' engines compile: split the function",
				i, size, len(fn), maxBodySize)
		}
		newCode = leb(newCode, uint64(len(fn)))
		newCode = append(newCode, fn...)
	}
	if n := len(types) + len(extraTypes); n > maxTypes {
		return nil, false, fmt.Errorf("%d types, and %d more for the stack bound the host adds as it loads a cart: more than the %d browsers' engines compile: use fewer types", len(types), len(extraTypes), maxTypes)
	}

	// Reassemble: the sections as they were, but for the type, global,
	// export and code sections; a global or export section is added where
	// the module has none.
	out = make([]byte, 0, len(bin)+len(newCode)-(code.end-code.body)+64)
	out = append(out, bin[:8]...)
	globalEntry := append([]byte{byte(I32), 1, 0x41}, sleb(nil, int64(budget))...)
	globalEntry = append(globalEntry, 0x0b)
	exportEntry := leb(nil, uint64(len(StackExport)))
	exportEntry = append(exportEntry, StackExport...)
	exportEntry = append(exportEntry, byte(KindGlobal))
	exportEntry = leb(exportEntry, uint64(global))
	appendSection := func(out []byte, id byte, content []byte) []byte {
		out = append(out, id)
		out = leb(out, uint64(len(content)))
		return append(out, content...)
	}
	// extend returns a vector section's content with entries added.
	extend := func(s section, count int, entries []byte) ([]byte, error) {
		vr := &reader{b: bin[:s.end], off: s.body}
		old, err := vr.count()
		if err != nil {
			return nil, err
		}
		c := leb(nil, uint64(old)+uint64(count))
		c = append(c, bin[vr.off:s.end]...)
		return append(c, entries...), nil
	}
	// Sections that come after the global (export) section, in order.
	afterGlobal := map[byte]bool{7: true, 8: true, 9: true, 12: true, 10: true, 11: true}
	afterExport := map[byte]bool{8: true, 9: true, 12: true, 10: true, 11: true}
	hasGlobal, hasExport := find(6) != nil, find(7) != nil
	for _, s := range secs {
		if !hasGlobal && afterGlobal[s.id] {
			out = appendSection(out, 6, append([]byte{1}, globalEntry...))
			hasGlobal = true
		}
		if !hasExport && afterExport[s.id] {
			out = appendSection(out, 7, append([]byte{1}, exportEntry...))
			hasExport = true
		}
		var content []byte
		switch s.id {
		case 1:
			var entries []byte
			for _, t := range extraTypes {
				entries = append(entries, 0x60, 0)
				entries = append(leb(entries, uint64(len(t))), valBytes(t)...)
			}
			content, err = extend(s, len(extraTypes), entries)
		case 6:
			content, err = extend(s, 1, globalEntry)
		case 7:
			content, err = extend(s, 1, exportEntry)
		case 10:
			content = newCode
		default:
			out = append(out, bin[s.start:s.end]...)
			continue
		}
		if err != nil {
			return nil, false, err
		}
		out = appendSection(out, s.id, content)
	}
	return out, true, nil
}

// boundBody appends to out the body of a function of type ft with its
// frame charged to global: its locals, the charge, the old body inside a
// block of the function's results (each return a branch to its end), and
// the refund.
//
// The module's types number types and its globals global: the rewrite
// adds a type and a global after them, so a body that names one of those
// (an invalid module) is refused here rather than made valid.
func boundBody(out, body []byte, ft FuncType, types int, global, budget uint32, bt []byte) ([]byte, error) {
	r := &reader{b: body}
	groups, err := r.count()
	if err != nil {
		return nil, err
	}
	slots := uint64(0)
	for _, p := range ft.Params {
		slots += slotsOf(p)
	}
	for range groups {
		c, err := r.u32()
		if err != nil {
			return nil, err
		}
		t, err := r.byte()
		if err != nil {
			return nil, err
		}
		slots += uint64(c) * slotsOf(ValType(t))
	}
	cost := int64(min(StackFrameBytes(slots), uint64(budget)+1))
	out = append(out, body[:r.off]...)
	// budget -= cost; if budget < 0 { unreachable }
	out = append(out, 0x23)
	out = leb(out, uint64(global))
	out = append(out, 0x41)
	out = sleb(out, cost)
	out = append(out, 0x6b, 0x24) // i32.sub, global.set
	out = leb(out, uint64(global))
	out = append(out, 0x23)
	out = leb(out, uint64(global))
	out = append(out, 0x41, 0, 0x48, 0x04, 0x40, 0x00, 0x0b) // i32.const 0, i32.lt_s, if, unreachable, end
	out = append(out, 0x02)
	out = append(out, bt...)
	depth := uint64(0) // blocks open inside the wrapper
	from := r.off      // the old body is copied in spans, up to each return
	for {
		at := r.off
		if at >= len(r.b) {
			return nil, fmt.Errorf("body ends inside a block")
		}
		op := r.b[at]
		r.off++
		switch {
		case op == 0x20 || op == 0x21 || op == 0x22 || op == 0x10 || op == 0x0c || op == 0x0d:
			// locals, call, br, br_if: one index, the most common
			// instructions after those with none.
			if err := r.skipSLEB(); err != nil {
				return nil, err
			}
		case op == 0x23 || op == 0x24: // global.get, global.set
			g, err := r.u32()
			if err != nil {
				return nil, err
			}
			if g >= global {
				return nil, fmt.Errorf("global %d used, of %d: the module is not valid", g, global)
			}
		case op == 0x11: // call_indirect type table
			t, err := r.u32()
			if err != nil {
				return nil, err
			}
			if int64(t) >= int64(types) {
				return nil, fmt.Errorf("call_indirect of type %d, of %d: the module is not valid", t, types)
			}
			if _, err := r.u32(); err != nil {
				return nil, err
			}
		case op >= 0x45 && op <= 0xc4, op == 0x1a, op == 0x1b, op == 0x00, op == 0x01, op == 0x05:
		case op == 0x0e: // br_table
			n, err := r.count()
			if err != nil {
				return nil, err
			}
			if n > maxBrTable {
				return nil, fmt.Errorf("br_table of %d targets, more than the %d browsers' engines compile: split it in two", n, maxBrTable)
			}
			if err := r.skipU32s(int(n) + 1); err != nil {
				return nil, err
			}
		case op == 0x0f: // return: out through the wrapper's end
			out = append(out, body[from:at]...)
			out = append(out, 0x0c)
			out = leb(out, depth)
			from = r.off
		case op == 0x02 || op == 0x03 || op == 0x04: // block, loop, if
			if err := r.checkBlockType(types); err != nil {
				return nil, err
			}
			depth++
		case op == 0x0b: // end
			if depth > 0 {
				depth--
				continue
			}
			if !r.done() {
				return nil, fmt.Errorf("%d bytes after the body's end", len(r.b)-r.off)
			}
			out = append(out, body[from:at]...)
			out = append(out, 0x0b) // the wrapper
			// budget += cost
			out = append(out, 0x23)
			out = leb(out, uint64(global))
			out = append(out, 0x41)
			out = sleb(out, cost)
			out = append(out, 0x6a, 0x24) // i32.add, global.set
			out = leb(out, uint64(global))
			return append(out, 0x0b), nil
		default:
			if err := r.skipImmediates(op); err != nil {
				return nil, err
			}
		}
	}
}

// slotsOf is the 64-bit slots a value of type t takes.
func slotsOf(t ValType) uint64 {
	if t == V128 {
		return 2
	}
	return 1
}

// checkBlockType reads a block type: empty, a value type, or the index
// of one of the module's types first types.
func (r *reader) checkBlockType(types int) error {
	if r.off < len(r.b) && r.b[r.off] >= 0x40 && r.b[r.off] < 0x80 {
		// Empty (0x40) or a value type: one byte.
		if r.b[r.off] != 0x40 {
			_, err := r.valType()
			return err
		}
		r.off++
		return nil
	}
	t, err := r.s32()
	if err != nil {
		return err
	}
	if t < 0 || int64(t) >= int64(types) {
		return fmt.Errorf("block of type %d, of %d: the module is not valid", t, types)
	}
	return nil
}

// skipSLEB skips a LEB128 number, signed or not, of at most 10 bytes.
func (r *reader) skipSLEB() error {
	b, i := r.b, r.off
	end := min(len(b), i+10)
	for ; i < end; i++ {
		if b[i]&0x80 == 0 {
			r.off = i + 1
			return nil
		}
	}
	if end == len(b) {
		return errEOF
	}
	return errors.New("integer too long")
}

// skipN skips n bytes.
func (r *reader) skipN(n int) error {
	if len(r.b)-r.off < n {
		return errEOF
	}
	r.off += n
	return nil
}

// skipU32s reads n unsigned numbers.
func (r *reader) skipU32s(n int) error {
	for range n {
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	return nil
}

// skipMemArg reads a memory argument: alignment (with a memory index when
// its bit 6 is set) and offset.
func (r *reader) skipMemArg() error {
	align, err := r.u32()
	if err != nil {
		return err
	}
	if align&0x40 != 0 {
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	_, err = r.u64()
	return err
}

// skipImmediates reads the immediates of op, an instruction of the core
// specification 2.0 (wazero's CoreFeaturesV2) other than the block
// instructions; errUnknownOp for anything else.
func (r *reader) skipImmediates(op byte) error {
	switch {
	case op == 0x00, op == 0x01, op == 0x05, op == 0x1a, op == 0x1b, op == 0xd1:
		return nil // unreachable, nop, else, drop, select, ref.is_null
	case op >= 0x45 && op <= 0xc4:
		return nil // numeric instructions
	case op == 0x0c, op == 0x0d, op == 0x10, op == 0x20, op == 0x21, op == 0x22, op == 0x23, op == 0x24,
		op == 0x25, op == 0x26, op == 0x3f, op == 0x40, op == 0xd2:
		return r.skipU32s(1) // br, br_if, call, locals, globals, table.get/set, memory.size/grow, ref.func
	case op == 0x0e: // br_table
		n, err := r.count()
		if err != nil {
			return err
		}
		return r.skipU32s(int(n) + 1)
	case op == 0x11: // call_indirect
		return r.skipU32s(2)
	case op == 0x1c: // select t*
		_, err := r.valTypes()
		return err
	case op >= 0x28 && op <= 0x3e:
		return r.skipMemArg()
	case op == 0x41, op == 0x42:
		return r.skipSLEB()
	case op == 0x43:
		return r.skipN(4)
	case op == 0x44:
		return r.skipN(8)
	case op == 0xd0: // ref.null t
		t, err := r.valType()
		if err == nil && t != FuncRef && t != ExternRef {
			err = fmt.Errorf("ref.null of type %s", t)
		}
		return err
	case op == 0xfc:
		sub, err := r.u32()
		if err != nil {
			return err
		}
		switch {
		case sub <= 7: // saturating truncations
			return nil
		case sub == 8: // memory.init data memory
			if err := r.skipU32s(1); err != nil {
				return err
			}
			return r.skipN(1)
		case sub == 9, sub == 11, sub == 13, sub == 15, sub == 16, sub == 17:
			return r.skipU32s(1) // data.drop, memory.fill, elem.drop, table.grow/size/fill
		case sub == 10, sub == 12, sub == 14:
			return r.skipU32s(2) // memory.copy, table.init, table.copy
		}
	case op == 0xfd:
		sub, err := r.u32()
		if err != nil {
			return err
		}
		switch {
		case sub <= 11, sub == 92, sub == 93: // loads, stores
			return r.skipMemArg()
		case sub == 12, sub == 13: // v128.const, i8x16.shuffle
			return r.skipN(16)
		case sub >= 21 && sub <= 34: // extract and replace lane
			return r.skipN(1)
		case sub >= 84 && sub <= 91: // load and store lane
			if err := r.skipMemArg(); err != nil {
				return err
			}
			return r.skipN(1)
		case sub <= 0xff:
			return nil
		}
	}
	return errUnknownOp
}

// sleb appends v as signed LEB128.
func sleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
