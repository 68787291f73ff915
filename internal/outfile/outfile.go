// Package outfile creates the files a user names for a run's output (a
// screenshot, a replay, a state, a WAV, a profile). Such a path may be a
// named pipe (mkfifo), whose opening for writing blocks until a program
// opens it to read: one that no program reads would hold the run for
// ever, at its end, with the session's other outputs unwritten.
package outfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ReaderWait is how long Create waits for a program to open a named pipe
// to read it: time for one started beside the run.
var ReaderWait = 5 * time.Second

// NoReaderError is a named pipe that no program opened to read within
// the wait.
type NoReaderError struct {
	Name   string
	Waited time.Duration
}

func (e *NoReaderError) Error() string {
	return fmt.Sprintf("%s is a named pipe that no program reads (none opened it within %v): start the program that reads it first, or name a file", e.Name, e.Waited)
}

// Create is os.Create, except that a named pipe is opened once a program
// reads it, and a *NoReaderError is returned if none does within
// ReaderWait.
func Create(path string) (*os.File, error) {
	if st, err := os.Stat(path); err == nil && st.Mode()&os.ModeNamedPipe != 0 {
		return openPipe(path, ReaderWait)
	}
	return os.Create(path)
}

// WriteFile writes data to path whole or not at all: a regular file (new,
// or one already there, through any links) is replaced by a file written
// beside it and renamed over it, so that an error part-way (a full disk)
// leaves the old one as it was, where os.WriteFile would have emptied it
// first. A pipe or a device is written through Create; so is a file in a
// directory it cannot write beside (a file there is written in place).
func WriteFile(path string, data []byte) error {
	st, err := os.Stat(path)
	if err == nil && !st.Mode().IsRegular() {
		return writeIn(path, data)
	}
	target := path
	if lst, err := os.Lstat(path); err == nil && lst.Mode()&os.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return writeIn(path, data) // a link to nothing: created where it points
		}
	}
	perm := os.FileMode(0o644)
	if st != nil {
		perm = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*")
	if err != nil {
		return writeIn(path, data)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err1 := tmp.Close(); err == nil {
		err = err1
	}
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		os.Remove(tmp.Name())
		// Said of the file named, not of the one beside it.
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			err = &os.PathError{Op: pe.Op, Path: path, Err: pe.Err}
		}
		if le, ok := errors.AsType[*os.LinkError](err); ok {
			err = &os.PathError{Op: "rename", Path: path, Err: le.Err}
		}
	}
	return err
}

// writeIn writes data to path through Create, in place.
func writeIn(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err1 := f.Close(); err == nil {
		err = err1
	}
	return err
}
