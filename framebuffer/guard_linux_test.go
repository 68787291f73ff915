package framebuffer

import (
	"syscall"
	"testing"
)

// guarded returns a slice of n bytes whose last byte sits right before an
// inaccessible page, so that a converter reading or writing even one byte
// past the end crashes the test instead of passing silently. The unsafe
// loads in the converters are held to their slices this way.
func guarded(t testing.TB, n int) []byte {
	t.Helper()
	page := syscall.Getpagesize()
	size := (n+page-1)/page*page + page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("mmap %d bytes: %v", size, err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size-page:], syscall.PROT_NONE); err != nil {
		t.Fatalf("mprotect: %v", err)
	}
	end := size - page
	return mem[end-n : end : end]
}
