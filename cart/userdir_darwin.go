package cart

import (
	"os"
	"path/filepath"
)

// userDataDir is ~/Library/Application Support/ebicart/<sub>.
func userDataDir(sub string) string {
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "Library", "Application Support", "ebicart", sub)
	}
	return ""
}
