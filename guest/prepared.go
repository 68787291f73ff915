package guest

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/ebicart/ebicart/internal/digest"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// A site's build makes the rewrites of its own large carts ahead of time
// (PrepareRewrite), beside them; a browser worker given one with its cart
// (Server.Prepare) boots the cart without rewriting it. The rewrites of a
// 1.9 MB Go cart take a worker a third of a second, and the optimizing
// compiler a second more of a core for the rewriter's hot code, in the
// page's first second, when every core is busy starting the page.

// A prepared rewrite is preparedMagic, the key it is for (the cart's
// SHA-256, StackBytes as a u32, the tables' caps as a u32 length and
// text), the body's length (u32), then the body (encodeRewrite).

// preparedMagic starts a prepared rewrite; a change of format changes it.
const preparedMagic = "ebicart prepared rewrite 2\n"

// preparedMin is the size from which a site prepares a cart's rewrite:
// a smaller cart is rewritten in less time than a second file takes to
// fetch.
const preparedMin = 256 << 10

// PrepareRewrite returns wasm's rewrite for a boot with the default
// settings, made ahead for a browser worker (PreparedRewrite), or an
// error where there is none to make: a cart under 256 KiB (rewritten in
// less time than the file would take to fetch), or one that cannot be
// read or rewritten. (A cart a boot refuses for its imports or exports
// may get one: its boot fails before the rewrite is looked at.)
// It names the cart it is of and the rewriter's settings: a worker takes
// it only for that cart, rewritten with the settings it would use.
func PrepareRewrite(wasm []byte) ([]byte, error) {
	if len(wasm) < preparedMin {
		return nil, fmt.Errorf("guest: a cart of %d bytes is rewritten as fast as its rewrite is fetched", len(wasm))
	}
	m, err := wasmbin.Parse(wasm)
	if err != nil {
		return nil, fmt.Errorf("guest: %w", err)
	}
	cfg := BootConfig{}
	caps, err := capCart(m, cfg.maxPages())
	if err != nil {
		return nil, err
	}
	key := rewriteKey{hash: digest.Sum256(wasm), tables: fmt.Sprint(caps.tables)}
	r := rewriteNow(wasm, caps, false)
	switch {
	case r.err != nil:
		return nil, r.err
	case r.stateErr != nil:
		return nil, r.stateErr
	}
	b := append([]byte(preparedMagic), key.hash[:]...)
	b = binary.LittleEndian.AppendUint32(b, StackBytes)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(key.tables)))
	b = append(b, key.tables...)
	body, ok := encodeRewrite(r)
	if !ok {
		return nil, fmt.Errorf("guest: the rewrite's globals cannot be kept")
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...), nil
}

// PreparedRewrite returns a RewriteCache that holds the rewrite a site's
// build made (PrepareRewrite): a boot of the cart it is of, with the
// settings it was made with, takes it. b is kept. The caller checks that
// b is the site's (a browser worker compares its SHA-256 with the one the
// build wrote into cartworker.js): its body's own sum is not made again,
// which would cost a worker tens of milliseconds of a busy core.
func PreparedRewrite(b []byte) RewriteCache { return preparedRewrite(b) }

type preparedRewrite []byte

func (p preparedRewrite) load(k rewriteKey) (rewritten, bool) {
	b := []byte(p)
	if !bytes.HasPrefix(b, []byte(preparedMagic)) || k.unbounded {
		return rewritten{}, false
	}
	b = b[len(preparedMagic):]
	if len(b) < digest.Size+8 || !bytes.Equal(b[:digest.Size], k.hash[:]) {
		return rewritten{}, false
	}
	b = b[digest.Size:]
	stack, n := binary.LittleEndian.Uint32(b), int(binary.LittleEndian.Uint32(b[4:]))
	b = b[8:]
	if stack != StackBytes || n+4 > len(b) || string(b[:n]) != k.tables {
		return rewritten{}, false
	}
	b = b[n:]
	if size := binary.LittleEndian.Uint32(b); uint64(size) != uint64(len(b)-4) {
		return rewritten{}, false // cut short, or more
	}
	return decodeRewriteBody(b[4:], false)
}

func (preparedRewrite) save(rewriteKey, rewritten) {}

// A rewrite's body, as kept (rewriteStore) and prepared (PrepareRewrite):
// the SHA-256 of what follows it, the number of globals, each global's
// index (u32) and type (a byte), then the module.

// encodeRewrite encodes r's body; false where its globals are named
// otherwise than decodeRewrite names them.
func encodeRewrite(r rewritten) ([]byte, bool) {
	rest := binary.LittleEndian.AppendUint32(make([]byte, 0, 4+5*len(r.globals)+len(r.wasm)), uint32(len(r.globals)))
	for _, g := range r.globals {
		if g.Export != wasmbin.GlobalExportName(g.Index) {
			return nil, false
		}
		rest = append(binary.LittleEndian.AppendUint32(rest, g.Index), byte(g.Type))
	}
	rest = append(rest, r.wasm...)
	sum := digest.Sum256(rest)
	return append(sum[:], rest...), true
}

// decodeRewrite decodes a body encodeRewrite made, if it is whole.
func decodeRewrite(b []byte) (rewritten, bool) { return decodeRewriteBody(b, true) }

// decodeRewriteBody decodes a body encodeRewrite made; check checks its
// sum, else the caller has checked the bytes.
func decodeRewriteBody(b []byte, check bool) (rewritten, bool) {
	if len(b) < digest.Size+4 {
		return rewritten{}, false
	}
	sum, rest := b[:digest.Size], b[digest.Size:]
	if check {
		if got := digest.Sum256(rest); !bytes.Equal(got[:], sum) {
			return rewritten{}, false
		}
	}
	n := int(binary.LittleEndian.Uint32(rest))
	rest = rest[4:]
	if n > len(rest)/5 {
		return rewritten{}, false
	}
	globals := make([]wasmbin.Global, n)
	for i := range globals {
		idx := binary.LittleEndian.Uint32(rest[5*i:])
		globals[i] = wasmbin.Global{Index: idx, Type: wasmbin.ValType(rest[5*i+4]), Export: wasmbin.GlobalExportName(idx)}
	}
	return rewritten{wasm: rest[5*n:], globals: globals}, true
}
