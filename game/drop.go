package game

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
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
	st, err := fs.Stat(files, name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file: a cart is a .wasm file", name)
	}
	if st.Size() > max {
		return nil, cart.TooBig(name, st.Size(), max)
	}
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(b)) > max {
		err = fmt.Errorf("%s grew past the limit of %d bytes while it was read", name, max)
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
