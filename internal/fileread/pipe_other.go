//go:build !unix

package fileread

import (
	"errors"
	"os"
)

// openWriterNow is Unix's: elsewhere a blocked open is left as it is.
func openWriterNow(string) (*os.File, error) { return nil, errors.New("fileread: no named pipes") }
