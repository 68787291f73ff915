//go:build linux

package worker

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugeHeapBytes is how much of the worker's heap is advised to be backed
// by huge pages: more than a big Go cart's boot uses (the worker of the
// 1.9 MB demo holds about 25 MiB of anonymous memory), so that the boot
// runs within it.
const hugeHeapBytes = 64 << 20

// hugePage is the size of an x86-64 or arm64 transparent huge page.
const hugePage = 2 << 20

// adviseHugeHeap asks the kernel to back the worker's Go heap with
// transparent huge pages where the system allows them for advised memory
// (/sys/kernel/mm/transparent_hugepage/enabled "madvise", the usual
// default). A boot decodes, validates and loads a compiled cart into tens
// of megabytes of fresh memory, and each first touch of a 4 KiB page is a
// page fault: on virtual machines that costs 10-20 us a page, more than the
// work done in it, and a 2 MiB page replaces 512 of those faults.
//
// Go's runtime gives no such advice itself, and an advice only holds for
// the mapping it was given to, so the heap is first grown by one big
// allocation that is never touched (fresh memory from the kernel is known
// to be zero), its span advised, and the allocation dropped: later
// allocations reuse the advised pages. Memory is still committed only as
// it is touched, in 2 MiB steps. Where the kernel has no transparent huge
// pages, the advice fails and nothing changes.
func adviseHugeHeap() {
	b := make([]byte, hugeHeapBytes)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + hugePage - 1) &^ (hugePage - 1)
	end := (p + uintptr(len(b))) &^ (hugePage - 1)
	if start < end {
		unix.Madvise(b[start-p:end-p], unix.MADV_HUGEPAGE)
	}
	runtime.KeepAlive(b)
	// The allocation raised the collector's goal; a collection now,
	// while the heap holds little, sets it back to what the worker uses.
	runtime.GC()
}
