package guest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/safetext"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// rewritten is what Boot makes of a cart's bytes before its engine sees
// them: its tables capped, its call stack bounded, its start section made
// an export, and its mutable globals exported for save states (or why
// they cannot be).
type rewritten struct {
	wasm     []byte
	globals  []wasmbin.Global
	stateErr error
	err      error // the cart cannot be rewritten: Boot fails with it
}

// rewriteKey is what a rewrite depends on.
type rewriteKey struct {
	hash      [32]byte
	tables    string // the tables' caps
	unbounded bool
}

// rewrites keeps the last rewrite made in this program, or the one being
// made: a cart booted again (a restart) or one a worker prepared before
// its boot asked (Prepare) is not rewritten twice. In the browser the
// rewrites of a 1.9 MB Go cart take 0.1-0.2 s of a worker's first
// seconds.
var rewrites struct {
	sync.Mutex
	last *rewriteEntry
}

type rewriteEntry struct {
	key  rewriteKey
	done chan struct{}
	r    rewritten
}

// rewrite returns wasm (whose hash is hash) rewritten for caps, made once
// for the last key asked for.
// A store, when not nil, keeps it for the next process.
func rewrite(hash [32]byte, wasm []byte, caps cartCaps, unbounded bool, store RewriteCache) rewritten {
	key := rewriteKey{hash: hash, tables: fmt.Sprint(caps.tables), unbounded: unbounded}
	rewrites.Lock()
	if e := rewrites.last; e != nil && e.key == key {
		rewrites.Unlock()
		<-e.done
		return e.r
	}
	e := &rewriteEntry{key: key, done: make(chan struct{})}
	rewrites.last = e
	rewrites.Unlock()
	defer close(e.done)
	if store != nil {
		if r, ok := store.load(key); ok {
			e.r = r
			return e.r
		}
	}
	e.r = rewriteNow(wasm, caps, unbounded)
	if store != nil {
		store.save(key, e.r)
	}
	return e.r
}

// rewritesMade counts rewriteNow's rewrites, for the tests.
var rewritesMade atomic.Int64

// RewritesMade returns how many rewrites of carts this program made
// itself, rather than taking one kept or prepared (PrepareRewrite): a
// browser worker says it to DevTools and the tests.
func RewritesMade() int64 { return rewritesMade.Load() }

// rewriteNow makes the rewrite.
func rewriteNow(wasm []byte, caps cartCaps, unbounded bool) rewritten {
	rewritesMade.Add(1)
	wasm = wasmbin.CleanCustom(wasm)
	var err error
	if len(caps.tables) > 0 {
		if wasm, err = wasmbin.CapTables(wasm, caps.tables); err != nil {
			return rewritten{err: fmt.Errorf("guest: %w", err)}
		}
	}
	if !unbounded {
		bounded, ok, err := wasmbin.BoundStack(wasm, StackBytes)
		if err != nil {
			return rewritten{err: fmt.Errorf("guest: %w", err)}
		}
		if !ok {
			// An instruction past WebAssembly 2.0 (a tail call, a
			// throw, an atomic): the desktop's engine refuses it, and
			// the browser's would run the cart without the stack bound.
			return rewritten{err: fmt.Errorf("guest: the cart uses an instruction past WebAssembly 2.0: %s", engine.ProposalAdvice)}
		}
		wasm = bounded
	}
	// Fewer data segments: engines decode and apply each one, and Go's
	// linker writes tens of thousands.
	if merged, err := wasmbin.MergeData(wasm); err == nil {
		wasm = merged
	}
	// The start section becomes a call the core makes (Boot): alike on
	// every engine.
	if wasm, err = wasmbin.ExportStart(wasm); err != nil {
		return rewritten{err: fmt.Errorf("guest: %w", err)}
	}
	out, globals, err := wasmbin.ExportGlobals(wasm)
	if err != nil {
		return rewritten{wasm: wasm, stateErr: fmt.Errorf("guest: this cart's state cannot be saved: %w", err)}
	}
	return rewritten{wasm: out, globals: globals}
}

// compileKey names the module an engine compiles for a rewrite and a
// memory cap (engine.Spec.Key).
func compileKey(k rewriteKey, pages uint32) string {
	return fmt.Sprintf("%x/%s/%t/%d", k.hash, k.tables, k.unbounded, pages)
}

