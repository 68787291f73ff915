// Package wasmbin reads the parts of a WebAssembly binary that the cart ABI
// is about: function types, imports, exports and memories. It is not a
// validator (the engine that runs the module validates it); it exists so
// that the desktop and browser hosts check a cart against the ABI with the
// same code and the same messages, and so that tools can describe a cart
// without running it. Any input, however malformed, yields a module or an
// error, never a panic.
package wasmbin

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ebicart/ebicart/internal/safetext"
)

// ValType is a WebAssembly value type.
type ValType byte

// Value types.
const (
	I32       ValType = 0x7f
	I64       ValType = 0x7e
	F32       ValType = 0x7d
	F64       ValType = 0x7c
	V128      ValType = 0x7b
	FuncRef   ValType = 0x70
	ExternRef ValType = 0x6f
)

// String returns the type as the text format spells it.
func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	}
	return fmt.Sprintf("type(0x%02x)", byte(t))
}

// FuncType is a function signature.
type FuncType struct {
	Params, Results []ValType
}

// String formats the signature as "(i32, i32) -> (i32)".
func (f FuncType) String() string {
	list := func(ts []ValType) string {
		s := make([]string, len(ts))
		for i, t := range ts {
			s[i] = t.String()
		}
		return "(" + strings.Join(s, ", ") + ")"
	}
	return list(f.Params) + " -> " + list(f.Results)
}

// Equal reports whether f and g are the same signature.
func (f FuncType) Equal(g FuncType) bool {
	return bytes.Equal(valBytes(f.Params), valBytes(g.Params)) && bytes.Equal(valBytes(f.Results), valBytes(g.Results))
}

func valBytes(ts []ValType) []byte {
	b := make([]byte, len(ts))
	for i, t := range ts {
		b[i] = byte(t)
	}
	return b
}

// Kind is what an import or export is.
type Kind byte

// Import and export kinds.
const (
	KindFunc   Kind = 0
	KindTable  Kind = 1
	KindMemory Kind = 2
	KindGlobal Kind = 3
	KindTag    Kind = 4
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindFunc:
		return "function"
	case KindTable:
		return "table"
	case KindMemory:
		return "memory"
	case KindGlobal:
		return "global"
	case KindTag:
		return "tag"
	}
	return fmt.Sprintf("kind(%d)", byte(k))
}

// Limits are a memory's size bounds in 64 KiB pages.
type Limits struct {
	Min    uint64
	Max    uint64
	HasMax bool
	Shared bool
	Is64   bool // memory64: addressed with i64
	// Init reports a table type with an initial value expression (the
	// function references proposal: its type starts with 0x40).
	Init bool
}

// Import is one entry of the import section.
type Import struct {
	Module, Name string
	Kind         Kind
	Func         FuncType // when Kind is KindFunc
	Memory       Limits   // when Kind is KindMemory
}

// Export is one entry of the export section.
type Export struct {
	Name  string
	Kind  Kind
	Index uint32
	Func  FuncType // when Kind is KindFunc and the type is known
}

// Module is what wasmbin read of a binary.
type Module struct {
	Imports  []Import
	Exports  []Export
	Memories []Limits // defined (not imported) memories
	// Tables are the limits of the tables the module defines, in
	// elements.
	Tables []Limits
	// Globals is the number of globals the module defines, and
	// MutableGlobals how many of them are mutable.
	Globals, MutableGlobals int
	// Funcs is the number of functions the module defines.
	Funcs int
	// StartSection reports whether the module has a start function, run by
	// the engine as the module is instantiated.
	StartSection bool
	// Tags is the number of exception tags the module defines (the tag
	// section of the exception handling proposal).
	Tags int
}

// Export returns the export with the given name.
func (m *Module) Export(name string) (Export, bool) {
	for _, e := range m.Exports {
		if e.Name == name {
			return e, true
		}
	}
	return Export{}, false
}

// Memory returns the module's memory, defined or imported, and whether it
// has one.
func (m *Module) Memory() (Limits, bool) {
	if len(m.Memories) > 0 {
		return m.Memories[0], true
	}
	for _, im := range m.Imports {
		if im.Kind == KindMemory {
			return im.Memory, true
		}
	}
	return Limits{}, false
}

