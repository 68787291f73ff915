package fileread

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		path string
		max  int64
		want string // the bytes read, or "" for an error
		kind string // the NotFileError's kind
		big  bool   // a TooBigError
	}{
		{"a file", small, 5, "hello", "", false},
		{"a file over the limit", small, 4, "", "", true},
		{"a directory", dir, 1 << 20, "", "a directory", false},
		{"a device", os.DevNull, 1 << 20, "", "a device", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Read(tc.path, tc.max)
			var nf *NotFileError
			var tb *TooBigError
			switch {
			case tc.want != "":
				if err != nil || string(b) != tc.want {
					t.Fatalf("got %q, %v; want %q", b, err, tc.want)
				}
			case tc.kind != "":
				if !errors.As(err, &nf) || nf.Kind != tc.kind {
					t.Fatalf("got %v, want %s", err, tc.kind)
				}
			case tc.big:
				if !errors.As(err, &tb) || tb.Grew || tb.Size != 5 {
					t.Fatalf("got %v, want a TooBigError of 5 bytes", err)
				}
			}
		})
	}
	if _, err := Read(filepath.Join(dir, "none"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestReadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"cart.wasm": {Data: []byte("\x00asm")},
		"pipe":      {Mode: fs.ModeNamedPipe},
	}
	if b, err := ReadFS(fsys, "cart.wasm", 4); err != nil || string(b) != "\x00asm" {
		t.Errorf("a file: %q, %v", b, err)
	}
	var tb *TooBigError
	if _, err := ReadFS(fsys, "cart.wasm", 3); !errors.As(err, &tb) {
		t.Errorf("a file over the limit: %v", err)
	}
	var nf *NotFileError
	if _, err := ReadFS(fsys, "pipe", 3); !errors.As(err, &nf) || nf.Kind != "a named pipe" {
		t.Errorf("a named pipe: %v", err)
	}
}

// TestReadPiped: a pipe is read to its end, and to the limit at most.
func TestReadPiped(t *testing.T) {
	for _, tc := range []struct {
		data string
		max  int64
		big  bool
	}{
		{"a replay", 100, false},
		{"a replay too long", 5, true},
	} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { w.WriteString(tc.data); w.Close() }()
		path := "/dev/fd/" + strconv.Itoa(int(r.Fd()))
		b, err := ReadPiped(path, tc.max)
		r.Close()
		var tb *TooBigError
		switch {
		case tc.big && !errors.As(err, &tb):
			t.Errorf("%q over %d bytes: %v, want a TooBigError", tc.data, tc.max, err)
		case !tc.big && (err != nil || string(b) != tc.data):
			t.Errorf("%q: got %q, %v", tc.data, b, err)
		}
	}
}
