package wasmbin

import "errors"

// StartExport is the name ExportStart exports a module's start function
// under; no ABI export starts so.
const StartExport = "ebicart:start"

// ExportStart returns bin without its start section and with the start
// function exported as StartExport, for the host to call right after
// instantiation, as the engine would have called it during: the same
// order, with the instance in hand. Every engine then runs it alike, as a
// call: bounded as one, its host functions given the memory (a browser's
// host gets an ABI v1 cart's memory only from the instance), the stack
// bound set up, and not run again when an instance is renewed for a save
// state. A module without a start section is returned as it is.
func ExportStart(bin []byte) ([]byte, error) {
	// The sections are found first: a module without a start section
	// (most carts) is returned without a second parse on the way to its
	// first frame; one with, or one the scan cannot read, is checked.
	startAt, startEnd, exportAt := -1, -1, -1
	var fn uint32
	scanned := len(bin) >= 8
	r := &reader{b: bin, off: 8}
	for scanned && !r.done() {
		at := r.off
		id, err := r.byte()
		size, err2 := r.u32()
		end := r.off + int(size)
		if err != nil || err2 != nil || end > len(bin) {
			scanned = false
			break
		}
		switch id {
		case 7:
			exportAt = at
		case 8:
			sec := &reader{b: bin[:end], off: r.off}
			if fn, err = sec.u32(); err != nil {
				scanned = false
			}
			startAt, startEnd = at, end
		}
		r.off = end
	}
	if scanned && startAt < 0 {
		return bin, nil
	}
	if _, err := Parse(bin); err != nil {
		return nil, err
	}
	if !scanned {
		return nil, errors.New("start section unreadable")
	}
	entry := leb(nil, uint64(len(StartExport)))
	entry = append(entry, StartExport...)
	entry = append(entry, byte(KindFunc))
	entry = leb(entry, uint64(fn))
	out := make([]byte, 0, len(bin)+len(entry)+8)
	if exportAt < 0 {
		// No export section: one goes where the start section was,
		// which is where an export section would be (after the globals,
		// before the elements).
		body := append(leb(nil, 1), entry...)
		out = append(out, bin[:startAt]...)
		out = append(out, 7)
		out = leb(out, uint64(len(body)))
		out = append(out, body...)
		return append(out, bin[startEnd:]...), nil
	}
	if exportAt > startAt {
		return nil, errors.New("export section after the start section")
	}
	r = &reader{b: bin, off: exportAt + 1}
	size, _ := r.u32()
	secStart := r.off
	secEnd := secStart + int(size)
	sec := &reader{b: bin[:secEnd], off: secStart}
	n, err := sec.count()
	if err != nil {
		return nil, err
	}
	body := leb(nil, uint64(n)+1)
	body = append(body, bin[sec.off:secEnd]...)
	body = append(body, entry...)
	out = append(out, bin[:exportAt]...)
	out = append(out, 7)
	out = leb(out, uint64(len(body)))
	out = append(out, body...)
	out = append(out, bin[secEnd:startAt]...) // the sections between (none in a valid module)
	return append(out, bin[startEnd:]...), nil
}