// ImportedMemories returns how many memories the module imports.
func (m *Module) ImportedMemories() int { return m.imported(KindMemory) }

// ImportedTables returns how many tables the module imports: the index
// of the first table it defines.
func (m *Module) ImportedTables() int { return m.imported(KindTable) }

// sections calls f with the id and the content of each of bin's sections
// in turn, until f returns false. It stops where bin cannot be read: the
// engine then says why.
func sections(bin []byte, f func(id byte, sec *reader) bool) {
	r := &reader{b: bin, off: 8}
	for !r.done() {
		id, err := r.byte()
		if err != nil {
			return
		}
		size, err := r.u32()
		if err != nil || uint64(size) > uint64(len(r.b)-r.off) {
			return
		}
		sec := &reader{b: r.b[:r.off+int(size)], off: r.off}
		r.off += int(size)
		if !f(id, sec) {
			return
		}
	}
}

// imported returns how many imports of kind the module has.
func (m *Module) imported(kind Kind) int {
	n := 0
	for _, im := range m.Imports {
		if im.Kind == kind {
			n++
		}
	}
	return n
}

// ErrNotWasm reports input that does not start like a WebAssembly binary.
var ErrNotWasm = errors.New(`not a WebAssembly module: it does not start with "\0asm" (is this file a cart?)`)

// CheckHeader returns Parse's error for bin when its first 8 bytes are
// not those of a WebAssembly core module of version 1, else nil: a check
// that reads nothing more.
func CheckHeader(bin []byte) error {
	if len(bin) == 0 {
		return fmt.Errorf("%w: the file is empty (0 bytes)", ErrNotWasm)
	}
	if len(bin) < 8 && bytes.HasPrefix([]byte("\x00asm\x01\x00\x00\x00"), bin) {
		return fmt.Errorf("truncated module: the file is %d bytes, and a module's header alone is 8", len(bin))
	}
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return ErrNotWasm
	}
	if v := bin[4:8]; !bytes.Equal(v, []byte{1, 0, 0, 0}) {
		if v[2] == 1 && v[3] == 0 {
			return fmt.Errorf("unsupported WebAssembly binary layer 1: a cart must be a core module, not a component")
		}
		return fmt.Errorf("unsupported WebAssembly binary version %d: a cart must be a core module, version 1", uint32(v[0])|uint32(v[1])<<8|uint32(v[2])<<16|uint32(v[3])<<24)
	}
	return nil
}

// Interface reads only bin's types, imports and exports, for a caller
// that needs to know no more of a module it has not checked: a browser's
// host, which names a cart a WASI command by them, links none of what
// Parse checks (about 70 KB of its wasm). Parse reads and checks the
// whole module.
func Interface(bin []byte) (*Module, error) {
	if err := CheckHeader(bin); err != nil {
		return nil, err
	}
	m := &Module{}
	var types []FuncType
	var funcTypes []uint32
	var err error
	sections(bin, func(id byte, sec *reader) bool {
		switch id {
		case 1:
			types, err = sec.types()
		case 2:
			err = sec.imports(m, types, &funcTypes)
		case 7:
			err = sec.exports(m)
		}
		return err == nil
	})
	return m, err
}

