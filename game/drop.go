package game

import (
	"io/fs"
	"path"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
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
	wasm, err := fs.ReadFile(files, found)
	if err != nil {
		g.setNotice("dropped file: "+err.Error(), true)
		return
	}
	name := strings.TrimSuffix(path.Base(found), ".wasm")
	g.Swap(g.opts.Loader(wasm, name), name)
}
