package guest

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ebicart/ebicart/internal/digest"
)

// RewriteCache keeps a core's rewrites of carts (CoreOptions.Rewrites)
// for the next process that boots them.
type RewriteCache interface {
	load(k rewriteKey) (rewritten, bool)
	save(k rewriteKey, r rewritten)
}

// NewRewriteCache returns a RewriteCache in the directory
// cacheDir/ebicart-rewrites for the program's build (another build may
// rewrite otherwise), or nil when either is empty. A worker process
// starts afresh for every cart, and the rewrites of a 1.9 MB Go cart cost
// its boot 60-80 ms (most of it writing fresh memory), against a few to
// read them back. Only a program that writes files needs it: a browser's
// worker, which does not, does not link it.
func NewRewriteCache(cacheDir, build string) RewriteCache {
	if cacheDir == "" || build == "" {
		return nil
	}
	return &rewriteStore{dir: filepath.Join(cacheDir, rewriteStoreDir), build: build}
}

// rewriteStore is the RewriteCache in a directory.
type rewriteStore struct {
	dir   string
	build string // the program's build: another build may rewrite otherwise
}

// rewriteStoreDir is the store's directory in a cache directory.
const rewriteStoreDir = "ebicart-rewrites"

// rewriteStoreMax bounds the rewrites kept: the oldest go first.
const rewriteStoreMax = 32

// rewriteMagic starts a kept rewrite; a change of format changes it.
const rewriteMagic = "ebicart rewrite 1\n"

// path names the file of the rewrite k.
func (s *rewriteStore) path(k rewriteKey) string {
	h := digest.Sum256(fmt.Appendf(nil, "%x/%s/%t/%d/%s", k.hash, k.tables, k.unbounded, StackBytes, s.build))
	return filepath.Join(s.dir, hex.EncodeToString(h[:16]))
}

// A kept rewrite is rewriteMagic, then its body (encodeRewrite).

// load returns the rewrite kept for k, if one is whole.
func (s *rewriteStore) load(k rewriteKey) (rewritten, bool) {
	b, err := os.ReadFile(s.path(k))
	if err != nil || !bytes.HasPrefix(b, []byte(rewriteMagic)) {
		return rewritten{}, false
	}
	return decodeRewrite(b[len(rewriteMagic):])
}

// save keeps r for k, unless r is an error (made again each time, to be
// reported as it is made). A store that cannot be written only costs the
// next boot the rewrite.
func (s *rewriteStore) save(k rewriteKey, r rewritten) {
	if r.err != nil || r.stateErr != nil {
		return
	}
	body, ok := encodeRewrite(r)
	if !ok {
		return // named otherwise than load names them
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(s.dir, "tmp-")
	if err != nil {
		return
	}
	_, err = f.Write(append([]byte(rewriteMagic), body...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), s.path(k))
	}
	if err != nil {
		os.Remove(f.Name())
		return
	}
	s.trim()
}

// trim removes the oldest rewrites past rewriteStoreMax.
func (s *rewriteStore) trim() {
	ents, err := os.ReadDir(s.dir)
	if err != nil || len(ents) <= rewriteStoreMax {
		return
	}
	type kept struct {
		name string
		mod  int64
	}
	var all []kept
	for _, e := range ents {
		if info, err := e.Info(); err == nil {
			all = append(all, kept{e.Name(), info.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(all, func(a, b kept) int { return cmp.Compare(a.mod, b.mod) })
	for _, k := range all[:max(0, len(all)-rewriteStoreMax)] {
		os.Remove(filepath.Join(s.dir, k.name))
	}
}