// Parse reads a WebAssembly binary module.
func Parse(bin []byte) (*Module, error) {
	if err := CheckHeader(bin); err != nil {
		return nil, err
	}
	r := &reader{b: bin, off: 8}
	m := &Module{}
	var types []FuncType
	var funcTypes []uint32 // type index of every function, imported first
	var last byte          // the last section's id, other than a custom one
	var codeBodies, dataSegments int64 = -1, -1
	dataCount := int64(-1)
	for !r.done() {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		start := r.off
		if uint64(size) > uint64(len(r.b)-r.off) {
			return nil, fmt.Errorf("section %d at offset %d: size %d runs past the end of the file (%d bytes): truncated module", id, start, size, len(r.b))
		}
		sec := &reader{b: r.b[:r.off+int(size)], off: r.off}
		r.off += int(size)
		if int(id) >= len(sectionOrder) {
			return nil, fmt.Errorf("section %d at offset %d: unknown section id %d: WebAssembly 2.0's are 0 to 12: the file is damaged, or its toolchain wrote a proposal past 2.0: rebuild the cart for WebAssembly 2.0", id, start, id)
		}
		if err := checkOrder(id, last); err != nil {
			return nil, fmt.Errorf("%s at offset %d: %w: %s", sectionName(id), start, err, damaged)
		}
		if id != 0 {
			last = id
		}
		whole := true // whether the case below reads all of the section
		switch id {
		case 1:
			types, err = sec.types()
			if err == nil {
				err = checkCount(uint64(len(types)), maxTypes, "types")
			}
		case 2:
			err = sec.imports(m, types, &funcTypes)
			if err == nil {
				err = checkCount(uint64(len(m.Imports)), maxImports, "imports")
			}
		case 3:
			var n uint32
			if n, err = sec.count(); err == nil {
				for i := uint32(0); i < n && err == nil; i++ {
					var t uint32
					if t, err = sec.u32(); err == nil {
						if uint64(t) >= uint64(len(types)) {
							return nil, fmt.Errorf("%s at offset %d: function %d has type %d, but the module has %d %s: %s",
								sectionName(id), start, len(funcTypes), t, len(types), plural(len(types), "type", "types"), damaged)
						}
						funcTypes = append(funcTypes, t)
						m.Funcs++
					}
				}
			}
			if err == nil {
				err = checkCount(uint64(len(funcTypes)), maxFuncs, "functions with the imported ones")
			}
		case 5:
			var n uint32
			if n, err = sec.count(); err == nil {
				for i := uint32(0); i < n && err == nil; i++ {
					var l Limits
					if l, err = sec.memoryLimits(); err == nil {
						m.Memories = append(m.Memories, l)
					}
				}
			}
		case 7:
			err = sec.exports(m)
			if err == nil {
				err = checkCount(uint64(len(m.Exports)), maxExports, "exports")
			}
		case 8:
			m.StartSection = true
			var fn uint32
			if fn, err = sec.u32(); err == nil {
				if err = checkStart(fn, funcTypes, types); err != nil {
					return nil, fmt.Errorf("%s at offset %d: %w: %s", sectionName(id), start, err, damaged)
				}
			}
		case 0:
			if err = sec.custom(); err != nil {
				return nil, fmt.Errorf("section 0 (custom) at offset %d: %w", start, err)
			}
		case 4:
			var n uint32
			if n, err = sec.count(); err == nil {
				for i := uint32(0); i < n && err == nil; i++ {
					var l Limits
					if l, err = sec.table(); err == nil {
						m.Tables = append(m.Tables, l)
					}
				}
			}
			if err == nil {
				err = checkCount(uint64(len(m.Tables))+uint64(m.imported(KindTable)), maxTables, "tables with the imported ones")
			}
		case 6:
			var n uint32
			n, err = sec.count()
			m.Globals = int(n)
			if err == nil {
				err = checkCount(uint64(n)+uint64(m.imported(KindGlobal)), maxGlobals, "globals with the imported ones")
			}
			for i := uint32(0); i < n && err == nil; i++ {
				if _, err = sec.valType(); err == nil {
					var mut byte
					if mut, err = sec.byte(); err == nil {
						if mut == 1 {
							m.MutableGlobals++
						}
						err = sec.skipConstExpr()
					}
				}
				if err != nil {
					err = fmt.Errorf("global %d: %w", i, err)
				}
			}
		case 13:
			var n uint32
			n, err = sec.count()
			m.Tags = int(n)
			whole = false
		case 9, 11, 12:
			// Elements, data and the data count: only their counts are
			// checked (they must fit in the section, see count, and
			// within browsers' limits).
			var n uint32
			if id == 12 {
				n, err = sec.u32()
				dataCount = int64(n)
			} else {
				n, err = sec.count()
				// The segments are read to find the section's end; what
				// cannot be read is left to the engine.
				for i := uint32(0); i < n && err == nil && whole; i++ {
					if err = sec.checkSegmentFlags(id, i); err != nil {
						return nil, fmt.Errorf("%s at offset %d: %w: %s", sectionName(id), start, err, damaged)
					}
					if id == 9 {
						_, whole = sec.elemSegment()
					} else {
						whole = sec.skipDataSegment()
					}
				}
			}
			if id == 11 {
				dataSegments = int64(n)
			}
			if err == nil && id == 9 {
				err = checkCount(uint64(n), maxElemSegments, "element segments")
			} else if err == nil {
				err = checkCount(uint64(n), maxDataSegments, "data segments")
			}
		case 10:
			imported := len(funcTypes) - m.Funcs
			codeBodies, err = sec.code(func(i uint32) uint64 {
				// The parameters of the function of body i, which V8
				// counts among its locals.
				if k := uint64(imported) + uint64(i); k < uint64(len(funcTypes)) && uint64(funcTypes[k]) < uint64(len(types)) {
					return uint64(len(types[funcTypes[k]].Params))
				}
				return 0
			})
		}
		if err == nil && id != 0 && whole && !sec.done() {
			n := len(sec.b) - sec.off
			return nil, fmt.Errorf("%s at offset %d: %d %s after its contents: its size is wrong: %s", sectionName(id), start, n, plural(n, "byte", "bytes"), damaged)
		}
		if err != nil {
			return nil, fmt.Errorf("section %d at offset %d: %w", id, start, err)
		}
	}
	// Every engine checks these counts against each other, in words of
	// its own.
	if err := m.checkExportIndices(uint64(len(funcTypes))); err != nil {
		return nil, err
	}
	if n := max(codeBodies, 0); n != int64(m.Funcs) {
		return nil, fmt.Errorf("the function section declares %d %s and the code section has %d %s: they must match: %s",
			m.Funcs, plural(m.Funcs, "function", "functions"), n, plural(int(n), "body", "bodies"), damaged)
	}
	if n := max(dataSegments, 0); dataCount >= 0 && n != dataCount {
		return nil, fmt.Errorf("the data count section says %d %s and the data section has %d: they must match: %s",
			dataCount, plural(int(dataCount), "data segment", "data segments"), n, damaged)
	}
	for i := range m.Exports {
		e := &m.Exports[i]
		if e.Kind == KindFunc && uint64(e.Index) < uint64(len(funcTypes)) {
			if t := funcTypes[e.Index]; uint64(t) < uint64(len(types)) {
				e.Func = types[t]
			}
		}
	}
	return m, nil
}

