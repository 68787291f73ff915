// Package authoring implements ebicart's commands for cart authors:
// ebicart new writes a cart project from a template, ebicart info
// describes a cart file.
package authoring

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ebicart/ebicart/assets"
	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/bytesize"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// Languages lists the templates: the name ebicart new takes, the
// language's own spelling, and what builds it.
var Languages = []struct{ Name, Title, Toolchain string }{
	{"go", "Go", "Go 1.24+ (GOOS=wasip1, //go:wasmexport)"},
	{"c", "C", "clang and lld"},
	{"rust", "Rust", "rustc with the wasm32-unknown-unknown target, or cargo"},
	{"zig", "Zig", "Zig 0.12+ (its README shows how to get it through npm)"},
	{"assemblyscript", "AssemblyScript", "Node.js and npm"},
}

// Language returns the template's name for name, in any case, with "as"
// and "ts" for AssemblyScript; ok is false when there is none.
func Language(name string) (lang string, ok bool) {
	lang = strings.ToLower(name)
	if lang == "as" || lang == "ts" {
		lang = "assemblyscript"
	}
	for _, l := range Languages {
		if l.Name == lang {
			return lang, true
		}
	}
	return "", false
}

// LanguageError is the error of a name no template has.
func LanguageError(name string) error {
	var names []string
	for _, l := range Languages {
		names = append(names, l.Name)
	}
	return fmt.Errorf("no template for %q: choose one of %s", name, strings.Join(names, ", "))
}

// New writes the template for lang (see Language) into dir, which must
// not exist or be empty, and tells w what to do next.
func New(lang, dir string, w io.Writer) error {
	name, ok := Language(lang)
	if !ok {
		return LanguageError(lang)
	}
	lang = name
	title := ""
	for _, l := range Languages {
		if l.Name == lang {
			title = l.Title
		}
	}
	if dir == "" {
		return errors.New("no directory given: name a new one, such as mycart")
	}
	// Only a directory that does not exist, or an empty one, will do:
	// anything else, or one that cannot be read, may hold someone's work.
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if to, lerr := os.Readlink(dir); lerr == nil {
			return fmt.Errorf("%s is a link to %s, which is not a directory: give a new directory", dir, to)
		}
	case err != nil:
		// The directory itself, or one it would be made in, may be a file.
		for p := dir; ; p = filepath.Dir(p) {
			if st, serr := os.Stat(p); serr == nil && !st.IsDir() {
				return fmt.Errorf("%s is a file: give a new directory", p)
			}
			if p == filepath.Dir(p) {
				break
			}
		}
		return fmt.Errorf("cannot read %s to see that it is empty: %v", dir, err)
	case len(entries) > 0:
		var names []string
		for i, e := range entries {
			if i == 3 {
				names = append(names, "...")
				break
			}
			names = append(names, e.Name())
		}
		return fmt.Errorf("%s is not empty (it holds %s): give a new directory", dir, strings.Join(names, ", "))
	}
	sub, err := fs.Sub(assets.Templates, lang)
	if err != nil {
		return err
	}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(p, ".tmpl")))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		// A file that appeared meanwhile is not overwritten.
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote the %s template to %s\n\nnext:\n  cd %s\n  make                        # builds cart.wasm (README.md says what to install first)\n  ebicart -watch cart.wasm    # runs it, reloading on each build\n", title, dir, shellWord(dir))
	return nil
}

// shellWord writes path as a shell reads it back, for a command to copy:
// quoted when it holds anything but letters, digits and ._/+-, and never
// starting with a dash, which cd would take for an option.
func shellWord(path string) string {
	if strings.HasPrefix(path, "-") {
		path = "./" + path
	}
	for _, r := range path {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._/+-", r)) {
			return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
		}
	}
	return path
}

// maxInfoSize is the largest cart Info reads: the largest -max-cart-size.
const maxInfoSize = 4 << 30

// Info describes the cart at path on w: its mode, memory, imports and
// exports, and the descriptor of its first frame, after one update (or why
// it fails to load or to run that update), loaded with opts (its Log is
// info's own). Without opts.MaxCartSize it reads any cart a run could
// take, and says when a run needs -max-cart-size for it.
func Info(path string, opts cart.Options, w io.Writer) error {
	wasm, err := cart.ReadCartFile(path, cmp.Or(opts.MaxCartSize, maxInfoSize))
	if err != nil {
		return err
	}
	m, err := wasmbin.Parse(wasm)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(w, "%s: %d bytes, %d functions\n", path, len(wasm), m.Funcs)
	if opts.MaxCartSize == 0 && len(wasm) > cart.DefaultMaxCartSize {
		fmt.Fprintf(w, "size:     over the %s ebicart runs by default: run it with -max-cart-size %dMiB\n",
			bytesize.Text(cart.DefaultMaxCartSize), (len(wasm)+1<<20-1)>>20)
	}
	mode := "ABI v1"
	for _, im := range m.Imports {
		if im.Module == "env" && im.Name == "memory" && im.Kind == wasmbin.KindMemory {
			mode = "WASM-4"
		}
	}
	fmt.Fprintf(w, "mode:     %s\n", mode)
	if l, ok := m.Memory(); ok {
		max := "no maximum"
		if l.HasMax {
			max = fmt.Sprintf("max %d pages", l.Max)
		}
		fmt.Fprintf(w, "memory:   %d pages (%d KiB), %s\n", l.Min, l.Min*64, max)
	} else {
		fmt.Fprintf(w, "memory:   none\n")
	}
	fmt.Fprintf(w, "imports:  %d\n", len(m.Imports))
	for _, im := range m.Imports {
		what := im.Kind.String()
		if im.Kind == wasmbin.KindFunc {
			what = im.Func.String()
		}
		fmt.Fprintf(w, "  %s.%s %s\n", im.Module, im.Name, what)
	}
	fmt.Fprintf(w, "exports:  %d\n", len(m.Exports))
	for _, e := range m.Exports {
		what := e.Kind.String()
		if e.Kind == wasmbin.KindFunc {
			what = e.Func.String()
		}
		fmt.Fprintf(w, "  %s %s\n", e.Name, what)
	}
	opts.MaxCartSize = int64(len(wasm))
	opts.Log = func(l string) { fmt.Fprintf(w, "  log: %s\n", l) }
	c, err := cart.Load(wasm, &opts)
	if err != nil {
		fmt.Fprintf(w, "load:     FAILS: %v\n", err)
		return errors.New("the cart does not load")
	}
	defer c.Close()
	// The first frame is the first update's: a run checks the input block
	// and the frame only then.
	if err := c.Update(); err != nil {
		fmt.Fprintf(w, "update:   FAILS: %v\n", err)
		return errors.New("the cart fails its first update")
	}
	d := c.Descriptor()
	fmt.Fprintf(w, "first frame: %s %dx%d, stride %d, pixels at 0x%x", d.Format, d.Width, d.Height, d.RowStride(), d.Pixels)
	if d.Format.PaletteEntries() > 0 {
		fmt.Fprintf(w, ", palette at 0x%x", d.Palette)
	}
	fmt.Fprintf(w, "\n")
	return nil
}
