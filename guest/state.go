package guest

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/digest"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// A save state holds everything a cart's future depends on: its linear
// memory, every mutable global (the core exports them all at load, see
// wasmbin.ExportGlobals), and the core's own state (the frame counter, the
// clocks, the generator, the log's rate limit, the disk). It is the same
// on every engine, so a state saved in the browser loads on the desktop.
// Tables are not saved: a cart that changes its tables at run time
// (table.set, table.grow) may not come back exactly.
//
// The format, all little-endian: the magic, a u32 format version, the
// cart's SHA-256, then the codec's fields (see encodeState); the memory is
// a bitmap of its non-zero 4 KiB chunks followed by those chunks.

// StateMagic starts every save state.
const StateMagic = "ebicart-state\n"

// StateVersion is the format version of save states this core writes and
// reads; another is refused.
const StateVersion = 1

// stateChunk is the unit of the memory's zero elision.
const stateChunk = 4096

// StateError reports a save state that cannot be loaded into this cart.
type StateError struct{ Reason string }

// Error says why.
func (e *StateError) Error() string { return "guest: cannot load the state: " + e.Reason }

// CartHash is the hex SHA-256 of a cart's bytes, which save states and
// replays name their cart by.
func CartHash(wasm []byte) string {
	h := digest.Sum256(wasm)
	return hex.EncodeToString(h[:])
}

// CartHashWait is CartHash for a host about to load the cart, the same
// hash. It is the sum noted for these bytes (digest.Note: the page's
// first cart, hashed while the host started), else, in the browser, the
// browser's own SHA-256 (crypto.subtle, where the page is a secure
// context: https or localhost), waited for: like a load, which waits for
// the cart's worker, it must not be called on a syscall/js callback's
// goroutine.
func CartHashWait(wasm []byte) string {
	h, ok := digest.Noted(wasm)
	if !ok {
		h = waitSum256(wasm)
	}
	return hex.EncodeToString(h[:])
}

// SaveState returns the cart's state.
func (c *Core) SaveState() ([]byte, error) {
	state, _, err := c.saveState(false)
	return state, err
}

// saveState returns the cart's state; with shared, one that stops short
// of the memory's chunks, for a host that reads them from the memory it
// shares, and where in it the memory's size is.
func (c *Core) saveState(shared bool) ([]byte, int, error) {
	if c.err != nil {
		return nil, 0, c.err
	}
	if c.stateErr != nil {
		return nil, 0, c.stateErr
	}
	e := encoder{b: c.stateBuf[:0]}
	e.b = append(e.b, StateMagic...)
	e.u32(StateVersion)
	e.b = append(e.b, c.hash[:]...)
	e.u8(uint8(c.sys.Mode()))
	e.u32(c.frames)
	e.u64(c.clock.start)
	e.u64(c.clock.mono)
	rng, _ := c.clock.rng.MarshalBinary()
	e.bytes(rng)
	e.u64(math.Float64bits(c.log.tokens))
	e.u64(c.log.last)
	e.u8(b2u(c.log.started))
	e.u32(uint32(c.log.dropped))
	e.bytes(c.disk)
	e.u8(c.flags)
	e.u32(uint32(len(c.globals)))
	for _, g := range c.globals {
		e.u32(g.Index)
		e.u8(byte(g.Type))
		e.u64(c.inst.Global(g.Export, g.Type).Get())
	}
	mem := c.View()
	memOff := len(e.b)
	e.u64(uint64(len(mem)))
	chunks := (len(mem) + stateChunk - 1) / stateChunk
	bitmap := make([]byte, (chunks+7)/8)
	var zero [stateChunk]byte
	for i := range chunks {
		chunk := mem[i*stateChunk : min(len(mem), (i+1)*stateChunk)]
		if !bytes.Equal(chunk, zero[:len(chunk)]) {
			bitmap[i/8] |= 1 << (i % 8)
		}
	}
	e.bytes(bitmap)
	if !shared {
		e.b = appendChunks(e.b, mem, bitmap)
	}
	c.stateBuf = e.b // reused: the caller copies the state out before the next
	return e.b, memOff, nil
}

// appendChunks appends the chunks of mem that bitmap marks.
func appendChunks(b, mem, bitmap []byte) []byte {
	for i := 0; i*stateChunk < len(mem); i++ {
		if bitmap[i/8]&(1<<(i%8)) != 0 {
			b = append(b, mem[i*stateChunk:min(len(mem), (i+1)*stateChunk)]...)
		}
	}
	return b
}

