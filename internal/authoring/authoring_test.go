package authoring

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/cart"
)

// toolchain finds what builds a template, or says why it is missing.
func toolchain(t *testing.T, lang string) []string {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	need := map[string][]string{
		"go": {"go"}, "c": {"clang", "wasm-ld"}, "rust": {"rustc"}, "zig": {"zig"}, "assemblyscript": {"npm"},
	}[lang]
	var env []string
	path := os.Getenv("PATH") + string(os.PathListSeparator) + filepath.Join(root, "build", "tools", "node_modules", ".bin")
	env = append(env, "PATH="+path)
	if lang == "rust" {
		// Debian's rustc has the wasm32 standard library; a rustup one on
		// PATH first may not.
		if _, err := os.Stat("/usr/bin/rustc"); err == nil {
			env = append(env, "RUSTC=/usr/bin/rustc")
		}
	}
	for _, tool := range need {
		found := false
		for _, dir := range filepath.SplitList(path) {
			if st, err := os.Stat(filepath.Join(dir, tool)); err == nil && !st.IsDir() {
				found = true
			}
		}
		if !found {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing in CI: make deps installs it", tool)
			}
			t.Skipf("%s is not installed here (make deps installs it)", tool)
		}
	}
	return env
}

// TestTemplates writes each language's template with New, builds it with
// its own Makefile and toolchain, and runs the cart: every template must
// show the same first frame and move its square with the arrow keys.
func TestTemplates(t *testing.T) {
	for _, l := range Languages {
		t.Run(l.Name, func(t *testing.T) {
			env := toolchain(t, l.Name)
			dir := filepath.Join(t.TempDir(), "mycart")
			var out bytes.Buffer
			if err := New(l.Name, dir, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "ebicart -watch cart.wasm") {
				t.Errorf("New printed %q, want the next steps", out.String())
			}
			cmd := exec.Command("make", "cart.wasm")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), env...)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("make: %v\n%s", err, b)
			}
			wasm, err := os.ReadFile(filepath.Join(dir, "cart.wasm"))
			if err != nil {
				t.Fatal(err)
			}
			c, err := cart.Load(wasm, &cart.Options{Log: func(l string) { t.Log(l) }})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			pixel := func(x, y int) [4]byte {
				f, err := c.Snapshot()
				if err != nil {
					t.Fatal(err)
				}
				if f.Rect.Dx() != 160 || f.Rect.Dy() != 120 {
					t.Fatalf("frame %v, want 160x120", f.Rect)
				}
				i := f.PixOffset(x, y)
				return [4]byte(f.Pix[i : i+4])
			}
			bg, yellow, green := [4]byte{0x20, 0x30, 0x50, 255}, [4]byte{0xff, 0xd0, 0x40, 255}, [4]byte{0x40, 0xff, 0x80, 255}
			if got := pixel(76, 56); got != yellow {
				t.Fatalf("the square's corner after start = %v, want %v", got, yellow)
			}
			if got := pixel(0, 0); got != bg {
				t.Fatalf("background = %v, want %v", got, bg)
			}
			for range 10 {
				c.SetInput(cart.Input{Buttons: cart.ButtonRight | cart.ButtonA})
				if err := c.Update(); err != nil {
					t.Fatal(err)
				}
			}
			if got := pixel(86, 56); got != green {
				t.Fatalf("after 10 updates holding right and A: (86,56) = %v, want the moved, green square", got)
			}
			if got := pixel(76, 56); got != bg {
				t.Fatalf("after moving: (76,56) = %v, want the background", got)
			}
		})
	}
}

// TestNewSaysWhatItWrote: New names the language as it is spelled
// ("an AssemblyScript cart", not "a assemblyscript cart").
func TestNewSaysWhatItWrote(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"assemblyscript", "wrote the AssemblyScript template to "},
		{"as", "wrote the AssemblyScript template to "},
		{"go", "wrote the Go template to "},
		{"C", "wrote the C template to "},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var out bytes.Buffer
			if err := New(tc.lang, filepath.Join(t.TempDir(), "x"), &out); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), tc.want) {
				t.Errorf("New printed %q, want it to start %q", out.String(), tc.want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x"), nil, 0o644)
	for _, tc := range []struct{ lang, dir, want string }{
		{"cobol", t.TempDir(), `no template for "cobol": choose one of go, c, rust, zig, assemblyscript`},
		{"go", dir, "is not empty: give a new directory"},
	} {
		if err := New(tc.lang, tc.dir, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%s, %s): %v, want %q", tc.lang, tc.dir, err, tc.want)
		}
	}
}

func TestInfo(t *testing.T) {
	var out bytes.Buffer
	if err := Info("../../guest/testdata/w4_io.wasm", &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"mode:     WASM-4", "env.memory memory", "env.diskw (i32, i32) -> (i32)", "update () -> ()", "first frame: INDEXED2 160x160"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("info lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := Info("../../guest/testdata/missing_update.wasm", &out); err == nil || !strings.Contains(out.String(), `load:     FAILS: guest: export "update" missing`) {
		t.Errorf("info of a broken cart: %v\n%s", err, out.String())
	}
}
