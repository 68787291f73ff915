package guest

import (
	"fmt"
	"os"
)

// DefaultMaxMemory is the default cap on a cart's linear memory: 256 MiB.
const DefaultMaxMemory = 256 << 20

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
