//go:build !js

package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/internal/authoring"
	"github.com/ebicart/ebicart/internal/bundle"
	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/fileread"
	"github.com/ebicart/ebicart/internal/flagargs"
	"github.com/ebicart/ebicart/internal/outfile"
	"github.com/ebicart/ebicart/internal/safetext"
	"github.com/ebicart/ebicart/wasm4/apu"
)

func main() {
	if cart.ServeWorker() { // a cart's worker process: serves it, then exits
		return
	}
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) (code int) {
	if len(args) > 0 && bundled == nil {
		switch args[0] {
		case "new":
			return runNew(args[1:], stderr)
		case "info":
			return runInfo(args[1:], stderr)
		case "bundle":
			return bundle.Command(args[1:], os.Stdout, stderr)
		case "-version", "--version":
			fmt.Fprintln(os.Stdout, "ebicart", buildVersion())
			return 0
		case "help", "version":
			// Words other commands take, unless a cart has the name.
			if _, err := os.Stat(args[0]); err != nil {
				switch {
				case len(args) == 1 && args[0] == "help":
					return run([]string{"-h"}, stderr)
				case len(args) == 1:
					fmt.Fprintln(os.Stdout, "ebicart", buildVersion())
					return 0
				case len(args) == 2 && args[0] == "help" && slices.Contains([]string{"new", "info", "bundle"}, args[1]):
					return run([]string{args[1], "-h"}, stderr) // ebicart help bundle
				case len(args) == 2 && args[0] == "help" && (args[1] == "help" || isHelp(args[1])):
					return run([]string{"-h"}, stderr)
				case args[0] == "help" && len(args) == 2:
					// Not a cart and a second one ("one cart at a time,
					// got 2: help run" said): a command's name mistyped.
					fmt.Fprintf(stderr, "ebicart help: no command %s: want new, info or bundle, or no word for ebicart's own usage\n", safetext.Name(args[1]))
					return 2
				case args[0] == "version" && len(args) == 2 && isHelp(args[1]):
					fmt.Fprintln(stderr, "usage: ebicart version\n\nPrints which build of ebicart this is (also -version).")
					return 0
				case args[0] == "version":
					fmt.Fprintf(stderr, "ebicart version: it takes no arguments, got %d\n", len(args)-1)
					return 2
				default:
					fmt.Fprintf(stderr, "ebicart help: %s\n", subcommandMisuse(args[1:], false, "at most one command"))
					return 2
				}
			}
		}
	}
	c, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\nRun '%s -h' for usage.\n", self(), err, self())
		return 2
	}
	switch {
	case c.version:
		fmt.Println(bundled.Stamp)
		return 0
	case c.credits:
		fmt.Print(bundled.Credits)
		return 0
	}

	// What the run writes as it ends is checked before it starts: a path
	// that cannot be written would lose a whole session's recording.
	if err := checkOutputs(c); err != nil {
		fmt.Fprintf(stderr, "ebicart: %v\n", err)
		return 1
	}
	if c.cpuprofile != "" {
		f, err := outfile.Create(c.cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: -cpuprofile: %v\n", pathError(err))
			return 1
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	if c.memprofile != "" {
		runtime.MemProfileRate = 4096
		defer func() {
			f, err := outfile.Create(c.memprofile)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				if err1 := f.Close(); err == nil {
					err = err1
				}
			}
			if err != nil {
				fmt.Fprintf(stderr, "ebicart: -memprofile: %v\n", pathError(err))
				code = cmp.Or(code, 1)
			}
		}()
	}

	if c.engine != cart.EngineInProcess.String() {
		cart.Prewarm() // the cart's worker starts while the cart is read and the window opens
	}
	// The cart: the file named, else the bundled game's, else the demo
	// (read from the binary only then: a copy of its 1.9 MB costs a
	// start-up milliseconds).
	var wasm []byte
	name := "demo"
	switch {
	case c.cart != "":
		wasm, err = cart.ReadCartFile(c.cart, int64(c.maxCartSize))
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: %v\n", err)
			return 1
		}
		name = strings.TrimSuffix(filepath.Base(c.cart), ".wasm")
	case bundled != nil:
		wasm, name = bundled.Cart, bundled.Name
	default:
		wasm = assets.DefaultCart()
	}
	mode, _ := cart.ParseMode(c.mode)
	engine, _ := cart.ParseEngine(c.engine)
	palette, _ := parsePalette(c.palette)
	var saveKey string
	if c.watch {
		saveKey = cart.SaveKey(wasm) // rebuilds of a watched cart keep its saves
	}
	if bundled != nil {
		saveKey = bundled.SaveKey() // so do updates of a bundled game
	}
	sound := !c.headless && audioAvailable()
	var rp *cart.Replay
	if c.replay != "" {
		b, err := fileread.ReadPiped(c.replay, maxReplaySize)
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: -replay: %v\n", readError(err, "a replay is a file -record wrote"))
			return 1
		}
		rp, err = cart.ParseReplay(bytes.NewReader(b))
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: -replay %s: %v\n", c.replay, err) // "replay: line N: ..."
			return 1
		}
		// Headless, a replay runs to its last line: with none it would
		// run for ever. (A recording always has one, at its session's
		// last update.) Said before any output is created; a replay of
		// another cart is refused as such as the cart loads.
		if c.headless && c.frames == 0 && rp.LastFrame() < 0 && (rp.Cart == "" || rp.Cart == cart.CartHash(wasm)) {
			// A file that will not do, as any other (not a usage error).
			fmt.Fprintf(stderr, "ebicart: -replay %s has no input lines, so it does not say how long to play: give -frames N\n", c.replay)
			return 1
		}
	}
	var state []byte
	if c.loadState != "" {
		// A state holds the cart's memory, at most -max-memory, and a
		// little more (globals, disk, sound).
		max := int64(cmp.Or(uint64(c.maxMemory), cart.DefaultMaxMemory)) + 16<<20
		if state, err = fileread.ReadPiped(c.loadState, max); err != nil {
			what := "a state is a file -save-state or F5 wrote"
			if _, ok := errors.AsType[*fileread.TooBigError](err); ok {
				// Too big for this run's limit, not for any: say which.
				mem := byteSize(cmp.Or(uint64(c.maxMemory), cart.DefaultMaxMemory))
				what = fmt.Sprintf("a state holds the cart's memory, up to -max-memory (%v here): a state of a cart run with a larger -max-memory loads with that -max-memory", &mem)
			}
			fmt.Fprintf(stderr, "ebicart: -load-state: %v\n", readError(err, what))
			return 1
		}
	}
	var audioOut io.Writer
	if c.audioOut != "" {
		wav := &wavFile{path: c.audioOut}
		audioOut = wav
		defer func() {
			if err := wav.Close(); err != nil && code == 0 {
				fmt.Fprintf(stderr, "ebicart: -audio-out: %v\n", err)
				code = 1
			}
		}()
	}
	// The replay and the state are the first cart's. Every cart records:
	// -record writes the session of the cart running at the end (after a
	// -watch reload or a drop, the new cart's, from its load).
	first := true
	loader := func(wasm []byte, name string) game.Loader {
		opts := &cart.Options{Name: name, Engine: engine, CPULimit: c.cpuLimit, StartLimit: c.startLimit, CompileLimit: c.compileLimit,
			MaxMemory: uint64(c.maxMemory), MaxCartSize: int64(c.maxCartSize),
			Mode: mode, Palette: palette, Sound: sound, SaveDir: cart.UserSaveDir(), CacheDir: cart.UserCacheDir(),
			Rewind: c.rewind && !c.headless, AudioOut: audioOut,
			Log: func(line string) { fmt.Fprintf(stderr, "%s: %s\n", safetext.Clean(name), line) }}
		// A window asks the player about a cart past its limit; a headless
		// or -frames run has no one to ask.
		opts.Interactive = !c.headless && c.frames == 0
		if saveKey != "" {
			opts.SaveKey = saveKey
		}
		st := []byte(nil)
		opts.Record = c.record != ""
		if first {
			first = false
			opts.Replay, st = rp, state
		}
		return func(ctx context.Context) (*cart.Cart, error) {
			cc, err := cart.LoadContext(ctx, wasm, opts)
			return startFrom(cc, err, st, "-load-state "+c.loadState, commandFixes)
		}
	}
	load := loader(wasm, name)
	// atEnd writes what the run leaves: the recording, the state, stats.
	// Each is written whatever became of the others: a pipe with no
	// reader for one loses no other.
	atEnd := func(cc *cart.Cart, run windowRun) error {
		if c.stats {
			printStats(stderr, cc, run)
		}
		var errs []error
		if c.record != "" {
			if r := cc.Recording(); r != nil {
				errs = append(errs, writeReplay(c.record, r))
			} else if err := cc.RecordingLost(); err != nil {
				errs = append(errs, fmt.Errorf("-record: %w", err))
			} else {
				errs = append(errs, errors.New("-record: the cart running at the end kept no recording"))
			}
		}
		if c.saveState != "" {
			if cc.Err() != nil {
				errs = append(errs, errors.New("-save-state: not written: the cart had stopped (a state of it would only stop again)"))
			} else {
				st, err := cc.SaveState()
				if err == nil {
					err = outfile.WriteFile(c.saveState, st)
				}
				if err != nil {
					errs = append(errs, fmt.Errorf("-save-state: %w", err))
				}
			}
		}
		return errors.Join(errs...)
	}

	if c.headless {
		h := game.Headless{Frames: c.frames, Until: -1, Screenshot: c.screenshot}
		if rp != nil && c.frames == 0 {
			h.Until = int(rp.LastFrame() + 1) // at least 1: see the replay's check
		}
		var endErr error
		h.OnEnd = func(cc *cart.Cart) { endErr = atEnd(cc, windowRun{}) }
		// Ctrl-C (or SIGTERM, SIGHUP) ends the run as -frames would,
		// with the status of a command ended by that signal.
		sig := catchSignals()
		defer sig.stop()
		h.Context = sig.ctx
		err := game.RunHeadless(load, h)
		if err == nil || errors.Is(err, game.ErrInterrupted) && endErr != nil {
			err = endErr
		} else if endErr != nil {
			defer fmt.Fprintf(stderr, "ebicart: %v\n", endErr) // after the error that stopped the run
		}
		if sig.caught() != nil {
			// An update the signal came in the middle of ran to its
			// deadline; the run was still interrupted.
			if err != nil && !errors.Is(err, game.ErrInterrupted) {
				fmt.Fprintf(stderr, "ebicart: %s\n", game.Describe(name, err))
			}
			return sig.report(stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: %s\n", game.Describe(name, err))
			return 1
		}
		return 0
	}
	captures := ""
	if c.cart != "" {
		captures = filepath.Dir(c.cart) // screenshots and GIFs go next to the cart
	}
	var states cart.SaveStore
	if dir := cart.UserSaveDir(); dir != "" {
		states = cart.DirStates(dir) // the quick slot (F5, F8) beside the saves
	}
	sig := catchSignals()
	defer sig.stop()
	g := game.NewAsync(load, name, asPlayer(game.Options{Scale: c.scale, Fullscreen: c.fullscreen, Frames: c.frames, Screenshot: c.screenshot,
		CaptureDir: captures, Loader: loader, States: states, MaxCartSize: int64(c.maxCartSize), Context: sig.ctx}))
	if c.watch {
		stop, err := g.Watch(c.cart, loader)
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: -watch: %v\n", err)
			return 1
		}
		defer stop()
	}
	// A signal closes the window as Esc does: the files the run leaves
	// and the cart's last saves are written.
	err = game.RunGame(g)
	if cc := g.Cart(); cc != nil {
		if endErr := atEnd(cc, windowRun{g.Ticks(), g.Draws(), g.LoadingDraws(), g.FirstFrame()}); endErr != nil && err == nil {
			err = endErr
		}
	}
	g.Close() // ends the cart's worker process, and a load under way
	var reported *game.ReportedError
	switch {
	case sig.caught() != nil:
		if err != nil && !errors.As(err, &reported) {
			fmt.Fprintf(stderr, "ebicart: %s\n", game.Describe(name, err)) // a file the end could not write
		}
		return sig.report(stderr)
	case errors.As(err, &reported):
		return 1 // the game printed it
	case err != nil && strings.Contains(err.Error(), "no window system is available"):
		// Ebitengine's error names its last resort (fbdev), not the cause.
		fmt.Fprintf(stderr, "ebicart: %v\nebicart: no desktop to open a window on: run it from a desktop session, or with -headless (see -h)\n", err)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "ebicart: %s\n", game.Describe(name, err))
		return 1
	}
	return 0
}

