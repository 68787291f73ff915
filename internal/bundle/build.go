//go:build !js

package bundle

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ebicart/ebicart/internal/bundle/manifest"
)

// modulePath is ebicart's module; playerModule the module a bundle builds
// its executables in: under ebicart's path, so that the copy of ebicart's
// main package may import ebicart's internal packages.
const (
	modulePath   = "github.com/ebicart/ebicart"
	playerModule = modulePath + "/bundled"
)

// findSource returns the folder of ebicart's source: dir when given, else
// the folder this ebicart was built from (go build and go install record
// it, without -trimpath), else the current folder or one above it.
func findSource(dir string) (string, error) {
	if dir != "" {
		if !isSource(dir) {
			return "", fmt.Errorf("bundle: -src %s is not ebicart's source: want the folder of its go.mod (module %s)", dir, modulePath)
		}
		return filepath.Abs(dir)
	}
	var tried []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		d := filepath.Dir(filepath.Dir(filepath.Dir(file))) // internal/bundle/build.go
		if isSource(d) {
			return d, nil
		}
		tried = append(tried, d)
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if isSource(d) {
				return d, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		tried = append(tried, wd+" and the folders above it")
	}
	return "", fmt.Errorf("bundle: the game's executables are built from ebicart's source, which is not in %s: give -src with a clone of ebicart (git clone https://github.com/ebicart/ebicart)", strings.Join(tried, ", nor in "))
}

// isSource reports whether dir holds ebicart's module.
func isSource(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if strings.TrimSpace(line) != "module "+modulePath {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "main.go"))
	return err == nil
}

// toolchain is the Go that builds a bundle.
type toolchain struct{ root, version string }

// goCommand is the go command with args, run in dir with env (nil: this
// process's), stopped when ctx ends as Ctrl-C stops it, by an interrupt:
// go then ends its compilers. One that has not ended 10 s later, or where
// there is no interrupt (Windows), is killed. An interrupted go leaves its
// work folder: it makes it in the bundle's own (withGoTmp), which the
// bundle removes, not in the system's temporary folder.
func goCommand(ctx context.Context, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	if tmp, ok := ctx.Value(goTmpKey{}).(string); ok {
		if env == nil {
			env = os.Environ()
		}
		env = append(env, "GOTMPDIR="+tmp)
	}
	cmd.Env = env
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// goTmpKey is the context key of the folder goCommand's go makes its work
// folders in.
type goTmpKey struct{}

// withGoTmp makes dir the folder the go commands of ctx make their work
// folders in.
func withGoTmp(ctx context.Context, dir string) context.Context {
	return context.WithValue(ctx, goTmpKey{}, dir)
}

// lookGo finds the go command and asks it where it is installed.
func lookGo(ctx context.Context) (toolchain, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return toolchain{}, errors.New("bundle: the go command is not on PATH: bundling builds the game's executables with Go 1.26 or newer (https://go.dev/dl/)")
	}
	out, err := goCommand(ctx, "", nil, "env", "GOROOT", "GOVERSION").Output()
	lines := strings.Fields(string(out))
	if err != nil || len(lines) != 2 {
		return toolchain{}, fmt.Errorf("bundle: go env GOROOT GOVERSION: %v", err)
	}
	return toolchain{lines[0], lines[1]}, nil
}

// ebicartVersion is this ebicart's version, as Go stamped it.
func ebicartVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// writeModule writes the module the executables are built in: a copy of
// ebicart's main package (its .go files but the tests), with ebicart
// itself replaced by its source.
func writeModule(dir, src string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	goFiles, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil {
		return err
	}
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			return err
		}
	}
	mod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	sum, err := os.ReadFile(filepath.Join(src, "go.sum"))
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	// The same go line and requirements as ebicart's, so that the build
	// picks the same versions ebicart was tested with.
	var gomod strings.Builder
	fmt.Fprintf(&gomod, "module %s\n\n", playerModule)
	sc := bufio.NewScanner(bytes.NewReader(mod))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "module ") {
			continue
		}
		gomod.WriteString(sc.Text() + "\n")
	}
	// Quoted: a path with a space (~/My Games/ebicart) is one.
	fmt.Fprintf(&gomod, "\nrequire %s v0.0.0\n\nreplace %s => %s\n", modulePath, modulePath, strconv.Quote(src))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
}

// bundleGo is the file a bundle adds to the copy of ebicart's main
// package: it makes the program the game.
const bundleGo = `// Code generated by ebicart bundle. DO NOT EDIT.

package main

import (
	_ "embed"

	"github.com/ebicart/ebicart/internal/bundle/manifest"
)

//go:embed game.wasm
var bundledCart []byte

//go:embed CREDITS.txt
var bundledCredits string

func init() {
	bundled = &manifest.Game{
		Name:    %q,
		Slug:    %q,
		Version: %q,
		Mode:    %q,
		Palette: %q,
		Scale:   %d,
		Dev:     %t,
		Cart:    bundledCart,
		Credits: bundledCredits,
		Stamp:   %q,
	}
}
`

