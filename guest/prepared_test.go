//go:build !js

package guest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/digest"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// TestPreparedRewrite: the rewrite a site's build prepares for a large
// cart (PrepareRewrite) is the one a boot with the default settings makes,
// and a worker given it takes it for that cart and those settings only:
// not for another cart, another table cap, an unbounded stack, nor one cut
// short. (That it is the site's, whole, the worker checks by its SHA-256,
// which the site's build lists: TestWorkerPreparesFirstCart.) A small
// cart gets none.
func TestPreparedRewrite(t *testing.T) {
	demo, err := os.ReadFile("../assets/carts/demo.wasm")
	if err != nil {
		t.Fatal(err)
	}
	b, err := PrepareRewrite(demo)
	if err != nil {
		t.Fatal(err)
	}
	m, err := wasmbin.Parse(demo)
	if err != nil {
		t.Fatal(err)
	}
	caps, err := capCart(m, DefaultMaxPages)
	if err != nil {
		t.Fatal(err)
	}
	key := rewriteKey{hash: digest.Sum256(demo), tables: fmt.Sprint(caps.tables)}
	want := rewriteNow(demo, caps, false)
	got, ok := PreparedRewrite(b).load(key)
	if !ok || !bytes.Equal(got.wasm, want.wasm) || fmt.Sprint(got.globals) != fmt.Sprint(want.globals) {
		t.Fatalf("the prepared rewrite (taken: %v) is not the one a boot makes", ok)
	}
	other := key
	other.hash[0] ^= 1
	tables := key
	tables.tables += " "
	unbounded := key
	unbounded.unbounded = true
	changed := bytes.Clone(b)
	changed[len(preparedMagic)] ^= 1 // the cart it names
	for _, c := range []struct {
		name string
		b    []byte
		k    rewriteKey
	}{
		{"another cart", b, other},
		{"another table cap", b, tables},
		{"an unbounded stack", b, unbounded},
		{"of another cart", changed, key},
		{"cut short", b[:len(b)/2], key},
		{"no magic", b[1:], key},
	} {
		if _, ok := PreparedRewrite(c.b).load(c.k); ok {
			t.Errorf("%s: the prepared rewrite was taken", c.name)
		}
	}
	if _, err := PrepareRewrite(readTestdata(t, "good")); err == nil {
		t.Error("a small cart got a prepared rewrite")
	}
	// A worker given it boots the cart without a rewrite of its own.
	rewrites.Lock()
	rewrites.last = nil
	rewrites.Unlock()
	before := rewritesMade.Load()
	Prepare(context.Background(), refusing{}, demo, BootConfig{}, CoreOptions{Rewrites: PreparedRewrite(b)})
	if n := rewritesMade.Load() - before; n != 0 {
		t.Errorf("a worker given the prepared rewrite rewrote the cart %d times", n)
	}
	rewrites.Lock()
	rewrites.last = nil
	rewrites.Unlock()
	Prepare(context.Background(), refusing{}, demo, BootConfig{}, CoreOptions{Rewrites: PreparedRewrite(changed)})
	if n := rewritesMade.Load() - before; n != 1 {
		t.Errorf("a worker given a prepared rewrite of another cart rewrote the cart %d times, want 1", n)
	}
}

// refusing is an engine that instantiates nothing.
type refusing struct{}

func (refusing) Name() string { return "refusing" }
func (refusing) Instantiate(context.Context, engine.Spec) (engine.Instance, error) {
	return nil, errors.New("refusing: instantiates nothing")
}
