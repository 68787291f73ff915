package guest

import "fmt"

// DiskSize is the size of a cart's persistent storage: WASM-4's 1024 bytes,
// for diskr/diskw and ebicart.disk_read/disk_write alike.
const DiskSize = 1024

// SaveKey names a cart's save: a hash of its bytes, so the same cart finds
// its save wherever its file is: CartHash's first 24 hex digits, which a
// caller that has the cart's hash takes instead of hashing again.
func SaveKey(wasm []byte) string { return CartHash(wasm)[:24] }

// DiskRead copies the save into memory at dest, at most size bytes, and
// returns the number copied: diskr and ebicart.disk_read. Bytes past the
// save are left alone. The error, which the caller prefixes with the
// function's name, reports a region past the end of memory, as WASM-4's
// native runtime traps for it even when the save is shorter.
func (c *Core) DiskRead(dest, size uint32) (uint32, error) {
	m := c.Memory()
	n := min(size, uint32(len(c.disk)))
	if uint64(dest)+uint64(size) > m.Size() || !m.Write(dest, c.disk[:n]) {
		return 0, fmt.Errorf("%w: the whole size asked must lie in memory, however little is saved", outOfRange(dest, int(size), m.Size()))
	}
	return n, nil
}

// DiskWrite saves at most DiskSize bytes from memory at src and returns the
// number saved: diskw and ebicart.disk_write. The host is told at once
// (Handler.Disk), so that a cart stopped right after loses nothing.
func (c *Core) DiskWrite(src, size uint32) (uint32, error) {
	m := c.Memory()
	if uint64(src)+uint64(size) > m.Size() {
		return 0, fmt.Errorf("%w: the whole size given must lie in memory, though at most %d bytes are saved", outOfRange(src, int(size), m.Size()), DiskSize)
	}
	size = min(size, DiskSize)
	buf := make([]byte, size)
	m.Read(src, buf)
	c.disk = buf
	if c.out.Disk != nil {
		c.out.Disk(buf)
	}
	return size, nil
}
