package cart

import (
	"os"
	"path/filepath"
)

// userDataDir is %AppData%\ebicart\<sub>.
func userDataDir(sub string) string {
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "ebicart", sub)
	}
	return ""
}
