package guest

import (
	"fmt"

	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// The memory cap covers everything a cart can make an engine allocate for
// it: its linear memory, its tables' elements (8 bytes each), its globals
// (16 bytes each) and its call stack (StackBytes, bounded by
// wasmbin.BoundStack). A cart whose declared minimums alone exceed
// the cap is refused at load, naming them; growth past the cap fails
// inside the cart (memory.grow and table.grow return -1). Tables together
// may grow into an eighth of the room the minimums leave, shared equally;
// the memory may grow into the rest. The engines enforce these maximums
// as the module's own: wazero's memory limit, and the module's memory and
// table sections rewritten (wasmbin.CapMemory, CapTables), so the browser
// holds them too.
const (
	tableElemBytes = 8
	globalBytes    = 16
)

// maxTableElems bounds a table's size, as browsers' engines do (the
// WebAssembly JavaScript API's limit, V8's kV8MaxWasmTableSize): a table
// declared larger fails to compile there, and one grown past it gets -1.
// wazero has no such limit, so the core holds it on every engine.
const maxTableElems = 10_000_000

// StackBytes bounds a cart's call stack, as wasmbin.StackFrameBytes counts
// it: a runaway recursion traps with "stack overflow" at once instead of
// making the engine copy a stack of up to 100 MB for seconds. About what a
// browser allows (V8 stops near 1 MB): a frame of ten locals is 112 bytes,
// so 9,000 calls deep.
const StackBytes = 1 << 20

// cartCaps are the maximums a cart runs with.
type cartCaps struct {
	pages  uint32   // the memory's, in pages
	tables []uint64 // each defined table's, in elements
}

// capCart checks a module's declared minimums against a cap of capPages
// pages and returns its maximums.
func capCart(m *wasmbin.Module, capPages uint32) (cartCaps, error) {
	budget := uint64(capPages) << 16
	var memMin uint64
	if l, ok := m.Memory(); ok {
		memMin = l.Min << 16
	}
	var tableMin uint64
	for _, t := range m.Tables {
		tableMin += t.Min * tableElemBytes
	}
	globals := uint64(m.Globals)*globalBytes + StackBytes
	if memMin+tableMin+globals > budget || tableMin > budget {
		return cartCaps{}, fmt.Errorf("guest: the cart declares %s of memory, %d tables of %d elements in all (%s at 8 bytes each) and %d globals (%s), besides its %s of stack: more than the limit of %s (max-memory)",
			bytesize.Text(memMin), len(m.Tables), tableMin/tableElemBytes, bytesize.Text(tableMin), m.Globals, bytesize.Text(uint64(m.Globals)*globalBytes), bytesize.Text(StackBytes), bytesize.Text(budget))
	}
	for i, t := range m.Tables {
		if t.Min > maxTableElems {
			return cartCaps{}, fmt.Errorf("guest: table %d declares %d elements, more than the %d browsers' engines allow a table", i, t.Min, maxTableElems)
		}
	}
	room := budget - memMin - tableMin - globals
	caps := cartCaps{}
	var tableMax uint64
	if n := uint64(len(m.Tables)); n > 0 {
		each := room / 8 / n / tableElemBytes // elements each table may grow by
		for _, t := range m.Tables {
			limit := min(t.Min+each, maxTableElems)
			caps.tables = append(caps.tables, limit)
			tableMax += limit * tableElemBytes
		}
	}
	caps.pages = uint32(min((budget-tableMax-globals)>>16, uint64(capPages)))
	if uint64(caps.pages)<<16 < memMin {
		caps.pages = uint32(memMin >> 16)
	}
	return caps, nil
}
