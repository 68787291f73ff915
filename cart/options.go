package cart

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/limits"
)

// Options configure a cart. A nil *Options means the defaults, which touch
// no file: saves and compiled code stay in memory unless SaveDir, Saves or
// CacheDir say where to keep them.
type Options struct {
	// Name names the cart in its log lines and stack traces; LoadFile
	// defaults it to the file's name without .wasm ("demo" for
	// carts/demo.wasm).
	Name string
	// Engine says where the cart runs (default EngineAuto).
	Engine Engine
	// MaxMemory caps the cart's linear memory in bytes (default 256 MiB,
	// at most 65535 pages, as -max-memory), rounded up to whole 64 KiB
	// pages: memory.grow beyond it returns -1 inside the cart.
	MaxMemory uint64
	// MaxCartSize caps the size of the cart's file (0 or less: 64 MiB; at
	// most 4 GiB):
	// LoadFile refuses a larger file, or one that is not a regular file,
	// before it reads it, and Load refuses larger bytes.
	MaxCartSize int64
	// CPULimit bounds one update with the calls around it (default 1s;
	// this and the other limits, when set, are 1ms or more): a
	// cart that runs longer is stopped and Update returns a
	// *DeadlineError, unless Interactive says to ask.
	CPULimit time.Duration
	// Interactive says a player is there to decide about an update that
	// runs past CPULimit, as browsers ask about a slow page: where the
	// cart runs in a worker (EngineProcess, the browser), the update runs
	// on and Update returns a *NotRespondingError; Wait grants it another
	// CPULimit, Stop ends the cart. A busy machine or a big runtime's
	// first frames make a cart slow, not stuck. In this process
	// (EngineInProcess), where a call cannot be left running, the limit
	// stops the cart all the same.
	Interactive bool
	// StartLimit bounds the cart's code at boot: its start section,
	// _initialize and start (default 10s, time for a big runtime to
	// start on a busy machine).
	StartLimit time.Duration
	// CompileLimit bounds compiling the cart (default 20s). Where the
	// compile runs in this process (EngineInProcess) it cannot be
	// stopped: Load returns at the limit and the compile is abandoned.
	CompileLimit time.Duration
	// Log receives the cart's log lines (ebicart.log, WASI stdout and
	// stderr, WASM-4 trace), already sanitised. Default: discarded. It is
	// called from the goroutine that calls the cart's methods, except for
	// the error of a delayed save (see SaveStore), which comes from a
	// timer's: a Log that keeps lines must be safe for concurrent use.
	Log func(line string)
	// EbitenInput makes Update read the keyboard, mouse, touches and
	// gamepads itself, with ebicart's default key map (WASM-4's in WASM-4
	// mode), mapping the cursor into the cart's frame through where Draw
	// last put it. Without it the cart sees what SetInput gave it.
	EbitenInput bool
	// Mode forces the ABI (default: WASM-4 for carts that import
	// env.memory, ABI v1 for the rest).
	Mode Mode
	// Palette, when set, replaces WASM-4's power-on palette (0xRRGGBB).
	Palette *[4]uint32
	// Sound plays WASM-4 carts' tone() calls through Ebitengine's audio
	// (44.1 kHz). Ebitengine ends the game when no audio device opens:
	// ask for sound where there is one.
	Sound bool
	// AudioOut, when set, receives the cart's sound as WASM-4's chip makes
	// it, update by update, whatever plays: 735 stereo frames of signed
	// 16-bit little-endian samples (44.1 kHz, left first) after each
	// Update, from the cart's sound chip, the one its save states hold
	// (an ABI v1 cart, which has no sound, gives silence). After a Rewind
	// it goes on from the frame rewound to. A tone() during update n starts at sample
	// 735·n. Wrap a file in apu.NewWAVWriter to get a WAV file. A write
	// error is logged once, and nothing more is written.
	AudioOut io.Writer
	// Saves keeps carts' saved data (WASM-4 diskw, ebicart.disk_write).
	// Default: DirSaves(SaveDir) when SaveDir is set, else memory only
	// (lost when the cart closes). A save that cannot be read as the cart
	// loads is not overwritten: the cart boots without it and its saves
	// stay in memory (Log and SaveError say so).
	Saves SaveStore
	// SaveDir is a directory to keep saves in, one file per cart.
	SaveDir string
	// SaveKey names the cart's save; empty means a hash of its bytes. Give
	// rebuilds of one cart the same key to keep their saves. With SaveDir
	// or DirSaves it names a file: Load refuses a key with a / or \ in
	// it, and the keys "." and "..".
	SaveKey string
	// CacheDir caches compiled carts in a directory, so that the next
	// start of the same cart skips compiling (default: in memory, for
	// this process only); a worker process also keeps there the cart as
	// the core rewrote it (ebicart-rewrites, the newest 32). The browser
	// ignores it.
	CacheDir string

	// Replay plays a recorded or hand-written session: the cart boots
	// with its seed, start time and saved data, and each Update takes the
	// replay's input (its last line's stays after it) until EndReplay
	// hands it to SetInput or EbitenInput. A replay for another cart (by
	// its SHA-256) fails to load. A replay never writes the cart's saves.
	Replay *Replay
	// Record records the session: Recording returns it as a replay.
	Record bool
	// Rewind keeps the last RewindSeconds of play (0 or less: 30; more
	// than a day: a day) so that Rewind can step back through it. Carts whose state is too large for
	// RewindBudget (default 64 MiB) get no history, and Log says so.
	Rewind        bool
	RewindSeconds int
	RewindBudget  uint64
}

