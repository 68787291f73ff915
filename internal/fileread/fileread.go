// Package fileread reads a file a user named (a cart, a save state, a
// replay) in one piece, refusing before it reads anything a file that is
// not a regular file (a FIFO would block for ever, /dev/zero never end)
// or is larger than a limit.
package fileread

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
)

// NotFileError is the error for a name that is not a regular file.
type NotFileError struct {
	Name string
	Kind string // what it is instead: "a directory", "a named pipe", ...
}

func (e *NotFileError) Error() string { return fmt.Sprintf("%s is %s, not a file", e.Name, e.Kind) }

// TooBigError is the error for a file larger than the limit: Size is its
// size, or what had been read of it when it grew past Max while it was
// read (Grew).
type TooBigError struct {
	Name      string
	Size, Max int64
	Grew      bool
}

func (e *TooBigError) Error() string {
	if e.Grew {
		return fmt.Sprintf("%s grew past %d bytes while it was read", e.Name, e.Max)
	}
	return fmt.Sprintf("%s is %d bytes, more than %d", e.Name, e.Size, e.Max)
}

// Read reads the file at path, of at most max bytes. Its errors are
// *NotFileError, *TooBigError, or those of os.Stat, os.Open and reading.
func Read(path string, max int64) ([]byte, error) { return readOS(path, max, false) }

// ReadPiped is Read that also takes a pipe (a shell's <(gunzip -c f)),
// read to its end or to max bytes: for files a user may stream. A named
// pipe that no program opens to write within PipeWait is a
// *NoWriterError.
func ReadPiped(path string, max int64) ([]byte, error) { return readOS(path, max, true) }

func readOS(path string, max int64, pipes bool) ([]byte, error) {
	var st fs.FileInfo
	stat := func() (fs.FileInfo, error) {
		var err error
		st, err = os.Stat(path)
		return st, err
	}
	// A named pipe that no program writes would block the open for
	// ever: it is waited for PipeWait at most.
	return read(path, max, pipes, stat, func() (fs.File, error) { return openPiped(path, st) })
}

// ReadFS is Read for the file name in fsys (a dropped file).
func ReadFS(fsys fs.FS, name string, max int64) ([]byte, error) {
	return read(name, max, false, func() (fs.FileInfo, error) { return fs.Stat(fsys, name) }, func() (fs.File, error) { return fsys.Open(name) })
}

func read(name string, max int64, pipes bool, stat func() (fs.FileInfo, error), open func() (fs.File, error)) ([]byte, error) {
	st, err := stat()
	if err != nil {
		return nil, err
	}
	if err := check(name, st, max, pipes); err != nil {
		return nil, err
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil { // the file opened, not the name looked at
		return nil, err
	}
	if err := check(name, st, max, pipes); err != nil {
		return nil, err
	}
	// io.ReadAll's loop, from a buffer of the file's size plus the one
	// byte that shows it grew: ReadAll's own starts at 512 bytes and
	// copies a big file a dozen times, into fresh memory each time.
	r := io.LimitReader(f, max+1)
	b := make([]byte, 0, min(st.Size(), max)+1)
	for {
		if len(b) == cap(b) {
			b = slices.Grow(b, len(b)) // the file grew while it was read
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(b)) > max {
		return nil, &TooBigError{Name: name, Size: int64(len(b)), Max: max, Grew: true}
	}
	return b, nil
}

func check(name string, st fs.FileInfo, max int64, pipes bool) error {
	if !st.Mode().IsRegular() && !(pipes && st.Mode()&fs.ModeNamedPipe != 0) {
		return &NotFileError{Name: name, Kind: Kind(st.Mode())}
	}
	if st.Size() > max {
		return &TooBigError{Name: name, Size: st.Size(), Max: max}
	}
	return nil
}

// Kind says what a file that is not a regular file is.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