// damaged ends the errors of a module no engine reads.
const damaged = "the file is damaged or its toolchain wrote it wrong: rebuild the cart"

// sectionOrder is the place of each known section id in a module, in the
// order WebAssembly 2.0 sets (the tag section of exception handling, 13,
// between memory and global); custom sections (0) go anywhere.
var sectionOrder = [...]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

// sectionNames names the sections by id.
var sectionNames = [...]string{0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
	6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "data count", 13: "tag"}

// sectionName returns "section 3 (function)", or only the number for
// an unknown id.
func sectionName(id byte) string {
	if int(id) < len(sectionNames) && id != 0 {
		return fmt.Sprintf("section %d (%s)", id, sectionNames[id])
	}
	return fmt.Sprintf("section %d", id)
}

// checkOrder refuses a section (of a known id) that comes where it may
// not after the last non-custom section, last (0 for none).
func checkOrder(id, last byte) error {
	if id == 0 || last == 0 || sectionOrder[id] > sectionOrder[last] {
		return nil
	}
	if id == last {
		return errors.New("appears twice")
	}
	return fmt.Errorf("after %s: sections come in the order type, import, function, table, memory, global, export, start, element, data count, code, data", sectionName(last))
}

// checkExportIndices refuses an export of a kind the module has none of
// at its index, or of an unknown kind; funcs is the number of functions,
// imported ones included.
func (m *Module) checkExportIndices(funcs uint64) error {
	for i, e := range m.Exports {
		var n uint64
		switch e.Kind {
		case KindFunc:
			n = funcs
		case KindTable:
			n = uint64(m.imported(KindTable) + len(m.Tables))
		case KindMemory:
			n = uint64(m.imported(KindMemory) + len(m.Memories))
		case KindGlobal:
			n = uint64(m.imported(KindGlobal) + m.Globals)
		case KindTag:
			n = uint64(m.imported(KindTag) + m.Tags)
		default:
			return fmt.Errorf("export %d, %s, is of unknown kind %d: %s", i, safetext.Name(e.Name), byte(e.Kind), damaged)
		}
		if uint64(e.Index) >= n {
			return fmt.Errorf("export %d, %s, names %s %d, but the module has %d: %s", i, safetext.Name(e.Name), e.Kind, e.Index, n, damaged)
		}
	}
	return nil
}

