//go:build !js

package game

import (
	"errors"
	"io/fs"
	"os"
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

// watchPoll is how often a watched directory that was removed is looked
// for: its watch went with it.
const watchPoll = 250 * time.Millisecond

// Watch reloads the cart at path each time the file changes: the new cart
// starts fresh, and one that fails to load leaves the old one running with
// the error shown (Swap). load makes the loader for each build; to keep a
// cart's saves across builds it should give them all the first build's
// save key (cart.Options.SaveKey). It watches the file's directory, as
// editors and compilers often replace a file by renaming another onto it,
// and waits for a directory removed (make clean) to come back.
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
	dirs := map[string]bool{filepath.Dir(abs): true}
	follow := func() {
		if real, err := filepath.EvalSymlinks(abs); err == nil && !watched[real] {
			if w.Add(filepath.Dir(real)) == nil {
				watched[real], dirs[filepath.Dir(real)] = true, true
			}
		}
	}
	follow()
	name := strings.TrimSuffix(filepath.Base(abs), ".wasm")
	notice := func(msg string, bad bool) {
		g.mu.Lock()
		g.pendingNotice = &pendingNotice{msg, bad}
		g.mu.Unlock()
	}
	done := make(chan struct{})
	go func() {
		var timer <-chan time.Time
		// lost holds the watched directories removed (make clean, rm -rf
		// build): their watches went with them, and they are looked for
		// until they are back, when the cart in them is loaded again.
		lost := map[string]bool{}
		var poll *time.Ticker
		var polls <-chan time.Time
		back := false // a directory came back: the build may not be in it yet
		defer func() {
			if poll != nil {
				poll.Stop()
			}
		}()
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				p := filepath.Clean(ev.Name)
				if dirs[p] && ev.Op&(fsnotify.Remove|fsnotify.Rename) != 0 && !lost[p] {
					lost[p] = true
					if poll == nil {
						poll = time.NewTicker(watchPoll)
						polls = poll.C
					}
					notice("watch: "+p+" is gone: "+name+" loads again when it is back", false)
					continue
				}
				if watched[p] && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename) != 0 {
					if p == abs {
						follow()
					}
					timer = time.After(watchDebounce) // restart the wait at each change
				}
			case <-polls:
				for dir := range lost {
					if st, err := os.Stat(dir); err == nil && st.IsDir() && w.Add(dir) == nil {
						delete(lost, dir)
						follow()
						back = true
						timer = time.After(watchDebounce) // the build written into it, if it is there
					}
				}
				if len(lost) == 0 {
					poll.Stop()
					poll, polls = nil, nil
				}
			case <-timer:
				timer = nil
				wasm, err := cart.ReadCartFile(abs, g.maxCartSize())
				cameBack := back
				back = false
				if err != nil {
					// A directory back without the build: its creation
					// is an event to come.
					if !cameBack || !errors.Is(err, fs.ErrNotExist) {
						notice("watch: "+err.Error(), true)
					}
					continue
				}
				g.swap(load(wasm, name), name, true)
			case <-w.Errors:
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); w.Close() }, nil
}
