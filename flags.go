package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/internal/bundle/manifest"
	"github.com/ebicart/ebicart/internal/flagargs"
	"github.com/ebicart/ebicart/internal/limits"
	"github.com/ebicart/ebicart/internal/safetext"
)

// The command line's flags, parsed the same way in the browser, where each
// run flag is a URL parameter of the same name (main_js.go).

const usageText = `usage: ebicart [flags] [cart.wasm]
       ebicart new <language> <directory>   start a cart project (go, c, rust, zig, assemblyscript)
       ebicart info [flags] <cart.wasm>     describe a cart
       ebicart bundle [flags] <cart.wasm>   make the game to give players: executables, a web page
       ebicart version                      print which build of ebicart this is

Runs a WebAssembly cartridge: a wasm module whose linear memory holds its
pixel framebuffer (cart ABI v1: docs/abi.md). With no cart it runs the
built-in demo cart.

In a window: arrows or WASD move, Z/J is A, X/K is B, Enter is start,
Shift is select; the mouse and gamepads work too. F5 saves the cart's
state, F8 loads it, holding Backspace rewinds. Drop a .wasm on the window
to run it. When a cart fails, the window shows the error: R restarts the
cart, Esc quits.

For cart authors: P pauses, . steps one update, , is slow motion, F3
shows timings, F12 saves a screenshot (native and x4), F9 starts and
stops a GIF.

WASM-4 carts run unchanged (160x160, sound, saves): player 1 on the
arrows with X and Z, player 2 on ESDF with A (or Q) for X and left Shift
(or Tab) for Z.

Flags:
`

const usageFooter = `
Flags may also follow the cart: ebicart cart.wasm -frames 5.

Exit status: 0 when the run ends normally; 1 when the cart fails in a
-headless or -frames run, or a file the run reads (the cart, -replay,
-load-state) cannot be read or will not do (empty, garbled, another
cart's), or one it writes cannot be written; 2 for a usage error (an
unknown flag, a value out of range, flags that do not go together); 128 +
the signal's number for a run a signal ends, headless or in a window (130
Ctrl-C, 143 SIGTERM, 129 SIGHUP): its -screenshot, -record, -save-state
and -stats are still written.

A cart runs sandboxed: no files, network, environment or arguments; its
memory is capped (-max-memory) and each update has a deadline (-cpu-limit).

Replays, save states and rewind: docs/replay.md.

Examples:
  ebicart                                  the demo cart, in a window
  ebicart -scale 3 assets/carts/wasm4.wasm a 160x160 WASM-4 cart at x3, in a 480x480 window
  ebicart -headless -frames 60 -screenshot shot.png cart.wasm
  ebicart -headless -replay walk.txt -screenshot got.png cart.wasm
`

// config is the parsed command line.
type config struct {
	cart         string
	headless     bool
	frames       int
	screenshot   string
	scale        int
	fullscreen   bool
	stats        bool
	watch        bool
	mode         string
	engine       string
	palette      string
	cpuLimit     time.Duration
	startLimit   time.Duration
	compileLimit time.Duration
	maxMemory    byteSize
	maxCartSize  byteSize
	cpuprofile   string
	memprofile   string
	record       string
	replay       string
	saveState    string
	loadState    string
	rewind       bool
	audioOut     string
	version      bool // a bundled game's -version
	credits      bool // a bundled game's -credits
}

// parseArgs parses the command line; errors are usage errors.
func parseArgs(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flagSet(&c)
	if bundled != nil {
		playerFlags(fs, &c)
	}
	carts, err := flagargs.Parse(fs, args)
	if err == nil && bundled != nil {
		err = checkPlayerArgs(fs, carts)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) && bundled != nil {
			playerUsage(stderr, fs)
		} else if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usageText)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			fmt.Fprint(stderr, usageFooter)
		}
		return c, err
	}
	if c.headless {
		// A window's flags asked for by name do nothing headless: said
		// for all of them alike (a bundled game's own scale is not asked
		// for).
		var given []string
		fs.Visit(func(f *flag.Flag) {
			if windowFlags[f.Name] {
				given = append(given, "-"+f.Name)
			}
		})
		switch len(given) {
		case 0:
		case 1:
			return c, fmt.Errorf("%s: a window's flag, and -headless opens no window: drop it or -headless", given[0])
		default:
			return c, fmt.Errorf("%s and %s: a window's flags, and -headless opens no window: drop them or -headless",
				strings.Join(given[:len(given)-1], ", "), given[len(given)-1])
		}
	}
	return c, c.check(carts)
}

