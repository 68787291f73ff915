//go:build !js

package integration

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPageWeight: the browser's host weighs at most the no-op Ebitengine
// page's wasm and 2 MiB, both built the same way; the page compiles it
// while it downloads, compressed, from the network's own response (bytes
// passed through JavaScript on their way cost the page's thread); and a
// server that sends wasm as another type still gets a page that plays.
func TestPageWeight(t *testing.T) {
	base := site(t)
	size := func(name string) int64 {
		st, err := os.Stat(filepath.Join(siteDir, name))
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	host, noop, worker := size("ebicart.wasm"), size("noop/noop.wasm"), size("cartworker.wasm")
	t.Logf("host %d bytes, no-op page %d (+%d, budget +%d), cart worker %d", host, noop, host-noop, 2<<20, worker)
	if host > noop+2<<20 {
		t.Errorf("the host is %d bytes, %d more than the no-op page's %d: the budget is 2 MiB more", host, host-noop, noop)
	}
	if worker > 4<<20 {
		t.Errorf("the cart worker is %d bytes: it was 3.9 MB when this test was written", worker)
	}

	p := openPage(t, "?cart=carts/seed.wasm")
	p.reloadWith(`(() => {
	  const streaming = WebAssembly.instantiateStreaming;
	  WebAssembly.instantiateStreaming = async function (source, imports) {
	    const r = await source;
	    (window.streamedFrom = window.streamedFrom || []).push(r.url || 'a response made on the page');
	    return streaming.call(this, r, imports);
	  };
	})()`)
	p.waitCart("seed")
	if got := eval[string](p, `document.documentElement.dataset.compile`); got != "streaming" {
		t.Errorf("the host compiled %q, want while streaming", got)
	}
	// The host's address names the site's build (?build=).
	if got, want := eval[[]string](p, `window.streamedFrom || []`), base+"/ebicart.wasm?build="; len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("instantiateStreaming was given %q, want the network's response for %s...", got, want)
	}
	type entry struct{ Encoded, Decoded float64 }
	e := eval[entry](p, `(() => { const e = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/ebicart.wasm');
		return {encoded: e.encodedBodySize, decoded: e.decodedBodySize}; })()`)
	if e.Decoded != float64(host) || e.Encoded > e.Decoded/2 {
		t.Errorf("the host came as %.0f bytes for %.0f, want it compressed to at most half", e.Encoded, e.Decoded)
	}

	// A server that sends wasm as a plain download, uncompressed.
	files := http.FileServer(http.Dir(siteDir))
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		files.ServeHTTP(w, r)
	}))
	defer plain.Close()
	q := openPageAt(t, plain.URL, "?cart=carts/seed.wasm", desktop)
	q.waitCart("seed")
	if got := eval[string](q, `document.documentElement.dataset.compile`); got != "whole" {
		t.Errorf("with wasm sent as application/octet-stream the host compiled %q, want whole", got)
	}
}

// TestLoadingScreenCountsSeconds: while the host downloads slowly, the
// loading screen counts the seconds, so that a slow start shows it is
// alive; once the rest arrives, the cart plays.
func TestLoadingScreenCountsSeconds(t *testing.T) {
	site(t)
	release := make(chan struct{})
	files := http.FileServer(http.Dir(siteDir))
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ebicart.wasm" {
			files.ServeHTTP(w, r)
			return
		}
		host, err := os.ReadFile(filepath.Join(siteDir, "ebicart.wasm"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Set("Content-Length", strconv.Itoa(len(host)))
		w.Write(host[:1<<20])
		w.(http.Flusher).Flush()
		select { // the rest once the test has seen the count
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Write(host[1<<20:])
	}))
	defer slow.Close()
	var once sync.Once
	letRest := func() { once.Do(func() { close(release) }) }
	defer letRest()
	p := openPageAt(t, slow.URL, "?cart=carts/seed.wasm", desktop)
	p.wait(`/^loading the host… [0-9]+ s$/.test(document.getElementById('progress').textContent)`, 30*time.Second)
	p.screenshot() // for a person to look at, with EBICART_SHOTS
	letRest()
	p.waitCart("seed")
}
