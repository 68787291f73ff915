package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/internal/bundle/manifest"
)

// bundled is the game this executable carries when ebicart bundle built
// it (the bundle adds a file to this package that sets it); nil in
// ebicart itself. A bundled game runs its own cart with no argument, takes
// the run flags, and keeps the author's keys and flags for -dev bundles.
var bundled *manifest.Game

// authorFlags are the flags a bundled game takes only when bundled with
// -dev: the tools of the game's author.
var authorFlags = map[string]bool{
	"record": true, "replay": true, "save-state": true, "load-state": true,
	"stats": true, "cpuprofile": true, "memprofile": true,
}

// self is the program's name in messages: ebicart, or the bundled game's
// executable.
func self() string {
	if bundled == nil {
		return "ebicart"
	}
	return filepath.Base(os.Args[0])
}

// playerFlags adds a bundled game's own flags to fs.
func playerFlags(fs *flag.FlagSet, c *config) {
	fs.BoolVar(&c.version, "version", false, "print the game's version stamp and exit")
	fs.BoolVar(&c.credits, "credits", false, "print the game's credits and licences and exit")
}

// checkPlayerArgs refuses what a bundled game does not take: a cart or a
// command (it runs its own cart), -watch, and the author's flags unless it
// was bundled with -dev.
func checkPlayerArgs(fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s plays the game it carries: it takes flags only, no cart or command (got %q)", bundled.Name, args[0])
	}
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch {
		case err != nil:
		case f.Name == "watch":
			err = fmt.Errorf("-watch reloads a cart file, and %s carries its cart", bundled.Name)
		case authorFlags[f.Name] && !bundled.Dev:
			err = fmt.Errorf("-%s is a tool for the game's author: it works in a game bundled with ebicart bundle -dev", f.Name)
		}
	})
	return err
}

// playerUsage is a bundled game's -h: what it is, its keys and the flags
// it takes.
func playerUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: %s [flags]\n\n%s\n\n", self(), bundled.Stamp)
	fmt.Fprint(w, `In the window: arrows or WASD move, Z/J is A, X/K is B, Enter is start,
Shift is select; the mouse and gamepads work too. F5 saves the game's
state, F8 loads it, holding Backspace rewinds. Esc quits.
`)
	if bundled.Dev {
		fmt.Fprint(w, "\nFor its author: P pauses, . steps one update, , is slow motion, F3\nshows timings, F12 saves a screenshot, F9 starts and stops a GIF.\n")
	}
	fmt.Fprint(w, "\nFlags (for testing and troubleshooting):\n")
	shown := flag.NewFlagSet("", flag.ContinueOnError)
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "watch" && (bundled.Dev || !authorFlags[f.Name]) {
			shown.Var(f.Value, f.Name, f.Usage)
			shown.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	shown.SetOutput(w)
	shown.PrintDefaults()
	fmt.Fprint(w, `
Exit status: 0 when the run ends normally, 1 when the game fails in a
-headless or -frames run or a file the run reads or writes will not do,
2 for a usage error, 128 + the signal's number
for a run a signal ends, headless or in a window (130 Ctrl-C, 143
SIGTERM).

Example, a test of the game with no window:
  `+self()+` -headless -frames 60 -screenshot shot.png
`)
}

// asBundledGame makes o the options of the bundled game called name, in a
// window or a page: its name as the title and, unless it was bundled with
// -dev, no author keys and no other cart opened or dropped.
func asBundledGame(o game.Options, name string, dev bool) game.Options {
	o.Title = name
	if !dev {
		o.NoDevKeys = true
		o.Loader = nil
	}
	return o
}
