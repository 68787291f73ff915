package authoring

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ebicart/ebicart/cart"
)

var readmes = flag.Bool("templates", false, "build every template as its README says, installing what it lists (make templates-check)")

// buildSteps returns the first sh block of a README: its build steps.
func buildSteps(t *testing.T, readme string) string {
	t.Helper()
	_, rest, ok := strings.Cut(readme, "```sh\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed || strings.TrimSpace(block) == "" {
		t.Fatalf("no sh block of build steps in:\n%s", readme)
	}
	return block
}

// runSteps runs shell steps as a reader would type them, in dir, and
// returns what they printed. As root on a machine without sudo (CI), sudo
// runs the command as it is.
func runSteps(t *testing.T, dir, steps string, env ...string) string {
	t.Helper()
	script := "set -eux\n" +
		"if [ \"$(id -u)\" = 0 ] && ! command -v sudo >/dev/null; then sudo() { \"$@\"; }; fi\n" + steps
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's steps failed: %v\n%s", err, b)
	}
	return string(b)
}

// maxCartSize is the most each template's cart may weigh.
var maxCartSize = map[string]int{"go": 3 << 20, "c": 4 << 10, "rust": 30 << 10, "zig": 4 << 10, "assemblyscript": 4 << 10}

// TestTemplates writes each language's template with New, in a folder of
// its own, and runs the build steps of the README it wrote exactly as they
// are written, installing what they say (apt-get, npm): what a newcomer on
// a fresh Debian machine does. The cart must be small and show the same
// first frame in every language, its square moved by the arrow keys. Behind
// -templates (make templates-check, which CI runs).
func TestTemplates(t *testing.T) {
	if !*readmes {
		t.Skip("make templates-check runs this (-templates): it installs what the READMEs list")
	}
	var sizes []string
	for _, l := range Languages {
		t.Run(l.Name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "mycart")
			var out bytes.Buffer
			if err := New(l.Name, dir, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "ebicart -watch cart.wasm") {
				t.Errorf("New printed %q, want the next steps", out.String())
			}
			readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"https://github.com/ebicart/ebicart/blob/main/docs/abi.md", "## Build", "## Run"} {
				if !strings.Contains(string(readme), want) {
					t.Errorf("the README lacks %q", want)
				}
			}
			if strings.Contains(string(readme), "go doc") {
				t.Errorf("the README points at go doc, which works only inside ebicart's repository")
			}
			began := time.Now()
			runSteps(t, dir, buildSteps(t, string(readme)))
			wasm, err := os.ReadFile(filepath.Join(dir, "cart.wasm"))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: cart.wasm is %d bytes, built in %v", l.Name, len(wasm), time.Since(began).Round(time.Second))
			sizes = append(sizes, fmt.Sprintf("%s %d B", l.Name, len(wasm)))
			if len(wasm) > maxCartSize[l.Name] {
				t.Errorf("cart.wasm is %d bytes, want at most %d", len(wasm), maxCartSize[l.Name])
			}
			checkTemplateCart(t, wasm)
		})
	}
	t.Logf("template carts: %s", strings.Join(sizes, ", "))
}

// checkTemplateCart runs a template's cart: its first frame, and its
// square after 10 updates holding right and A.
func checkTemplateCart(t *testing.T, wasm []byte) {
	t.Helper()
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
}

// TestFirstCartSteps runs the first steps of docs/first-cart.md as they
// are written, from a fresh clone of this repository (the clone's URL
// becomes this repository's folder; GOPATH a temporary one, sharing the
// module cache): ebicart must install, write the Go template and build it,
// and the last step's window must show the cart (it runs for 60 frames and
// writes a screenshot: -watch alone would run until closed). Behind
// -templates (make templates-check, under Xvfb).
func TestFirstCartSteps(t *testing.T) {
	if !*readmes {
		t.Skip("make templates-check runs this (-templates)")
	}
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no X display: make templates-check runs this under xvfb-run")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "first-cart.md"))
	if err != nil {
		t.Fatal(err)
	}
	steps := buildSteps(t, string(doc))
	const url = "https://github.com/ebicart/ebicart"
	if !strings.HasPrefix(steps, "git clone "+url+"\n") {
		t.Fatalf("the tutorial's first step is not a clone of %s:\n%s", url, steps)
	}
	steps = strings.Replace(steps, url, root+" ebicart", 1)
	shot := filepath.Join(t.TempDir(), "shot.png")
	var lines []string
	for _, l := range strings.Split(steps, "\n") {
		if strings.HasPrefix(l, "ebicart -watch ") {
			cmd, comment, _ := strings.Cut(l, "#")
			l = strings.TrimSpace(cmd) + " -frames 60 -screenshot " + shot + " #" + comment
		}
		lines = append(lines, l)
	}
	work := t.TempDir()
	modcache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	runSteps(t, work, strings.Join(lines, "\n"), "GOPATH="+filepath.Join(work, "gopath"), "GOMODCACHE="+strings.TrimSpace(string(modcache)), "GOFLAGS=")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("the last step wrote no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := img.At(76, 56).RGBA(); r>>8 != 0xff || g>>8 != 0xd0 || b>>8 != 0x40 {
		t.Fatalf("the window showed (76,56) = %v, want the yellow square", img.At(76, 56))
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
	os.Symlink("/nonexistent", filepath.Join(dir, "dangling"))
	many := t.TempDir()
	for _, name := range []string{".git", "a", "b", "c"} {
		os.Mkdir(filepath.Join(many, name), 0o755)
	}
	for _, tc := range []struct{ lang, dir, want string }{
		{"cobol", t.TempDir(), `no template for "cobol": choose one of go, c, rust, zig, assemblyscript`},
		{"go", dir, "is not empty (it holds dangling, x): give a new directory"},
		// An unset $DIR: it wrote into the current directory, over its
		// README.md and Makefile.
		{"c", "", "no directory given: name a new one"},
		{"go", filepath.Join(dir, "x"), "is a file: give a new directory"},
		// A folder under a file, a link to nothing and a folder of many
		// things said what failed in the system's words ("not a
		// directory", "mkdir dangling: file exists") or not at all.
		{"go", filepath.Join(dir, "x", "sub"), filepath.Join(dir, "x") + " is a file: give a new directory"},
		{"go", filepath.Join(dir, "dangling"), filepath.Join(dir, "dangling") + " is a link to /nonexistent, which is not a directory: give a new directory"},
		{"c", many, many + " is not empty (it holds .git, a, b, ...): give a new directory"},
	} {
		if err := New(tc.lang, tc.dir, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%s, %s): %v, want %q", tc.lang, tc.dir, err, tc.want)
		}
	}
}

