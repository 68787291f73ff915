package cart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ebicart/ebicart/guest"
)

// SaveStore keeps carts' saved data (at most 1 KiB each) under a key per
// cart. The cart's core sends each save to the UI side, which stores it,
// so a cart's worker needs no access to files. A cart's saves are
// coalesced, at most two writes a second: Store may be called from a
// timer's goroutine, Load from the one that loads a cart, so a SaveStore
// must be safe for concurrent use (MemorySaves and DirSaves are). Load
// returning more than 1 KiB is cut there, and Log says so.
type SaveStore interface {
	// Load returns the data saved under key, nil when there is none.
	Load(key string) ([]byte, error)
	// Store replaces the data saved under key.
	Store(key string, data []byte) error
}

// SaveKey is the default key of a cart's save: a hash of its bytes, so the
// same cart finds its save wherever its file is.
func SaveKey(wasm []byte) string { return guest.SaveKey(wasm) }

// MemorySaves returns a store that keeps saves in memory.
func MemorySaves() SaveStore { return &memorySaves{m: map[string][]byte{}} }

type memorySaves struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *memorySaves) Load(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.m[key]...), nil
}

func (s *memorySaves) Store(key string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = append([]byte(nil), data...)
	return nil
}

// DirSaves returns a store that keeps each save in dir as <key>.disk,
// written atomically: the new contents go to a temporary file in the same
// directory, are synced, and replace the old file with a rename, so a
// crash at any point leaves either the old save or the new one.
func DirSaves(dir string) SaveStore { return &dirSaves{dir: dir, ext: ".disk", limit: guest.DiskSize} }

// DirStates returns a store like DirSaves for save states (<key>.state),
// such as a game's quick slot: SaveState's bytes, of any size.
func DirStates(dir string) SaveStore { return &dirSaves{dir: dir, ext: ".state"} }

type dirSaves struct {
	dir   string
	ext   string
	limit int // bytes Load returns at most; 0: all
	tidy  sync.Once
	// beforeRename, for tests, runs between writing the temporary file
	// and renaming it; an error simulates a crash there.
	beforeRename func() error
}

// staleTemp is how old a temporary file of an interrupted write must be
// to be removed: younger ones may be another process's, being written.
const staleTemp = time.Minute

// cleanUp removes what writes left when their process was killed between
// creating a temporary file and renaming it.
func (s *dirSaves) cleanUp() {
	s.tidy.Do(func() {
		tmps, _ := filepath.Glob(filepath.Join(s.dir, "*"+s.ext+".tmp*"))
		for _, t := range tmps {
			if st, err := os.Stat(t); err == nil && time.Since(st.ModTime()) > staleTemp {
				os.Remove(t)
			}
		}
	})
}

// fileKey reports whether key can name a file in the store's directory.
func fileKey(key string) bool {
	return key != "" && !strings.ContainsAny(key, `/\`) && key != "." && key != ".."
}

func (s *dirSaves) path(key string) (string, error) {
	s.cleanUp()
	if !fileKey(key) {
		return "", fmt.Errorf("cart: save key %q: want a file name", key)
	}
	return filepath.Join(s.dir, key+s.ext), nil
}

func (s *dirSaves) Load(key string) ([]byte, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cart: save: %w", err)
	}
	if s.limit > 0 {
		b = b[:min(len(b), s.limit)]
	}
	return b, nil
}

func (s *dirSaves) Store(key string, data []byte) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("cart: save: %w", err)
	}
	tmp, err := os.CreateTemp(s.dir, filepath.Base(p)+".tmp*")
	if err != nil {
		return fmt.Errorf("cart: save: %w", err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && s.beforeRename != nil {
		err = s.beforeRename()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cart: save: %w", err)
	}
	return nil
}

// UserSaveDir is where the ebicart command keeps saves: the user data
// directory's ebicart/saves ($XDG_DATA_HOME or ~/.local/share on Linux,
// ~/Library/Application Support on macOS, %AppData% on Windows); "" when
// there is none.
func UserSaveDir() string { return userDataDir("saves") }

// UserCacheDir is where the ebicart command caches compiled carts:
// os.UserCacheDir()/ebicart/wazero; "" when there is none.
func UserCacheDir() string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "ebicart", "wazero")
}
