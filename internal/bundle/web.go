//go:build !js

package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/web"
)

// pageConfig is the page's window.ebicartGame, which the browser host
// reads (bundle_js.go of package main).
type pageConfig struct {
	Cart    string     `json:"cart"`
	Name    string     `json:"name"`
	Slug    string     `json:"slug"`
	Mode    string     `json:"mode"`
	Palette *[4]uint32 `json:"palette"`
	Dev     bool       `json:"dev"`
}

// buildWeb makes the game's web page: index.html, the browser host and
// its cart worker (built for GOOS=js from ebicart's source, with the flags
// of make web, so that Go's build cache serves both), the scripts it
// shares with ebicart's own page (player.js, its start-up and sound;
// cartworker.js, the worker's), wasm_exec.js of the Go that built them,
// the cart, the icon and the credits. It needs no special headers from
// its server.
func buildWeb(ctx context.Context, src, work string, g *game, ic *icons, tc toolchain) (map[string][]byte, error) {
	out := filepath.Join(work, "web")
	builds := []struct{ pkg, file string }{{".", "ebicart.wasm"}, {"./web/cartworker", "cartworker.wasm"}}
	files := map[string][]byte{}
	for _, b := range builds {
		cmd := goCommand(ctx, src, append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOWORK=off"), "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", filepath.Join(out, b.file), b.pkg)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("bundle: building %s for the browser: %v\n%s", b.pkg, err, msg)
		}
		data, err := os.ReadFile(filepath.Join(out, b.file))
		if err != nil {
			return nil, err
		}
		files[b.file] = data
	}
	execJS, err := os.ReadFile(filepath.Join(tc.root, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return nil, fmt.Errorf("bundle: wasm_exec.js of %s: %w", tc.version, err)
	}
	files["wasm_exec.js"] = execJS
	for _, name := range []string{"player.js", "cartworker.js"} { // the scripts of ebicart's own page it shares
		js, err := fs.ReadFile(assets.Web, name)
		if err != nil {
			return nil, fmt.Errorf("bundle: the page's script %s: %w", name, err)
		}
		files[name] = js
	}
	page, err := template.ParseFS(assets.Bundle, "index.html")
	if err != nil {
		return nil, err
	}
	cartFile := cartFileName(g.Slug, files)
	var html bytes.Buffer
	err = page.Execute(&html, map[string]any{
		"Name": g.Name,
		"Dev":  g.Dev,
		"Config": pageConfig{Cart: cartFile, Name: g.Name, Slug: g.Slug, Mode: g.Mode,
			Palette: g.palette, Dev: g.Dev},
	})
	if err != nil {
		return nil, err
	}
	files["index.html"] = html.Bytes()
	files[cartFile] = g.Cart
	// A large cart's rewrite, made now rather than in each player's
	// browser as the page starts.
	if err := web.PrepareCarts(files, []string{cartFile}); err != nil {
		return nil, err
	}
	files["icon.png"] = encodePNG(ic.at(256))
	files["CREDITS.txt"] = []byte(g.Credits)
	return files, nil
}

// cartFileName names the cart's file in the page: after the game, but for
// a name one of the page's own files has (a game called "ebicart" replaced
// the host, and its page never started).
func cartFileName(slug string, page map[string][]byte) string {
	name := slug + ".wasm"
	if _, taken := page[name]; taken {
		name = slug + "-cart.wasm"
	}
	return name
}

// writeZip writes files to w as a zip, each at its path from the root,
// in name order (index.html at the root, as itch.io wants it).
func writeZip(w io.Writer, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	z := zip.NewWriter(w)
	for _, name := range names {
		f, err := z.CreateHeader(&zip.FileHeader{Name: filepath.ToSlash(name), Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return err
		}
		if _, err := f.Write(files[name]); err != nil {
			return err
		}
	}
	return z.Close()
}
