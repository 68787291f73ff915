package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrecompressedServing: after Precompress, Handler sends a file's .gz
// to a client that accepts gzip, with the file's type and
// Content-Encoding, and the file itself to one that does not.
func TestPrecompressedServing(t *testing.T) {
	dir := t.TempDir()
	wasm := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00"), 4096)
	os.WriteFile(filepath.Join(dir, "ebicart.wasm"), wasm, 0o644)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(strings.Repeat("<p>hello</p>", 100)), 0o644)
	os.WriteFile(filepath.Join(dir, "seed.png"), []byte("not compressed"), 0o644)
	prepared := bytes.Repeat([]byte("rewritten\x00"), 4096)
	os.WriteFile(filepath.Join(dir, "demo.wasm.prepared"), prepared, 0o644)
	if err := Precompress(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "seed.png.gz")); err == nil {
		t.Fatal("a .png was compressed")
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	tests := []struct {
		path, accept, wantType, wantEncoding string
		want                                 []byte
	}{
		{"/ebicart.wasm", "gzip, deflate, br", "application/wasm", "gzip", wasm},
		{"/ebicart.wasm", "br;q=1.0, gzip;q=0.5", "application/wasm", "gzip", wasm},
		{"/ebicart.wasm", "", "application/wasm", "", wasm},
		{"/ebicart.wasm", "gzip;q=0", "application/wasm", "", wasm},
		{"/", "gzip", "text/html; charset=utf-8", "gzip", []byte(strings.Repeat("<p>hello</p>", 100))},
		{"/seed.png", "gzip", "image/png", "", []byte("not compressed")},
		{"/demo.wasm.prepared", "gzip", "application/octet-stream", "gzip", prepared},
		{"/demo.wasm.prepared", "", "application/octet-stream", "", prepared},
	}
	for _, tc := range tests {
		t.Run(tc.path+" "+tc.accept, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
			req.Header.Set("Accept-Encoding", tc.accept) // set: the transport does not decompress
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if got := resp.Header.Get("Content-Encoding"); got != tc.wantEncoding {
				t.Fatalf("Content-Encoding %q, want %q", got, tc.wantEncoding)
			}
			if got := resp.Header.Get("Content-Type"); got != tc.wantType {
				t.Fatalf("Content-Type %q, want %q", got, tc.wantType)
			}
			if tc.wantEncoding == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(body, tc.want) {
				t.Fatalf("body of %d bytes, want the file's %d", len(body), len(tc.want))
			}
		})
	}
}
