//go:build !js

package bundle

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteOut: a bundle replaces what the last bundle in the folder
// wrote (its .ebicart-bundle lists it) and lists what that one wrote and
// this one did not; a file there that no bundle wrote (the author's
// CREDITS.txt, their own web/index.html), or a folder where a file goes,
// fails the bundle before anything is written. Before, the author's files
// were replaced, any file in web/ was called a bundle's, and a game
// renamed left its old files unmentioned.
func TestWriteOut(t *testing.T) {
	read := func(t *testing.T, p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Run("a bundle, then another of other files", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "dist")
		os.MkdirAll(out, 0o755)
		os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
		first := map[string][]byte{"space-duck-linux-amd64": []byte("exe 1"), "CREDITS.txt": []byte("c1"), filepath.Join("web", "space-duck.wasm"): []byte("w1"), filepath.Join("web", "index.html"): []byte("i1")}
		stale, err := writeOut(out, first, map[string]os.FileMode{"space-duck-linux-amd64": 0o755}, earlierList(out, "game"))
		if err != nil || len(stale) != 0 {
			t.Fatalf("first bundle: %v, stale %v", err, stale)
		}
		if st, _ := os.Stat(filepath.Join(out, "space-duck-linux-amd64")); st.Mode().Perm() != 0o755 {
			t.Errorf("the executable's mode is %v", st.Mode())
		}
		// The game renamed: other names, the credits and the page's
		// index again.
		second := map[string][]byte{"cart-linux-amd64": []byte("exe 2"), "CREDITS.txt": []byte("c2"), filepath.Join("web", "cart.wasm"): []byte("w2"), filepath.Join("web", "index.html"): []byte("i2")}
		stale, err = writeOut(out, second, nil, earlierList(out, "game"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"space-duck-linux-amd64", filepath.Join("web", "space-duck.wasm")}; !slices.Equal(stale, want) {
			t.Errorf("stale %v, want %v", stale, want)
		}
		if read(t, filepath.Join(out, "CREDITS.txt")) != "c2" || read(t, filepath.Join(out, "notes.txt")) != "mine" || read(t, filepath.Join(out, "space-duck-linux-amd64")) != "exe 1" {
			t.Error("the second bundle did not replace its own files only")
		}
		// What stayed is still a bundle's: the next one may replace it.
		if _, err := writeOut(out, first, nil, earlierList(out, "game")); err != nil {
			t.Fatalf("a third bundle, over the first's files: %v", err)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 6 { // notes.txt, .ebicart-bundle, CREDITS.txt, web, two executables
			t.Errorf("the folder holds %d entries, want 6 (no temporary files)", len(entries))
		}
	})
	for _, tc := range []struct {
		name  string
		setup func(out string)
		want  string
	}{
		{"the author's credits", func(out string) {
			os.WriteFile(filepath.Join(out, "CREDITS.txt"), []byte("mine"), 0o644)
		}, "OUT/CREDITS.txt is not a bundle's (no bundle listed it in OUT/.ebicart-bundle), and this one would replace it: move it, or give -o another folder; nothing was written"},
		{"the author's page", func(out string) {
			os.MkdirAll(filepath.Join(out, "web"), 0o755)
			os.WriteFile(filepath.Join(out, "web", "index.html"), []byte("mine"), 0o644)
		}, "OUT/web/index.html is not a bundle's"},
		{"a folder where a file goes", func(out string) {
			os.MkdirAll(filepath.Join(out, "CREDITS.txt"), 0o755)
		}, "OUT/CREDITS.txt is a folder, where the bundle writes a file"},
		// It said "ebicart rename …: file exists" and left its new list
		// beside the folder.
		{"a folder where the list goes", func(out string) {
			os.MkdirAll(filepath.Join(out, listFile), 0o755)
		}, "bundle: OUT/.ebicart-bundle is a folder, where the bundle writes a file: move it, or give -o another folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "dist")
			os.MkdirAll(out, 0o755)
			tc.setup(out)
			files := map[string][]byte{"game-linux-amd64": []byte("exe"), "CREDITS.txt": []byte("c"), filepath.Join("web", "index.html"): []byte("i")}
			_, err := writeOut(out, files, nil, earlierList(out, "game"))
			if want := strings.ReplaceAll(tc.want, "OUT", out); err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("writeOut: %v, want %q", err, want)
			}
			if _, err := os.Stat(filepath.Join(out, "game-linux-amd64")); err == nil {
				t.Error("a file was written")
			}
			if left, _ := filepath.Glob(filepath.Join(out, "*.ebicart-new")); len(left) > 0 {
				t.Errorf("%v left", left)
			}
		})
	}
	// A folder an ebicart from before the list bundled into (its own
	// executable or zip there, by name and by content): its files of the
	// game's names are an earlier bundle's, the rest the author's. A
	// folder without the list that holds no such thing is the author's
	// all through: before, a note of theirs named game-linux-… or a file
	// at the executable's name made their CREDITS.txt a bundle's, replaced
	// without a word, and their note was called stale.
	for _, tc := range []struct {
		name    string
		files   map[string]string // in the folder before the bundle
		stale   []string
		err     string // OUT is the folder
		replace bool   // CREDITS.txt replaced
	}{
		{"an older ebicart's bundle", map[string]string{"game-linux-amd64": "\x7fELF old", "game-web.zip": "PK\x03\x04 old", "CREDITS.txt": "old", "web/index.html": "old", "notes.txt": "old"},
			[]string{"game-web.zip"}, "", true},
		{"an older ebicart's Windows executable only", map[string]string{"game-windows-amd64.exe": "MZ old", "CREDITS.txt": "old", "notes.txt": "old"},
			[]string{"game-windows-amd64.exe"}, "", true},
		{"the author's note named like the game's files", map[string]string{"game-linux-notes.txt": "mine", "CREDITS.txt": "mine"},
			nil, "OUT/CREDITS.txt is not a bundle's", false},
		{"the author's file at the executable's name", map[string]string{"game-linux-amd64": "mine", "CREDITS.txt": "mine"},
			nil, "OUT/CREDITS.txt, OUT/game-linux-amd64 are not a bundle's", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "dist")
			for f, content := range tc.files {
				os.MkdirAll(filepath.Dir(filepath.Join(out, f)), 0o755)
				os.WriteFile(filepath.Join(out, f), []byte(content), 0o644)
			}
			files := map[string][]byte{"game-linux-amd64": []byte("new"), "CREDITS.txt": []byte("new"), filepath.Join("web", "index.html"): []byte("new")}
			stale, err := writeOut(out, files, nil, earlierList(out, "game"))
			if tc.err != "" {
				if want := strings.ReplaceAll(tc.err, "OUT", out); err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("writeOut: %v, want %q", err, want)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(stale, tc.stale) {
				t.Errorf("stale %v, want %v", stale, tc.stale)
			}
			if got := read(t, filepath.Join(out, "CREDITS.txt")); (got == "new") != tc.replace {
				t.Errorf("CREDITS.txt holds %q: replaced %v, want %v", got, got == "new", tc.replace)
			}
			for f, content := range tc.files {
				if b, err := os.ReadFile(filepath.Join(out, f)); f != "CREDITS.txt" && !slices.Contains(slices.Collect(maps.Keys(files)), filepath.FromSlash(f)) && (err != nil || string(b) != content) {
					t.Errorf("%s, not the bundle's, was changed", f)
				}
			}
		})
	}
	t.Run("a write that fails replaces nothing", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "dist")
		files := map[string][]byte{"a": []byte("new"), "x": []byte("new")}
		if _, err := writeOut(out, files, nil, nil); err != nil {
			t.Fatal(err)
		}
		// x is a file: its folder cannot be made, after a's new version
		// was written beside it.
		files = map[string][]byte{"a": []byte("newer"), filepath.Join("x", "b"): []byte("newer")}
		if _, err := writeOut(out, files, nil, earlierList(out, "game")); err == nil || !strings.Contains(err.Error(), "nothing was replaced") {
			t.Fatalf("writeOut with a folder that cannot be made: %v", err)
		}
		if read(t, filepath.Join(out, "a")) != "new" {
			t.Error("a file was replaced though the bundle failed")
		}
		if entries, _ := os.ReadDir(out); len(entries) != 3 { // a, x, .ebicart-bundle
			t.Errorf("the folder holds %d entries, want 3 (no temporary files)", len(entries))
		}
	})
}

