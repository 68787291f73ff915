//go:build !js

// Package bundle implements ebicart bundle: it makes a cart into the game
// its author gives to players — a self-contained executable for each
// desktop platform (a Windows .exe with an icon, a macOS .app, a Linux
// binary with a .desktop file) and a static web page, zipped for itch.io.
//
// The executables are built with the Go toolchain from ebicart's own
// source: ebicart's main package is copied into a module of its own, beside
// a generated file that embeds the cart, its name, version, settings and
// credits (and, for Windows, a resource object with the icon and the
// version). Bundling needs the go command on PATH, ebicart's source (the
// clone this ebicart was built from, or -src), and the modules ebicart
// requires, in the module cache or from the network. The first build for a
// platform compiles Ebitengine and wazero for it (a minute or two); later
// ones reuse Go's build cache and mostly link. The web page is the browser
// host (GOOS=js) and its cart worker, built from the same source, with the
// cart beside them.
package bundle

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/bundle/manifest"
	"github.com/ebicart/ebicart/internal/fileread"
)

// Target is a desktop platform to build for, as GOOS and GOARCH.
type Target struct{ OS, Arch string }

func (t Target) String() string { return t.OS + "/" + t.Arch }

// exeSuffix is the file name suffix of the target's executables.
func (t Target) exeSuffix() string {
	if t.OS == "windows" {
		return ".exe"
	}
	return ""
}

// AllTargets are the desktop platforms of -target all. Ebitengine needs
// no cgo on any of them, so each builds from any machine with
// CGO_ENABLED=0.
var AllTargets = []Target{{"linux", "amd64"}, {"linux", "arm64"}, {"windows", "amd64"}, {"darwin", "arm64"}, {"darwin", "amd64"}}

// Native is the platform this ebicart runs on.
func Native() Target { return Target{runtime.GOOS, runtime.GOARCH} }

