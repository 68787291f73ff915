// Package outfile creates the files a user names for a run's output (a
// screenshot, a replay, a state, a WAV, a profile). Such a path may be a
// named pipe (mkfifo), whose opening for writing blocks until a program
// opens it to read: one that no program reads would hold the run for
// ever, at its end, with the session's other outputs unwritten.
package outfile

import (
	"fmt"
	"os"
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

// WriteFile is os.WriteFile through Create.
func WriteFile(path string, data []byte) error {
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
