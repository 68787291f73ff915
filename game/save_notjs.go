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
	return path, os.WriteFile(path, data, 0o644)
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