// completeState appends to a state saveState(true) made the memory's
// chunks, read from mem, the memory the host shares; memOff is where the
// memory's size is.
func completeState(state []byte, memOff int, mem []byte) ([]byte, error) {
	d := &decoder{b: state[memOff:]}
	size := d.u64("memory size")
	bitmap := d.bytes("memory bitmap")
	if err := d.end(); err != nil || size > uint64(len(mem)) || uint64(len(bitmap)) != (size/stateChunk+7)/8 {
		return nil, fmt.Errorf("guest: a state of %d bytes of memory, %d shared: %w", size, len(mem), errMalformed)
	}
	return appendChunks(state, mem[:size], bitmap), nil
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// LoadState makes the cart what state says: a cart of the same bytes
// saved it, with this format version. The cart's instance is renewed when
// its memory has grown past the state's, since memory cannot shrink.
// Nothing the cart reports while it is renewed (its start section) is
// passed on, and the save file is not touched: the disk in the state
// reaches the host at the cart's next disk write.
func (c *Core) LoadState(state []byte) error {
	if c.inst == nil {
		return ErrClosed
	}
	if c.stateErr != nil {
		return &StateError{c.stateErr.Error()}
	}
	s, err := c.decodeState(state)
	if err != nil {
		return err
	}
	if c.err != nil && c.importsMemory {
		// A new instance would find its memory freed with the old one:
		// the cart package boots the cart again for the state instead.
		return fmt.Errorf("guest: a stopped cart whose memory it imports takes a state only once booted again (%w)", c.err)
	}
	if c.inst.Memory().Size() > s.memSize || c.err != nil {
		// A stopped cart (a trap, a deadline in this process) or one whose
		// memory grew: a new instance, its start section run quietly.
		out := c.out
		c.out = Output{}
		ctx, cancel := c.deadline()
		err := c.inst.Renew(ctx)
		cancel()
		c.out = out
		if err != nil {
			c.err = c.callError("instantiate", err)
			return c.err
		}
		c.instGone = false // a new instance, with its memory
	}
	m := c.inst.Memory()
	if size := m.Size(); size < s.memSize {
		if !m.Grow(uint32((s.memSize - size) >> 16)) {
			return &StateError{fmt.Sprintf("the state's memory of %s does not fit within this cart's limit of %s (max-memory, which holds its stack too): raise the limit to load it",
				bytesize.Text(s.memSize), bytesize.Text(uint64(c.cfg.maxPages())<<16))}
		}
	}
	if m.Size() != s.memSize {
		return &StateError{fmt.Sprintf("memory is %d bytes, the state's %d", m.Size(), s.memSize)}
	}
	// Every chunk is written, zeros too: a renewed memory may hold the
	// old bytes (a worker's shared memory does).
	var zero [stateChunk]byte
	for i, off := 0, 0; uint64(i*stateChunk) < s.memSize; i++ {
		end := min(uint64(i+1)*stateChunk, s.memSize)
		n := int(end - uint64(i*stateChunk))
		chunk := zero[:n]
		if s.bitmap[i/8]&(1<<(i%8)) != 0 {
			chunk = s.mem[off : off+n]
			off += n
		}
		m.Write(uint32(i*stateChunk), chunk)
	}
	for _, g := range s.globals {
		c.inst.Global(g.Export, g.Type).Set(g.value)
	}
	if c.stack != nil {
		// The stack budget is one of the mutable globals a state holds:
		// between calls it is always whole, and a state (a file someone
		// sent) must not set it.
		c.stack.Set(StackBytes)
	}
	c.frames = s.frames
	c.clock.start, c.clock.mono = s.start, s.mono
	c.clock.rng.UnmarshalBinary(s.rng) // decodeState checked it
	c.log.tokens, c.log.last, c.log.started, c.log.dropped = s.tokens, s.last, s.started, s.dropped
	c.disk = s.disk
	c.flags = s.flags
	c.tones = c.tones[:0]
	c.err = nil
	c.hasPrev = false // the next frame counts as changed
	d, flags, err := c.sys.After(c)
	if err == nil {
		c.flags = flags
		err = c.useDescriptor(d)
	}
	if err != nil {
		c.err = err
	}
	return err
}

// decodedState is a state read back.
type decodedState struct {
	frames      uint32
	start, mono uint64
	rng         []byte
	tokens      float64
	last        uint64
	started     bool
	dropped     int
	disk        []byte
	flags       uint8
	globals     []stateGlobal
	memSize     uint64
	bitmap, mem []byte
}

type stateGlobal struct {
	wasmbin.Global
	value uint64
}

func (c *Core) decodeState(state []byte) (*decodedState, error) {
	if !bytes.HasPrefix(state, []byte(StateMagic)) {
		return nil, &StateError{"not an ebicart save state"}
	}
	d := &decoder{b: state[len(StateMagic):]}
	if v := d.u32("version"); d.err == nil && v != StateVersion {
		return nil, &StateError{fmt.Sprintf("it is of format version %d; this ebicart reads version %d: load it with the ebicart that saved it", v, StateVersion)}
	}
	hash := d.take(32, "cart hash")
	if d.err == nil && !bytes.Equal(hash, c.hash[:]) {
		return nil, &StateError{fmt.Sprintf("the state is for cart sha256:%x, this cart is sha256:%x", hash, c.hash)}
	}
	if m := Mode(d.u8("mode")); d.err == nil && m != c.sys.Mode() {
		return nil, &StateError{fmt.Sprintf("the state is of a cart run as %s, this one runs as %s", m, c.sys.Mode())}
	}
	s := &decodedState{}
	if s.frames = d.u32("frames"); d.err == nil && s.frames >= 1<<31 {
		// Over a year of play at 60 updates a second: no state ebicart
		// wrote, and one that would wrap the counter (and the clocks).
		return nil, &StateError{fmt.Sprintf("its frame counter %d is past 2^31 (a year of play): not a state ebicart wrote", s.frames)}
	}
	s.start, s.mono = d.u64("start"), d.u64("mono")
	s.rng = append([]byte(nil), d.bytes("generator")...)
	if d.err == nil && new(rand.ChaCha8).UnmarshalBinary(s.rng) != nil {
		// Loaded anyway, it would leave the generator where it was: runs
		// from the state would differ from one another.
		return nil, &StateError{"its random generator's state is malformed: not a state ebicart wrote"}
	}
	s.tokens = math.Float64frombits(d.u64("log tokens"))
	s.last = d.u64("log time")
	s.started = d.u8("log started") == 1
	s.dropped = int(d.u32("log dropped"))
	if s.disk = append([]byte(nil), d.bytes("disk")...); len(s.disk) > DiskSize {
		d.fail("disk")
	}
	s.flags = d.u8("flags")
	n := d.u32("globals")
	if d.err == nil && int(n) != len(c.globals) {
		return nil, &StateError{fmt.Sprintf("it holds %d globals, this cart has %d", n, len(c.globals))}
	}
	for i := range c.globals {
		g := stateGlobal{Global: c.globals[i]}
		idx, typ := d.u32("global index"), wasmbin.ValType(d.u8("global type"))
		g.value = d.u64("global value")
		if d.err == nil && (idx != g.Index || typ != g.Type) {
			return nil, &StateError{fmt.Sprintf("global %d of the state is not this cart's", i)}
		}
		s.globals = append(s.globals, g)
	}
	s.memSize = d.u64("memory size")
	if d.err == nil && s.memSize%65536 != 0 {
		return nil, &StateError{fmt.Sprintf("its memory of %d bytes is not whole pages: not a state ebicart wrote", s.memSize)}
	}
	if limit := uint64(c.cfg.maxPages()) << 16; d.err == nil && s.memSize > limit {
		return nil, &StateError{fmt.Sprintf("its memory of %s is more than this cart's limit of %s (max-memory): raise the limit to load it", bytesize.Text(s.memSize), bytesize.Text(limit))}
	}
	chunks := (s.memSize + stateChunk - 1) / stateChunk
	s.bitmap = d.bytes("memory bitmap")
	if d.err == nil && uint64(len(s.bitmap)) != (chunks+7)/8 {
		d.fail("memory bitmap")
	}
	ones := 0
	for _, b := range s.bitmap {
		for ; b != 0; b &= b - 1 {
			ones++
		}
	}
	s.mem = d.take(uint64(ones)*stateChunk, "memory")
	if err := d.end(); err != nil {
		return nil, &StateError{err.Error()}
	}
	return s, nil
}
