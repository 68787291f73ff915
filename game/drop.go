package game

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/fileread"
)

// handleDrops runs a .wasm file dropped on the window: it replaces the
// running cart if it loads, else the running cart goes on and a notice
// says why (Swap).
func (g *Game) handleDrops() {
	files := ebiten.DroppedFiles()
	if files == nil || g.opts.Loader == nil {
		return
	}
	var found string
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(strings.ToLower(p), ".wasm") && found == "" {
			found = p
		}
		return nil
	})
	if found == "" {
		g.setNotice("drop a .wasm cart to run it", true)
		return
	}
	wasm, err := readDropped(files, found, g.maxCartSize())
	if err != nil {
		g.setNotice("dropped file: "+err.Error(), true)
		return
	}
	name := strings.TrimSuffix(path.Base(found), ".wasm")
	g.Swap(g.opts.Loader(wasm, name), name)
}

// readDropped reads a dropped file, refusing one that is not a regular file
// or is larger than max before reading it.
func readDropped(files fs.FS, name string, max int64) ([]byte, error) {
	b, err := fileread.ReadFS(files, name, max)
	var nf *fileread.NotFileError
	var tb *fileread.TooBigError
	switch {
	case errors.As(err, &nf):
		return nil, fmt.Errorf("%w: a cart is a .wasm file", nf)
	case errors.As(err, &tb) && !tb.Grew:
		return nil, cart.TooBig(name, tb.Size, max)
	}
	return b, err
}

// maxCartSize is the cap on a cart file's size.
func (g *Game) maxCartSize() int64 {
	if g.opts.MaxCartSize > 0 {
		return g.opts.MaxCartSize
	}
	return cart.DefaultMaxCartSize
}
