//go:build !js

package game

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/ebicart/ebicart/cart"
)

// watchDebounce is how long a watched cart must stay unchanged before it
// is loaded, so that a file still being written (by a compiler or a copy)
// is not loaded half-way.
const watchDebounce = 250 * time.Millisecond

// Watch reloads the cart at path each time the file changes: the new cart
// starts fresh, and one that fails to load leaves the old one running with
// the error shown (Swap). load makes the loader for each build; to keep a
// cart's saves across builds it should give them all the first build's
// save key (cart.Options.SaveKey). It watches the file's directory, as
// editors and compilers often replace a file by renaming another onto it.
// Stop the watch with the returned function.
func (g *Game) Watch(path string, load func(wasm []byte, name string) Loader) (stop func(), err error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		w.Close()
		return nil, err
	}
	if err := w.Add(filepath.Dir(abs)); err != nil {
		w.Close()
		return nil, err
	}
	// A cart reached through a symbolic link (run/cart.wasm ->
	// ../target/release/x.wasm) changes where the link points: that
	// file's directory is watched too, and again each time the link does.
	watched := map[string]bool{abs: true}
	follow := func() {
		if real, err := filepath.EvalSymlinks(abs); err == nil && !watched[real] {
			if w.Add(filepath.Dir(real)) == nil {
				watched[real] = true
			}
		}
	}
	follow()
	name := strings.TrimSuffix(filepath.Base(abs), ".wasm")
	done := make(chan struct{})
	go func() {
		var timer <-chan time.Time
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if p := filepath.Clean(ev.Name); watched[p] && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename) != 0 {
					if p == abs {
						follow()
					}
					timer = time.After(watchDebounce) // restart the wait at each change
				}
			case <-timer:
				timer = nil
				wasm, err := cart.ReadCartFile(abs, g.maxCartSize())
				if err != nil {
					g.mu.Lock()
					g.pendingNotice = &pendingNotice{"watch: " + err.Error(), true}
					g.mu.Unlock()
					continue
				}
				g.Swap(load(wasm, name), name)
			case <-w.Errors:
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); w.Close() }, nil
}
