package fileread

import (
	"fmt"
	"os"
	"time"
)

// PipeWait is how long ReadPiped waits for a program to open a named
// pipe to write it: time for one started beside the run.
var PipeWait = 5 * time.Second

// NoWriterError is a named pipe that no program opened to write within
// PipeWait.
type NoWriterError struct {
	Name   string
	Waited time.Duration
}

func (e *NoWriterError) Error() string {
	return fmt.Sprintf("%s is a named pipe that no program writes (none opened it within %v): start the program that writes it first, or name a file", e.Name, e.Waited)
}

// openPiped opens path, a named pipe if st says so, to read: its opening
// blocks until a program opens it to write, which may never happen. The
// open is given up after PipeWait, and then ended by a writer of our own
// that closes at once, so that nothing is left blocked.
func openPiped(path string, st os.FileInfo) (*os.File, error) {
	if st.Mode()&os.ModeNamedPipe == 0 {
		return os.Open(path)
	}
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		done <- opened{f, err}
	}()
	select {
	case o := <-done:
		return o.f, o.err
	case <-time.After(PipeWait):
		if w, err := openWriterNow(path); err == nil {
			w.Close()
		}
		go func() {
			if o := <-done; o.err == nil {
				o.f.Close()
			}
		}()
		return nil, &NoWriterError{Name: path, Waited: PipeWait}
	}
}
