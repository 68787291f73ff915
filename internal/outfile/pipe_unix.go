//go:build unix

package outfile

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// openPipe opens the named pipe at path for writing without blocking:
// until a program opens it to read, that fails with ENXIO, and is tried
// again until wait has passed. The file then writes through Go's poller,
// which waits for the reader without holding a thread.
func openPipe(path string, wait time.Duration) (*os.File, error) {
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if !errors.Is(err, syscall.ENXIO) {
			return f, err
		}
		if time.Now().After(deadline) {
			return nil, &NoReaderError{Name: path, Waited: wait}
		}
		time.Sleep(20 * time.Millisecond)
	}
}