// checkSegmentFlags refuses segment i of the element (id 9) or data
// (11) section, at r, if its flags are none of WebAssembly 2.0's; it reads
// nothing.
func (r *reader) checkSegmentFlags(id byte, i uint32) error {
	at := r.off
	flags, err := r.u32()
	r.off = at
	what, most := "element", uint32(7)
	if id == 11 {
		what, most = "data", 2
	}
	if err == nil && flags > most {
		return fmt.Errorf("%s segment %d has flags %d: WebAssembly 2.0's are 0 to %d", what, i, flags, most)
	}
	return nil
}

// checkStart refuses a start function fn that the module does not have
// (funcTypes holds the type index of each of its functions) or whose type
// is not () -> (): every engine refuses both in its words, and once
// ExportStart has made the start section an export, an engine would take
// the second.
func checkStart(fn uint32, funcTypes []uint32, types []FuncType) error {
	if uint64(fn) >= uint64(len(funcTypes)) {
		return fmt.Errorf("the start function, %d, is not one of the module's %d functions", fn, len(funcTypes))
	}
	if t := funcTypes[fn]; uint64(t) < uint64(len(types)) && (len(types[t].Params) > 0 || len(types[t].Results) > 0) {
		return fmt.Errorf("the start function, %d, has type %s: a start function takes and returns nothing", fn, types[t])
	}
	return nil
}

// plural returns one for n == 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

type reader struct {
	b   []byte
	off int
}

var errEOF = errors.New("unexpected end of data: truncated module")

func (r *reader) done() bool { return r.off >= len(r.b) }

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errEOF
	}
	c := r.b[r.off]
	r.off++
	return c, nil
}

// u64 reads an unsigned LEB128 number of at most 10 bytes.
func (r *reader) u64() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 70; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("integer too long")
}

// u32 reads an unsigned LEB128 number of 32 bits: at most 5 bytes, the
// fifth's unused bits zero, as the spec and the engines (wazero 1.12, V8)
// require.
func (r *reader) u32() (uint32, error) {
	var v uint32
	for i := range 5 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if c < 0x80 {
			if i == 4 && c&0xf0 != 0 {
				return 0, errors.New("integer does not fit in 32 bits")
			}
			return v | uint32(c)<<(7*i), nil
		}
		v |= uint32(c&0x7f) << (7 * i)
	}
	return 0, errors.New("integer of more than 5 bytes: too long for 32 bits")
}

// count reads a vector length and rejects one that cannot fit in what is
// left (every element takes at least a byte), so that hostile lengths do
// not make the parser allocate.
func (r *reader) count() (uint32, error) {
	n, err := r.u32()
	if err == nil && int64(n) > int64(len(r.b)-r.off) {
		err = fmt.Errorf("vector of %d entries in %d remaining bytes: truncated module", n, len(r.b)-r.off)
	}
	return n, err
}

// itemName reads the name of an import or an export (what), which
// browsers' engines bound (maxName).
func (r *reader) itemName(what string) (string, error) {
	at := r.off
	if n, err := r.u32(); err == nil && n > maxName {
		return "", fmt.Errorf("an %s name of %d bytes, more than the %d browsers' engines compile", what, n, maxName)
	}
	r.off = at
	return r.name()
}

func (r *reader) name() (string, error) {
	n, err := r.count()
	if err != nil {
		return "", err
	}
	s := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	if !utf8.Valid(s) {
		return "", fmt.Errorf("name %q is not valid UTF-8: %s", s, damaged)
	}
	return string(s), nil
}

