//go:build !js

package bundle

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/bundle/manifest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// TestMain: the bundle loads the cart first, in a worker process started
// from this test binary.
func TestMain(m *testing.M) {
	if cart.ServeWorker() {
		return
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// needTool finds a program the test checks the bundle with, an
// implementation other than the bundle's own; CI must have it (make deps).
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing in CI: make deps installs Debian's %s", name, pkg)
		}
		t.Skipf("%s is not installed (Debian's %s; make deps installs it)", name, pkg)
	}
	return p
}

func TestParseTargets(t *testing.T) {
	for _, tc := range []struct {
		in      string
		targets []Target
		web     bool
		err     string
	}{
		{"linux/amd64", []Target{{"linux", "amd64"}}, false, ""},
		{"web", nil, true, ""},
		{"native,web", []Target{Native()}, true, ""},
		{"windows/amd64, darwin/arm64", []Target{{"windows", "amd64"}, {"darwin", "arm64"}}, false, ""},
		{"all", AllTargets, true, ""},
		{"linux/amd64,all", AllTargets, true, ""},
		{"plan9/386", nil, false, `-target "plan9/386": want os/arch pairs among linux/amd64, linux/arm64, windows/amd64, darwin/arm64, darwin/amd64, or native, web, all`},
		{"linux", nil, false, `-target "linux"`},
		{"", nil, false, `-target ""`},
	} {
		targets, web, err := ParseTargets(tc.in)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("ParseTargets(%q): %v, want error %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(targets, tc.targets) || web != tc.web {
			t.Errorf("ParseTargets(%q) = %v, %v, %v; want %v, %v", tc.in, targets, web, err, tc.targets, tc.web)
		}
	}
}

