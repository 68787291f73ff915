//go:build !js

package wazero

import "math"

// sliceMemory is a linear memory in Go's heap, copied into a larger slice
// when it grows past its capacity: the fallback where a memory's maximum
// cannot be reserved up front.
type sliceMemory struct{ buf []byte }

func (m *sliceMemory) Reallocate(size uint64) []byte {
	if size > math.MaxInt {
		return nil
	}
	if n := int(size); n <= cap(m.buf) {
		m.buf = m.buf[:n]
	} else {
		m.buf = append(m.buf[:cap(m.buf)], make([]byte, n-cap(m.buf))...)
	}
	return m.buf
}

func (m *sliceMemory) Free() { m.buf = nil }
