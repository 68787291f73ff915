package cart

import (
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/replay"
	"github.com/ebicart/ebicart/internal/digest"
	"github.com/ebicart/ebicart/internal/ebinput"
	"github.com/ebicart/ebicart/internal/webgl"
	"github.com/ebicart/ebicart/internal/worker"
)

// Input is the state a cart reads each update: buttons, mouse in
// framebuffer pixels, wheel. See the Button and Mouse constants.
type Input = guest.Input

// Buttons of Input.Buttons.
const (
	ButtonLeft   = guest.ButtonLeft
	ButtonRight  = guest.ButtonRight
	ButtonUp     = guest.ButtonUp
	ButtonDown   = guest.ButtonDown
	ButtonA      = guest.ButtonA
	ButtonB      = guest.ButtonB
	ButtonStart  = guest.ButtonStart
	ButtonSelect = guest.ButtonSelect
)

// Mouse buttons of Input.MouseButtons.
const (
	MouseLeft   = guest.MouseLeft
	MouseRight  = guest.MouseRight
	MouseMiddle = guest.MouseMiddle
)

// Tone is a WASM-4 tone() call.
type Tone = guest.Tone

// Cart is a running cartridge. Its methods must be called from the game's
// goroutine (Update and Draw), like Ebitengine's own.
type Cart struct {
	name   string
	client *guest.Client
	err    error

	packer framebuffer.Packer
	img    *ebiten.Image // the frame, reused while its size holds
	dirty  bool          // the frame changed since the last upload
	opaque bool          // every pixel of the uploaded frame has alpha 255

	input     Input
	ebInput   bool
	reader    ebinput.Reader
	drawInv   ebiten.GeoM // inverse of where Draw last put the frame
	drawInvOK bool

	over   *ebiten.DrawRectShaderOptions // DrawOver's, reused
	drawOp ebiten.DrawImageOptions       // Draw's, reused

	saves   SaveStore
	saveKey string
	// savesLost says why the cart's saves are kept in memory only: its
	// save in Options.Saves could not be read.
	savesLost error
	saver     *saver
	logf      func(string)
	closed    bool // Close was called
	// quiet drops the cart's log lines and saves: set while a core boots
	// only to have a state loaded over it.
	quiet bool

	// What it booted with, to boot it again (a state loaded after its
	// worker was killed).
	wasm   []byte
	hash   string // hex SHA-256 of wasm
	cfg    guest.BootConfig
	limits guest.Limits
	engine Engine

	player    *replay.Player // the replay it plays, if any
	replaySrc *Replay
	recorder  *replay.Recorder // what it records, if asked to
	// recStates are the states SaveState made while it recorded, with
	// their frames: loading one of them takes the recording back to its
	// frame. A state leaves the map when the recording is taken back
	// before its frame (a rewind, another state): the inputs that led to
	// it are gone. Loading any other state ends the recording (recLost):
	// a replay plays from the start.
	recStates map[[digest.Size]byte]uint32
	recLost   error
	rewind    *rewinder // its history, if kept
	ahead     bool      // its worker booted it before it was asked (BootedAhead)
	muted     bool      // tones are not played (rewinding)
	// resim is set while a rewind runs updates again: their saves are
	// the past's, not written (resimDisk keeps the last of them, when
	// resimSaved; it may be empty).
	resim      bool
	resimSaved bool
	resimDisk  []byte
	// disk is the cart's save as it last wrote it (as it booted, before
	// it wrote one): a rewind to a frame makes the save that frame's.
	disk []byte

	stats    stats
	sound    *sound    // nil: silent
	chip     *chip     // a WASM-4 cart's sound chip, nil for ABI v1
	audioOut *audioOut // Options.AudioOut's, if any
	// bootTones are the tone() calls of start, which sound with the first
	// update's, as on WASM-4.
	bootTones []Tone
	tones     []Tone // the last update's, start's included

	// An update that overran CPULimit and runs on (Options.Interactive):
	// Update asks again at grantedUntil.
	slow         bool
	grantedUntil time.Time
	slowSince    time.Time // when the update past its limit began
}