// TestNewCdLine: the cd New prints reads back in a shell as the directory.
func TestNewCdLine(t *testing.T) {
	for _, tc := range []struct{ dir, want string }{
		{"mycart", "cd mycart"},
		{"games/my-cart_2.0", "cd games/my-cart_2.0"},
		{"sp ace ü", "cd 'sp ace ü'"},
		{"it's", `cd 'it'\''s'`},
		{"-x", "cd ./-x"},
		{"$HOME", "cd '$HOME'"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			var out bytes.Buffer
			if err := New("c", filepath.Join(t.TempDir(), tc.dir), &out); err != nil {
				t.Fatal(err)
			}
			if got := shellWord(tc.dir); "cd "+got != tc.want {
				t.Errorf("shellWord(%q) = %s, want %s", tc.dir, got, tc.want[3:])
			}
			if !strings.Contains(out.String(), "\n  cd ") {
				t.Errorf("New printed no cd line: %q", out.String())
			}
		})
	}
}

func TestInfo(t *testing.T) {
	for _, tc := range []struct {
		cart    string
		want    []string
		wantErr string
	}{
		{"w4_io", []string{"mode:     WASM-4", "env.memory memory", "env.diskw (i32, i32) -> (i32)", "update () -> ()", "first frame: INDEXED2 160x160"}, ""},
		{"good", []string{"mode:     ABI v1", "first frame: RGB888 2x1, stride 6, pixels at 0x40"}, ""},
		{"missing_update", []string{`load:     FAILS: guest: export "update" missing`}, "does not load"},
		// What a run refuses only at its first update.
		{"input_outside", []string{"update:   FAILS: guest: input block: 0xfffa+32 bytes end past memory size 65536: input() must return the address of 32 bytes in memory"}, "fails its first update"},
		{"exit_update", []string{"update:   FAILS: guest: cart exited with status 7"}, "fails its first update"},
	} {
		t.Run(tc.cart, func(t *testing.T) {
			var out bytes.Buffer
			err := Info("../../guest/testdata/"+tc.cart+".wasm", cart.Options{}, &out)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("Info: %v, want an error with %q", err, tc.wantErr)
			}
			for _, want := range tc.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("info lacks %q:\n%s", want, out.String())
				}
			}
			if tc.wantErr != "" && strings.Contains(out.String(), "first frame:") {
				t.Errorf("info of a cart that fails describes a first frame:\n%s", out.String())
			}
		})
	}
}

// TestInfoLargeCart: info describes a cart over the 64 MiB a run takes by
// default, and says the flag that runs it. It used to refuse it with
// "(max-cart-size)", a flag info does not take.
func TestInfoLargeCart(t *testing.T) {
	good, err := os.ReadFile("../../guest/testdata/good.wasm")
	if err != nil {
		t.Fatal(err)
	}
	// good.wasm and a custom section (id 0) of 65 MiB, which no engine
	// reads: size and name length as 5-byte LEB128s.
	const payload = 65 << 20
	leb := func(v uint32) []byte {
		return []byte{byte(v&0x7f | 0x80), byte(v>>7&0x7f | 0x80), byte(v>>14&0x7f | 0x80), byte(v>>21&0x7f | 0x80), byte(v >> 28)}
	}
	name := "padding"
	section := append([]byte{0}, leb(uint32(5+len(name)+payload))...)
	section = append(append(section, leb(uint32(len(name)))...), name...)
	big := filepath.Join(t.TempDir(), "big.wasm")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(good)
	f.Write(section)
	f.Write(make([]byte, payload))
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Info(big, cart.Options{}, &out); err != nil {
		t.Fatalf("Info: %v\n%s", err, out.String())
	}
	for _, want := range []string{"size:     over the 64.0 MiB ebicart runs by default: run it with -max-cart-size 66MiB\n", "first frame: RGB888 2x1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("info lacks %q:\n%s", want, out.String())
		}
	}
}
