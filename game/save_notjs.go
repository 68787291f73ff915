//go:build !js

package game

import (
	"os"
	"path/filepath"
)

// saveFile writes a capture to path and returns where it went.
func saveFile(path string, data []byte, _ string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	// Never over a file: shotBase picked a free name, and another
	// program's file made since stays.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // not half a capture
		return "", err
	}
	return path, nil
}

// picturesDir is where captures of a cart without a file go: the user's
// Pictures directory (XDG's, or ~/Pictures), else the working directory.
func picturesDir() string {
	if d := os.Getenv("XDG_PICTURES_DIR"); d != "" {
		return d
	}
	if home, err := os.UserHomeDir(); err == nil {
		if st, err := os.Stat(filepath.Join(home, "Pictures")); err == nil && st.IsDir() {
			return filepath.Join(home, "Pictures")
		}
	}
	return "."
}