// TestCheckOut: an output folder that cannot be made or written in fails
// the bundle before its builds, and one that can be is not made yet.
func TestCheckOut(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	os.WriteFile(file, nil, 0o644)
	if err := checkOut(file); err == nil || !strings.Contains(err.Error(), file+" is a file, not a folder") {
		t.Errorf("checkOut(a file): %v", err)
	}
	if err := checkOut(filepath.Join(file, "sub")); err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Errorf("checkOut(under a file): %v", err)
	}
	if err := checkOut("/proc/nope"); err == nil {
		t.Error("checkOut(/proc/nope): nil")
	}
	fresh := filepath.Join(dir, "new", "dist")
	if err := checkOut(fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); err == nil {
		t.Error("checkOut made the folder")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("checkOut left %d entries, want only afile", len(entries))
	}
}

// TestCartFileName: the page's cart is named after the game, but for a
// name the page's own files have: a game called "ebicart" replaced the
// host, and its page never started.
func TestCartFileName(t *testing.T) {
	page := map[string][]byte{"ebicart.wasm": nil, "cartworker.wasm": nil, "index.html": nil}
	for slug, want := range map[string]string{"space-duck": "space-duck.wasm", "ebicart": "ebicart-cart.wasm", "cartworker": "cartworker-cart.wasm"} {
		if got := cartFileName(slug, page); got != want {
			t.Errorf("cartFileName(%q) = %q, want %q", slug, got, want)
		}
	}
}

// TestModuleOfSourceWithSpace: ebicart's source in a folder whose path
// has a space (~/My Games/ebicart) makes a module go reads: the replace
// line's path is quoted. go.mod did not parse before ("malformed module
// path"), and no bundle could be made from such a clone.
func TestModuleOfSourceWithSpace(t *testing.T) {
	src := filepath.Join(t.TempDir(), "My Games", "ebicart")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module "+modulePath+"\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(src, "go.sum"), nil, 0o644)
	os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	dir := filepath.Join(t.TempDir(), "player")
	if err := writeModule(dir, src); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "mod", "edit", "-json")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"Path": "`+src+`"`) {
		t.Fatalf("go mod edit -json: %v\n%s", err, out)
	}
}