// runNew is ebicart new <lang> <dir>.
func runNew(args []string, stderr io.Writer) int {
	dashes := len(args) == 3 && args[1] == "--"
	if dashes { // ebicart new go -- -dir
		args = []string{args[0], args[2]}
	}
	if len(args) != 2 || strings.HasPrefix(args[0], "-") || !dashes && strings.HasPrefix(args[1], "-") {
		help := len(args) <= 2 && slices.ContainsFunc(args, isHelp) // ebicart new -h, ebicart new go -h
		if !help {
			fmt.Fprintf(stderr, "ebicart new: %s\n", subcommandMisuse(args, false, "a language and a directory"))
		}
		fmt.Fprintf(stderr, "usage: ebicart new <language> [--] <directory>\n\nWrites a minimal, buildable cart project. Languages:\n")
		for _, l := range authoring.Languages {
			fmt.Fprintf(stderr, "  %-15s %s\n", l.Name, l.Toolchain)
		}
		if help {
			return 0
		}
		return 2
	}
	if _, ok := authoring.Language(args[0]); !ok { // a usage error: nothing is written
		fmt.Fprintf(stderr, "ebicart new: %v\n", authoring.LanguageError(args[0]))
		return 2
	}
	if err := authoring.New(args[0], args[1], os.Stdout); err != nil {
		fmt.Fprintf(stderr, "ebicart new: %v\n", err)
		return 1
	}
	return 0
}

