//go:build !js

package guest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ebicart/ebicart/guest/engine/wazero"
)

// TestPrepareThenBoot: a cart prepared ahead of its boot (Prepare, as a
// browser worker does with the page's first cart while the host loads) is
// rewritten once: the Boot of the same bytes with the same settings finds
// the rewrite made, or waits for the one under way. A boot of another
// cart, or with settings that change the rewrite, makes its own.
func TestPrepareThenBoot(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good, other := read("good"), read("lifecycle")
	ctx, eng := context.Background(), &wazero.Engine{}
	forget := func() {
		rewrites.Lock()
		rewrites.last = nil
		rewrites.Unlock()
	}
	boot := func(wasm []byte, cfg BootConfig) {
		t.Helper()
		c, err := Boot(ctx, eng, append([]byte(nil), wasm...), cfg, CoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	steps := []struct {
		name   string
		do     func()
		wants  int64 // rewrites made by the step
		reused int64 // checks Boot found made by Prepare; -1: either
	}{
		{"prepare", func() { Prepare(ctx, eng, good, BootConfig{}, CoreOptions{}) }, 1, 0},
		{"boot the prepared cart", func() { boot(good, BootConfig{}) }, 0, 1},
		{"boot it again", func() { boot(good, BootConfig{}) }, 0, 1},
		{"boot it in another mode", func() { boot(good, BootConfig{Mode: ModeABI1}) }, 0, 0},
		{"boot it with another memory cap", func() { boot(good, BootConfig{MaxPages: 17}) }, 0, 0},
		{"boot another cart", func() { boot(other, BootConfig{}) }, 1, 0},
		{"boot the first again", func() { boot(good, BootConfig{}) }, 1, 1},
		{"prepare and boot at once", func() {
			forget()
			var wg sync.WaitGroup
			wg.Go(func() { Prepare(ctx, eng, good, BootConfig{}, CoreOptions{}) })
			boot(good, BootConfig{})
			wg.Wait()
		}, 1, -1},
		{"prepare a cart that is not one", func() { Prepare(ctx, eng, []byte("not wasm"), BootConfig{}, CoreOptions{}) }, 0, 0},
		{"boot a changed copy of the prepared cart", func() {
			changed := append([]byte(nil), good...)
			changed[len(changed)-1] ^= 1 // in a section's content: still a cart? then a different one
			c, err := Boot(ctx, eng, changed, BootConfig{}, CoreOptions{})
			if err == nil {
				c.Close()
			}
		}, -1, 0},
	}
	forget()
	for _, s := range steps {
		before, reused := rewritesMade.Load(), checksReused.Load()
		s.do()
		if got := rewritesMade.Load() - before; s.wants >= 0 && got != s.wants {
			t.Errorf("%s: %d rewrites, want %d", s.name, got, s.wants)
		}
		if got := checksReused.Load() - reused; s.reused >= 0 && got != s.reused {
			t.Errorf("%s: %d checks reused, want %d", s.name, got, s.reused)
		}
	}
}

// TestRewriteStore: with a cache directory and a build name, a cart's
// rewrites are kept on disk, and a later process (here: the memo
// forgotten) boots from them without rewriting, to the same state. What
// is kept belongs to one build; a damaged file is made again; without a
// build nothing is kept.
func TestRewriteStore(t *testing.T) {
	wasm, err := os.ReadFile("testdata/lifecycle.wasm")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, eng := context.Background(), &wazero.Engine{}
	kept := func() []string {
		names, _ := filepath.Glob(filepath.Join(dir, rewriteStoreDir, "*"))
		return names
	}
	// boot boots the cart as a new process would and returns its state
	// after an update.
	boot := func(build string) []byte {
		t.Helper()
		rewrites.Lock()
		rewrites.last = nil
		rewrites.Unlock()
		c, err := Boot(ctx, eng, wasm, BootConfig{CacheDir: dir}, CoreOptions{Rewrites: NewRewriteCache(dir, build)})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Tick(Input{}); err != nil {
			t.Fatal(err)
		}
		st, err := c.SaveState()
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	var first []byte
	steps := []struct {
		name  string
		do    func() []byte
		wants int64 // rewrites made
		files int   // files kept after it
	}{
		{"first boot", func() []byte { return boot("b1") }, 1, 1},
		{"a new process", func() []byte { return boot("b1") }, 0, 1},
		{"another build", func() []byte { return boot("b2") }, 1, 2},
		{"no build", func() []byte { return boot("") }, 1, 2},
		{"a damaged file", func() []byte {
			for _, name := range kept() {
				b, _ := os.ReadFile(name)
				b[len(b)-1] ^= 0xff
				os.WriteFile(name, b, 0o600)
			}
			return boot("b1")
		}, 1, 2},
		{"made again", func() []byte { return boot("b1") }, 0, 2},
	}
	for _, s := range steps {
		before := rewritesMade.Load()
		st := s.do()
		if got := rewritesMade.Load() - before; got != s.wants {
			t.Errorf("%s: %d rewrites, want %d", s.name, got, s.wants)
		}
		if got := len(kept()); got != s.files {
			t.Errorf("%s: %d files kept, want %d", s.name, got, s.files)
		}
		if first == nil {
			first = st
		} else if !bytes.Equal(st, first) {
			t.Errorf("%s: the state after an update differs from the first boot's", s.name)
		}
	}
}

// TestRewriteStoreTrim: the store keeps the newest rewriteStoreMax.
func TestRewriteStoreTrim(t *testing.T) {
	s := NewRewriteCache(t.TempDir(), "b").(*rewriteStore)
	r := rewritten{wasm: []byte("\x00asm\x01\x00\x00\x00")}
	t0 := time.Now().Add(-time.Hour)
	for i := range rewriteStoreMax + 5 {
		k := rewriteKey{hash: [32]byte{byte(i)}}
		s.save(k, r)
		// File times are coarse: make each save's a second later.
		when := t0.Add(time.Duration(i) * time.Second)
		if err := os.Chtimes(s.path(k), when, when); err != nil {
			t.Fatal(err)
		}
	}
	names, _ := filepath.Glob(filepath.Join(s.dir, "*"))
	if len(names) != rewriteStoreMax {
		t.Errorf("%d rewrites kept, want %d", len(names), rewriteStoreMax)
	}
	if _, ok := s.load(rewriteKey{hash: [32]byte{byte(rewriteStoreMax + 4)}}); !ok {
		t.Error("the newest rewrite was removed")
	}
}
