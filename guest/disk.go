package guest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DiskSize is the size of a cart's persistent storage: WASM-4's 1024 bytes,
// for diskr/diskw and ebicart.disk_read/disk_write alike.
const DiskSize = 1024

// disk is a cart's persistent storage. On the desktop it is a file per
// cart, written atomically: the new contents go to a temporary file in the
// same directory, are synced, and replace the old file with a rename, so a
// crash at any point leaves either the old save or the new one, never a
// mix. Without a file (no save directory) it lives in memory.
type disk struct {
	path string // "" keeps the data in memory
	mem  []byte
	// beforeRename, for tests, runs between writing the temporary file and
	// renaming it; returning an error simulates a crash there.
	beforeRename func() error
}

// SaveKey names a cart's save: a hash of its bytes, so the same cart finds
// its save wherever its file is.
func SaveKey(wasm []byte) string {
	h := sha256.Sum256(wasm)
	return hex.EncodeToString(h[:12])
}

// defaultSaveDir is the user data directory's ebicart/saves.
func defaultSaveDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && runtime.GOOS != "windows" {
		return filepath.Join(d, "ebicart", "saves")
	}
	home, err := os.UserHomeDir()
	switch {
	case runtime.GOOS == "windows":
		if d, err := os.UserConfigDir(); err == nil { // %AppData%
			return filepath.Join(d, "ebicart", "saves")
		}
	case runtime.GOOS == "darwin" && err == nil:
		return filepath.Join(home, "Library", "Application Support", "ebicart", "saves")
	case err == nil:
		return filepath.Join(home, ".local", "share", "ebicart", "saves")
	}
	return ""
}

// savePath is where a cart's save lives, "" for none.
func (c Config) savePath(wasm []byte) string {
	if c.noSaves {
		return ""
	}
	dir := c.saveDir
	if dir == "" {
		dir = defaultSaveDir()
	}
	if dir == "" {
		return ""
	}
	key := c.saveKey
	if key == "" {
		key = SaveKey(wasm)
	}
	return filepath.Join(dir, key+".disk")
}

// read returns the saved bytes (at most DiskSize).
func (d *disk) read() []byte {
	if d.path == "" {
		return d.mem
	}
	b, err := os.ReadFile(d.path)
	if err != nil {
		return nil
	}
	return b[:min(len(b), DiskSize)]
}

// write replaces the saved bytes.
func (d *disk) write(b []byte) error {
	b = b[:min(len(b), DiskSize)]
	if d.path == "" {
		d.mem = append(d.mem[:0], b...)
		return nil
	}
	dir := filepath.Dir(d.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("guest: save: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(d.path)+".tmp*")
	if err != nil {
		return fmt.Errorf("guest: save: %w", err)
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && d.beforeRename != nil {
		err = d.beforeRename()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), d.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("guest: save: %w", err)
	}
	return nil
}

// diskRead copies the save into mem at dest, at most size bytes, and
// returns the number copied: diskr and ebicart.disk_read.
func (d *disk) diskRead(mem []byte, dest, size uint32) (uint32, error) {
	if uint64(dest)+uint64(size) > uint64(len(mem)) {
		return 0, fmt.Errorf("disk read into 0x%x+%d bytes: past memory size %d", dest, size, len(mem))
	}
	n := copy(mem[dest:dest+size], d.read())
	return uint32(n), nil
}

// diskWrite saves at most DiskSize bytes from mem at src and returns the
// number saved: diskw and ebicart.disk_write.
func (d *disk) diskWrite(mem []byte, src, size uint32) (uint32, error) {
	if uint64(src)+uint64(size) > uint64(len(mem)) {
		return 0, fmt.Errorf("disk write from 0x%x+%d bytes: past memory size %d", src, size, len(mem))
	}
	size = min(size, DiskSize)
	if err := d.write(mem[src : src+size]); err != nil {
		return 0, err
	}
	return size, nil
}