// reservedExport starts the names of the exports the host adds to a cart
// (wasmbin.StackExport, wasmbin.StartExport, wasmbin.GlobalExportPrefix):
// a cart's own may not.
const reservedExport = "ebicart:"

// CheckHeader returns Boot's error for a cart whose first bytes are not
// those of a WebAssembly module ("guest: not a WebAssembly module ..."),
// else nil: a check that costs nothing, made before a worker starts.
func CheckHeader(wasm []byte) error {
	if err := wasmbin.CheckHeader(wasm); err != nil {
		return fmt.Errorf("guest: %w", err)
	}
	return nil
}

// checkExports refuses a cart whose exports, with those the rewrite adds
// (its stack bound, its start function, its mutable globals), would be
// more than browsers' engines compile: wazero would run it, and the
// browser refuse its rewrite.
func checkExports(m *wasmbin.Module) error {
	added, what := 1, []string{"stack bound"} // wasmbin.StackExport
	if m.StartSection {
		added++
		what = append(what, "start function")
	}
	if m.MutableGlobals > 0 {
		added += m.MutableGlobals
		what = append(what, "mutable globals")
	}
	if n := len(m.Exports); n+added > wasmbin.MaxExports {
		list := what[len(what)-1]
		if len(what) > 1 {
			list = strings.Join(what[:len(what)-1], ", ") + " and " + list
		}
		return fmt.Errorf("guest: the cart has %d exports and the host adds %d as it loads it (its %s): more than the %d browsers' engines compile: export fewer",
			n, added, list, wasmbin.MaxExports)
	}
	return nil
}

// checked is a cart read and checked as Boot does before it makes a core.
type checked struct {
	m    *wasmbin.Module
	sys  System
	ex   Exports
	caps cartCaps
	hash [32]byte
}

// check reads and checks wasm for cfg: its system's ABI, its imports of
// the core's modules, its memory against the cap.
func check(wasm []byte, cfg BootConfig, systems []System) (checked, error) {
	m, err := wasmbin.Parse(wasm)
	if err != nil {
		return checked{}, fmt.Errorf("guest: %w", err)
	}
	for _, ex := range m.Exports {
		if strings.HasPrefix(ex.Name, reservedExport) {
			return checked{}, fmt.Errorf("guest: export %s: names that start with %q are the host's (it adds them as it loads a cart): rename it", safetext.Name(ex.Name), reservedExport)
		}
	}
	if err := checkExports(m); err != nil {
		return checked{}, err
	}
	sys, err := pickSystem(m, cfg.Mode, systems)
	if err != nil {
		return checked{}, err
	}
	for _, im := range m.Imports {
		if IsCoreImport(im) {
			if err := checkCoreImport(im); err != nil {
				return checked{}, err
			}
		}
	}
	ex, err := sys.Check(m)
	if err != nil {
		return checked{}, err
	}
	// What a WebAssembly 2.0 module cannot have, refused here for every
	// engine: the browser's takes them, and a second memory would escape
	// the cap, which applies to the first.
	if n := len(m.Memories) + m.ImportedMemories(); n > 1 {
		return checked{}, fmt.Errorf("guest: the cart has %d memories (multi-memory): %s", n, engine.ProposalAdvice)
	}
	if m.Tags > 0 {
		return checked{}, fmt.Errorf("guest: the cart defines exception tags (exception handling): %s", engine.ProposalAdvice)
	}
	for i, t := range m.Tables {
		i += m.ImportedTables()
		if t.Is64 {
			return checked{}, fmt.Errorf("guest: table %d is 64-bit (memory64's table64): %s", i, engine.ProposalAdvice)
		}
		if t.Init {
			return checked{}, fmt.Errorf("guest: table %d has an initial value expression (the function references proposal): %s", i, engine.ProposalAdvice)
		}
	}
	l, hasMemory := m.Memory()
	if hasMemory && l.Shared {
		return checked{}, fmt.Errorf("guest: the cart's memory is shared (threads): %s", engine.ProposalAdvice)
	}
	if hasMemory && l.Min > uint64(cfg.maxPages()) {
		// What to do: a larger max-memory, unless none is large enough
		// (a wasm32 memory of 65,536 pages is refused, see flags.go).
		fix := "give it more max-memory"
		if l.Min > 65535 {
			fix = "ebicart runs no cart of more than 65535 pages (4095.9375 MiB): build it with a smaller memory"
		}
		return checked{}, fmt.Errorf("guest: memory declares %d pages (%s), more than the limit of %s (%s, max-memory): %s", l.Min, bytesize.Text(uint64(l.Min)<<16), pages(cfg.maxPages()), bytesize.Text(uint64(cfg.maxPages())<<16), fix)
	}
	caps, err := capCart(m, cfg.maxPages())
	if err != nil {
		return checked{}, err
	}
	// An element segment past its table fails instantiation everywhere
	// but on wazero, which skips it and runs the cart.
	if err := wasmbin.CheckElements(wasm, m); err != nil {
		return checked{}, fmt.Errorf("guest: %w", err)
	}
	// What browsers' engines run and wazero refuses.
	if err := wasmbin.CheckConstExprs(wasm, m); err != nil {
		return checked{}, fmt.Errorf("guest: %w: %s", err, engine.ProposalAdvice)
	}
	return checked{m: m, sys: sys, ex: ex, caps: caps, hash: waitSum256(wasm)}, nil
}

