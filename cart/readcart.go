package cart

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/ebicart/ebicart/internal/bytesize"
)

// DefaultMaxCartSize is the default cap on a cart's size: 64 MiB.
const DefaultMaxCartSize = 64 << 20

// ReadCartFile reads the cart at path, refusing before it reads anything a
// file that is not a regular file (a FIFO would block forever, /dev/zero
// never end) or is larger than max bytes (0: DefaultMaxCartSize).
func ReadCartFile(path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxCartSize
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if err := checkCartFile(path, st, max); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil { // the file opened, not the name looked at
		return nil, err
	}
	if err := checkCartFile(path, st, max); err != nil {
		return nil, err
	}
	// io.ReadAll's loop, from a buffer of the file's size plus the one
	// byte that shows it grew: ReadAll's own starts at 512 bytes and
	// copies a big cart a dozen times, into fresh memory each time.
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
		return nil, fmt.Errorf("cart: %s grew past %d bytes while it was read: the limit is %s (-max-cart-size)", path, max, bytesize.Text(uint64(max)))
	}
	return b, nil
}

func checkCartFile(path string, st os.FileInfo, max int64) error {
	if !st.Mode().IsRegular() {
		return fmt.Errorf("cart: %s is %s, not a file: a cart is a .wasm file", path, fileKind(st.Mode()))
	}
	if st.Size() > max {
		return TooBig(path, st.Size(), max)
	}
	return nil
}

// TooBig is the error of a cart of size bytes, named name (its file or
// URL), over the limit of max bytes: the same sentence wherever a cart is
// read (a file, a drop, a download, LoadContext).
func TooBig(name string, size, max int64) error {
	return fmt.Errorf("cart: %s is %s, more than the limit of %s (max-cart-size)", name, bytesize.Text(uint64(size)), bytesize.Text(uint64(max)))
}

// fileError is err, from looking at or opening the cart at path, as a
// sentence about the cart ("cart: x.wasm: no such file or directory"); it
// wraps err's cause, for errors.Is.
func fileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cart: %s: %w", path, err)
}

// fileKind says what a file that is not a regular file is.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
