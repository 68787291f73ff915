//go:build !unix

package outfile

import (
	"os"
	"time"
)

// openPipe opens path as os.Create does: named pipes (mkfifo) are Unix's.
func openPipe(path string, _ time.Duration) (*os.File, error) { return os.Create(path) }
