//go:build !js

package bundle

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/bundle/manifest"
	"github.com/ebicart/ebicart/internal/flagargs"
)

const usage = `usage: ebicart bundle [flags] cart.wasm

Makes the game to give players from a cart, in the folder -o:

  NAME-linux-amd64, NAME-linux-arm64    the game for Linux, and a .desktop
                                        entry beside each
  NAME-windows-amd64.exe                the game for Windows, with its icon
  NAME-darwin-arm64.app, ...amd64.app   the game for macOS
  web/, NAME-web.zip                    the game as a web page, and a zip
                                        of it to upload to itch.io
  CREDITS.txt                           credits and licences

NAME is the game's name made into a file name (-name "Space Duck": space-duck).
Each executable carries the cart and runs it in a window, with no argument;
it takes ebicart's run flags (-headless -frames 60 -screenshot shot.png
tests it), -version and -credits, and keeps its saves under the game's
name, so an update of the game keeps them.

The cart must load and run one update first: if it does not, nothing is
written. The executables are built with Go (the go command on PATH) from
ebicart's source, the clone this ebicart was built from (or -src); the
first build for a platform takes a minute or two.

Flags:
`

// oneLine says why a -name or -version with a control character is
// refused: each is stamped on one line (a window's title, the executable's
// -version, the .desktop entry, the file's properties on Windows).
const oneLine = "a control character (a line break, a tab...) in it: want one line of text"

// Command is ebicart bundle: it parses args, bundles, and prints what it
// wrote on stdout. It returns the exit status: 0 done, 1 the cart does not
// run or a build failed, 2 a usage error.
func Command(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ebicart bundle", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o Options
	var targets string
	fs.StringVar(&o.Out, "o", "dist", "write the bundle to `folder`")
	fs.StringVar(&o.Name, "name", "", "the game's `name`: the window's title and, made into a file name, the files' names (default: the cart's file name)")
	fs.StringVar(&o.Version, "version", "", "the game's `version`, stamped in each executable (default: today's date, such as 2026.12.4)")
	fs.StringVar(&targets, "target", "native,web", "what to make: a comma-separated `list` of os/arch ("+targetList()+"), native, web, or all")
	fs.IntVar(&o.Scale, "scale", 0, "the window's initial scale `N` (0: the largest that fits 960x720; a larger one than fits the player's screen is the largest that does)")
	fs.StringVar(&o.Mode, "mode", "auto", "the ABI to run the cart with: `auto`, abi1 or wasm4")
	fs.StringVar(&o.Palette, "palette", "", "WASM-4: the game's palette, four `colours` such as e0f8cf,86c06c,306850,071821")
	fs.StringVar(&o.Icon, "icon", "", "the game's icon, a PNG `file` (default: the cart's first frame)")
	fs.StringVar(&o.Credits, "credits", "", "a text `file` of the game's own credits and licence, put first in CREDITS.txt")
	fs.BoolVar(&o.Dev, "dev", false, "keep the author's keys (P . , F3 F9 F12) and flags (-record, -replay, -stats...) and the page's Open… button")
	fs.StringVar(&o.Src, "src", "", "ebicart's source `folder` to build from (default: the one this ebicart was built from)")
	quiet := fs.Bool("q", false, "print only what was written, not the progress")
	carts, err := flagargs.Parse(fs, args) // flags before or after the cart, as ebicart's own
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		return 0
	}
	if err == nil {
		switch {
		case len(carts) == 0:
			err = errors.New("no cart: name the cart.wasm to bundle")
		case len(carts) > 1:
			err = fmt.Errorf("want one cart, got %d: %s", len(carts), strings.Join(carts, " "))
		case o.Scale < 0:
			err = fmt.Errorf("-scale %d: want 0 or more", o.Scale)
		case strings.TrimSpace(o.Out) == "":
			err = errors.New("-o: want a folder")
		case strings.ContainsFunc(o.Name, unicode.IsControl):
			err = fmt.Errorf("-name %q: %s", o.Name, oneLine)
		case strings.ContainsFunc(o.Version, unicode.IsControl):
			err = fmt.Errorf("-version %q: %s", o.Version, oneLine)
		}
	}
	if err == nil {
		o.Targets, o.Web, err = ParseTargets(targets)
	}
	if _, merr := cart.ParseMode(o.Mode); err == nil && merr != nil {
		err = fmt.Errorf("-mode: %v", merr)
	}
	if _, perr := manifest.ParsePalette(o.Palette); err == nil && perr != nil {
		err = fmt.Errorf("-palette: %v", perr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ebicart bundle: %v\nRun 'ebicart bundle -h' for usage.\n", err)
		return 2
	}
	o.Cart = carts[0]
	if !*quiet {
		o.Log = prefixed{stderr}
	}
	// Ctrl-C, kill and a closed terminal stop the builds, which then
	// clean up, rather than end ebicart with go build running on.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	var stopped os.Signal
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case stopped = <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	began := time.Now()
	outs, err := Bundle(ctx, o)
	cancel()
	<-done
	if err != nil && stopped != nil {
		fmt.Fprintf(stderr, "ebicart bundle: stopped (%v) while building: nothing was written\n", stopped)
		if s, ok := stopped.(syscall.Signal); ok {
			return 128 + int(s)
		}
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "ebicart %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s in %v:\n", o.Out, time.Since(began).Round(time.Second))
	width := 0
	for _, out := range outs {
		width = max(width, len(filepath.Join(o.Out, out.Path)))
	}
	var stale []string
	for _, out := range outs {
		if out.Stale {
			stale = append(stale, filepath.Join(o.Out, out.Path))
			continue
		}
		line := fmt.Sprintf("  %-*s %9s", width, filepath.Join(o.Out, out.Path), sizeText(out.Size))
		if out.Took > 0 {
			line += fmt.Sprintf("   built in %v", out.Took.Round(100*time.Millisecond))
		}
		fmt.Fprintln(stdout, line)
	}
	if len(stale) > 0 {
		fmt.Fprintf(stdout, "left as they were, from an earlier bundle (another -target, version or name): remove them before you ship %s:\n", o.Out)
		for _, p := range stale {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	return 0
}

// prefixed writes progress lines prefixed with the command's name.
type prefixed struct{ w io.Writer }

func (p prefixed) Write(b []byte) (int, error) {
	_, err := fmt.Fprintf(p.w, "ebicart bundle: %s", b)
	return len(b), err
}

// sizeText is n bytes for a person: 912 B, 4.5 KB, 21.3 MB.
func sizeText(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