// prepared keeps the check of the cart Prepare was last given, with its
// bytes, which Prepare's caller does not change: Boot compares a cart's
// bytes with them (a few milliseconds for a 1.9 MB cart in the browser)
// instead of parsing and hashing it again (tens of milliseconds there, on
// the way to the first frame).
var prepared struct {
	sync.Mutex
	wasm    []byte
	mode    Mode
	pages   uint32
	systems []System
	ck      checked
}

// checkBoot is check for Boot: the check Prepare made, if it was of the
// same bytes with the same settings.
func checkBoot(wasm []byte, cfg BootConfig, systems []System) (checked, error) {
	prepared.Lock()
	p := &prepared
	same := p.wasm != nil && p.mode == cfg.Mode && p.pages == cfg.maxPages() &&
		len(p.systems) == len(systems) && (len(systems) == 0 || &p.systems[0] == &systems[0]) &&
		bytes.Equal(p.wasm, wasm)
	ck := p.ck
	prepared.Unlock()
	if same {
		checksReused.Add(1)
		return ck, nil
	}
	return check(wasm, cfg, systems)
}

// checksReused counts the checks checkBoot found made, for the tests.
var checksReused atomic.Int64

// Prepare does ahead of time the work of booting wasm with cfg that
// depends on nothing else: reading and checking the cart, rewriting it,
// and compiling it where the engine keeps what it compiled
// (engine.Precompiler), or taking its rewrite from opts.Rewrites. A Boot
// of the same cart with the same settings
// then finds that work done, or waits for it to finish. A worker calls it
// with the cart it expects to be asked to boot (the page's first cart,
// downloaded while the host loads), and must not change wasm after.
// Errors are left to the Boot.
func Prepare(ctx context.Context, eng engine.Engine, wasm []byte, cfg BootConfig, opts CoreOptions) {
	prepare(ctx, eng, wasm, cfg, opts)
}

// prepare is Prepare, and returns the cart's hash.
func prepare(ctx context.Context, eng engine.Engine, wasm []byte, cfg BootConfig, opts CoreOptions) [32]byte {
	ck, err := check(wasm, cfg, opts.Systems)
	if err != nil {
		return waitSum256(wasm) // a boot says what is wrong with it
	}
	prepared.Lock()
	prepared.wasm, prepared.mode, prepared.pages, prepared.systems, prepared.ck = wasm, cfg.Mode, cfg.maxPages(), opts.Systems, ck
	prepared.Unlock()
	rw := rewrite(ck.hash, wasm, ck.caps, opts.unboundedStack, opts.Rewrites)
	if rw.err != nil {
		return ck.hash
	}
	if p, ok := eng.(engine.Precompiler); ok {
		key := rewriteKey{hash: ck.hash, tables: fmt.Sprint(ck.caps.tables), unbounded: opts.unboundedStack}
		p.Precompile(ctx, engine.Spec{Wasm: rw.wasm, Module: ck.m, MaxPages: ck.caps.pages, Key: compileKey(key, ck.caps.pages)})
	}
	return ck.hash
}

// pages is n pages, in words: "1 page", "4096 pages".
func pages(n uint32) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}
