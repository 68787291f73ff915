//go:build !js

package bundle

import (
	"fmt"
	"html"
	"path/filepath"
	"strings"

	"github.com/ebicart/ebicart/internal/bundle/manifest"
)

// appFiles are the files of a macOS application bundle (.app) for the
// executable exe, by their path in the .app: the executable, its icon,
// the credits, and the Info.plist that names them.
func appFiles(g *manifest.Game, exe []byte, ic *icons) map[string][]byte {
	id := "org.ebicart.game." + bundleID(g.Slug)
	plist := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleDevelopmentRegion</key><string>en</string>
	<key>CFBundleDisplayName</key><string>%[1]s</string>
	<key>CFBundleName</key><string>%[1]s</string>
	<key>CFBundleExecutable</key><string>%[2]s</string>
	<key>CFBundleIconFile</key><string>%[2]s.icns</string>
	<key>CFBundleIdentifier</key><string>%[3]s</string>
	<key>CFBundleInfoDictionaryVersion</key><string>6.0</string>
	<key>CFBundlePackageType</key><string>APPL</string>
	<key>CFBundleShortVersionString</key><string>%[4]s</string>
	<key>CFBundleVersion</key><string>%[4]s</string>
	<key>CFBundleGetInfoString</key><string>%[5]s</string>
	<key>LSApplicationCategoryType</key><string>public.app-category.games</string>
	<key>LSMinimumSystemVersion</key><string>12.0</string>
	<key>NSHighResolutionCapable</key><true/>
</dict>
</plist>
`, html.EscapeString(g.Name), html.EscapeString(g.Slug), id, html.EscapeString(g.Version), html.EscapeString(g.Stamp))
	return map[string][]byte{
		filepath.Join("Contents", "Info.plist"):                []byte(plist),
		filepath.Join("Contents", "MacOS", g.Slug):             exe,
		filepath.Join("Contents", "Resources", g.Slug+".icns"): icns(ic),
		filepath.Join("Contents", "Resources", "CREDITS.txt"):  []byte(g.Credits),
	}
}

// bundleID makes a slug fit a bundle identifier: ASCII letters, digits,
// dashes and dots only.
func bundleID(slug string) string {
	id := strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return r
		}
		return 'x'
	}, slug)
	return id
}

// desktopFile is the freedesktop.org entry of the Linux executable exe:
// double-clicked in a file manager, it starts the executable beside it
// (%k is the entry's own path). Icon names the icon by the game's slug,
// which finds <slug>.png once it is installed as an icon (see the README).
func desktopFile(g *manifest.Game, exe string) []byte {
	// sh -c 'exec "$(dirname "$0")/exe"' %k, quoted for an Exec line
	// (backslash before ", $ and \ inside double quotes), then escaped as
	// a desktop entry string (\ doubled).
	script := `exec "$(dirname "$0")/` + exe + `"`
	quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(script)
	exec := `sh -c "` + strings.ReplaceAll(quoted, `\`, `\\`) + `" %k`
	// Name and Comment are entry strings too: a backslash is doubled, or
	// a reader takes the \n of "C:\new" for a line break.
	clean := func(s string) string { return strings.NewReplacer("\n", " ", "\r", " ", `\`, `\\`).Replace(s) }
	return []byte(fmt.Sprintf(`[Desktop Entry]
Type=Application
Name=%s
Comment=%s %s, made with ebicart
Exec=%s
Icon=%s
Terminal=false
Categories=Game;
`, clean(g.Name), clean(g.Name), clean(g.Version), exec, g.Slug))
}