func TestVersionNumbers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want [4]uint16
	}{
		{"1.2.3", [4]uint16{1, 2, 3, 0}},
		{"v2.0-beta", [4]uint16{2, 0, 0, 0}},
		{"2026.12.4", [4]uint16{2026, 12, 4, 0}},
		{"1.2.3.4.5", [4]uint16{1, 2, 3, 4}},
		{"beta", [4]uint16{}},
		{"70000", [4]uint16{}},
	} {
		if got := versionNumbers(tc.in); got != tc.want {
			t.Errorf("versionNumbers(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestIconScales: a small frame is scaled by a whole factor and centred on
// a transparent background; a large one is scaled down to fit.
func TestIconScales(t *testing.T) {
	frame := image.NewRGBA(image.Rect(0, 0, 2, 1))
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	frame.SetRGBA(0, 0, red)
	frame.SetRGBA(1, 0, blue)
	ic := &icons{src: frame}
	img := ic.at(256) // scale 128: 256x128 at y 64
	for _, p := range []struct {
		x, y int
		want color.NRGBA
	}{
		{0, 64, color.NRGBA{255, 0, 0, 255}}, {127, 191, color.NRGBA{255, 0, 0, 255}},
		{128, 64, color.NRGBA{0, 0, 255, 255}}, {255, 191, color.NRGBA{0, 0, 255, 255}},
		{0, 63, color.NRGBA{}}, {255, 192, color.NRGBA{}},
	} {
		if got := img.NRGBAAt(p.x, p.y); got != p.want {
			t.Errorf("icon at (%d,%d) = %v, want %v", p.x, p.y, got, p.want)
		}
	}
	big := image.NewRGBA(image.Rect(0, 0, 320, 180))
	if got := (&icons{src: big}).at(16).Bounds(); got != image.Rect(0, 0, 16, 16) {
		t.Errorf("a 320x180 frame's 16 px icon is %v", got)
	}
}

// TestWindowsResourceObject reads the .syso back with debug/pe: one
// .rsrc section, a relocation for each resource's data entry, the
// section's own symbol; and the icon group lists the four icons.
func TestWindowsResourceObject(t *testing.T) {
	g := &manifest.Game{Name: "Space Duck", Slug: "space-duck", Version: "1.2.3"}
	syso, err := windowsResources("amd64", g, &icons{src: image.NewRGBA(image.Rect(0, 0, 4, 4))})
	if err != nil {
		t.Fatal(err)
	}
	f, err := pe.NewFile(bytes.NewReader(syso))
	if err != nil {
		t.Fatal(err)
	}
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || len(f.Sections) != 1 || f.Sections[0].Name != ".rsrc" {
		t.Fatalf("machine %#x, sections %v", f.Machine, f.Sections)
	}
	if n := len(f.Sections[0].Relocs); n != len(icoSizes)+2 {
		t.Errorf("%d relocations, want one per resource (%d)", n, len(icoSizes)+2)
	}
	if len(f.COFFSymbols) != 1 || f.COFFSymbols[0].SectionNumber != 1 || f.COFFSymbols[0].StorageClass != 3 {
		t.Errorf("symbols %+v, want the section's static symbol", f.COFFSymbols)
	}
	data, _ := f.Sections[0].Data()
	// The root directory lists the types icon, group icon, version.
	if ids := binary.LittleEndian.Uint16(data[14:]); ids != 3 {
		t.Fatalf("%d types in the root directory, want 3", ids)
	}
	for i, want := range []uint32{rtIcon, rtGroupIcon, rtVersion} {
		if got := binary.LittleEndian.Uint32(data[16+8*i:]); got != want {
			t.Errorf("type %d is %d, want %d", i, got, want)
		}
	}
	v := versionInfo(g, "amd64")
	if !bytes.Contains(v, utf16z("Space Duck")) || !bytes.Contains(v, utf16z("space-duck-windows-amd64.exe")) || int(binary.LittleEndian.Uint16(v)) != len(v) {
		t.Errorf("the version resource lacks the name or the file name, or its length is wrong")
	}
}

// TestDesktopEntryLaunches launches the .desktop entry as GNOME's file
// manager does, with GLib (Gio.DesktopAppInfo, through Python): it must
// start the executable beside it, wherever the folder is.
func TestDesktopEntryLaunches(t *testing.T) {
	python := needTool(t, "/usr/bin/python3", "python3-gi")
	if err := exec.Command(python, "-c", "from gi.repository import Gio").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-gi is missing in CI: make deps installs it")
		}
		t.Skip("python3-gi is not installed")
	}
	dir := filepath.Join(t.TempDir(), "a folder with spaces")
	os.MkdirAll(dir, 0o755)
	exe := "space-duck-linux-amd64"
	ran := filepath.Join(dir, "ran.txt")
	if err := os.WriteFile(filepath.Join(dir, exe), []byte("#!/bin/sh\necho \"$0\" > '"+ran+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(dir, exe+".desktop")
	os.WriteFile(entry, desktopFile(&manifest.Game{Name: "Space Duck", Slug: "space-duck", Version: "1"}, exe), 0o755)
	if validate, err := exec.LookPath("desktop-file-validate"); err == nil || os.Getenv("CI") != "" {
		if out, err := exec.Command(validate, entry).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("desktop-file-validate: %v\n%s", err, out)
		}
	}
	script := `import sys
from gi.repository import Gio
app = Gio.DesktopAppInfo.new_from_filename(sys.argv[1])
ok = app.launch([], None)
print(app.get_name())
sys.exit(0 if ok else 1)
`
	cmd := exec.Command(python, "-c", script, entry)
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "Space Duck" {
		t.Fatalf("launching the entry: %v\n%s", err, out)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		// The launch returns before the program runs: wait for its mark.
		if b, err := os.ReadFile(ran); err == nil && len(b) > 0 {
			if got := strings.TrimSpace(string(b)); got != filepath.Join(dir, exe) {
				t.Fatalf("the entry ran %q, want %q", got, filepath.Join(dir, exe))
			}
			return
		}
	}
	t.Fatal("the entry did not run the executable beside it")
}

// TestDesktopEntryName: GLib, which file managers read entries with,
// reads the entry's Name and Comment as the game's name and version, a
// backslash in them included (an entry string's escapes, \n, \s, \t,
// \r and \\, would otherwise turn "C:\new" into two lines).
func TestDesktopEntryName(t *testing.T) {
	python := needTool(t, "/usr/bin/python3", "python3-gi")
	if err := exec.Command(python, "-c", "from gi.repository import Gio").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-gi is missing in CI: make deps installs it")
		}
		t.Skip("python3-gi is not installed")
	}
	script := `import sys
from gi.repository import Gio
app = Gio.DesktopAppInfo.new_from_filename(sys.argv[1])
sys.stdout.write(app.get_name() + "|" + app.get_description())
`
	for _, tc := range []struct {
		name, game, version, want string
	}{
		{"plain", "Space Duck", "1.0.0", "Space Duck|Space Duck 1.0.0, made with ebicart"},
		{"backslash n", `C:\new`, "1", `C:\new|C:\new 1, made with ebicart`},
		{"backslash s t r", `a\sb\tc\rd`, `2\s`, `a\sb\tc\rd|a\sb\tc\rd 2\s, made with ebicart`},
		{"double backslash", `x\\y`, "3", `x\\y|x\\y 3, made with ebicart`},
		{"trailing backslash", `end\`, "4", `end\|end\ 4, made with ebicart`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entry := filepath.Join(t.TempDir(), "game.desktop")
			os.WriteFile(entry, desktopFile(&manifest.Game{Name: tc.game, Slug: "game", Version: tc.version}, "game-linux-amd64"), 0o644)
			out, err := exec.Command(python, "-c", script, entry).CombinedOutput()
			if err != nil || string(out) != tc.want {
				t.Errorf("GLib read Name|Comment %q (%v), want %q", out, err, tc.want)
			}
		})
	}
}

// TestAppFiles: the .app's Info.plist is well-formed and names the
// executable and the icon, which icns2png reads.
func TestAppFiles(t *testing.T) {
	g := &manifest.Game{Name: "Space <Duck>", Slug: "space-duck", Version: "1.2.3", Credits: "credits"}
	files := appFiles(g, []byte("exe"), &icons{src: image.NewRGBA(image.Rect(0, 0, 8, 8))})
	plist := files[filepath.Join("Contents", "Info.plist")]
	var doc struct {
		Dict struct {
			Items []string `xml:",any"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal(plist, &doc); err != nil {
		t.Fatalf("Info.plist: %v\n%s", err, plist)
	}
	keys := map[string]string{}
	for i := 0; i+1 < len(doc.Dict.Items); i += 2 {
		keys[doc.Dict.Items[i]] = doc.Dict.Items[i+1]
	}
	for k, want := range map[string]string{"CFBundleExecutable": "space-duck", "CFBundleIconFile": "space-duck.icns",
		"CFBundleName": "Space <Duck>", "CFBundleShortVersionString": "1.2.3", "CFBundleIdentifier": "org.ebicart.game.space-duck"} {
		if keys[k] != want {
			t.Errorf("Info.plist %s = %q, want %q", k, keys[k], want)
		}
	}
	if string(files[filepath.Join("Contents", "MacOS", "space-duck")]) != "exe" {
		t.Error("the executable is not in Contents/MacOS")
	}
	icns2png := needTool(t, "icns2png", "icnsutils")
	p := filepath.Join(t.TempDir(), "icon.icns")
	os.WriteFile(p, files[filepath.Join("Contents", "Resources", "space-duck.icns")], 0o644)
	out, err := exec.Command(icns2png, "-l", p).CombinedOutput()
	if err != nil {
		t.Fatalf("icns2png: %v\n%s", err, out)
	}
	for _, size := range []string{"256x256", "512x512", "1024x1024"} {
		if !strings.Contains(string(out), size) {
			t.Errorf("icns2png -l lists no %s image:\n%s", size, out)
		}
	}
}

// TestBadCartWritesNothing: a cart that does not load, or traps in its
// first update, is not bundled: exit 1, the error, and no folder.
func TestBadCartWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name, cart string
		code       int
		want       string
	}{
		{"missing export", testcarts.GuestTestdata("missing_update"), 1, `does not run, so it was not bundled: guest: export "update" missing`},
		{"exits in its first update", testcarts.GuestTestdata("exit_update"), 1, "does not run, so it was not bundled: guest: cart exited with status 7 (in update)"},
		// A limit stops the cart: said without the run's flag, which
		// bundle does not take (a bundled game runs with the defaults).
		{"memory over the default limit", testcarts.GuestTestdata("huge_memory"), 1,
			"huge_memory.wasm does not run within the limits a bundled game runs with (ebicart's defaults), so it was not bundled: guest: memory declares 65536 pages (4.0 GiB), more than the limit of 4096 pages (256.0 MiB): ebicart runs no cart of more than 65535 pages (4095.9375 MiB): build it with a smaller memory\n"},
		// A cart that cannot be read is not one that "does not run", as
		// these were said to be.
		{"no file", "/nonexistent/cart.wasm", 1, "ebicart bundle: cart: /nonexistent/cart.wasm: no such file or directory\n"},
		{"a folder for the cart", "/", 1, "ebicart bundle: cart: / is a directory, not a file: a cart is a .wasm file\n"},
		{"bad target", testcarts.SeedPath(), 2, `-target "beos/ppc"`},
		{"bad palette", testcarts.SeedPath(), 2, `ebicart bundle: -palette: "red": want four colours`},
		// Flags may follow the cart, as ebicart's own.
		{"bad palette after the cart", testcarts.SeedPath(), 2, `ebicart bundle: -palette: "red": want four colours`},
		{"two carts", testcarts.SeedPath(), 2, "ebicart bundle: want one cart, got 2: "},
		// A name or version is stamped on one line (a window's title, the
		// executable's -version, a file's properties): a line break or
		// another control character in it is a slip, said before a build.
		{"version with a line break", testcarts.SeedPath(), 2, `ebicart bundle: -version "1.0\n2": a control character (a line break, a tab...) in it: want one line of text`},
		{"name with a tab", testcarts.SeedPath(), 2, `ebicart bundle: -name "Space\tDuck": a control character (a line break, a tab...) in it: want one line of text`},
		{"name with a carriage return", testcarts.SeedPath(), 2, `ebicart bundle: -name "Duck\r": a control character`},
		// The files given with the flags are files, read to a limit: not
		// a device that never ends, not a picture of gigabytes.
		{"credits from a device", testcarts.SeedPath(), 1, "bundle: -credits: /dev/zero is a device, not a file"},
		{"icon from a device", testcarts.SeedPath(), 1, "bundle: -icon: /dev/zero is a device, not a file"},
		{"icon too large", testcarts.SeedPath(), 1, "is 5000x1: want at most 4096x4096"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "dist")
			args := []string{"-o", out, tc.cart}
			switch tc.name {
			case "bad target":
				args = append([]string{"-target", "beos/ppc"}, args...)
			case "bad palette":
				args = append([]string{"-palette", "red"}, args...)
			case "bad palette after the cart":
				args = append(args, "-palette", "red")
			case "version with a line break":
				args = append([]string{"-version", "1.0\n2"}, args...)
			case "name with a tab":
				args = append([]string{"-name", "Space\tDuck"}, args...)
			case "name with a carriage return":
				args = append(args, "-name", "Duck\r")
			case "two carts":
				args = append(args, tc.cart)
			case "credits from a device":
				args = append([]string{"-credits", "/dev/zero"}, args...)
			case "icon from a device":
				args = append([]string{"-icon", "/dev/zero"}, args...)
			case "icon too large":
				var b bytes.Buffer
				png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 5000, 1)))
				icon := filepath.Join(t.TempDir(), "icon.png")
				os.WriteFile(icon, b.Bytes(), 0o644)
				args = append([]string{"-icon", icon}, args...)
			}
			var stdout, stderr bytes.Buffer
			if code := Command(args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.want)
			}
			for _, name := range []string{"max-memory", "max-cart-size", "start-limit", "cpu-limit", "compile-limit"} {
				if strings.Contains(stderr.String(), name) {
					t.Errorf("stderr %q names %s, a flag bundle does not take", stderr.String(), name)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// TestWithoutSettings: the run's limits are taken out of an engine's
// error in each of the ways it names them, and nothing else is.
func TestWithoutSettings(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"guest: start did not return within 10s (start-limit)", "guest: start did not return within 10s"},
		{"guest: update did not return within 1s (cpu-limit; stopped after it ran 3s)", "guest: update did not return within 1s (stopped after it ran 3s)"},
		{"more than the limit of 4096 pages (256.0 MiB, max-memory)", "more than the limit of 4096 pages (256.0 MiB)"},
		{"more than the limit of 1 page (64.0 KiB, max-memory): give it more max-memory", "more than the limit of 1 page (64.0 KiB)"},
		{"cart: x.wasm is 65.0 MiB, more than the limit of 64.0 MiB (max-cart-size)", "cart: x.wasm is 65.0 MiB, more than the limit of 64.0 MiB"},
		{`guest: export "update" missing`, `guest: export "update" missing`},
	} {
		if got := withoutSettings(tc.in); got != tc.want {
			t.Errorf("withoutSettings(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
