//go:build !js

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/internal/authoring"
	"github.com/ebicart/ebicart/internal/safetext"
)

const usageText = `usage: ebicart [flags] [cart.wasm]
       ebicart new <language> <directory>   start a cart project (go, c, rust, zig, assemblyscript)
       ebicart info <cart.wasm>             describe a cart

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
arrows with X and Z, player 2 on ESDF with A and Q.

Flags:
`

const usageFooter = `
Exit status: 0 when the run ends normally, 1 when the cart fails in a
-headless or -frames run (or cannot be read), 2 for a usage error.

A cart runs sandboxed: no files, network, environment or arguments; its
memory is capped (-max-memory) and each update has a deadline (-cpu-limit).

Replays, save states and rewind: docs/replay.md.

Examples:
  ebicart                                  the demo cart, in a window
  ebicart -scale 4 assets/carts/seed.wasm
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
}

// parseArgs parses the command line; errors are usage errors.
func parseArgs(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("ebicart", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors its own way; -h prints usage below
	fs.BoolVar(&c.headless, "headless", false, "run without a window or GPU, updates back to back as fast as they go, no input")
	fs.IntVar(&c.frames, "frames", 0, "stop after `N` updates and exit with status 0 (0: run until closed)")
	fs.StringVar(&c.screenshot, "screenshot", "", "when the run ends, write the cart's last frame to `file` as a PNG, at its native resolution")
	fs.IntVar(&c.scale, "scale", 0, "initial window scale `N` (0: the largest that fits 960x720)")
	fs.BoolVar(&c.fullscreen, "fullscreen", false, "start in fullscreen")
	fs.DurationVar(&c.cpuLimit, "cpu-limit", cart.DefaultCPULimit, "the time an update, with the calls around it, may take: `duration` (e.g. 500ms). Past it a window asks, as a browser does of a slow page, whether to wait another duration or stop the cart; with -headless or -frames, and with -engine inprocess (where a call cannot be left running), the cart is stopped at once")
	fs.Var(&c.maxCartSize, "max-cart-size", "refuse a cart file larger than `size` (default 64MiB), or one that is not a regular file, before reading it")
	fs.DurationVar(&c.startLimit, "start-limit", cart.DefaultStartLimit, "stop a cart whose start-up (start section, _initialize, start) runs longer than `duration`: time for a big runtime to start on a busy machine")
	fs.DurationVar(&c.compileLimit, "compile-limit", cart.DefaultCompileLimit, "give up on a cart that takes longer than `duration` to compile")
	fs.Var(&c.maxMemory, "max-memory", "cap a cart's memory at `size` (e.g. 64MiB; default 256MiB): memory.grow beyond it fails inside the cart")
	fs.StringVar(&c.mode, "mode", "auto", "the ABI to run the cart with: `auto` (WASM-4 for carts that import env.memory), abi1 or wasm4")
	fs.StringVar(&c.engine, "engine", "auto", "where the cart runs: `auto` (process on Linux, inprocess elsewhere), process (a worker process, killed at its deadline; Linux) or inprocess (this process; loop-heavy carts run slower)")
	fs.StringVar(&c.palette, "palette", "", "WASM-4 mode: replace the default palette with four `colours`, e.g. e0f8cf,86c06c,306850,071821")
	fs.BoolVar(&c.watch, "watch", false, "reload the cart when its file changes (keeps its saves; a build that fails to load leaves the old one running)")
	fs.StringVar(&c.record, "record", "", "record the session's input to `file`, a replay (docs/replay.md), written when the run ends")
	fs.StringVar(&c.replay, "replay", "", "play the replay in `file`: its input, seed, start time and saved data (headless without -frames: until its last line)")
	fs.StringVar(&c.saveState, "save-state", "", "when the run ends, write the cart's state to `file`")
	fs.StringVar(&c.loadState, "load-state", "", "start the cart from the state in `file` (frame numbers go on from the state's)")
	fs.BoolVar(&c.rewind, "rewind", true, "keep 30 s of history in a window: hold Backspace to rewind")
	fs.BoolVar(&c.stats, "stats", false, "when the run ends, print the host's measurements as a JSON line on standard error")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to `file` (go tool pprof)")
	fs.StringVar(&c.memprofile, "memprofile", "", "write an allocation profile of the run to `file` when it ends")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usageText)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			fmt.Fprint(stderr, usageFooter)
		}
		return c, err
	}
	switch {
	case fs.NArg() > 1:
		return c, fmt.Errorf("one cart at a time, got %d: %s", fs.NArg(), strings.Join(fs.Args(), " "))
	case c.frames < 0:
		return c, fmt.Errorf("-frames %d: want 0 or more", c.frames)
	case c.cpuLimit <= 0:
		return c, fmt.Errorf("-cpu-limit %v: want a positive duration such as 500ms", c.cpuLimit)
	case c.startLimit <= 0:
		return c, fmt.Errorf("-start-limit %v: want a positive duration such as 10s", c.startLimit)
	case c.compileLimit <= 0:
		return c, fmt.Errorf("-compile-limit %v: want a positive duration such as 20s", c.compileLimit)
	case c.scale < 0:
		return c, fmt.Errorf("-scale %d: want 1 or more (0 picks one)", c.scale)
	case c.watch && fs.NArg() == 0:
		return c, errors.New("-watch needs a cart file to watch")
	case c.watch && c.headless:
		return c, errors.New("-watch reloads a cart in a window; it does nothing with -headless")
	case c.screenshot != "" && c.frames == 0 && !c.headless:
		return c, errors.New("-screenshot needs -frames: the shot is taken when the run ends")
	case c.maxMemory > 65535<<16:
		return c, fmt.Errorf("-max-memory %v: at most 4095.9375MiB (65535 pages): a wasm32 memory of 4GiB cannot be addressed to its last byte", &c.maxMemory)
	case c.record != "" && c.loadState != "":
		return c, errors.New("-record with -load-state: a recording plays back from the cart's start, and this one would start from a state")
	case c.record != "" && c.record == c.replay:
		return c, errors.New("-record and -replay name the same file")
	}
	if _, err := cart.ParseMode(c.mode); err != nil {
		return c, fmt.Errorf("-mode: %v", err)
	}
	if _, err := cart.ParseEngine(c.engine); err != nil {
		return c, fmt.Errorf("-engine: %v", err)
	}
	if _, err := parsePalette(c.palette); err != nil {
		return c, fmt.Errorf("-palette: %v", err)
	}
	c.cart = fs.Arg(0)
	return c, nil
}

// parsePalette reads four comma-separated RRGGBB colours ("" is none).
func parsePalette(s string) (*[4]uint32, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, fmt.Errorf("%q: want four colours such as e0f8cf,86c06c,306850,071821", s)
	}
	var p [4]uint32
	for i, part := range parts {
		part = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(part), "#"), "0x")
		v, err := strconv.ParseUint(part, 16, 32)
		if err != nil || len(part) != 6 {
			return nil, fmt.Errorf("colour %q: want six hex digits RRGGBB", parts[i])
		}
		p[i] = uint32(v)
	}
	return &p, nil
}

func main() {
	if cart.ServeWorker() { // a cart's worker process: serves it, then exits
		return
	}
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "new":
			return runNew(args[1:], stderr)
		case "info":
			return runInfo(args[1:], stderr)
		}
	}
	c, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "ebicart: %v\nRun 'ebicart -h' for usage.\n", err)
		return 2
	}

	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: %v\n", err)
			return 1
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	if c.memprofile != "" {
		runtime.MemProfileRate = 4096
		defer func() {
			if f, err := os.Create(c.memprofile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}

	if c.engine != cart.EngineInProcess.String() {
		cart.Prewarm() // the cart's worker starts while the cart is read and the window opens
	}
	wasm, name := assets.DefaultCart(), "demo"
	if c.cart != "" {
		wasm, err = cart.ReadCartFile(c.cart, int64(c.maxCartSize))
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: %v\n", err)
			return 1
		}
		name = strings.TrimSuffix(filepath.Base(c.cart), ".wasm")
	}
	mode, _ := cart.ParseMode(c.mode)
	engine, _ := cart.ParseEngine(c.engine)
	palette, _ := parsePalette(c.palette)
	var saveKey string
	if c.watch {
		saveKey = cart.SaveKey(wasm) // rebuilds of a watched cart keep its saves
	}
	sound := !c.headless && audioAvailable()
	var rp *cart.Replay
	if c.replay != "" {
		f, err := os.Open(c.replay)
		if err == nil {
			rp, err = cart.ParseReplay(f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: %v\n", err)
			return 1
		}
	}
	var state []byte
	if c.loadState != "" {
		if state, err = os.ReadFile(c.loadState); err != nil {
			fmt.Fprintf(stderr, "ebicart: %v\n", err)
			return 1
		}
	}
	first := true // the replay, the recording and the state are the first cart's
	loader := func(wasm []byte, name string) game.Loader {
		opts := &cart.Options{Name: name, Engine: engine, CPULimit: c.cpuLimit, StartLimit: c.startLimit, CompileLimit: c.compileLimit,
			MaxMemory: uint64(c.maxMemory), MaxCartSize: int64(c.maxCartSize),
			Mode: mode, Palette: palette, Sound: sound, SaveDir: cart.UserSaveDir(), CacheDir: cart.UserCacheDir(),
			Rewind: c.rewind && !c.headless,
			Log:    func(line string) { fmt.Fprintf(stderr, "%s: %s\n", safetext.Clean(name), line) }}
		// A window asks the player about a cart past its limit; a headless
		// or -frames run has no one to ask.
		opts.Interactive = !c.headless && c.frames == 0
		if c.watch {
			opts.SaveKey = saveKey
		}
		st := []byte(nil)
		if first {
			first = false
			opts.Replay, opts.Record, st = rp, c.record != "", state
		}
		return func(ctx context.Context) (*cart.Cart, error) {
			cc, err := cart.LoadContext(ctx, wasm, opts)
			if err != nil || st == nil {
				return cc, err
			}
			if err := cc.LoadState(st); err != nil {
				cc.Close()
				return nil, fmt.Errorf("-load-state %s: %w", c.loadState, err)
			}
			return cc, nil
		}
	}
	load := loader(wasm, name)
	// atEnd writes what the run leaves: the recording, the state, stats.
	atEnd := func(cc *cart.Cart, ticks, draws int, first time.Time) error {
		if c.stats {
			printStats(stderr, cc, ticks, draws, first)
		}
		if c.record != "" {
			if r := cc.Recording(); r != nil {
				if err := writeReplay(c.record, r); err != nil {
					return err
				}
			}
		}
		if c.saveState != "" {
			st, err := cc.SaveState()
			if err == nil {
				err = os.WriteFile(c.saveState, st, 0o644)
			}
			if err != nil {
				return fmt.Errorf("-save-state: %w", err)
			}
		}
		return nil
	}

	if c.headless {
		h := game.Headless{Frames: c.frames, Until: -1, Screenshot: c.screenshot}
		if rp != nil && c.frames == 0 {
			h.Until = int(rp.LastFrame() + 1)
		}
		var endErr error
		h.OnEnd = func(cc *cart.Cart) { endErr = atEnd(cc, 0, 0, time.Time{}) }
		err := game.RunHeadless(load, h)
		if err == nil {
			err = endErr
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
	g := game.NewAsync(load, name, game.Options{Scale: c.scale, Fullscreen: c.fullscreen, Frames: c.frames, Screenshot: c.screenshot,
		CaptureDir: captures, Loader: loader, States: states, MaxCartSize: int64(c.maxCartSize)})
	if c.watch {
		stop, err := g.Watch(c.cart, loader)
		if err != nil {
			fmt.Fprintf(stderr, "ebicart: -watch: %v\n", err)
			return 1
		}
		defer stop()
	}
	err = game.RunGame(g)
	if cc := g.Cart(); cc != nil {
		if endErr := atEnd(cc, g.Ticks(), g.Draws(), g.FirstFrame()); endErr != nil && err == nil {
			err = endErr
		}
	}
	g.Close() // ends the cart's worker process, and a load under way
	var reported *game.ReportedError
	switch {
	case errors.As(err, &reported):
		return 1 // the game printed it
	case err != nil:
		fmt.Fprintf(stderr, "ebicart: %s\n", game.Describe(name, err))
		return 1
	}
	return 0
}

// runNew is ebicart new <lang> <dir>.
func runNew(args []string, stderr io.Writer) int {
	if len(args) != 2 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "usage: ebicart new <language> <directory>\n\nWrites a minimal, buildable cart project. Languages:\n")
		for _, l := range authoring.Languages {
			fmt.Fprintf(stderr, "  %-15s %s\n", l.Name, l.Toolchain)
		}
		if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return 0
		}
		return 2
	}
	if err := authoring.New(args[0], args[1], os.Stdout); err != nil {
		fmt.Fprintf(stderr, "ebicart new: %v\n", err)
		return 1
	}
	return 0
}

// runInfo is ebicart info <cart.wasm>.
func runInfo(args []string, stderr io.Writer) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "usage: ebicart info <cart.wasm>\n\nPrints a cart's mode, memory, imports, exports and first frame.\n")
		if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return 0
		}
		return 2
	}
	if err := authoring.Info(args[0], os.Stdout); err != nil {
		fmt.Fprintf(stderr, "ebicart info: %v\n", err)
		return 1
	}
	return 0
}

// writeReplay writes a recording to path.
func writeReplay(path string, r *cart.Replay) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-record: %w", err)
	}
	if _, err := r.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("-record: %w", err)
	}
	return f.Close()
}

// byteSize is a flag value of a size in bytes: 65536, 64KiB, 64MiB, 1GiB
// (also KB, MB, GB as the same binary units, and B).
type byteSize uint64

func (b *byteSize) String() string {
	if *b == 0 {
		return ""
	}
	return fmt.Sprintf("%dMiB", uint64(*b)>>20)
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
		return fmt.Errorf("want at least 64KiB, one page of wasm memory")
	}
	*b = byteSize(v * mult)
	return nil
}

// printStats writes the -stats line: counts and timings in microseconds,
// and the wall-clock time of the first drawn frame in Unix nanoseconds
// (0 headless).
func printStats(w io.Writer, c *cart.Cart, ticks, draws int, first time.Time) {
	u, p := c.UpdateTiming(), c.UploadTiming()
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
	var firstNs int64
	if !first.IsZero() {
		firstNs = first.UnixNano()
	}
	line, _ := json.Marshal(map[string]any{
		"ticks": ticks, "updates": u.Count, "draws": draws, "uploads": p.Count,
		"update_p50_us": us(u.P50), "update_p95_us": us(u.P95),
		"upload_p50_us": us(p.P50), "upload_p95_us": us(p.P95),
		"memory_bytes": c.MemorySize(), "first_frame_unix_ns": firstNs, "engine": c.Engine(),
	})
	fmt.Fprintf(w, "ebicart-stats %s\n", line)
}
