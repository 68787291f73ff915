package cart

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/fileread"
)

// DefaultMaxCartSize is the default cap on a cart's size: 64 MiB.
const DefaultMaxCartSize = 64 << 20

// maxCartSize is a cap on a cart's size as given, 0 or less meaning the
// default: ReadCartFile's and Options.MaxCartSize's.
func maxCartSize(max int64) int64 {
	if max <= 0 {
		return DefaultMaxCartSize
	}
	return max
}

// ReadCartFile reads the cart at path, refusing before it reads anything a
// file that is not a regular file (a FIFO would block forever, /dev/zero
// never end) or is larger than max bytes (0 or less: DefaultMaxCartSize).
func ReadCartFile(path string, max int64) ([]byte, error) {
	max = maxCartSize(max)
	b, err := fileread.Read(path, max)
	var nf *fileread.NotFileError
	var tb *fileread.TooBigError
	switch {
	case err == nil:
		return b, nil
	case errors.As(err, &nf):
		return nil, fmt.Errorf("cart: %w: a cart is a .wasm file", nf)
	case errors.As(err, &tb) && tb.Grew:
		return nil, fmt.Errorf("cart: %s grew past %d bytes while it was read: the limit is %s (max-cart-size)", path, max, bytesize.Text(uint64(max)))
	case errors.As(err, &tb):
		return nil, TooBig(path, tb.Size, max)
	}
	return nil, fileError(path, err)
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
