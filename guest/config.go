package guest

import (
	"fmt"
	"os"
	"time"
)

// DefaultMaxMemory is the default cap on a cart's linear memory: 256 MiB.
const DefaultMaxMemory = 256 << 20

// DefaultCPULimit is the default time a cart's start or update may take.
const DefaultCPULimit = time.Second

// Isolation says where a cart runs and how its CPU limit is enforced.
type Isolation int

const (
	// IsolationAuto runs carts in a child process where that is supported
	// (Linux), else in this process with context checks.
	IsolationAuto Isolation = iota
	// IsolationProcess runs the cart in a child process of this program,
	// its linear memory shared with the host, so the host still reads the
	// frame in place. A cart past its CPU limit is killed. The cart runs at
	// full compiled speed, and a cart stuck in a loop cannot stall the
	// host's garbage collector. Linux only.
	IsolationProcess
	// IsolationInProcess runs the cart in this process, with wazero
	// checking for the deadline at every loop header and function entry:
	// portable, but loop-heavy carts run several times slower.
	IsolationInProcess
	// IsolationNone runs the cart in this process with no CPU limit: the
	// fastest, for trusted carts only. A cart stuck in a loop hangs the
	// host.
	IsolationNone
)

// Config says how to load and run a cart. The zero value is ready to use:
// log lines go to standard error, compiled code is cached under the user
// cache directory, memory is capped at [DefaultMaxMemory]. A Config is
// immutable; the With methods return changed copies.
type Config struct {
	name      string
	log       func(line string)
	cacheDir  string
	noCache   bool
	maxMemory uint64
	cpuLimit  time.Duration
	isolation Isolation
	mode      Mode
	palette   *[4]uint32
	saveDir   string
	noSaves   bool
	saveKey   string

	// The browser keeps saves in localStorage, on the page's thread: a
	// worker gets the save's bytes and reports every write.
	saveData []byte
	onSave   func([]byte)
	// precompiled is a WebAssembly.Module of the cart, compiled already
	// (the browser worker compiles first to report progress).
	precompiled any
}

// WithSaveKey names the cart's save instead of the hash of its bytes, so
// that rebuilds of a cart (a watched file) share one save.
func (c Config) WithSaveKey(key string) Config {
	c.saveKey = key
	return c
}

// WithSaveData starts the cart with these saved bytes and reports each
// save to onSave instead of keeping it in a file: for hosts that store
// saves themselves (the browser's worker; tests).
func (c Config) WithSaveData(data []byte, onSave func([]byte)) Config {
	c.saveData, c.onSave = data, onSave
	c.noSaves = true
	return c
}

// WithMode chooses the ABI the cart runs with (default ModeAuto).
func (c Config) WithMode(m Mode) Config {
	c.mode = m
	return c
}

// WithPalette replaces the WASM-4 power-on palette (four 0xRRGGBB
// colours). A cart that sets its own palette still wins.
func (c Config) WithPalette(p [4]uint32) Config {
	c.palette = &p
	return c
}

// WithSaveDir keeps carts' saved data (WASM-4 diskw, ebicart.disk_write)
// in dir, one file per cart named for a hash of its bytes. The default is
// the user data directory's ebicart/saves; an empty dir keeps saves in
// memory only, lost when the cart closes.
func (c Config) WithSaveDir(dir string) Config {
	c.saveDir, c.noSaves = dir, dir == ""
	return c
}

// WithCPULimit sets how long one call of start or update (with the calls
// around it) may run before the cart is stopped with "update did not
// return within ..." (default DefaultCPULimit). 0 restores the default.
func (c Config) WithCPULimit(d time.Duration) Config {
	c.cpuLimit = d
	return c
}

// WithIsolation chooses where the cart runs; see Isolation.
func (c Config) WithIsolation(i Isolation) Config {
	c.isolation = i
	return c
}

func (c Config) limit() time.Duration {
	if c.cpuLimit <= 0 {
		return DefaultCPULimit
	}
	return c.cpuLimit
}

// WithName sets the cart's name, used in its log lines.
func (c Config) WithName(name string) Config {
	c.name = name
	return c
}

// WithLog sends the cart's log lines (ebicart.log, and WASI stdout and
// stderr) to f, one line at a time without the trailing newline.
func (c Config) WithLog(f func(line string)) Config {
	c.log = f
	return c
}

// WithCompilationCacheDir caches compiled carts in dir instead of the
// default, os.UserCacheDir()/ebicart. An empty dir turns the disk cache off.
// The browser compiles carts itself and ignores this.
func (c Config) WithCompilationCacheDir(dir string) Config {
	c.cacheDir, c.noCache = dir, dir == ""
	return c
}

// WithMaxMemory caps the cart's linear memory at n bytes, rounded down to
// whole 64 KiB pages: a cart that declares more fails to load, and
// memory.grow beyond it returns -1 inside the cart.
func (c Config) WithMaxMemory(n uint64) Config {
	c.maxMemory = n
	return c
}

func (c Config) maxPages() uint32 {
	n := c.maxMemory
	if n == 0 {
		n = DefaultMaxMemory
	}
	return uint32(min(n>>16, 65536))
}

func (c Config) logf(line string) {
	if c.log != nil {
		c.log(line)
		return
	}
	name := c.name
	if name == "" {
		name = "cart"
	}
	fmt.Fprintf(os.Stderr, "%s: %s\n", name, line)
}