// buildVersion is this program's version as the Go toolchain recorded it:
// the module's version, and the commit it was built from where known.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(no build information)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value[:min(12, len(s.Value))]
		case "vcs.time":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v + " " + runtime.Version()
}

// isHelp reports whether arg asks a subcommand for its usage.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// subcommandMisuse says what is wrong with args, given to a subcommand
// that takes no flags, and want (what it takes) otherwise. After "--"
// (dashes: the caller took one off) every argument is a name.
func subcommandMisuse(args []string, dashes bool, want string) string {
	for _, a := range args {
		if a == "--" || dashes {
			break
		}
		if strings.HasPrefix(a, "-") {
			return fmt.Sprintf("%s: it takes no flags (a name that starts with -: put -- before it)", a)
		}
	}
	if len(args) == 1 {
		return fmt.Sprintf("want %s, got 1 argument", want)
	}
	return fmt.Sprintf("want %s, got %d arguments", want, len(args))
}

// commandFixes are the command line's advice for a replay or a state
// that does not fit the cart.
var commandFixes = runFixes{
	replay: "run it without -replay, or with a replay of this cart",
	state:  "run it without -load-state, or with a state of this cart",
}

// infoFlags are the run's flags ebicart info takes: the settings a cart
// loads and runs its first update with, which info's messages name when
// one stops the cart (a memory over -max-memory, a start past
// -start-limit), so that it can be tried again with the limit raised.
var infoFlags = []string{"mode", "engine", "max-cart-size", "max-memory", "compile-limit", "start-limit", "cpu-limit"}