// ParseTargets reads -target: a comma-separated list of os/arch pairs,
// "native" (this platform), "web" (the web page) and "all" (every platform
// of AllTargets and the web page).
func ParseTargets(s string) (targets []Target, web bool, err error) {
	add := func(t Target) {
		if !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	for _, f := range strings.Split(s, ",") {
		switch f = strings.TrimSpace(f); f {
		case "all":
			for _, t := range AllTargets {
				add(t)
			}
			web = true
		case "web":
			web = true
		case "native":
			add(Native())
		default:
			os, arch, ok := strings.Cut(f, "/")
			t := Target{os, arch}
			if !ok || !slices.Contains(AllTargets, t) && t != Native() {
				return nil, false, fmt.Errorf("-target %q: want os/arch pairs among %s, or native, web, all", f, targetList())
			}
			add(t)
		}
	}
	if len(targets) == 0 && !web {
		return nil, false, errors.New("-target: no target")
	}
	return targets, web, nil
}

func targetList() string {
	var s []string
	for _, t := range AllTargets {
		s = append(s, t.String())
	}
	return strings.Join(s, ", ")
}

// Options are what to bundle, and how.
type Options struct {
	// Cart is the cart file.
	Cart string
	// Out is the folder the bundle is written to; it is created if need
	// be. Files of the bundle already there are replaced, others left.
	Out string
	// Name is the game's name (default: the cart's file name).
	Name string
	// Version is the game's version (default: today's date, 2006.1.2).
	Version string
	// Targets are the desktop platforms to build for; Web adds the web
	// page and its zip.
	Targets []Target
	Web     bool
	// Scale, Mode and Palette are the run flags the game starts with.
	Scale         int
	Mode, Palette string
	// Icon is a PNG file for the game's icon (default: the cart's frame
	// after its first update).
	Icon string
	// Credits is a text file of the author's credits and licence, put
	// first in the credits file.
	Credits string
	// Dev keeps the author's keys, flags and "Open…" button.
	Dev bool
	// Src is ebicart's source (default: found, see findSource).
	Src string
	// Log, when set, is told what is being done.
	Log io.Writer
}

// Output is a file or folder a bundle wrote, or one an earlier bundle
// wrote there that this one did not (Stale).
type Output struct {
	Path string        // in Options.Out
	Size int64         // bytes; for a folder, of all its files
	Took time.Duration // how long its build took, if it was built
	// Stale: an earlier bundle wrote it (another -target, an older build
	// of the page, the game under another name) and this one did not, and
	// left it as it was: whoever ships the folder should remove it. The
	// folder's .ebicart-bundle lists what bundles wrote there.
	Stale bool
}

// CartError is the error of a cart that does not load or fails its first
// update: nothing is written.
type CartError struct {
	Cart string
	Err  error
}

func (e *CartError) Error() string {
	msg := e.Err.Error()
	if s := withoutSettings(msg); s != msg {
		return fmt.Sprintf("bundle: %s does not run within the limits a bundled game runs with (ebicart's defaults), so it was not bundled: %s", e.Cart, s)
	}
	return fmt.Sprintf("bundle: %s does not run, so it was not bundled: %s", e.Cart, msg)
}

// settingTag is the name of a run's limit as the engine's errors give it,
// in brackets: "(start-limit)", "(256.0 MiB, max-memory)", "(cpu-limit;
// stopped after ...)".
var settingTag = regexp.MustCompile(`(, | \()(max-memory|max-cart-size|start-limit|cpu-limit|compile-limit)(\)|; )`)

// settingFix is the advice to raise a run's limit, as the engine's
// errors end with it: ": give it more max-memory".
var settingFix = regexp.MustCompile(`: give it more (max-memory|max-cart-size|start-limit|cpu-limit|compile-limit)\b`)

// withoutSettings is msg without the names of the run's limits, flags
// bundle does not take, or the advice to raise them: a bundled game runs
// with their defaults.
func withoutSettings(msg string) string {
	msg = settingFix.ReplaceAllString(msg, "")
	return settingTag.ReplaceAllStringFunc(msg, func(m string) string {
		sub := settingTag.FindStringSubmatch(m)
		switch {
		case sub[1] == ", " && sub[3] == ")":
			return ")"
		case sub[1] == ", ":
			return "; "
		case sub[3] == ")":
			return ""
		}
		return " ("
	})
}

func (e *CartError) Unwrap() error { return e.Err }

// game is what a bundle knows of the game it makes.
type game struct {
	manifest.Game
	hash    string
	frame   *image.RGBA // after its first update
	palette *[4]uint32
}

// Bundle makes the bundle o describes. It first loads the cart and runs
// one update headless; when that fails it returns a *CartError and writes
// nothing. It then builds each target in a temporary folder, and writes
// the results into o.Out last: all of them or, on an error, none, and
// never over a file no bundle wrote there (the author's own).
func Bundle(ctx context.Context, o Options) ([]Output, error) {
	logf := func(format string, args ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", args...)
		}
	}
	g, err := loadGame(o)
	if err != nil {
		return nil, err
	}
	icon, err := makeIcon(o.Icon, g.frame)
	if err != nil {
		return nil, err
	}
	src, err := findSource(o.Src)
	if err != nil {
		return nil, err
	}
	tc, err := lookGo(ctx)
	if err != nil {
		return nil, err
	}
	g.Stamp += ", " + tc.version
	work, err := os.MkdirTemp("", "ebicart-bundle")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	if err := os.Mkdir(filepath.Join(work, "gotmp"), 0o700); err != nil {
		return nil, err
	}
	ctx = withGoTmp(ctx, filepath.Join(work, "gotmp"))

	mod := filepath.Join(work, "player")
	if err := writeModule(mod, src); err != nil {
		return nil, err
	}
	var author []byte
	if o.Credits != "" {
		// A text, read only up to 1 MiB: /dev/zero or a pipe is no file.
		if author, err = fileread.Read(o.Credits, 1<<20); err != nil {
			return nil, fmt.Errorf("bundle: -credits: %w", err)
		}
	}
	if err := checkOut(o.Out); err != nil {
		return nil, err
	}
	// The author's files where the bundle's go, said before the builds.
	if err := theirs(o.Out, plannedNames(g.Slug, o.Targets, o.Web), earlierList(o.Out, g.Slug)); err != nil {
		return nil, err
	}
	logf("listing what the builds contain, for the credits")
	mods, err := listModules(ctx, mod, src, o.Targets, o.Web)
	if err != nil {
		return nil, err
	}
	g.Credits = creditsText(&g.Game, g.hash, author, mods, tc)
	if err := writeGameFiles(mod, g, icon, o.Targets); err != nil {
		return nil, err
	}

	// Build everything in the work folder, then write it out.
	files := map[string][]byte{} // path in Out: contents
	modes := map[string]os.FileMode{}
	var outs []Output
	built := map[string]time.Duration{}
	for _, t := range o.Targets {
		logf("building %s...", t)
		began := time.Now()
		exe := filepath.Join(work, "bin", t.OS+"-"+t.Arch, g.Slug+t.exeSuffix())
		if err := buildPlayer(ctx, mod, t, exe); err != nil {
			return nil, err
		}
		took := time.Since(began)
		b, err := os.ReadFile(exe)
		if err != nil {
			return nil, err
		}
		base := targetBase(g.Slug, t)
		switch t.OS {
		case "darwin":
			app := base + ".app"
			for name, data := range appFiles(&g.Game, b, icon) {
				files[filepath.Join(app, name)] = data
				if name == filepath.Join("Contents", "MacOS", g.Slug) {
					modes[filepath.Join(app, name)] = 0o755
				}
			}
			built[app] = took
		case "linux":
			files[base] = b
			modes[base] = 0o755
			files[base+".desktop"] = desktopFile(&g.Game, base)
			modes[base+".desktop"] = 0o755 // file managers launch only executable ones
			files[g.Slug+".png"] = encodePNG(icon.at(256))
			built[base] = took
		default:
			files[base+t.exeSuffix()] = b
			modes[base+t.exeSuffix()] = 0o755
			built[base+t.exeSuffix()] = took
		}
		logf("built %s in %v", t, took.Round(time.Second))
	}
	if o.Web {
		logf("building the web page...")
		began := time.Now()
		site, err := buildWeb(ctx, src, work, g, icon, tc)
		if err != nil {
			return nil, err
		}
		for name, data := range site {
			files[filepath.Join("web", name)] = data
		}
		zip, err := zipFiles(site)
		if err != nil {
			return nil, err
		}
		files[g.Slug+"-web.zip"] = zip
		built["web"] = time.Since(began)
		logf("built the web page in %v", built["web"].Round(time.Second))
	}
	files["CREDITS.txt"] = []byte(g.Credits)

	stale, err := writeOut(o.Out, files, modes, earlierList(o.Out, g.Slug))
	if err != nil {
		return nil, err
	}
	sizes := map[string]int64{}
	for name, data := range files {
		sizes[top(name)] += int64(len(data))
	}
	for top, size := range sizes {
		outs = append(outs, Output{Path: top, Size: size, Took: built[top]})
	}
	// What an earlier bundle wrote and this one did not: a folder this
	// one did not write (an .app) once, a file in one it did (web/) each.
	listed := map[string]bool{}
	for _, p := range stale {
		if _, wrote := sizes[top(p)]; !wrote {
			p = top(p)
		}
		if !listed[p] {
			listed[p] = true
			outs = append(outs, Output{Path: p, Stale: true})
		}
	}
	slices.SortFunc(outs, func(a, b Output) int { return strings.Compare(a.Path, b.Path) })
	return outs, nil
}

