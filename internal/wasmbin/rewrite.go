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
	if _, err := Parse(bin); err != nil {
		return nil, err
	}
	r := &reader{b: bin, off: 8}
	for !r.done() {
		id, _ := r.byte()
		sizeAt := r.off
		size, _ := r.u32()
		start := r.off
		end := start + int(size)
		if id != 5 {
			r.off = end
			continue
		}
		sec := &reader{b: bin[:end], off: start}
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
			max := pages
			if l.HasMax && l.Max < pages {
				max = l.Max
			}
			max = maxOf(max, l.Min)
			body = append(body, flags)
			body = leb(body, l.Min)
			body = leb(body, max)
		}
		if sec.off != end {
			return nil, fmt.Errorf("memory section: %d bytes left over", end-sec.off)
		}
		out := make([]byte, 0, len(bin)+16)
		out = append(out, bin[:sizeAt]...)
		out = leb(out, uint64(len(body)))
		out = append(out, body...)
		return append(out, bin[end:]...), nil
	}
	return bin, nil
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
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
// to the matching entry of max (set, where the module gives none), but
// never below the table's minimum: table.grow past it returns -1.
func CapTables(bin []byte, max []uint64) ([]byte, error) {
	if _, err := Parse(bin); err != nil {
		return nil, err
	}
	r := &reader{b: bin, off: 8}
	for !r.done() {
		id, _ := r.byte()
		sizeAt := r.off
		size, _ := r.u32()
		start := r.off
		end := start + int(size)
		if id != 4 {
			r.off = end
			continue
		}
		sec := &reader{b: bin[:end], off: start}
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
			if l.Is64 || int(i) >= len(max) {
				body = append(body, bin[from:sec.off]...)
				continue
			}
			m := max[i]
			if l.HasMax && l.Max < m {
				m = l.Max
			}
			m = maxOf(m, l.Min)
			flags := byte(1)
			if l.Shared {
				flags |= 2
			}
			body = append(body, t, flags)
			body = leb(body, l.Min)
			body = leb(body, m)
		}
		if sec.off != end {
			return nil, fmt.Errorf("table section: %d bytes left over", end-sec.off)
		}
		out := make([]byte, 0, len(bin)+16)
		out = append(out, bin[:sizeAt]...)
		out = leb(out, uint64(len(body)))
		out = append(out, body...)
		return append(out, bin[end:]...), nil
	}
	return bin, nil
}