func (r *reader) valTypes() ([]ValType, error) {
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	ts := make([]ValType, n)
	for i := range ts {
		if ts[i], err = r.valType(); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

// valType reads a value type of WebAssembly 2.0. The newer reference
// types (anyref, eqref, (ref $t) and so on, of garbage collection and
// typed function references) are refused: browsers' engines run them and
// wazero 1.12 does not.
func (r *reader) valType() (ValType, error) {
	c, err := r.byte()
	if err != nil {
		return 0, err
	}
	if !ValType(c).v2() {
		return 0, fmt.Errorf("value type 0x%02x is not one of WebAssembly 2.0's (i32, i64, f32, f64, v128, funcref, externref): garbage collection and other newer proposals are not supported", c)
	}
	return ValType(c), nil
}

// v2 reports whether t is a value type of WebAssembly 2.0.
func (t ValType) v2() bool {
	switch t {
	case I32, I64, F32, F64, V128, FuncRef, ExternRef:
		return true
	}
	return false
}

func (r *reader) types() ([]FuncType, error) {
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	ts := make([]FuncType, 0, n)
	for i := uint32(0); i < n; i++ {
		form, err := r.byte()
		if err != nil {
			return nil, err
		}
		if form != 0x60 {
			return nil, fmt.Errorf("type %d has form 0x%02x, want 0x60 (function): garbage collection and other newer proposals are not supported", i, form)
		}
		var f FuncType
		if f.Params, err = r.valTypes(); err != nil {
			return nil, err
		}
		if f.Results, err = r.valTypes(); err != nil {
			return nil, err
		}
		if len(f.Params) > maxParams {
			return nil, fmt.Errorf("type %d has %d parameters, more than the %d browsers' engines compile: pass them in memory", i, len(f.Params), maxParams)
		}
		if len(f.Results) > maxResults {
			return nil, fmt.Errorf("type %d has %d results, more than the %d browsers' engines compile: return them in memory", i, len(f.Results), maxResults)
		}
		ts = append(ts, f)
	}
	return ts, nil
}

// table reads a table type: a reference type and its limits. A table
// defined with an initial expression (0x40 0x00) is read too.
func (r *reader) table() (Limits, error) {
	t, err := r.byte()
	if err != nil {
		return Limits{}, err
	}
	withInit := false
	if t == 0x40 { // a table with an initialiser
		if _, err := r.byte(); err != nil {
			return Limits{}, err
		}
		if t, err = r.byte(); err != nil {
			return Limits{}, err
		}
		withInit = true
	}
	if t != byte(FuncRef) && t != byte(ExternRef) {
		return Limits{}, fmt.Errorf("a table of element type 0x%02x: WebAssembly 2.0's are funcref (0x70) and externref (0x6f): %s", t, damaged)
	}
	l, err := r.limits()
	if err == nil && withInit {
		err = r.skipConstExpr()
	}
	l.Init = withInit
	return l, err
}

// memoryLimits reads a memory's limits, refusing a 32-bit memory of more
// than 65536 pages, which every engine refuses in its own words (wazero
// naming its own, lower, limit).
func (r *reader) memoryLimits() (Limits, error) {
	l, err := r.limits()
	if err != nil || l.Is64 {
		return l, err
	}
	const most = 1 << 16
	switch {
	case l.Min > most:
		err = fmt.Errorf("a minimum of %d pages, more than the %d (4 GiB) a 32-bit memory can have: %s", l.Min, most, damaged)
	case l.HasMax && l.Max > most:
		err = fmt.Errorf("a maximum of %d pages, more than the %d (4 GiB) a 32-bit memory can have: %s", l.Max, most, damaged)
	}
	return l, err
}

func (r *reader) limits() (Limits, error) {
	flags, err := r.byte()
	if err != nil {
		return Limits{}, err
	}
	if flags > 7 {
		return Limits{}, fmt.Errorf("limits of flags 0x%02x: WebAssembly 2.0's are 0 and 1 (a maximum): %s", flags, damaged)
	}
	l := Limits{HasMax: flags&1 != 0, Shared: flags&2 != 0, Is64: flags&4 != 0}
	if l.Min, err = r.u64(); err != nil {
		return l, err
	}
	if l.HasMax {
		if l.Max, err = r.u64(); err == nil && l.Max < l.Min {
			// Not valid, and a rewrite that caps the maximum must not
			// make it so.
			err = fmt.Errorf("limits with a maximum of %d below their minimum of %d", l.Max, l.Min)
		}
	}
	return l, err
}

func (r *reader) imports(m *Module, types []FuncType, funcTypes *[]uint32) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		var im Import
		if im.Module, err = r.itemName("import's module"); err != nil {
			return err
		}
		if im.Name, err = r.itemName("import"); err != nil {
			return err
		}
		k, err := r.byte()
		if err != nil {
			return err
		}
		im.Kind = Kind(k)
		switch im.Kind {
		case KindFunc:
			t, err := r.u32()
			if err != nil {
				return err
			}
			if uint64(t) >= uint64(len(types)) {
				return fmt.Errorf("import %q.%q uses type %d of %d", im.Module, im.Name, t, len(types))
			}
			im.Func = types[t]
			*funcTypes = append(*funcTypes, t)
		case KindTable:
			if _, err := r.byte(); err != nil {
				return err
			}
			if _, err := r.limits(); err != nil {
				return err
			}
		case KindMemory:
			if im.Memory, err = r.memoryLimits(); err != nil {
				return err
			}
		case KindGlobal:
			if _, err := r.byte(); err != nil {
				return err
			}
			if _, err := r.byte(); err != nil {
				return err
			}
		case KindTag:
			if _, err := r.byte(); err != nil {
				return err
			}
			if _, err := r.u32(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("import %s.%s has unknown kind %d: %s", safetext.Name(im.Module), safetext.Name(im.Name), k, damaged)
		}
		m.Imports = append(m.Imports, im)
	}
	return nil
}

func (r *reader) exports(m *Module) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	seen := make(map[string]uint32, n)
	for i := uint32(0); i < n; i++ {
		var e Export
		if e.Name, err = r.itemName("export"); err != nil {
			return err
		}
		// Every engine refuses a name given twice, each in its words.
		if j, ok := seen[e.Name]; ok {
			return fmt.Errorf("exports %d and %d are both named %s: a module's export names must differ: rename one", j, i, safetext.Name(e.Name))
		}
		seen[e.Name] = i
		k, err := r.byte()
		if err != nil {
			return err
		}
		e.Kind = Kind(k)
		if e.Index, err = r.u32(); err != nil {
			return err
		}
		m.Exports = append(m.Exports, e)
	}
	return nil
}

