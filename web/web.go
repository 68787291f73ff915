// Package web builds and serves ebicart's browser version: a static site of
// index.html, wasm_exec.js, the host compiled with GOOS=js GOARCH=wasm
// (ebicart.wasm), the program that runs each cart in a Web Worker
// (cartworker.wasm), a folder of carts, and embed/, the arcade example
// game (examples/embed) built for the browser. The site needs nothing from its
// server but static files, so it deploys to any static host (GitHub Pages,
// itch.io); Handler adds the headers a good server would.
package web

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ebicart/ebicart/assets"
)

// Carts lists the test carts the site ships in carts/ beside the ones of
// package assets, by their path in the repository.
var Carts = []string{
	"examples/formats/rgba8888p.wasm",
	"examples/formats/rgba8888.wasm",
	"examples/formats/rgb888.wasm",
	"examples/formats/xrgb8888.wasm",
	"examples/formats/rgb565.wasm",
	"examples/formats/indexed8.wasm",
	"examples/formats/indexed2.wasm",
}

// Build writes the site for the repository at root into out: it compiles
// the host for the browser and copies the page, wasm_exec.js from the Go
// installation, and the carts.
func Build(ctx context.Context, root, out string) error {
	if err := os.MkdirAll(filepath.Join(out, "carts"), 0o755); err != nil {
		return err
	}
	goroot, err := goEnv(ctx, root, "GOROOT")
	if err != nil {
		return err
	}
	// The host and the arcade example compile at the same time.
	builds := []struct{ pkg, out string }{
		{".", filepath.Join(out, "ebicart.wasm")},
		{"./web/cartworker", filepath.Join(out, "cartworker.wasm")},
		{"./examples/embed", filepath.Join(out, "embed", "embed.wasm")},
	}
	if err := os.MkdirAll(filepath.Join(out, "embed"), 0o755); err != nil {
		return err
	}
	errs := make(chan error, len(builds))
	for _, b := range builds {
		go func() {
			cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", b.out, b.pkg)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("web: building %s for the browser: %v\n%s", b.pkg, err, out)
				return
			}
			errs <- nil
		}()
	}
	for range builds {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return err
	}
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return fmt.Errorf("web: wasm_exec.js of this Go installation: %w", err)
	}
	files := map[string][]byte{"wasm_exec.js": execJS}
	if err := addFiles(files, assets.Web, ""); err != nil {
		return err
	}
	if err := addFiles(files, assets.Carts, "carts/"); err != nil {
		return err
	}
	for _, c := range Carts {
		b, err := os.ReadFile(filepath.Join(root, c))
		if err != nil {
			return fmt.Errorf("web: cart %w (run make carts)", err)
		}
		files["carts/"+filepath.Base(c)] = b
	}
	for name, b := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(out, name)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// addFiles adds every file of fsys to files, under prefix.
func addFiles(files map[string][]byte, fsys fs.FS, prefix string) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		files[prefix+p] = b
		return err
	})
}

func goEnv(ctx context.Context, dir, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", name)
	cmd.Dir = dir
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("web: go env %s: %w", name, err)
	}
	return string(bytes.TrimSpace(b)), nil
}

// Handler serves the site in dir with .wasm as application/wasm, no
// caching (a rebuilt site shows at once), and the cross-origin isolation
// headers (COOP/COEP) that let a page use SharedArrayBuffer. The page works
// without them too.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			h.Set("Content-Type", "application/wasm")
		}
		h.Set("Cache-Control", "no-cache")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Embedder-Policy", "require-corp")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		files.ServeHTTP(w, r)
	})
}
