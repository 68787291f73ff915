//go:build unix

package wazero

import (
	"math"

	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"
)

// mmapAllocator gives each memory an anonymous mapping of its maximum
// size, reserved but not committed (the kernel commits pages as they are
// touched), outside Go's heap: growing never copies, however large the
// memory gets, so a growth is as quick as the cart's own loop.
type mmapAllocator struct{}

// Where the address space has no room for the reservation (a 32-bit
// process, a limit on its virtual memory), the memory is a Go slice
// instead, copied as it grows.
func (mmapAllocator) Allocate(capacity, max uint64) experimental.LinearMemory {
	if max > math.MaxInt {
		return &sliceMemory{buf: make([]byte, 0, min(capacity, math.MaxInt))}
	}
	b, err := unix.Mmap(-1, 0, int(max), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		return &sliceMemory{buf: make([]byte, 0, capacity)}
	}
	return &mmapMemory{buf: b}
}

type mmapMemory struct{ buf []byte }

func (m *mmapMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size]
}

func (m *mmapMemory) Free() {
	if m.buf != nil {
		unix.Munmap(m.buf)
		m.buf = nil
	}
}

// defaultAllocator is the allocator of an engine that has none.
func defaultAllocator() experimental.MemoryAllocator { return mmapAllocator{} }