// Limits of browsers' engines, which wazero does not have: a module past
// one runs natively and fails to compile in the browser, so it is refused
// everywhere. They are the WebAssembly JavaScript API's implementation
// limits, which V8 and SpiderMonkey share.
const (
	// maxLocals bounds the locals of one function (V8 and SpiderMonkey
	// stop at 50,000).
	maxLocals = 50000
	// maxParams and maxResults bound a function type.
	maxParams  = 1000
	maxResults = 1000
	// maxBrTable bounds the targets of one br_table (V8's
	// kV8MaxWasmFunctionBrTableSize; the default target not counted).
	maxBrTable = 65520
	// maxBodySize bounds a function body's bytes.
	maxBodySize = 7654321
	// The counts of a module's parts, and the length of an import's or
	// an export's name, in bytes.
	maxTypes        = 1000000
	maxFuncs        = 1000000 // imported and defined
	maxImports      = 100000
	maxExports      = MaxExports
	maxGlobals      = 1000000 // imported and defined
	maxTables       = 100000  // imported and defined
	maxDataSegments = 100000
	maxElemSegments = 10000000
	maxName         = 100000
)

// MaxExports is the most exports browsers' engines compile in a module,
// those a host adds to it included.
const MaxExports = 100000

// checkCount refuses n of what past max, a limit of browsers' engines
// (see maxTypes).
func checkCount(n uint64, max uint64, what string) error {
	if n > max {
		return fmt.Errorf("%d %s, more than the %d browsers' engines compile", n, what, max)
	}
	return nil
}

