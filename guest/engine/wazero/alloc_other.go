//go:build !unix && !js

package wazero

import "github.com/tetratelabs/wazero/experimental"

// defaultAllocator: wazero's own (Go slices) where there is no mmap.
func defaultAllocator() experimental.MemoryAllocator { return nil }