// windowFlags are the flags that set up a window, or what happens in
// one: -headless refuses them, given by name, whatever their value.
var windowFlags = map[string]bool{"scale": true, "fullscreen": true, "rewind": true, "watch": true}

// flagSet is the command line's flags, which set c.
func flagSet(c *config) *flag.FlagSet {
	mode, palette, scale := "auto", "", 0
	if bundled != nil {
		mode, palette, scale = bundled.Mode, bundled.Palette, bundled.Scale
	}
	fs := flag.NewFlagSet("ebicart", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors its own way; -h prints usage below
	fs.BoolVar(&c.headless, "headless", false, "run without a window or GPU, updates back to back as fast as they go, no input")
	fs.IntVar(&c.frames, "frames", 0, "stop after `N` updates and exit with status 0 (0: run until closed)")
	fs.StringVar(&c.screenshot, "screenshot", "", "when the run ends, write the cart's last frame to `file` as a PNG, at its native resolution (a cart that failed: its frame as it stopped)")
	fs.IntVar(&c.scale, "scale", scale, "initial window scale `N` (0: the largest that fits 960x720, in a window at least 256 pixels a side; a larger one than fits the screen is the largest that does)")
	fs.BoolVar(&c.fullscreen, "fullscreen", false, "start in fullscreen")
	c.cpuLimit, c.startLimit, c.compileLimit = cart.DefaultCPULimit, cart.DefaultStartLimit, cart.DefaultCompileLimit
	fs.Var(durationFlag{&c.cpuLimit, "500ms"}, "cpu-limit", "the time an update, with the calls around it, may take: `duration` (e.g. 500ms). Past it a window asks, as a browser does of a slow page, whether to wait another duration or stop the cart; with -headless or -frames, and with -engine inprocess (where a call cannot be left running), the cart is stopped at once")
	fs.Var(&c.maxCartSize, "max-cart-size", "refuse a cart file larger than `size` (default 64MiB), or one that is not a regular file, before reading it")
	fs.Var(durationFlag{&c.startLimit, "10s"}, "start-limit", "stop a cart whose start-up (start section, _initialize, start) runs longer than `duration`: time for a big runtime to start on a busy machine")
	fs.Var(durationFlag{&c.compileLimit, "20s"}, "compile-limit", "give up on a cart that takes longer than `duration` to compile")
	fs.Var(&c.maxMemory, "max-memory", "cap what a cart may make the engine hold at `size` (e.g. 64MiB; default 256MiB): its memory, tables (8 bytes an element), globals and 1MiB of stack; memory.grow and table.grow beyond it fail inside the cart")
	fs.StringVar(&c.mode, "mode", mode, "the ABI to run the cart with: `auto` (WASM-4 for carts that import env.memory), abi1 or wasm4")
	fs.StringVar(&c.engine, "engine", "auto", "where the cart runs: `auto` (process on Linux, inprocess elsewhere), process (a worker process, killed at its deadline; Linux) or inprocess (this process; loop-heavy carts run slower)")
	fs.StringVar(&c.palette, "palette", palette, "WASM-4 mode: replace the default palette with four `colours`, e.g. e0f8cf,86c06c,306850,071821")
	fs.BoolVar(&c.watch, "watch", false, "reload the cart when its file changes (keeps its saves; a build that fails to load leaves the old one running)")
	fs.StringVar(&c.record, "record", "", "record the session's input to `file`, a replay (docs/replay.md), written when the run ends (after the cart is reloaded or another dropped, the session of the cart running then)")
	fs.StringVar(&c.replay, "replay", "", "play the replay in `file`: its input, seed, start time and saved data (headless without -frames: until its last line)")
	fs.StringVar(&c.saveState, "save-state", "", "when the run ends, write the cart's state to `file`")
	fs.StringVar(&c.loadState, "load-state", "", "start the cart from the state in `file` (frame numbers go on from the state's)")
	fs.BoolVar(&c.rewind, "rewind", true, "keep 30 s of history in a window: hold Backspace to rewind")
	fs.StringVar(&c.audioOut, "audio-out", "", "write the cart's sound to `file` as a WAV (44.1 kHz, 16-bit stereo): 735 samples per update as WASM-4's chip makes them, whatever plays (silence for an ABI v1 cart)")
	fs.BoolVar(&c.stats, "stats", false, "when the run ends, print the host's measurements on standard error, as one line: ebicart-stats and a JSON object")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to `file` (go tool pprof)")
	fs.StringVar(&c.memprofile, "memprofile", "", "write an allocation profile of the run to `file` when it ends")
	return fs
}

// check checks the flags parsed into c, and takes the cart's path from
// the arguments that are not flags.
func (c *config) check(carts []string) error {
	switch {
	case len(carts) > 1:
		return fmt.Errorf("one cart at a time, got %d: %s", len(carts), strings.Join(carts, " "))
	case c.frames < 0:
		return fmt.Errorf("-frames %d: want 0 or more", c.frames)
	// The limits' bounds are package cart's (limits): one check.
	case limits.CPU(c.cpuLimit) != nil:
		return fmt.Errorf("-cpu-limit %v: %v", c.cpuLimit, limits.CPU(c.cpuLimit))
	case limits.Start(c.startLimit) != nil:
		return fmt.Errorf("-start-limit %v: %v", c.startLimit, limits.Start(c.startLimit))
	case limits.Compile(c.compileLimit) != nil:
		return fmt.Errorf("-compile-limit %v: %v", c.compileLimit, limits.Compile(c.compileLimit))
	case c.scale < 0:
		return fmt.Errorf("-scale %d: want 1 or more (0 picks one)", c.scale)
	case c.watch && len(carts) == 0:
		return errors.New("-watch needs a cart file to watch")
	case c.screenshot != "" && c.frames == 0 && !c.headless:
		return errors.New("-screenshot needs -frames: the shot is taken when the run ends")
	case limits.Memory(uint64(c.maxMemory)) != nil:
		return fmt.Errorf("-max-memory %v: %v", &c.maxMemory, limits.Memory(uint64(c.maxMemory)))
	case limits.CartSize(uint64(c.maxCartSize)) != nil:
		return fmt.Errorf("-max-cart-size %v: %v", &c.maxCartSize, limits.CartSize(uint64(c.maxCartSize)))
	case c.record != "" && c.loadState != "":
		return errors.New("-record with -load-state: a recording plays back from the cart's start, and this one would start from a state")
	}
	if _, err := cart.ParseMode(c.mode); err != nil {
		return fmt.Errorf("-mode: %v", err)
	}
	if _, err := cart.ParseEngine(c.engine); err != nil {
		return fmt.Errorf("-engine: %v", err)
	}
	if _, err := parsePalette(c.palette); err != nil {
		return fmt.Errorf("-palette: %v", err)
	}
	if len(carts) > 0 {
		c.cart = carts[0]
	}
	return nil
}

// parsePalette reads four comma-separated RRGGBB colours ("" is none).
func parsePalette(s string) (*[4]uint32, error) { return manifest.ParsePalette(s) }

// durationFlag is a flag value of a duration, whose parse error shows one
// (flag's own says only "parse error").
type durationFlag struct {
	d       *time.Duration
	example string
}

func (f durationFlag) String() string {
	if f.d == nil { // flag's zero value, for -h's defaults
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as %s (ms, s, m)", f.example)
	}
	*f.d = d
	return nil
}

// byteSize is a flag value of a size in bytes: 65536, 64KiB, 64MiB, 1GiB
// (also KB, MB, GB as the same binary units, and B).
type byteSize uint64

// String is the size in the largest of MiB, KiB and B that holds it
// whole: a size shown rounded down can read as within a limit it is past.
func (b *byteSize) String() string {
	switch v := uint64(*b); {
	case v == 0:
		return ""
	case v%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", v>>20)
	case v%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", v>>10)
	default:
		return fmt.Sprintf("%dB", v)
	}
}

func (b *byteSize) Set(s string) error {
	units := []struct {
		suffix string
		mult   uint64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	num, mult := strings.TrimSpace(s), uint64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, err := strconv.ParseUint(num, 10, 64)
	if err != nil || v == 0 || v > (4<<30)/mult {
		return fmt.Errorf("want a size between 64KiB and 4GiB such as 64MiB")
	}
	if v*mult < 64<<10 {
		return fmt.Errorf("want at least 64KiB such as 64MiB")
	}
	*b = byteSize(v * mult)
	return nil
}

// maxReplaySize caps a replay file, on the command line and in the page
// (index.html's replayMax is the same): a line an update at the most,
// about 20 bytes each, a day's play at 60 updates a second is 100 MB; one
// that changes its input every update for 15 hours fits. The lines it
// holds take several times its size in memory.
const maxReplaySize = 64 << 20

// notInPage are the flags that have no meaning in the browser's page, and
// why. Every other flag is a URL parameter of the page, of the same name
// (pageArgs); TestPageParams keeps the two lists whole.
var notInPage = map[string]string{
	"headless":   "the page always draws",
	"frames":     "the page runs until it is closed",
	"screenshot": "F12 downloads one",
	"scale":      "the page scales the cart to its size",
	"fullscreen": "a page may go fullscreen only when clicked",
	"watch":      "the page has no files to watch",
	"record":     "the page records every session: Recording ⤓ downloads it",
	"save-state": "F5 keeps a state in the page's storage",
	"stats":      "ebicart.stats() reports them",
	"audio-out":  "the page plays the sound; record it with the browser's tools",
	"cpuprofile": "profile the page with the browser's developer tools",
	"memprofile": "profile the page with the browser's developer tools",
}

// pageArgs turns the page's URL parameters into the command line that
// means the same: cart= is the cart, every other parameter the flag of its
// name (a bool flag given without a value is true). In the page, the files
// of cart, replay and load-state are URLs, relative to the page.
func pageArgs(q map[string][]string) ([]string, error) {
	var args []string
	names := slices.Sorted(maps.Keys(q))
	fs := flagSet(&config{})
	for _, name := range names {
		if trackingParam(name) {
			continue // added by the site the link was shared on
		}
		if name == "" {
			return nil, fmt.Errorf("URL parameter %s: a value with no name: remove it from the URL", param("", q[name][0]))
		}
		if len(q[name]) > 1 {
			// The page's script reads the first, the host would read the
			// last: neither is what the link meant for sure.
			return nil, fmt.Errorf("URL parameter %s: given %d times: give it once", name, len(q[name]))
		}
		value := q[name][0]
		if name == "cart" {
			continue
		}
		if why, ok := notInPage[name]; ok {
			return nil, fmt.Errorf("URL parameter %s: not in the browser: %s", name, why)
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, fmt.Errorf("URL parameter %s: unknown: the page takes cart and the run flags of the command line (see the README)", name)
		}
		if name == "engine" && value != cart.EngineAuto.String() && value != cart.EngineProcess.String() {
			return nil, fmt.Errorf("URL parameter %s: the page runs carts in a Web Worker: want auto or process", param(name, value))
		}
		b, ok := f.Value.(interface{ IsBoolFlag() bool })
		isBool := ok && b.IsBoolFlag()
		if isBool && value == "" {
			value = "true"
		}
		// Each value is parsed here, to name the parameter in the page's
		// spelling; parseArgs parses them again, as flags.
		if err := fs.Set(name, value); err != nil {
			if isBool {
				return nil, fmt.Errorf("URL parameter %s: want true or false (or %s alone, for true)", param(name, value), name)
			}
			return nil, fmt.Errorf("URL parameter %s: %v", param(name, value), err)
		}
		args = append(args, "-"+name+"="+value)
	}
	if c := q["cart"]; len(c) > 0 && c[0] != "" {
		args = append(args, "--", c[0])
	}
	return args, nil
}

// param shows a URL parameter as name=value, quoting a value that is
// long or holds what a message should not.
func param(name, value string) string {
	if len(value) > 40 || safetext.Clean(value) != value || strings.ContainsAny(value, " &\"") {
		return name + "=" + safetext.Name(value)
	}
	return name + "=" + value
}

// pageSpelling says a flag's error about the parsed URL parameters in the
// page's words: "-cpu-limit 1ns: ..." becomes "URL parameter
// cpu-limit=1ns: ...". An error about no single flag is kept whole.
func pageSpelling(err error, q map[string][]string) error {
	msg := err.Error()
	for name := range q {
		switch {
		case strings.HasPrefix(msg, "-"+name+" "):
			return fmt.Errorf("URL parameter %s=%s", name, msg[len(name)+2:])
		case strings.HasPrefix(msg, "-"+name+":"):
			return fmt.Errorf("URL parameter %s%s", name, msg[len(name)+1:])
		}
	}
	return fmt.Errorf("URL parameters: %w", err)
}

// trackingParam reports whether a URL parameter is one that sites add to
// the links shared on them (Facebook's fbclid, Google's gclid, utm_*...):
// the page ignores them, where any other unknown parameter is an error.
func trackingParam(name string) bool {
	switch name {
	case "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid", "li_fat_id",
		"mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "si", "s_cid", "spm":
		return true
	}
	return strings.HasPrefix(name, "utm_")
}

// pageConfig is the configuration a page's URL parameters ask for, checked
// as the command line is.
func pageConfig(q map[string][]string) (config, error) {
	args, err := pageArgs(q)
	var c config
	if err == nil {
		if c, err = parseArgs(args, io.Discard); err != nil {
			err = pageSpelling(err, q)
		}
	}
	if err != nil {
		// The carts the player opens next run with the defaults, not with
		// a config half set by the parse. The error screen names the cart
		// the URL asked for, not the default one.
		c, _ = parseArgs(nil, io.Discard)
		if v := q["cart"]; len(v) > 0 {
			c.cart = v[0] // the one the page's script reads
		}
		return c, err
	}
	return c, nil
}

// runFixes say what to do about a replay or a saved state the run was
// started with that does not fit its cart: the error screen shows them as
// wrong settings, which restarting the cart would not mend. The command
// line's are in main.go, the page's in main_js.go.
type runFixes struct{ replay, state string }

// startFrom starts the cart just loaded (cc, err) from state, the saved
// state the run names (-load-state, or load-state= in the page), if it
// names one. When the state does not load, the cart is closed and the
// error begins with flag, the setting that named it. A replay or a state
// that does not fit the cart is a *game.SettingsError with fix's advice.
func startFrom(cc *cart.Cart, err error, state []byte, flag string, fix runFixes) (*cart.Cart, error) {
	if err != nil {
		if _, ok := errors.AsType[*cart.OtherCartError](err); ok {
			err = &game.SettingsError{Err: err, Fix: fix.replay}
		}
		return cc, err
	}
	if state == nil {
		return cc, nil
	}
	if err := cc.LoadState(state); err != nil {
		cc.Close()
		err = fmt.Errorf("%s: %w", flag, err)
		if _, ok := errors.AsType[*cart.StateError](err); ok {
			err = &game.SettingsError{Err: err, Fix: fix.state} // not a failed engine's
		}
		return nil, err
	}
	return cc, nil
}