// Load starts a cart from its wasm bytes: LoadContext without a deadline of
// its own.
func Load(wasm []byte, opts *Options) (*Cart, error) {
	return LoadContext(context.Background(), wasm, opts)
}

// LoadContext starts a cart from its wasm bytes. The error says what is
// wrong with a cart that does not load (a missing export, an unknown
// import, a trap in start, an invalid first frame), wrapped in an *Error
// that names the engine; what is wrong before any engine starts (opts, a
// cart too large, bytes that are not wasm) is not wrapped. Cancelling ctx
// stops the load (a worker is killed) and returns ctx.Err().
func LoadContext(ctx context.Context, wasm []byte, opts *Options) (*Cart, error) {
	if opts == nil {
		opts = &Options{}
	}
	webgl.NoGPUWait() // a page's WebGL uploads the cart's frames without waiting for the GPU
	if err := checkOptions(opts); err != nil {
		return nil, err
	}
	if max := maxCartSize(opts.MaxCartSize); int64(len(wasm)) > max {
		return nil, TooBig(cmp.Or(opts.Name, "a cart"), int64(len(wasm)), max)
	}
	// Not wasm at all: said at once, not after a worker has started.
	if err := guest.CheckHeader(wasm); err != nil {
		return nil, err
	}
	c := &Cart{name: opts.Name, dirty: true, ebInput: opts.EbitenInput, input: Input{MouseX: NoPointer, MouseY: NoPointer},
		logf: opts.Log, hash: guest.CartHashWait(wasm), wasm: wasm, engine: opts.Engine}
	c.saves = opts.Saves
	if c.saves == nil && opts.SaveDir != "" {
		c.saves = DirSaves(opts.SaveDir)
	}
	if c.saves == nil || opts.Replay != nil { // a replay never writes the user's saves
		c.saves = MemorySaves()
	}
	c.saveKey = opts.SaveKey
	if _, ok := c.saves.(*dirSaves); ok && c.saveKey != "" && !fileKey(c.saveKey) {
		// A setting to fix, said now: the store's Load would fail, and
		// the cart run on with its saves dropped as if unreadable.
		return nil, fmt.Errorf(`cart: Options.SaveKey is %q: DirSaves keeps a save in a file named for its key: want a file name (no / or \, not . or ..)`, c.saveKey)
	}
	if c.saveKey == "" {
		c.saveKey = c.hash[:24] // SaveKey's
	}
	// The seed need not be secret: math/rand/v2's generator, seeded by the
	// runtime, is enough, and crypto/rand's would weigh on the page.
	seed := rand.Uint64()
	c.cfg = guest.BootConfig{
		Name: opts.Name, Mode: opts.Mode, MaxPages: maxPages(opts.MaxMemory), Palette: opts.Palette,
		Seed: seed, Start: uint64(time.Now().UnixNano()), CacheDir: opts.CacheDir,
		// A browser worker may have booted the page's first cart ahead,
		// with a clock of its own (guest.Server.Prepare): taken, unless
		// a replay's clock must be repeated.
		AnyClock: opts.Replay == nil,
		// Where the link gains from it (a browser's worker), the core
		// runs the first update, with no input, as it boots; a replay's
		// first update has its input.
		TickAhead: opts.Replay == nil,
	}
	hex.Decode(c.cfg.Hash[:], []byte(c.hash)) // a worker that holds the cart boots it by it
	if r := opts.Replay; r != nil {
		if r.Cart != "" && r.Cart != c.hash {
			return nil, &OtherCartError{Replay: r.Cart, Cart: c.hash}
		}
		c.cfg.Seed, c.cfg.Start, c.cfg.Disk = r.Seed, uint64(r.Start), r.Disk
		c.player, c.replaySrc = replay.NewPlayer(r), r
	} else {
		disk, err := c.saves.Load(c.saveKey)
		if err != nil {
			// The cart boots with no save; its first write must not
			// replace the one that could not be read (a file it may not
			// read, an I/O error): this session's saves stay in memory.
			c.savesLost = fmt.Errorf("%w: this session's saves are not kept, so as not to overwrite the save that could not be read", err)
			c.saves = MemorySaves()
			c.log(c.savesLost.Error())
		}
		if len(disk) > guest.DiskSize {
			c.log(fmt.Sprintf("the save under %q is %d bytes, more than a cart's %d: the cart gets its first %d", c.saveKey, len(disk), guest.DiskSize, guest.DiskSize))
			disk = disk[:guest.DiskSize]
		}
		c.cfg.Disk = disk
	}
	c.disk = c.cfg.Disk // until it writes, start included
	c.limits = guest.Limits{Compile: opts.CompileLimit, Start: opts.StartLimit, Update: opts.CPULimit, Lenient: opts.Interactive}
	if err := c.boot(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if opts.Record {
		c.recorder = replay.NewRecorder(c.hash, c.cfg.Seed, int64(c.cfg.Start), c.cfg.Disk)
	}
	if opts.Rewind {
		c.rewind = newRewinder(opts.RewindSeconds, opts.RewindBudget)
	}
	c.reader.WASM4 = c.Mode() == ModeWASM4
	if c.Mode() == ModeWASM4 {
		c.chip = newChip()
		if opts.Sound {
			c.sound = newSound(c.log)
		}
	}
	if opts.AudioOut != nil {
		c.audioOut = newAudioOut(opts.AudioOut, c.log)
	}
	if opts.Palette != nil && c.Mode() != ModeWASM4 {
		c.log("the palette is WASM-4's: this ABI v1 cart draws its own colours")
	}
	c.bootTones = slices.Clone(c.client.Result().Tones)
	return c, nil
}

// openWorker is worker.Open, given up when ctx ends first: starting a
// worker process (and its handshake) can take seconds on a loaded
// machine, and a cancelled load must not wait for it. A worker that
// starts after that is closed.
func openWorker(ctx context.Context, kind worker.Kind) (guest.Link, bool, error) {
	type opened struct {
		link  guest.Link
		stops bool
		err   error
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	done := make(chan opened, 1)
	go func() {
		link, stops, err := worker.Open(kind)
		done <- opened{link, stops, err}
	}()
	select {
	case o := <-done:
		return o.link, o.stops, o.err
	case <-ctx.Done():
		go func() {
			if o := <-done; o.err == nil {
				o.link.Kill()
				o.link.Close()
			}
		}()
		return nil, false, ctx.Err()
	}
}

// boot starts the cart on a new core.
func (c *Cart) boot(ctx context.Context) error {
	client, err := c.newCore(ctx)
	if err != nil {
		return err
	}
	c.use(client)
	return nil
}

// newCore boots the cart on a new core, which the cart does not use yet
// (use).
func (c *Cart) newCore(ctx context.Context) (*guest.Client, error) {
	kind := map[Engine]worker.Kind{EngineAuto: worker.KindAuto, EngineProcess: worker.KindProcess, EngineInProcess: worker.KindInProcess}[c.engine]
	link, stops, err := openWorker(ctx, kind)
	if err != nil {
		return nil, &Error{Engine: c.engine.String(), Err: err}
	}
	client := guest.NewClient(link, guest.Output{Log: c.log, Disk: c.store})
	if err := client.Boot(ctx, c.wasm, c.cfg, c.limits, stops); err != nil {
		client.Close()
		return nil, wrap(link.Engine(), err)
	}
	return client, nil
}

// use makes client, just booted, the cart's core in place of its last.
func (c *Cart) use(client *guest.Client) {
	seed, start, ahead := client.Clock()
	if ahead {
		c.cfg.Seed, c.cfg.Start = seed, start // a recording repeats the boot's
	}
	c.ahead = ahead
	if c.client != nil {
		c.client.Close()
	}
	c.client, c.err = client, nil
}

// log passes a line to Options.Log.
func (c *Cart) log(line string) {
	if c.logf != nil && !c.quiet {
		c.logf(line)
	}
}

// SaveError returns why the cart's saved data (WASM-4 diskw,
// ebicart.disk_write) was last not kept by Options.Saves: a full disk, a
// page's full storage. It is nil before any save and once one is kept
// again. The cart was told its write succeeded: a game should say so.
// When the cart's save could not be read as it loaded, its saves are not
// written at all (they would replace that save), and SaveError says so
// from the first.
func (c *Cart) SaveError() error {
	if c.saver == nil {
		return nil
	}
	if c.savesLost != nil {
		return c.savesLost
	}
	return c.saver.lastErr()
}

// FlushSaves writes the cart's latest save to Options.Saves now, again
// if it was written already: saves are coalesced, at most two writes a
// second, and another cart may have written under the same key since. A
// program that loads the same cart again while this one runs (a rebuild,
// hot-swapped) calls it first, and stops updating this one if it saves,
// so that the new cart reads the latest save and overwrites nothing
// newer. It returns the write's error, as SaveError would. After Close
// it returns ErrClosed and writes nothing: Close wrote the last save, and
// the cart loaded after it may have saved since.
func (c *Cart) FlushSaves() error {
	if c.closed {
		return ErrClosed
	}
	if c.saver == nil {
		return nil
	}
	c.saver.rewrite()
	return c.SaveError()
}

// Saves returns how many times the cart has written its save (WASM-4
// diskw, ebicart.disk_write) since it started, whether or not the writes
// have reached Options.Saves yet (FlushSaves).
func (c *Cart) Saves() int {
	if c.saver == nil {
		return 0
	}
	return c.saver.count()
}

// SaveKey returns the key the cart's save is kept under in Options.Saves
// (Options.SaveKey, or the SaveKey of its bytes): two carts of one key
// share a save.
func (c *Cart) SaveKey() string { return c.saveKey }

// store keeps a save the cart wrote, coalesced (see saver).
func (c *Cart) store(data []byte) {
	if c.quiet {
		return
	}
	if c.resim {
		c.resimDisk, c.resimSaved = data, true
		return
	}
	c.disk = data
	c.newSaver()
	c.saver.save(data, true)
}

// newSaver makes the cart's saver at its first save.
func (c *Cart) newSaver() {
	if c.saver == nil {
		c.saver = &saver{store: c.saves, key: c.saveKey, log: c.log}
	}
}

// LoadFile starts the cart in the file at path. On the browser (GOOS=js),
// where there are no files, use Load with bytes you fetched.
func LoadFile(path string, opts *Options) (*Cart, error) {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	wasm, err := ReadCartFile(path, o.MaxCartSize)
	if err != nil {
		return nil, err
	}
	if o.Name == "" {
		o.Name = strings.TrimSuffix(filepath.Base(path), ".wasm")
	}
	return Load(wasm, &o)
}

// Name is the cart's name from its Options.
func (c *Cart) Name() string { return c.name }

// Engine names the engine the cart runs on: "process", "inprocess" or
// "browser".
func (c *Cart) Engine() string { return c.client.Engine() }

// SetInput sets what the cart sees at its next Update (buttons, mouse,
// wheel). With Options.EbitenInput, Update reads Ebitengine's input
// instead and SetInput has no effect. In the browser, a cart's first
// update (but a replay's) runs as it loads, with no input
// (guest.NoInput): input set before it counts from the second.
func (c *Cart) SetInput(in Input) { c.input = in }

// Update runs one tick of the cart: call it once from your game's Update.
// It returns the cart's error when the cart fails (and from then on):
// a trap with its wasm stack, an exit, an invalid frame, a deadline.
//
// With Options.Interactive, an update that runs past CPULimit in a worker
// returns a *NotRespondingError instead, and runs on: each later Update
// looks whether it has ended, without waiting, and returns nil once it
// has (the tick it missed is not made up), the error again while it runs
// on, or nil while it runs within the time Wait granted.
func (c *Cart) Update() error {
	if c.err != nil {
		return c.err
	}
	if c.slow {
		return c.awaitSlow()
	}
	if c.rewind != nil && c.rewind.active {
		if err := c.resume(); err != nil {
			return err
		}
	}
	frame := c.client.Result().Frames
	in := c.input
	if c.ebInput {
		in = fromEbinput(c.reader.Read(c.toFrame))
	}
	if c.player != nil {
		in = c.player.Input(frame)
	}
	if c.client.TickAhead() {
		in = guest.NoInput // the core ran this update as it booted: a recording repeats it
	}
	if c.recorder != nil {
		c.recorder.Add(frame, in)
	}
	if c.rewind != nil {
		c.rewind.before(c, frame, in)
	}
	if err := c.tick(in); err != nil {
		return err
	}
	if c.audioOut != nil {
		c.audioOut.write(c.chip)
	}
	return nil
}

// tick runs one update with in.
func (c *Cart) tick(in Input) error {
	start := time.Now()
	err := c.client.Tick(in)
	c.stats.update.add(time.Since(start))
	c.stats.work.add(c.client.Result().Work)
	if err != nil { // not before: errors.As's target would cost an allocation per update
		var nr *NotRespondingError
		if errors.As(err, &nr) {
			c.slow, c.grantedUntil, c.slowSince = true, time.Time{}, start
			return err
		}
		c.err = wrap(c.Engine(), err)
		return c.err
	}
	c.ticked()
	return nil
}

// ticked takes in the result of an update that returned.
func (c *Cart) ticked() {
	r := c.client.Result()
	if r.Changed {
		c.dirty = true
	}
	c.tones = r.Tones
	if c.bootTones != nil {
		c.tones = append(c.bootTones, r.Tones...)
		c.bootTones = nil
	}
	if c.chip != nil {
		c.chip.update(c.tones) // muted or not: the chip is part of the state
	}
	if c.sound != nil && !c.muted {
		c.sound.tick(c.tones)
	}
}

// awaitSlow looks whether the update that runs past its limit has ended.
func (c *Cart) awaitSlow() error {
	err := c.client.Await(0)
	var nr *NotRespondingError
	switch {
	case errors.As(err, &nr):
		if time.Now().Before(c.grantedUntil) {
			return nil // the player chose to wait
		}
		return err
	case err != nil:
		c.slow = false
		c.err = wrap(c.Engine(), err)
		return c.err
	}
	c.slow = false
	c.ticked()
	return nil
}

// NotResponding reports whether an update runs past CPULimit (see
// Options.Interactive), waited for or not.
func (c *Cart) NotResponding() bool { return c.slow }

// Wait grants an update that runs past CPULimit another CPULimit: until
// then Update returns nil while it runs on.
func (c *Cart) Wait() {
	if c.slow {
		c.grantedUntil = time.Now().Add(cmp.Or(c.limits.Update, DefaultCPULimit))
	}
}

// Stop ends an update that runs past CPULimit: the cart stops with a
// *DeadlineError, which it returns, as it would have without
// Options.Interactive. Without such an update it returns the cart's
// error, if any.
func (c *Cart) Stop() error {
	if !c.slow {
		return c.err
	}
	c.slow = false
	c.err = wrap(c.Engine(), c.client.Stop())
	if de := (*DeadlineError)(nil); errors.As(c.err, &de) {
		de.Ran = time.Since(c.slowSince)
	}
	return c.err
}

// Replaying reports whether the replay has lines yet to play: false once
// its last line has been played, and without a replay. After the last
// line the replay's last input stays (what a headless run wants) until
// EndReplay.
func (c *Cart) Replaying() bool { return c.player != nil && !c.player.Done() }

// EndReplay hands the cart from its replay to live input (SetInput or
// EbitenInput), as a window does after the replay's last line.
func (c *Cart) EndReplay() { c.player, c.replaySrc = nil, nil }

// Recording returns the session recorded so far (Options.Record), nil
// without one: write it with its WriteTo. It is nil too once a state this
// session did not save was loaded (RecordingLost says so).
func (c *Cart) Recording() *Replay {
	if c.recorder == nil {
		return nil
	}
	return c.recorder.Replay()
}

// Seed and Start are what the cart's generator was seeded with and its
// realtime clock's origin (Unix time in ns): a replay of this session
// needs them.
func (c *Cart) Seed() uint64 { return c.cfg.Seed }

// BootedAhead reports whether the cart's worker had booted it before it
// was asked: a browser's worker boots the page's first cart while the
// host loads, with a clock of its own (Seed and Start say it).
func (c *Cart) BootedAhead() bool { return c.ahead }

// Start is the realtime clock's origin, Unix time in ns; see Seed.
func (c *Cart) Start() int64 { return int64(c.cfg.Start) }

// CartHash is the hex SHA-256 of a cart's bytes, which replays and save
// states name it by.
func CartHash(wasm []byte) string { return guest.CartHash(wasm) }

// Hash is the hex SHA-256 of the cart's bytes, which replays and save
// states name it by.
func (c *Cart) Hash() string { return c.hash }

// fromEbinput converts what package ebinput read.
func fromEbinput(s ebinput.State) Input {
	return Input{Buttons: s.Buttons, MouseX: s.MouseX, MouseY: s.MouseY, MouseButtons: s.MouseButtons,
		WheelX: s.WheelX, WheelY: s.WheelY, Players: s.Players}
}

// Mode is the ABI the cart runs with: ModeABI1 or ModeWASM4.
func (c *Cart) Mode() Mode { return c.client.Result().Mode }

// ControlsHidden reports whether the cart asked not to be covered by
// on-screen controls (WASM-4's SYSTEM_HIDE_GAMEPAD_OVERLAY).
func (c *Cart) ControlsHidden() bool { return c.client.Result().Flags&guest.FlagHideControls != 0 }

// Tones returns the WASM-4 tone() calls of the last update.
func (c *Cart) Tones() []Tone { return c.client.Result().Tones }

// toFrame maps a position on the screen Draw drew to into frame pixels.
func (c *Cart) toFrame(x, y float64) (int32, int32) {
	if !c.drawInvOK {
		return -1, -1
	}
	fx, fy := c.drawInv.Apply(x, y)
	return int32(math.Floor(fx)), int32(math.Floor(fy))
}

// Changed reports whether the frame changed since it was last uploaded:
// a game can skip redrawing a screen whose carts all report false. A
// closed cart reports false.
func (c *Cart) Changed() bool { return c.dirty && !c.closed }

// Opaque reports whether every pixel of the frame Image returns is opaque:
// always in all formats but the two RGBA ones, and in those when the frame
// says so. A game drawing it at a whole scale need not clear the area
// beneath it first.
func (c *Cart) Opaque() bool { return c.opaque }

// Format is the pixel format of the cart's current frame.
func (c *Cart) Format() framebuffer.Format { return c.client.Result().Desc.Format }

// Descriptor is the cart's current frame descriptor, as the cart wrote it
// (see docs/abi.md).
func (c *Cart) Descriptor() framebuffer.Descriptor { return c.client.Result().Desc }

// Image returns the cart's current frame as an image at its native size,
// uploading it first if it changed. It is nil when the cart failed before
// its first frame, after Close, and while an update runs past its limit
// (NotResponding) before any frame was uploaded: the frame is then the
// update's to write. Draw draws nothing then. The image belongs to the
// cart: draw it, do not keep it past Close.
func (c *Cart) Image() *ebiten.Image {
	// While an update runs on past its limit, the frame is the update's
	// to write: the last one uploaded stays.
	if c.dirty && c.err == nil && !c.slow {
		c.upload()
	}
	return c.img
}

// writeImage puts pix, a w x h premultiplied RGBA frame, in the frame
// texture.
func (c *Cart) writeImage(pix []byte, w, h int) {
	if c.img == nil || c.img.Bounds().Dx() != w || c.img.Bounds().Dy() != h {
		if c.img != nil {
			c.img.Deallocate()
		}
		// Unmanaged: a texture of its own, written every frame, rather
		// than a region of Ebitengine's atlas, whose pixels Ebitengine
		// keeps a copy of to restore.
		c.img = ebiten.NewImageWithOptions(image.Rect(0, 0, w, h), &ebiten.NewImageOptions{Unmanaged: true})
	}
	c.img.WritePixels(pix)
}

// frame packs the current frame.
func (c *Cart) frame() ([]byte, int, int, error) {
	mem, d, err := c.client.Frame()
	if err != nil {
		return nil, 0, 0, wrap(c.Engine(), err)
	}
	pix, err := c.packer.Frame(mem, d)
	if err != nil {
		return nil, 0, 0, wrap(c.Engine(), fmt.Errorf("guest: frame %d: %w", c.client.Result().Frames, err))
	}
	return pix, int(d.Width), int(d.Height), nil
}

// upload packs the frame and writes it into the frame texture.
func (c *Cart) upload() {
	start := time.Now()
	var pix []byte
	var w, h int
	// A frame of a format with alpha is often opaque throughout (the Go
	// demo's is): then it is drawn as one without, and DrawOver's shader
	// is not compiled (on a page, a shader compile on the first frame's
	// way, and the shader compiler's functions made hot enough for the
	// browser to optimise them on other threads, seconds of CPU). The
	// core that runs the cart says so with the frame, worked out where
	// the cart runs (in the browser, its Web Worker, not the page's
	// thread); a frame of the rewind history is looked at here.
	if c.rewind != nil && c.rewind.active {
		pix, w, h = c.rewind.image()
		c.opaque = framebuffer.Opaque(pix)
	} else {
		var err error
		if pix, w, h, err = c.frame(); err != nil {
			c.err = err
			return
		}
		c.opaque = c.client.Result().Opaque
	}
	c.writeImage(pix, w, h)
	c.dirty = false
	c.stats.upload.add(time.Since(start))
}

// Screen is what a frame is drawn onto: an *ebiten.Image, or the
// ebiten.FinalScreen a game's DrawFinalScreen is given (a game may draw
// the frame straight onto the window there, skipping a pass over its
// screen image).
type Screen interface {
	DrawImage(img *ebiten.Image, op *ebiten.DrawImageOptions)
	DrawRectShader(width, height int, shader *ebiten.Shader, op *ebiten.DrawRectShaderOptions)
}

// Draw draws the cart's frame onto dst with op, as dst.DrawImage would
// (nil op: at the origin, unscaled). The filter defaults to nearest, for
// crisp pixels. With Options.EbitenInput, the mouse is mapped into the
// frame through op.GeoM.
func (c *Cart) Draw(dst Screen, op *ebiten.DrawImageOptions) {
	img := c.Image()
	if img == nil {
		return
	}
	o := &c.drawOp // dst may be an interface's: a local would escape
	*o = ebiten.DrawImageOptions{}
	if op != nil {
		*o = *op
	}
	c.setDrawn(o.GeoM)
	dst.DrawImage(img, o)
}

// setDrawn records where the frame was drawn, to map the mouse into it.
func (c *Cart) setDrawn(m ebiten.GeoM) {
	c.drawInv = m
	c.drawInv.Invert()
	c.drawInvOK = m.IsInvertible()
}

// DrawOver draws the cart's frame onto dst like Draw, but composited over
// a solid colour instead of over what dst held: where the frame is
// translucent, under shows through. It takes one pass over the frame's
// area where filling it and then drawing would take two. op's GeoM and
// ColorScale apply; its Blend and Filter do not (pixels are nearest, and
// replace dst's).
func (c *Cart) DrawOver(dst Screen, op *ebiten.DrawImageOptions, under color.Color) {
	img := c.Image()
	if img == nil {
		return
	}
	shader, err := overShader()
	if err != nil {
		panic(err) // the shader is a constant: a failure is a bug
	}
	if c.over == nil {
		c.over = &ebiten.DrawRectShaderOptions{Blend: ebiten.BlendCopy, Uniforms: map[string]any{"Under": make([]float32, 4)}}
	}
	o := c.over
	o.GeoM, o.ColorScale = ebiten.GeoM{}, ebiten.ColorScale{}
	if op != nil {
		o.GeoM, o.ColorScale = op.GeoM, op.ColorScale
	}
	r, g, b, a := under.RGBA()
	u := o.Uniforms["Under"].([]float32)
	u[0], u[1], u[2], u[3] = float32(r)/0xffff, float32(g)/0xffff, float32(b)/0xffff, float32(a)/0xffff
	o.Images[0] = img
	c.setDrawn(o.GeoM)
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dst.DrawRectShader(w, h, shader, o)
	o.Images[0] = nil
}

// overSource composites the frame (premultiplied, nearest) over the
// premultiplied colour Under.
const overSource = `//kage:unit pixels
package main

var Under vec4

func Fragment(dst vec4, src vec2, color vec4) vec4 {
	c := imageSrc0At(src) * color
	return c + Under*(1-c.a)
}
`

var overShader = sync.OnceValues(func() (*ebiten.Shader, error) {
	return ebiten.NewShader([]byte(overSource))
})

// Size returns the size of the cart's frame in pixels, which a cart may
// change from one update to the next.
func (c *Cart) Size() (width, height int) {
	d := c.client.Result().Desc
	return int(d.Width), int(d.Height)
}

// Snapshot returns a copy of the cart's current frame, premultiplied RGBA
// at its native size, for screenshots and thumbnails. It needs no GPU.
// After the cart has stopped with an error it is the frame as the cart's
// memory held it then (an update that failed may have drawn only part of
// it), or an error where that memory is gone; while an update is not
// responding (NotResponding), an error: the frame is half drawn; after
// Close, ErrClosed.
func (c *Cart) Snapshot() (*image.RGBA, error) {
	if c.closed {
		return nil, ErrClosed
	}
	var pix []byte
	var w, h int
	if c.rewind != nil && c.rewind.active {
		pix, w, h = c.rewind.image()
	} else {
		var err error
		if pix, w, h, err = c.frame(); err != nil {
			if c.err != nil {
				return nil, errors.New("cart: the stopped cart's frame went with its memory")
			}
			return nil, err
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	copy(img.Pix, pix)
	return img, nil
}

// maxPages is Options.MaxMemory in whole pages, rounded up: a cap under
// a page is one page, not none (0 is the default's 256 MiB).
func maxPages(bytes uint64) uint32 {
	pages := bytes >> 16
	if bytes&0xffff != 0 {
		pages++
	}
	return uint32(min(pages, 65536))
}

// Frames returns the number of updates the cart has run; while it is
// rewound (Rewind), the number of the frame shown, which the next Update
// plays on from.
func (c *Cart) Frames() int {
	if r := c.rewind; r != nil && r.active {
		return int(r.pos)
	}
	return int(c.client.Result().Frames)
}

// Err returns the error that stopped the cart, or nil while it runs.
func (c *Cart) Err() error { return c.err }

// RecordingLost is why a cart that recorded has no recording now, nil
// if it has one: a state loaded that this session did not save (one from
// a file or an earlier run) put the cart where no replay from its start
// leads.
func (c *Cart) RecordingLost() error { return c.recLost }

// MemorySize returns the size of the cart's linear memory in bytes, 0
// after Close, which frees it.
func (c *Cart) MemorySize() uint64 {
	if c.closed {
		return 0 // freed
	}
	return c.client.Result().MemSize
}

// Close stops the cart and frees its memory, its worker and its frame
// texture.
func (c *Cart) Close() error {
	if c.img != nil {
		c.img.Deallocate()
		c.img = nil
	}
	if c.sound != nil {
		c.sound.close()
		c.sound = nil
	}
	// Even after a failure: the cart is gone, which is what calls now say;
	// an update left running (NotResponding) ends with its worker.
	c.err, c.closed, c.slow = ErrClosed, true, false
	err := c.client.Close() // its last saves come first
	if c.saver != nil {
		c.saver.close()
	}
	return err
}