// code checks the code section's counts: the number of bodies, each
// body's size, and its local declarations, whose total wazero allocates
// before it reads any instruction, and which with the parameters (params
// gives body i's) browsers' engines bound.
func (r *reader) code(params func(i uint32) uint64) (int64, error) {
	n, err := r.count()
	for i := uint32(0); i < n && err == nil; i++ {
		var size uint32
		if size, err = r.u32(); err != nil {
			break
		}
		if uint64(size) > uint64(len(r.b)-r.off) {
			return 0, fmt.Errorf("function body %d of %d bytes runs past the section", i, size)
		}
		if size > maxBodySize {
			return 0, fmt.Errorf("function body %d is %d bytes, more than the %d browsers' engines compile: split the function", i, size, maxBodySize)
		}
		body := &reader{b: r.b[:r.off+int(size)], off: r.off}
		r.off += int(size)
		var groups uint32
		if groups, err = body.count(); err != nil {
			break
		}
		total := params(i)
		for g := uint32(0); g < groups && err == nil; g++ {
			var c uint32
			if c, err = body.u32(); err == nil {
				_, err = body.valType()
				total += uint64(c)
			}
		}
		if err == nil && total > maxLocals {
			err = fmt.Errorf("function body %d has %d locals with its parameters, more than the %d browsers' engines compile", i, total, maxLocals)
		}
	}
	return int64(n), err
}

// custom reads a custom section's name, which must be a name as any other
// (UTF-8, within the section). Its contents do not make the module valid
// or not: the spec says that errors in the data of a custom section an
// engine reads must not invalidate the module. wazero 1.12 reads them all
// (the "name" section, and the others for DWARF) and refuses some valid
// ones, so CleanCustom drops those before an engine sees them.
func (r *reader) custom() error {
	if r.done() {
		return fmt.Errorf("empty: a custom section starts with its name: %s", damaged)
	}
	at := r.off
	n, err := r.u32()
	if err == nil && uint64(n) > uint64(len(r.b)-r.off) {
		left := len(r.b) - r.off
		return fmt.Errorf("a name of %d bytes with %d %s left in the section: %s", n, left, plural(left, "byte", "bytes"), damaged)
	}
	r.off = at
	_, err = r.name()
	return err
}

// nameSection checks the contents of a "name" section as wazero 1.12
// reads them. It reads the module name, the function names and the local
// names from the module's bytes, not from their subsection, so each must
// fill its subsection exactly, or it reads past it; it allocates the maps
// of names from their counts before reading the entries, so the counts
// must fit in the bytes (a tiny module claiming billions of names made it
// allocate gigabytes: FuzzLoad found it); and names must be UTF-8.
func (r *reader) nameSection() error {
	for !r.done() {
		id, err := r.byte()
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if uint64(size) > uint64(len(r.b)-r.off) {
			return fmt.Errorf("name section: subsection %d of %d bytes runs past the section", id, size)
		}
		sub := &reader{b: r.b[:r.off+int(size)], off: r.off}
		r.off += int(size)
		switch id {
		case 0: // the module's name
			_, err = sub.name()
		case 1: // function names: (index, name)*
			err = sub.nameMap()
		case 2: // local names: (function index, (local index, name)*)*
			var n uint32
			if n, err = sub.count(); err == nil {
				for i := uint32(0); i < n && err == nil; i++ {
					if _, err = sub.u32(); err == nil {
						err = sub.nameMap()
					}
				}
			}
		default: // skipped by its size
			sub.off = len(sub.b)
		}
		if err == nil && !sub.done() {
			err = fmt.Errorf("subsection %d has %d bytes after its names", id, len(sub.b)-sub.off)
		}
		if err != nil {
			return fmt.Errorf("name section: %w", err)
		}
	}
	return nil
}

// nameMap reads a vector of (index, name) pairs.
func (r *reader) nameMap() error {
	n, err := r.count()
	for i := uint32(0); i < n && err == nil; i++ {
		if _, err = r.u32(); err == nil {
			_, err = r.name()
		}
	}
	return err
}
