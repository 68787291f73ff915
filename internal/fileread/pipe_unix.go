//go:build unix

package fileread

import (
	"os"
	"syscall"
)

// openWriterNow opens the named pipe at path to write, without waiting:
// it fails unless a program has it open to read.
func openWriterNow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
}
