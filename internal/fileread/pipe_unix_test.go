//go:build unix

package fileread

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadPipedNoWriter: a named pipe that no program writes is given up
// after PipeWait, with what to do; one whose writer comes within it is
// read. The open used to block for ever (-replay fifo hung at the start).
func TestReadPipedNoWriter(t *testing.T) {
	defer func(w time.Duration) { PipeWait = w }(PipeWait)
	PipeWait = 300 * time.Millisecond
	for _, tc := range []struct {
		name   string
		writer bool
	}{
		{"no writer", false},
		{"a writer", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "fifo")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.writer {
				go func() {
					if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
						f.Write([]byte("data"))
						f.Close()
					}
				}()
			}
			start := time.Now()
			b, err := ReadPiped(fifo, 100)
			if time.Since(start) > 5*time.Second {
				t.Fatalf("ReadPiped took %v", time.Since(start))
			}
			var nw *NoWriterError
			switch {
			case tc.writer && (err != nil || string(b) != "data"):
				t.Errorf("ReadPiped: %q, %v; want data", b, err)
			case !tc.writer && !errors.As(err, &nw):
				t.Errorf("ReadPiped: %q, %v; want a NoWriterError", b, err)
			case !tc.writer && err.Error() != fifo+" is a named pipe that no program writes (none opened it within 300ms): start the program that writes it first, or name a file":
				t.Errorf("ReadPiped: %v", err)
			}
		})
	}
}