// infoUsages are the flags' texts where info's differ from the run's
// (which name flags info does not take).
var infoUsages = map[string]string{
	"cpu-limit":     "stop the cart when its first update, with the calls around it, takes longer than `duration` (e.g. 500ms)",
	"max-cart-size": "refuse a cart file larger than `size` (default: any up to 4GiB, saying when it is over the 64MiB a run takes by default)",
}

const infoUsage = `usage: ebicart info [flags] [--] <cart.wasm>

Prints a cart's mode, memory, imports, exports and first frame, loaded
with the run's settings (its defaults, or these flags):
`

// runInfo is ebicart info [flags] <cart.wasm>.
func runInfo(args []string, stderr io.Writer) int {
	var c config
	runFlags := flagSet(&c) // the defaults, and the flags' values and text
	fs := flag.NewFlagSet("ebicart info", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, name := range infoFlags {
		f := runFlags.Lookup(name)
		fs.Var(f.Value, f.Name, cmp.Or(infoUsages[name], f.Usage))
	}
	usage := func() {
		fmt.Fprint(stderr, infoUsage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
	}
	carts, err := flagargs.Parse(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
		return 0
	case err != nil && strings.HasPrefix(err.Error(), "flag provided but not defined: "):
		name := strings.TrimPrefix(err.Error(), "flag provided but not defined: ")
		fmt.Fprintf(stderr, "ebicart info: %s: not a flag of info, which takes -%s (a cart whose name starts with -: put -- before it)\n",
			name, strings.Join(infoFlags, ", -"))
		usage()
		return 2
	case err == nil && len(carts) != 1:
		err = fmt.Errorf("want one cart, got %d arguments", len(carts))
	case err == nil && carts[0] == "-" && !slices.Contains(args, "--"):
		err = errors.New("-: not a cart file (a cart named -: put -- before it)")
	case err == nil:
		err = c.check(carts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ebicart info: %v\n", err)
		usage()
		return 2
	}
	mode, _ := cart.ParseMode(c.mode)
	engine, _ := cart.ParseEngine(c.engine)
	opts := cart.Options{Mode: mode, Engine: engine, MaxMemory: uint64(c.maxMemory), CPULimit: c.cpuLimit,
		StartLimit: c.startLimit, CompileLimit: c.compileLimit}
	if flagGiven(fs, "max-cart-size") {
		opts.MaxCartSize = int64(c.maxCartSize)
	}
	if err := authoring.Info(c.cart, opts, os.Stdout); err != nil {
		fmt.Fprintf(stderr, "ebicart info: %v\n", err)
		return 1
	}
	return 0
}

// flagGiven reports whether the command line set the flag name.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// writeReplay writes a recording to path, whole or not at all (a file
// already there is kept if the write fails).
func writeReplay(path string, r *cart.Replay) error {
	var b bytes.Buffer
	if _, err := r.WriteTo(&b); err != nil {
		return fmt.Errorf("-record: %w", err)
	}
	if err := outfile.WriteFile(path, b.Bytes()); err != nil {
		return fmt.Errorf("-record: %w", err)
	}
	return nil
}

// windowRun is what a window's run counted; zero headless.
type windowRun struct {
	ticks, draws int
	loadingDraws int // of draws, those of the loading screen
	first        time.Time
}

// printStats writes the -stats line: counts and timings in microseconds,
// and the wall-clock time of the first drawn frame in Unix nanoseconds
// (0 headless).
func printStats(w io.Writer, c *cart.Cart, run windowRun) {
	u, p := c.UpdateTiming(), c.UploadTiming()
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
	var firstNs int64
	if !run.first.IsZero() {
		firstNs = run.first.UnixNano()
	}
	line, _ := json.Marshal(map[string]any{
		"ticks": run.ticks, "updates": u.Count, "draws": run.draws, "loading_draws": run.loadingDraws, "uploads": p.Count,
		"update_p50_us": us(u.P50), "update_p95_us": us(u.P95),
		"upload_p50_us": us(p.P50), "upload_p95_us": us(p.P95),
		"memory_bytes": c.MemorySize(), "first_frame_unix_ns": firstNs, "engine": c.Engine(),
	})
	fmt.Fprintf(w, "ebicart-stats %s\n", line)
}

// wavFile is -audio-out's WAV file: created at the first write (the
// first update's sound), so that a run whose cart never updates (it does
// not load, nor its state) leaves a file already there as it was; then
// its samples, and at Close its header's sizes.
type wavFile struct {
	path string
	w    *apu.WAVWriter
	f    *os.File
	err  error // of the creation
}

func (w *wavFile) Write(p []byte) (int, error) {
	if w.w == nil && w.err == nil {
		w.f, w.err = outfile.Create(w.path)
		if w.err == nil {
			if w.w, w.err = apu.NewWAVWriter(w.f); w.err != nil {
				w.f.Close()
			}
		}
	}
	if w.err != nil {
		return 0, w.err
	}
	return w.w.Write(p)
}

func (w *wavFile) Close() error {
	if w.w == nil {
		return pathError(w.err) // never written: nothing to close (nil stays nil)
	}
	err := w.w.Close()
	if e := w.f.Close(); err == nil {
		err = e
	}
	return err
}

// asPlayer makes a window's options those of the bundled game, if any:
// its name as the title, and without -dev no author keys and no cart
// dropped on the window.
func asPlayer(o game.Options) game.Options {
	if bundled == nil {
		return o
	}
	return asBundledGame(o, bundled.Name, bundled.Dev)
}

// readError is err, from fileread.Read of a file a flag names, as a
// sentence; what says what the file should be.
func readError(err error, what string) error {
	var nf *fileread.NotFileError
	var tb *fileread.TooBigError
	switch {
	case errors.As(err, &nf):
		return fmt.Errorf("%w: %s", nf, what)
	case errors.As(err, &tb) && tb.Grew:
		return fmt.Errorf("%s grew past %s while it was read", tb.Name, bytesize.Text(uint64(tb.Max)))
	case errors.As(err, &tb):
		return fmt.Errorf("%s is %s, more than the %s it can be: %s", tb.Name, bytesize.Text(uint64(tb.Size)), bytesize.Text(uint64(tb.Max)), what)
	}
	return pathError(err)
}

// pathError is err, from opening or reading a file a flag names, without
// the system call's name: "x.txt: no such file or directory".
func pathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// checkOutputs checks the files the run writes as it ends, before it
// starts: each can be written, none is the cart, a WebAssembly module
// (-record game.wasm, the cart forgotten, replaced game.wasm with a
// replay), or another of them.
func checkOutputs(c config) error {
	outs := []struct{ flag, path, what string }{
		{"-record", c.record, "a replay"}, {"-save-state", c.saveState, "a save state"},
		{"-screenshot", c.screenshot, "a PNG"}, {"-memprofile", c.memprofile, "a profile"},
		{"-cpuprofile", c.cpuprofile, "a profile"}, {"-audio-out", c.audioOut, "a WAV file"},
	}
	// Nor may a file the run reads be one it writes: a hand-written replay
	// would be lost. A state may be loaded from and saved to one file, to
	// go on from where the last run stopped.
	ins := []struct{ flag, path string }{{"-replay", c.replay}, {"-load-state", c.loadState}}
	for i, out := range outs {
		if out.path == "" {
			continue
		}
		for _, o := range outs[:i] {
			if o.path != "" && sameFile(o.path, out.path) {
				return fmt.Errorf("%s and %s name the same file, %s: name two", o.flag, out.flag, out.path)
			}
		}
		for _, in := range ins {
			if in.path != "" && sameFile(in.path, out.path) && (in.flag != "-load-state" || out.flag != "-save-state") {
				return fmt.Errorf("%s and %s name the same file, %s, which %s would overwrite: name two", in.flag, out.flag, out.path, out.what)
			}
		}
		if c.cart != "" && sameFile(c.cart, out.path) {
			return fmt.Errorf("%s: %s is the cart being run: name another file", out.flag, out.path)
		}
		if isWasm(out.path) {
			return fmt.Errorf("%s: %s is a WebAssembly module, which %s would overwrite: name another file (was it meant as the cart?)", out.flag, out.path, out.what)
		}
		// -audio-out too, though it is created only at the first
		// update: in the same words (it may be a device, /dev/stdout,
		// as any).
		if err := checkWritable(out.path); err != nil {
			return fmt.Errorf("%s: %v", out.flag, err)
		}
	}
	return nil
}

// sameFile reports whether a and b name one file: the same path, or the
// same file reached another way (a link, ./).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// isWasm reports whether path is a file that starts as a wasm module does.
func isWasm(path string) bool {
	// Stat first: opening a named pipe to read blocks until a program
	// opens it to write, which none will.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	var magic [4]byte
	_, err = io.ReadFull(f, magic[:])
	return err == nil && string(magic[:]) == "\x00asm"
}

// checkWritable reports whether a file can be written at path, the run's
// end: an existing file by opening it for writing (its directory need not
// be writable), a device or a pipe not at all, a new file by making one
// beside it (where a link points) and removing it again. An existing file
// at path is left alone.
func checkWritable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory: name a file", path)
	} else if err == nil && !st.Mode().IsRegular() {
		return nil // a device or a pipe (/dev/stdout): written as it is, its directory never
	} else if err == nil {
		// A file that is there is overwritten in place: it must be
		// writable, its directory need not be.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", path, pathErr(err))
		}
		return f.Close()
	}
	// A link is written where it points: a link to a file in a directory
	// that is gone (a build folder cleaned) cannot be, though its own
	// directory can.
	dir := filepath.Dir(path)
	if target, ok := danglingLink(path); ok {
		dir = filepath.Dir(target)
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("cannot write %s, a link to %s: %w", path, target, pathError(err))
		}
	}
	f, err := os.CreateTemp(dir, ".ebicart-check-*")
	if err != nil {
		// The probe's own name would only confuse.
		return fmt.Errorf("cannot write %s: %w", path, pathErr(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// pathErr is the cause of err, without the path and the system call.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// danglingLink returns where path, a symbolic link (or a chain of them)
// to nothing, points; ok is false for a path that is no such link.
func danglingLink(path string) (target string, ok bool) {
	if _, err := os.Stat(path); err == nil {
		return "", false
	}
	for range 40 { // the kernel's own limit on a chain of links
		st, err := os.Lstat(path)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return path, target != ""
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", false
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path, target = to, to
	}
	return "", false
}

// signals ends a run at SIGINT (Ctrl-C), SIGTERM or SIGHUP: ctx is done
// at the first of them, and the run then ends as a normal one does,
// writing what it leaves. After the first, the signals have their default
// effect again: a second Ctrl-C ends the process at once.
type signals struct {
	ctx  context.Context
	ch   chan os.Signal
	got  atomic.Value // os.Signal
	done chan struct{}
}

func catchSignals() *signals {
	ctx, cancel := context.WithCancel(context.Background())
	s := &signals{ctx: ctx, ch: make(chan os.Signal, 1), done: make(chan struct{})}
	caught := []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
	signal.Notify(s.ch, caught...)
	go func() {
		select {
		case sig := <-s.ch:
			s.got.Store(sig)
			signal.Reset(caught...)
			cancel()
		case <-s.done:
			cancel()
		}
	}()
	return s
}

// caught returns the signal that ended the run, nil if none did.
func (s *signals) caught() os.Signal {
	sig, _ := s.got.Load().(os.Signal)
	return sig
}

// report says which signal ended the run and returns the exit status of
// a command it ended: 128 + its number (130 for Ctrl-C).
func (s *signals) report(stderr io.Writer) int {
	sig := s.caught()
	if sig == os.Interrupt {
		fmt.Fprintf(stderr, "ebicart: interrupted\n")
	} else {
		fmt.Fprintf(stderr, "ebicart: %v\n", sig)
	}
	if n, ok := sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 130
}

// stop stops catching the signals.
func (s *signals) stop() {
	signal.Stop(s.ch)
	close(s.done)
}
