package wasmbin

import (
	"cmp"
	"errors"
	"slices"
)

// mergeGap is the longest run of zero bytes MergeData writes out to join
// two data segments: longer runs stay gaps between segments.
const mergeGap = 64

// MergeData returns bin with runs of its data segments joined into fewer,
// longer ones where that changes nothing a cart can see: every segment is
// active, for memory 0, at a constant i32 offset, no two overlap (so the
// order they are written in does not matter), and no data count section
// lets code name a segment. Two such neighbours at most mergeGap bytes
// apart become one, the gap written as the zeros fresh memory holds
// anyway; an imported memory is not fresh (WASM-4's console writes its
// registers before the segments), so there only touching segments join.
// Go's linker emits a segment per run
// of non-zero bytes (22,053 for a 1.9 MB cart, 31 bytes each on average);
// every engine decodes and applies each of them at instantiation. Any
// other module is returned as it is.
func MergeData(bin []byte) ([]byte, error) {
	if hasSection(bin, 12) {
		return bin, nil
	}
	m, err := Parse(bin)
	if err != nil {
		return nil, err
	}
	gap := uint64(mergeGap)
	if m.ImportedMemories() > 0 {
		gap = 0
	}
	type seg struct {
		at   uint64
		data []byte
	}
	var segs []seg
	mergeable := true
	out, err := rewriteSection(bin, 11, "data", func(sec *reader) ([]byte, error) {
		n, err := sec.count()
		if err != nil {
			return nil, err
		}
		start := sec.off
		for range n {
			at, data, ok, err := sec.constSegment()
			if err != nil {
				return nil, err
			}
			if !ok {
				mergeable = false
				break
			}
			segs = append(segs, seg{at, data})
		}
		// Segments that do not overlap can be written in any order.
		if mergeable {
			slices.SortStableFunc(segs, func(a, b seg) int { return cmp.Compare(a.at, b.at) })
		}
		for i := 1; mergeable && i < len(segs); i++ {
			mergeable = segs[i].at >= segs[i-1].at+uint64(len(segs[i-1].data))
		}
		if !mergeable {
			sec.off = len(sec.b)
			return append(leb(nil, uint64(n)), sec.b[start:]...), nil
		}
		// Each merged segment: its offset and the segments it joins.
		type run struct {
			at, end  uint64
			from, to int
		}
		var runs []run
		size := 0
		for i, s := range segs {
			end := s.at + uint64(len(s.data))
			if k := len(runs); k > 0 && s.at-runs[k-1].end <= gap {
				runs[k-1].end, runs[k-1].to = end, i+1
				continue
			}
			runs = append(runs, run{s.at, end, i, i + 1})
		}
		for _, r := range runs {
			size += 16 + int(r.end-r.at)
		}
		body := make([]byte, 0, size)
		body = leb(body, uint64(len(runs)))
		for _, r := range runs {
			body = append(body, 0, 0x41)
			body = sleb(body, int64(int32(uint32(r.at))))
			body = append(body, 0x0b)
			body = leb(body, r.end-r.at)
			start := len(body)
			body = body[:start+int(r.end-r.at)] // zeros: make cleared it
			for _, s := range segs[r.from:r.to] {
				copy(body[start+int(s.at-r.at):], s.data)
			}
		}
		return body, nil
	})
	if err != nil || !mergeable {
		return bin, err
	}
	return out, nil
}

// constSegment reads a data segment; ok reports whether it is active, for
// memory 0, at an i32.const offset (at, read as unsigned).
func (r *reader) constSegment() (at uint64, data []byte, ok bool, err error) {
	flags, err := r.u32()
	if err != nil {
		return 0, nil, false, err
	}
	if flags != 0 {
		return 0, nil, false, nil
	}
	if op, err := r.byte(); err != nil || op != 0x41 {
		return 0, nil, false, err
	}
	v, err := r.s32()
	if err != nil {
		return 0, nil, false, err
	}
	if end, err := r.byte(); err != nil || end != 0x0b {
		return 0, nil, false, err
	}
	size, err := r.u32()
	if err != nil {
		return 0, nil, false, err
	}
	if r.off+int(size) > len(r.b) {
		return 0, nil, false, errEOF
	}
	data = r.b[r.off : r.off+int(size)]
	r.off += int(size)
	return uint64(uint32(v)), data, true, nil
}

// skipDataSegment reads past a data segment of any of its three
// encodings; it returns false where it cannot.
func (r *reader) skipDataSegment() bool {
	flags, err := r.u32()
	if err != nil || flags > 2 {
		return false
	}
	if flags == 2 { // an explicit memory
		if _, err := r.u32(); err != nil {
			return false
		}
	}
	if flags != 1 { // active: an offset
		if r.skipConstExpr() != nil {
			return false
		}
	}
	size, err := r.u32()
	return err == nil && r.skipN(int(size)) == nil
}

// hasSection reports whether bin has a section id, reading no further
// than its end.
func hasSection(bin []byte, id byte) bool {
	r := &reader{b: bin, off: 8}
	for !r.done() {
		sid, _ := r.byte()
		size, _ := r.u32()
		if sid == id {
			return true
		}
		r.off += int(size)
	}
	return false
}

// s32 reads a signed LEB128 number of at most 5 bytes.
func (r *reader) s32() (int32, error) {
	var v int64
	for shift := uint(0); shift < 35; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift < 57 && c&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			if v < -1<<31 || v > 1<<31-1 {
				return 0, errors.New("integer does not fit in 32 bits")
			}
			return int32(v), nil
		}
	}
	return 0, errors.New("integer too long")
}