// targetBase starts the names of the files of target t: the game's slug,
// the system and the architecture ("space-duck-linux-amd64").
func targetBase(slug string, t Target) string { return fmt.Sprintf("%s-%s-%s", slug, t.OS, t.Arch) }

// plannedNames are the files a bundle writes at known names, before its
// builds: those the author may have of their own (a .app's insides are
// the bundle's, and looked at when it writes them).
func plannedNames(slug string, targets []Target, web bool) []string {
	names := []string{"CREDITS.txt"}
	for _, t := range targets {
		switch base := targetBase(slug, t); t.OS {
		case "linux":
			names = append(names, base, base+".desktop", slug+".png")
		case "darwin":
		default:
			names = append(names, base+t.exeSuffix())
		}
	}
	if web {
		names = append(names, filepath.Join("web", "index.html"), filepath.Join("web", "CREDITS.txt"), slug+"-web.zip")
	}
	return names
}

// top is the first element of the path name in the output folder.
func top(name string) string {
	return filepath.FromSlash(strings.SplitN(filepath.ToSlash(name), "/", 2)[0])
}

// loadGame reads the cart and runs it headless for one update: a cart
// that does not get that far is not bundled.
func loadGame(o Options) (*game, error) {
	wasm, err := cart.ReadCartFile(o.Cart, 0)
	if msg := fmt.Sprint(err); err != nil && withoutSettings(msg) == msg {
		// Not there, a folder, unreadable: not a cart that does not run.
		return nil, fmt.Errorf("bundle: %w", err)
	} else if err != nil {
		return nil, &CartError{o.Cart, err} // over the size a game takes
	}
	name := cmp.Or(strings.TrimSpace(o.Name), strings.TrimSuffix(filepath.Base(o.Cart), ".wasm"))
	mode, err := cart.ParseMode(cmp.Or(o.Mode, "auto"))
	if err != nil {
		return nil, fmt.Errorf("bundle: -mode: %w", err)
	}
	palette, err := manifest.ParsePalette(o.Palette)
	if err != nil {
		return nil, fmt.Errorf("bundle: -palette: %w", err)
	}
	c, err := cart.Load(wasm, &cart.Options{Name: name, Mode: mode, Palette: palette})
	if err != nil {
		return nil, &CartError{o.Cart, err}
	}
	defer c.Close()
	if err := c.Update(); err != nil {
		return nil, &CartError{o.Cart, err}
	}
	frame, err := c.Snapshot()
	if err != nil {
		return nil, &CartError{o.Cart, err}
	}
	version := cmp.Or(strings.TrimSpace(o.Version), time.Now().Format("2006.1.2"))
	g := &game{hash: cart.CartHash(wasm), frame: frame, palette: palette}
	g.Game = manifest.Game{Name: name, Slug: manifest.Slug(name), Version: version, Mode: cmp.Or(o.Mode, "auto"),
		Palette: o.Palette, Scale: o.Scale, Dev: o.Dev, Cart: wasm}
	g.Stamp = fmt.Sprintf("%s %s (cart sha256:%.12s), bundled %s by ebicart %s", name, version, g.hash,
		time.Now().UTC().Format("2006-01-02"), ebicartVersion())
	return g, nil
}

// zipFiles makes a zip of files, each at its path from the zip's root.
func zipFiles(files map[string][]byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeZip(&buf, files); err != nil {
		return nil, fmt.Errorf("bundle: zip: %w", err)
	}
	return buf.Bytes(), nil
}
