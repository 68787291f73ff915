// Package web builds and serves ebicart's browser version: a static site of
// index.html, wasm_exec.js, the host compiled with GOOS=js GOARCH=wasm
// (ebicart.wasm), the program that runs each cart in a Web Worker
// (cartworker.wasm), a folder of carts, and embed/, the arcade example
// game (examples/embed) built for the browser, and what makes the page an
// installable app that plays offline: a web app manifest, its icons and a
// service worker (sw.js) whose cache is named after the build. The site
// needs nothing from its server but static files, so it deploys to any
// static host (GitHub Pages, itch.io); Handler adds the headers a good
// server would.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/internal/worker"
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
		go func() { errs <- buildJS(ctx, root, b.pkg, b.out) }()
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
	var carts []string
	for name := range files {
		if strings.HasPrefix(name, "carts/") {
			carts = append(carts, name)
		}
	}
	if err := PrepareCarts(files, carts); err != nil {
		return err
	}
	// The service worker's cache is named after this build: a new host
	// replaces the cached one.
	version, err := siteVersion(files, out)
	if err != nil {
		return err
	}
	// The page, the worker's script and the service worker name the
	// build, and the page asks for its files by it: a page, its host and
	// its workers are of one build, whatever a cache holds or the server
	// was given since (the service worker answers for that build; a
	// worker of another says so at the handshake).
	stamps := []struct{ file, from, to string }{
		{"sw.js", `const version = 'ebicart-dev';`, `const version = 'ebicart-%s';`},
		{"cartworker.js", `self.ebicartVersion = '';`, `self.ebicartVersion = '%s';`},
		{"index.html", `window.ebicartVersion = '';`, `window.ebicartVersion = '%s';`},
		{"index.html", `<script src="wasm_exec.js">`, `<script src="wasm_exec.js?build=%s">`},
		{"index.html", `<script src="player.js">`, `<script src="player.js?build=%s">`},
	}
	for _, s := range stamps {
		if !bytes.Contains(files[s.file], []byte(s.from)) {
			return fmt.Errorf("web: %s has no %s to write the build into", s.file, s.from)
		}
		files[s.file] = bytes.Replace(files[s.file], []byte(s.from), fmt.Appendf(nil, s.to, version), 1)
	}
	for _, size := range []int{192, 512} {
		files[fmt.Sprintf("icon-%d.png", size)] = Icon(size)
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

// preparedStamp is the line of cartworker.js that lists the rewrites a
// site prepared for its carts; PrepareCarts writes them into it.
const preparedStamp = "self.ebicartPrepared = {};"

// PrepareCarts adds to files, for each of the carts it names (paths in
// files) large enough to gain from it, the rewrite the cart's browser
// worker would make of it as it starts (worker.PrepareRewrite), as the
// cart's name with ".prepared" added; and writes each one's name and
// SHA-256 into files' cartworker.js, where the worker looks for them: it
// takes the rewrite of the site's own build, and no other, rather than
// rewrite the cart in the page's busiest second (a third of a second for
// the 1.9 MB Go demo, and a second more of a core in the browser's
// optimizing compiler). A cart no boot would take has none.
func PrepareCarts(files map[string][]byte, carts []string) error {
	script := files["cartworker.js"]
	if !bytes.Contains(script, []byte(preparedStamp)) {
		return fmt.Errorf("web: cartworker.js has no %s to list the prepared rewrites in", preparedStamp)
	}
	list := map[string][2]string{}
	for _, c := range carts {
		rw, err := worker.PrepareRewrite(files[c])
		if err != nil {
			continue // small, or not a cart a boot takes: the worker does what it does now
		}
		sum := sha256.Sum256(rw)
		files[c+".prepared"] = rw
		list[c] = [2]string{c + ".prepared", hex.EncodeToString(sum[:])}
	}
	js, err := json.Marshal(list)
	if err != nil {
		return err
	}
	files["cartworker.js"] = bytes.Replace(script, []byte(preparedStamp), fmt.Appendf(nil, "self.ebicartPrepared = %s;", js), 1)
	return nil
}

// siteVersion is a hash of what makes the site's app: the page, its
// scripts and the two wasm programs in out.
func siteVersion(files map[string][]byte, out string) (string, error) {
	h := sha256.New()
	for _, name := range []string{"index.html", "wasm_exec.js", "player.js", "cartworker.js", "sw.js"} {
		h.Write(files[name])
	}
	for _, name := range []string{"ebicart.wasm", "cartworker.wasm"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			return "", err
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Icon is the app's icon, size x size pixels, as a PNG: a cartridge, a
// pink-to-amber label on a dark shell, on the page's background.
func Icon(size int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	bg, shell := color.RGBA{0x10, 0x10, 0x14, 0xff}, color.RGBA{0x2a, 0x2a, 0x33, 0xff}
	in := func(x, y, x0, y0, x1, y1 float64) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
	for y := range size {
		for x := range size {
			u, v := (float64(x)+0.5)/float64(size), (float64(y)+0.5)/float64(size)
			c := bg
			switch {
			case in(u, v, 0.28, 0.62, 0.72, 0.70) && int(u*40)%2 == 0: // the contacts
				c = color.RGBA{0xff, 0xb4, 0x5a, 0xff}
			case in(u, v, 0.3, 0.22, 0.7, 0.52): // the label
				t := (u - 0.3) / 0.4
				c = color.RGBA{0xff, uint8(0x46 + t*(0xb4-0x46)), uint8(0xc8 + t*(0x5a-0xc8)), 0xff}
			case in(u, v, 0.2, 0.12, 0.8, 0.62) && !in(u, v, 0.68, 0.12, 0.8, 0.2): // the shell, a corner cut
				c = shell
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// buildJS builds pkg of the repository at root for the browser into out,
// stripped: every wasm of the site, and the no-op page's, the same way.
func buildJS(ctx context.Context, root, pkg, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("web: building %s for the browser: %v\n%s", pkg, err, b)
	}
	return nil
}

// BuildNoop writes the no-op page into the site in out, as noop/: a
// no-op Ebitengine game (internal/benchframe/noop) built and loaded as the
// host is, the floor make bench-web and the weight test measure the page
// against. Build the site first: the page uses its wasm_exec.js.
func BuildNoop(ctx context.Context, root, out string) error {
	dir := filepath.Join(out, "noop")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	page, err := os.ReadFile(filepath.Join(root, "internal", "benchframe", "noop", "index.html"))
	if err != nil {
		return fmt.Errorf("web: the no-op page: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page, 0o644); err != nil {
		return err
	}
	return buildJS(ctx, root, "./internal/benchframe/noop", filepath.Join(dir, "noop.wasm"))
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

// compressible are the kinds of file Precompress compresses: a cart's
// prepared rewrite (.prepared, PrepareCarts) is mostly wasm, and a quarter
// of its size gzipped (2.2 MB to 0.54 MB for the demo's).
var compressible = []string{".wasm", ".js", ".html", ".json", ".txt", ".prepared"}

// Precompress writes a gzip-compressed copy, name.gz, beside every wasm,
// JavaScript, HTML, JSON, text and prepared-rewrite file of the site in
// dir, at the best compression, for servers that send precompressed files
// (Handler does): the host's 14 MB download becomes about 4 MB. A host
// that compresses by itself, or takes a zip of the folder (itch.io), can
// drop them.
func Precompress(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !slices.Contains(compressible, filepath.Ext(p)) {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		if err := zw.Close(); err != nil {
			return err
		}
		return os.WriteFile(p+".gz", buf.Bytes(), 0o644)
	})
}

// Handler serves the site in dir with .wasm as application/wasm, no
// caching (a rebuilt site shows at once), and the cross-origin isolation
// headers (COOP/COEP) that let a page use SharedArrayBuffer. The page works
// without them too. A file with a name.gz beside it (Precompress) is sent
// compressed to a browser that accepts gzip.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		switch path.Ext(r.URL.Path) {
		case ".wasm":
			h.Set("Content-Type", "application/wasm")
		case ".webmanifest":
			h.Set("Content-Type", "application/manifest+json")
		case ".prepared":
			h.Set("Content-Type", "application/octet-stream")
		}
		h.Set("Cache-Control", "no-cache")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Embedder-Policy", "require-corp")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Add("Vary", "Accept-Encoding")
		if servePrecompressed(w, r, dir) {
			return
		}
		files.ServeHTTP(w, r)
	})
}

// servePrecompressed sends the .gz beside the file r asks for, if there is
// one and the client accepts gzip; it reports whether it did.
func servePrecompressed(w http.ResponseWriter, r *http.Request, dir string) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		return false
	}
	name := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(name, "/") || name == "/" {
		name = path.Join(name, "index.html")
	}
	if !slices.Contains(compressible, path.Ext(name)) {
		return false
	}
	f, err := http.Dir(dir).Open(name + ".gz")
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return false
	}
	h := w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	}
	h.Set("Content-Encoding", "gzip")
	http.ServeContent(w, r, name, st.ModTime(), f)
	return true
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip: named,
// or as *, with a quality above 0.
func acceptsGzip(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		enc, params, _ := strings.Cut(part, ";")
		if enc = strings.TrimSpace(enc); enc != "gzip" && enc != "*" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				q, _ = strconv.ParseFloat(v, 64)
			}
		}
		return q > 0
	}
	return false
}