// writeGameFiles adds the game to the module: the cart, its credits, the
// file that sets the game, and Windows resources (icon, version) for the
// Windows targets.
func writeGameFiles(dir string, g *game, icon *icons, targets []Target) error {
	m := &g.Game
	src := fmt.Sprintf(bundleGo, m.Name, m.Slug, m.Version, m.Mode, m.Palette, m.Scale, m.Dev, m.Stamp)
	files := map[string][]byte{
		"zz_bundled.go": []byte(src),
		"game.wasm":     m.Cart,
		"CREDITS.txt":   []byte(m.Credits),
	}
	for _, t := range targets {
		if t.OS != "windows" {
			continue
		}
		syso, err := windowsResources(t.Arch, m, icon)
		if err != nil {
			return err
		}
		files[fmt.Sprintf("rsrc_windows_%s.syso", t.Arch)] = syso
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// goEnv is the environment of a build for GOOS goos, GOARCH goarch: no
// cgo (Ebitengine needs none on the bundle's platforms, so any machine
// builds them all), the module's own go.mod (GOFLAGS and GOWORK of the
// user's would not apply to it), and no version control stamp (a source
// folder of another user's, a container's bind mount, makes git refuse).
func goEnv(goos, goarch string) []string {
	return append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0", "GOFLAGS=-mod=mod -buildvcs=false", "GOWORK=off")
}

// buildPlayer builds the module for t into out: stripped, with no paths
// of this machine in it, and for Windows a program of the GUI subsystem
// (no console window).
func buildPlayer(ctx context.Context, dir string, t Target, out string) error {
	ldflags := "-s -w"
	if t.OS == "windows" {
		ldflags += " -H windowsgui"
	}
	cmd := goCommand(ctx, dir, goEnv(t.OS, t.Arch), "build", "-trimpath", "-ldflags="+ldflags, "-o", out, ".")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bundle: building for %s: %v\n%s", t, err, b)
	}
	return nil
}

// module is a Go module compiled into a bundle.
type module struct{ Path, Version, Dir string }

// listModules lists the modules the builds of every target contain, for
// the credits: go list of the player's packages for each platform, and of
// the browser host and its worker for the web page.
func listModules(ctx context.Context, dir, src string, targets []Target, web bool) ([]module, error) {
	const format = `{{with .Module}}{{.Path}}	{{.Version}}	{{.Dir}}{{end}}`
	seen := map[string]module{}
	list := func(dir, goos, goarch string, pkgs ...string) error {
		args := append([]string{"list", "-deps", "-f", format}, pkgs...)
		cmd := goCommand(ctx, dir, goEnv(goos, goarch), args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("bundle: go list for %s/%s: %v\n%s", goos, goarch, err, stderr.Bytes())
		}
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Split(line, "\t")
			if len(f) != 3 || f[0] == playerModule {
				continue
			}
			seen[f[0]] = module{f[0], f[1], f[2]}
		}
		return nil
	}
	for _, t := range targets {
		if err := list(dir, t.OS, t.Arch, "."); err != nil {
			return nil, err
		}
	}
	if web {
		if err := list(src, "js", "wasm", ".", "./web/cartworker"); err != nil {
			return nil, err
		}
	}
	mods := make([]module, 0, len(seen))
	for _, m := range seen {
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool {
		// ebicart first, then the others by path.
		if (mods[i].Path == modulePath) != (mods[j].Path == modulePath) {
			return mods[i].Path == modulePath
		}
		return mods[i].Path < mods[j].Path
	})
	return mods, nil
}

// licenceFiles are the names of the files a module's licence is in, and
// the notices an Apache licence asks to pass on.
var licenceFiles = []string{"LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING", "NOTICE", "NOTICE.md", "NOTICE.txt"}

// creditsText is the game's credits file: the author's text, then the
// licences of everything the executables and the page contain.
func creditsText(g *manifest.Game, hash string, author []byte, mods []module, tc toolchain) string {
	var b strings.Builder
	title := g.Name + " " + g.Version
	fmt.Fprintf(&b, "%s\n%s\n\n", title, strings.Repeat("=", len([]rune(title))))
	if len(author) > 0 {
		b.Write(bytes.TrimSpace(author))
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "Made with ebicart (https://github.com/ebicart/ebicart), which runs the\ngame's cart (sha256:%s).\n\n", hash)
	b.WriteString("The game's programs contain the following software, under these licences.\n")
	rule := "\n" + strings.Repeat("-", 72) + "\n"
	section := func(heading, dir string) {
		b.WriteString(rule)
		b.WriteString(heading + "\n\n")
		found := false
		for _, name := range licenceFiles {
			text, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			found = true
			b.Write(bytes.TrimSpace(text))
			b.WriteString("\n\n")
		}
		if !found {
			b.WriteString("(no licence file in its source: see its repository)\n")
		}
	}
	section("Go, "+tc.version+": its runtime and standard library, and wasm_exec.js of the web page", tc.root)
	for _, m := range mods {
		heading := m.Path
		switch {
		case m.Path == modulePath:
			heading = "ebicart " + ebicartVersion() + " (" + modulePath + ")"
		case m.Version != "":
			heading += " " + m.Version
		}
		section(heading, m.Dir)
	}
	return b.String()
}
