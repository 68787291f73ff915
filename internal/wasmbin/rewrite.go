package wasmbin

import (
	"errors"
	"fmt"
)

// CapMemory returns bin with the maximum of every memory it defines
// lowered to pages (set, where the module gives none), so that an engine
// without a memory limit of its own (the browser's) refuses to grow it
// past pages: memory.grow returns -1. A memory whose minimum is above pages
// is left as it is: the host refuses such a module before running it.
func CapMemory(bin []byte, pages uint64) ([]byte, error) {
	return rewriteSection(bin, 5, "memory", func(sec *reader) ([]byte, error) {
		n, _ := sec.count()
		body := leb(nil, uint64(n))
		for range n {
			l, err := sec.limits()
			if err != nil {
				return nil, err
			}
			flags := byte(1)
			if l.Shared {
				flags |= 2
			}
			if l.Is64 {
				flags |= 4
			}
			m := pages
			if l.HasMax && l.Max < pages {
				m = l.Max
			}
			body = append(body, flags)
			body = leb(body, l.Min)
			body = leb(body, max(m, l.Min))
		}
		return body, nil
	})
}

// rewriteSection returns bin, checked, with the contents of its section id
// (named name in errors) replaced by what rewrite makes of them, reading
// the section to its end; bin itself when it has no such section.
func rewriteSection(bin []byte, id byte, name string, rewrite func(sec *reader) ([]byte, error)) ([]byte, error) {
	if _, err := Parse(bin); err != nil {
		return nil, err
	}
	r := &reader{b: bin, off: 8}
	for !r.done() {
		sid, _ := r.byte()
		sizeAt := r.off
		size, _ := r.u32()
		end := r.off + int(size)
		if sid != id {
			r.off = end
			continue
		}
		sec := &reader{b: bin[:end], off: r.off}
		body, err := rewrite(sec)
		if err != nil {
			return nil, err
		}
		if sec.off != end {
			return nil, fmt.Errorf("%s section: %d bytes left over", name, end-sec.off)
		}
		out := make([]byte, 0, len(bin)+16)
		out = append(out, bin[:sizeAt]...)
		out = leb(out, uint64(len(body)))
		out = append(out, body...)
		return append(out, bin[end:]...), nil
	}
	return bin, nil
}

// leb appends v as unsigned LEB128.
func leb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

// CapTables returns bin with the maximum of every table it defines lowered
// to the matching entry of limits (set, where the module gives none), but
// never below the table's minimum: table.grow past it returns -1.
func CapTables(bin []byte, limits []uint64) ([]byte, error) {
	return rewriteSection(bin, 4, "table", func(sec *reader) ([]byte, error) {
		n, _ := sec.count()
		body := leb(nil, uint64(n))
		for i := range n {
			from := sec.off
			t, _ := sec.byte()
			if t == 0x40 {
				return nil, errors.New("tables with initial expressions cannot be capped")
			}
			l, err := sec.limits()
			if err != nil {
				return nil, err
			}
			if l.Is64 || int(i) >= len(limits) {
				body = append(body, sec.b[from:sec.off]...)
				continue
			}
			m := limits[i]
			if l.HasMax && l.Max < m {
				m = l.Max
			}
			flags := byte(1)
			if l.Shared {
				flags |= 2
			}
			body = append(body, t, flags)
			body = leb(body, l.Min)
			body = leb(body, max(m, l.Min))
		}
		return body, nil
	})
}

// CleanCustom returns bin without the custom sections of a valid module
// that wazero 1.12 refuses, bin itself when it has none:
//
//   - those with nothing after their name, but a "name" section: wazero
//     reads each one's contents, and refuses a module that ends with an
//     empty one ("failed to read custom section name[...]: EOF");
//   - a "name" section whose contents do not read as wazero reads them
//     (see nameSection), and every "name" section after the first one
//     kept: the spec says such errors must not invalidate the module, and
//     other engines ignore them, but wazero refuses them, or reads past
//     the section, or allocates from counts the section has no bytes for.
//     The names only name functions in traces.
//
// bin must have passed Parse.
func CleanCustom(bin []byte) []byte {
	var out []byte
	kept := 0      // bin[kept:] is not in out yet
	names := false // a "name" section is kept
	r := &reader{b: bin, off: 8}
	for !r.done() {
		at := r.off
		id, err := r.byte()
		if err != nil {
			break
		}
		size, err := r.u32()
		if err != nil || uint64(size) > uint64(len(bin)-r.off) {
			break
		}
		end := r.off + int(size)
		if id == 0 {
			sec := &reader{b: bin[:end], off: r.off}
			name, err := sec.name()
			drop := err == nil && sec.done() && name != "name"
			if err == nil && name == "name" {
				drop = names || sec.nameSection() != nil
				names = names || !drop
			}
			if drop {
				out = append(out, bin[kept:at]...)
				kept = end
			}
		}
		r.off = end
	}
	if kept == 0 {
		return bin
	}
	return append(out, bin[kept:]...)
}
