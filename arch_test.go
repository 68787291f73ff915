//go:build !js

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// listedPackage is what go list -json says of a package.
type listedPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// goList lists the module's packages for GOOS, with their imports and
// dependencies.
func goList(t *testing.T, goos string, pkgs ...string) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json=ImportPath,Imports,Deps"}, pkgs...)...)
	cmd.Env = append(os.Environ(), "GOOS="+goos)
	if goos == "js" {
		cmd.Env = append(cmd.Env, "GOARCH=wasm")
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var list []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		list = append(list, p)
	}
	return list
}

const module = "github.com/ebicart/ebicart"

// TestArchitecture holds the shape the tree is meant to have: only cart,
// wasm4, internal/worker and the core's own subpackages import the core
// (guest/...); framebuffer and guest never import Ebitengine; framebuffer
// needs only the standard library; the browser build links no wazero, and
// its host nothing heavy that the page does without (see heavyForPage).
func TestArchitecture(t *testing.T) {
	mayImportCore := func(p string) bool {
		return p == module+"/cart" || p == module+"/wasm4" || p == module+"/internal/worker" ||
			strings.HasPrefix(p, module+"/guest/") || p == module+"/guest"
	}
	for _, goos := range []string{"linux", "js"} {
		for _, p := range goList(t, goos, "./...") {
			for _, imp := range p.Imports {
				if (imp == module+"/guest" || strings.HasPrefix(imp, module+"/guest/")) && !mayImportCore(p.ImportPath) {
					t.Errorf("GOOS=%s: %s imports %s: only cart, wasm4, internal/worker and guest's own packages may; go through cart", goos, p.ImportPath, imp)
				}
			}
			if p.ImportPath == module+"/framebuffer" || p.ImportPath == module+"/guest" {
				for _, d := range p.Deps {
					if strings.Contains(d, "hajimehoshi/ebiten") {
						t.Errorf("GOOS=%s: %s depends on Ebitengine (%s)", goos, p.ImportPath, d)
					}
				}
			}
			if p.ImportPath == module+"/framebuffer" {
				for _, d := range p.Deps {
					if strings.Contains(d, ".") && !strings.HasPrefix(d, "internal/") && !strings.HasPrefix(d, "vendor/") {
						t.Errorf("GOOS=%s: framebuffer depends on %s: it uses the standard library only", goos, d)
					}
				}
			}
		}
	}
	for _, p := range goList(t, "js", ".", "./web/cartworker", "./examples/embed") {
		if i := slices.IndexFunc(p.Deps, func(d string) bool { return strings.Contains(d, "tetratelabs/wazero") }); i >= 0 {
			t.Errorf("the browser build of %s links %s", p.ImportPath, p.Deps[i])
		}
	}
	for _, p := range goList(t, "js", ".", "./web/cartworker") {
		for _, d := range p.Deps {
			if why, ok := heavyForPage[d]; ok {
				t.Errorf("the browser build of %s links %s: %s", p.ImportPath, d, why)
			}
		}
	}
}

// heavyForPage are packages the browser's host and worker must not link,
// each of which has cost the page's download up to megabytes for what it
// did for the page (docs/design.md, "The browser").
var heavyForPage = map[string]string{
	"net/http":                "2 MB with crypto and TLS; Ebitengine's ebitenutil brings it in (draw text with game's drawText)",
	module + "/assets":        "the demo cart and the templates, 2 MB: the page fetches carts/demo.wasm like any cart",
	"crypto/internal/fips140": "Go's FIPS 140 module (AES, SHA-3, HMAC, a random generator), which any crypto package links: 175 KB of each wasm program; hash with internal/digest",
}
