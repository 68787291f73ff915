//go:build unix

package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCreate: a file is created as os.Create would; a named pipe is
// written once a program reads it, and refused after the wait when none
// does (os.Create blocked for ever).
func TestCreate(t *testing.T) {
	defer func(w time.Duration) { ReaderWait = w }(ReaderWait)
	ReaderWait = 300 * time.Millisecond
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		path   string
		reader bool
		want   error
	}{
		{"a file", filepath.Join(dir, "file"), false, nil},
		{"a pipe with a reader", fifo, true, nil},
		{"a pipe with none", fifo, false, &NoReaderError{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan []byte, 1)
			if tc.reader {
				go func() {
					f, err := os.Open(tc.path) // blocks until the writer opens
					if err != nil {
						got <- nil
						return
					}
					b, _ := io.ReadAll(f)
					f.Close()
					got <- b
				}()
			}
			start := time.Now()
			err := WriteFile(tc.path, []byte("data"))
			var nr *NoReaderError
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("WriteFile: %v", err)
			case tc.want != nil && !errors.As(err, &nr):
				t.Fatalf("WriteFile: %v, want a NoReaderError", err)
			case time.Since(start) > 5*time.Second:
				t.Fatalf("WriteFile took %v", time.Since(start))
			}
			if tc.reader {
				if b := <-got; string(b) != "data" {
					t.Errorf("the reader got %q", b)
				}
			}
		})
	}
}
