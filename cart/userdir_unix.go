//go:build !windows && !darwin

package cart

import (
	"os"
	"path/filepath"
)

// userDataDir is $XDG_DATA_HOME/ebicart/<sub>, by default under
// ~/.local/share.
func userDataDir(sub string) string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "ebicart", sub)
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "ebicart", sub)
	}
	return ""
}