// Engine says where a cart runs: the cart core is the same on each.
type Engine int

// Engines of Options.Engine.
const (
	// EngineAuto is EngineProcess on Linux and in the browser, and
	// EngineInProcess elsewhere.
	EngineAuto Engine = iota
	// EngineProcess runs the cart in a worker of its own: natively a
	// process (this program, started again: see ServeWorker), whose
	// memory the host maps to read frames in place, in the browser a Web
	// Worker. A cart past its limit is killed; it runs at full compiled
	// speed, and a crash cannot take the host down. Linux and browsers.
	EngineProcess
	// EngineInProcess runs the cart in this process on wazero, which
	// checks the deadline at every loop header and call: portable, but a
	// loop-heavy cart runs several times slower. Not in the browser.
	EngineInProcess
)

// String names the engine as the -engine flag spells it.
func (e Engine) String() string {
	switch e {
	case EngineProcess:
		return "process"
	case EngineInProcess:
		return "inprocess"
	case EngineAuto:
		return "auto"
	}
	return "Engine(" + strconv.Itoa(int(e)) + ")"
}

// ParseEngine reads an -engine flag value: auto, process or inprocess.
func ParseEngine(s string) (Engine, error) {
	for _, e := range []Engine{EngineAuto, EngineProcess, EngineInProcess} {
		if s == e.String() {
			return e, nil
		}
	}
	return 0, fmt.Errorf("engine %q: want auto, process or inprocess", s)
}

// Mode is the ABI a cart runs with.
type Mode = guest.Mode

// Modes of Options.Mode.
const (
	ModeAuto  = guest.ModeAuto
	ModeABI1  = guest.ModeABI1
	ModeWASM4 = guest.ModeWASM4
)

// ParseMode reads a -mode flag value: auto, abi1 or wasm4.
func ParseMode(s string) (Mode, error) { return guest.ParseMode(s) }

// Defaults of the limits.
const (
	DefaultMaxMemory    = guest.DefaultMaxPages << 16
	DefaultCPULimit     = guest.DefaultCPULimit
	DefaultStartLimit   = guest.DefaultStartLimit
	DefaultCompileLimit = guest.DefaultCompileLimit
)

// checkOptions says what in opts no cart can load with, before anything
// starts: a setting out of range would otherwise reach the core and fail
// there as a broken worker.
func checkOptions(o *Options) error {
	switch o.Mode {
	case ModeAuto, ModeABI1, ModeWASM4:
	default:
		return fmt.Errorf("cart: Options.Mode is %d, not a mode: use ModeAuto, ModeABI1 or ModeWASM4", int(o.Mode))
	}
	switch o.Engine {
	case EngineAuto, EngineProcess, EngineInProcess:
	default:
		return fmt.Errorf("cart: Options.Engine is %d, not an engine: use EngineAuto, EngineProcess or EngineInProcess", int(o.Engine))
	}
	// The bounds of the limits are the command line's flags', with
	// their reasons: one check for both (0 is a limit's default).
	for _, l := range []struct {
		field  string
		d, def time.Duration
		check  func(time.Duration) error
	}{
		{"CPULimit", o.CPULimit, DefaultCPULimit, limits.CPU},
		{"StartLimit", o.StartLimit, DefaultStartLimit, limits.Start},
		{"CompileLimit", o.CompileLimit, DefaultCompileLimit, limits.Compile},
	} {
		if err := l.check(l.d); l.d != 0 && err != nil {
			return fmt.Errorf("cart: Options.%s is %v: %v (0: the default, %v)", l.field, l.d, err, l.def)
		}
	}
	if err := limits.Memory(o.MaxMemory); err != nil {
		return fmt.Errorf("cart: Options.MaxMemory is %s: %v", bytesize.Text(o.MaxMemory), err)
	}
	if err := limits.CartSize(uint64(max(o.MaxCartSize, 0))); err != nil {
		return fmt.Errorf("cart: Options.MaxCartSize is %s: %v", bytesize.Text(uint64(o.MaxCartSize)), err)
	}
	if r := o.Replay; r != nil && len(r.Disk) > guest.DiskSize {
		return fmt.Errorf("cart: Options.Replay's saved data is %d bytes, more than a cart's %d: a replay made by hand must keep its disk line to %d bytes", len(r.Disk), guest.DiskSize, guest.DiskSize)
	}
	return nil
}
