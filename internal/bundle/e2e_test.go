//go:build !js

package bundle

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ebicart/ebicart/internal/testcarts"
)

var e2e = flag.Bool("bundle", false, "make real bundles: the native one run headless and in a window, and every platform of -target all (make bundle-check)")

func needE2E(t *testing.T) {
	t.Helper()
	if !*e2e {
		t.Skip("make bundle-check runs this (-bundle): it builds executables for every platform")
	}
}

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// ebicart builds the ebicart command once, as a user's go install does
// (without -trimpath: it finds its source from where it was built).
func ebicart(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "ebicart-bin"); binErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "ebicart"), ".")
		cmd.Dir = testcarts.Root()
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "ebicart")
}

// runBundle runs ebicart bundle with args from another folder than the
// source's, and returns what it printed.
func runBundle(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(ebicart(t), append([]string{"bundle"}, args...)...)
	cmd.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	began := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("ebicart bundle %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	t.Logf("ebicart bundle %s (%v):\n%s", strings.Join(args, " "), time.Since(began).Round(time.Second), stdout.String())
	return stdout.String()
}

// sameFrame compares a PNG a game wrote with the frame it must show.
func sameFrame(t *testing.T, path string, want *image.RGBA) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("%s is %v, want %v", path, got.Bounds(), want.Bounds())
	}
	for y := range want.Rect.Dy() {
		for x := range want.Rect.Dx() {
			w := color.NRGBAModel.Convert(want.RGBAAt(x, y))
			if g := color.NRGBAModel.Convert(got.At(x, y)); g != w {
				t.Fatalf("%s: pixel (%d,%d) = %v, want %v", path, x, y, g, w)
			}
		}
	}
}

// TestBundleStopped: a bundle stopped while it builds, by Ctrl-C, kill
// or a closed terminal, says so, exits 128 + the signal as a run does, and
// leaves neither an output folder nor its work folder. Before, Ctrl-C said
// "building for linux/amd64: signal: killed" with status 1, and SIGTERM
// ended ebicart at once, its go build running on and its work folder left
// in the temporary folder.
func TestBundleStopped(t *testing.T) {
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		code int
		want string
	}{
		{"ctrl-c", syscall.SIGINT, 130, "ebicart bundle: stopped (interrupt) while building: nothing was written\n"},
		{"kill", syscall.SIGTERM, 143, "ebicart bundle: stopped (terminated) while building: nothing was written\n"},
		{"terminal closed", syscall.SIGHUP, 129, "ebicart bundle: stopped (hangup) while building: nothing was written\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp, out := t.TempDir(), filepath.Join(t.TempDir(), "dist")
			cmd := exec.Command(ebicart(t), "bundle", "-o", out, "-target", "web", "-src", testcarts.Root(), testcarts.SeedPath())
			// -a, which the page's build keeps: it takes minutes, not a
			// cached second, so the signal finds it running.
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "GOFLAGS=-a")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var said strings.Builder
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				said.WriteString(sc.Text() + "\n")
				if strings.Contains(sc.Text(), "building the web page") {
					time.Sleep(100 * time.Millisecond) // go build under way
					cmd.Process.Signal(tc.sig)
				}
			}
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.HasSuffix(said.String(), tc.want) {
				t.Errorf("exit %d, said:\n%swant exit %d, ending %q", code, said.String(), tc.code, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				if left, _ := os.ReadDir(tmp); len(left) == 0 {
					break
				} else if time.Now().After(deadline) {
					t.Fatalf("the temporary folder holds %v after the bundle", left)
				}
			}
		})
	}
}

// TestBundleNative bundles a cart for this platform, from a folder other
// than ebicart's source, and runs what it made as a player would: in a
// window (Xvfb) titled with the game's name, and headless for a test,
// both showing the cart's frame; with -version and -credits; refusing a
// cart, -watch, a command and, unless bundled with -dev, the author's
// flags; keeping saves under the game's name.
func TestBundleNative(t *testing.T) {
	needE2E(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no X display: make bundle-check runs this under xvfb-run")
	}
	c := testcarts.Carts[2]
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	credits := filepath.Join(dir, "credits.txt")
	os.WriteFile(credits, []byte("Game and art by Ada Lovelace. CC0.\n"), 0o644)
	// What an earlier bundle of other targets left (an executable, the
	// page), as its list says, and the user's own file: kept, and the
	// first two named.
	old, oldWeb := filepath.Join(out, "test-game-windows-arm64.exe"), filepath.Join(out, "web")
	for _, f := range []string{old, filepath.Join(out, "notes.txt"), filepath.Join(oldWeb, "old.js")} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("kept"), 0o644)
	}
	os.WriteFile(filepath.Join(out, listFile), []byte(listHeader+"test-game-windows-arm64.exe\nweb/old.js\n"), 0o644)
	printed := runBundle(t, "-q", "-name", "Test Game", "-version", "1.2.3", "-credits", credits, "-target", "native", "-o", out, c.Path())
	exe := filepath.Join(out, "test-game-"+Native().OS+"-"+Native().Arch+Native().exeSuffix())
	for _, want := range []string{"wrote " + out, exe, "CREDITS.txt", " KB", " MB", "built in",
		"left as they were, from an earlier bundle (another -target, version or name): remove them before you ship " + out + ":\n  " + old + "\n  " + oldWeb + "\n"} {
		if !strings.Contains(printed, want) {
			t.Errorf("bundle printed no %q:\n%s", want, printed)
		}
	}
	if strings.Contains(printed, "notes.txt") {
		t.Errorf("bundle listed the user's notes.txt:\n%s", printed)
	}
	if b, _ := os.ReadFile(old); string(b) != "kept" {
		t.Error("the earlier bundle's file was changed")
	}

	shot := filepath.Join(dir, "headless.png")
	run := func(env []string, args ...string) (string, error) {
		cmd := exec.Command(exe, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache")}
	if msg, err := run(env, "-headless", "-frames", "3", "-screenshot", shot); err != nil {
		t.Fatalf("headless run: %v\n%s", err, msg)
	}
	sameFrame(t, shot, testcarts.Image(c.Format))

	// In a window, titled with the game's name, until -frames ends it.
	wshot := filepath.Join(dir, "window.png")
	cmd := exec.Command(exe, "-frames", "120", "-screenshot", wshot)
	cmd.Env = append(os.Environ(), env...)
	var werr bytes.Buffer
	cmd.Stderr = &werr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	found, ferr := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--name", "^Test Game$").Output()
	cancel()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("window run: %v\n%s", err, werr.String())
	}
	if ferr != nil || len(bytes.TrimSpace(found)) == 0 {
		t.Errorf("no window titled \"Test Game\": %v", ferr)
	}
	sameFrame(t, wshot, testcarts.Image(c.Format))

	if msg, err := run(env, "-version"); err != nil || !strings.HasPrefix(msg, "Test Game 1.2.3 (cart sha256:") {
		t.Errorf("-version: %v %q", err, msg)
	}
	msg, err := run(env, "-credits")
	for _, want := range []string{"Test Game 1.2.3\n", "Game and art by Ada Lovelace. CC0.", "github.com/hajimehoshi/ebiten/v2", "github.com/tetratelabs/wazero", "Copyright 2009 The Go Authors"} {
		if err != nil || !strings.Contains(msg, want) {
			t.Errorf("-credits: %v, lacks %q", err, want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "CREDITS.txt")); string(b) != msg {
		t.Error("CREDITS.txt beside the executable differs from what -credits prints")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cart.wasm"}, `Test Game plays the game it carries: it takes flags only, no cart or command (got "cart.wasm")`},
		{[]string{"-frames", "1", "new", "c", "x"}, `no cart or command (got "new")`},
		{[]string{"-watch"}, "-watch reloads a cart file, and Test Game carries its cart"},
		{[]string{"-headless", "-stats"}, "-stats is a tool for the game's author: it works in a game bundled with ebicart bundle -dev"},
	} {
		msg, err := run(env, tc.args...)
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(msg, tc.want) {
			t.Errorf("%v: %v %q, want exit status 2 and %q", tc.args, err, msg, tc.want)
		}
	}

	// Saves are kept under the game's name: a new version of the game,
	// with another cart, finds them.
	flood := testcarts.GuestTestdata("hostile/save_flood")
	runBundle(t, "-q", "-name", "Flood Game", "-dev", "-target", "native", "-o", out, flood)
	flooder := filepath.Join(out, "flood-game-"+Native().OS+"-"+Native().Arch+Native().exeSuffix())
	cmd = exec.Command(flooder, "-headless", "-frames", "5", "-stats")
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "ebicart-stats") {
		t.Fatalf("a -dev bundle with -stats: %v\n%s", err, b)
	}
	if _, err := os.Stat(filepath.Join(home, "ebicart", "saves", "game-flood-game.disk")); err != nil {
		t.Errorf("no save under the game's name: %v", err)
	}
}

// TestBundleAllTargets bundles a cart for every platform and the web,
// with one build cache, and checks each file with the standard library's
// readers and Debian's tools: the ELF, PE and Mach-O machines, the cart
// inside each, the Windows GUI subsystem, icon and version (icoutils,
// python3-pefile), the .app's plist and icon (icnsutils), the .desktop
// entries (desktop-file-utils), the zip's index.html at its root.
func TestBundleAllTargets(t *testing.T) {
	needE2E(t)
	wasm, err := os.ReadFile(testcarts.SeedPath())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dist")
	// A file an older page had, as the folder's list says, which this one
	// has not: named, and kept.
	oldJS := filepath.Join(out, "web", "old.js")
	os.MkdirAll(filepath.Dir(oldJS), 0o755)
	os.WriteFile(oldJS, []byte("kept"), 0o644)
	os.WriteFile(filepath.Join(out, listFile), []byte(listHeader+"web/old.js\n"), 0o644)
	printed := runBundle(t, "-name", "Test Game", "-version", "1.2.3", "-target", "all", "-o", out, testcarts.SeedPath())
	if !strings.Contains(printed, "remove them before you ship "+out+":\n  "+oldJS+"\n") {
		t.Errorf("the older page's file is not named:\n%s", printed)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	carries := func(name string) {
		t.Helper()
		if !bytes.Contains(read(name), wasm) {
			t.Errorf("%s does not carry the cart", name)
		}
	}
	for _, tc := range []struct {
		arch    string
		machine elf.Machine
	}{{"amd64", elf.EM_X86_64}, {"arm64", elf.EM_AARCH64}} {
		name := "test-game-linux-" + tc.arch
		f, err := elf.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != tc.machine || f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
			t.Errorf("%s: %v %v", name, f.Machine, f.Type)
		}
		f.Close()
		carries(name)
		validate := needTool(t, "desktop-file-validate", "desktop-file-utils")
		if msg, err := exec.Command(validate, filepath.Join(out, name+".desktop")).CombinedOutput(); err != nil || len(msg) > 0 {
			t.Errorf("%s.desktop: %v %s", name, err, msg)
		}
	}

	exe := "test-game-windows-amd64.exe"
	f, err := pe.Open(filepath.Join(out, exe))
	if err != nil {
		t.Fatal(err)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("%s: machine %#x, optional header %T, want a 64-bit GUI program", exe, f.Machine, f.OptionalHeader)
	}
	f.Close()
	carries(exe)
	wrestool := needTool(t, "wrestool", "icoutils")
	if msg, err := exec.Command(wrestool, "-l", filepath.Join(out, exe)).CombinedOutput(); err != nil ||
		!strings.Contains(string(msg), "type=group_icon") || strings.Count(string(msg), "type=icon ") != len(icoSizes) || !strings.Contains(string(msg), "type=version") {
		t.Errorf("wrestool -l %s: %v\n%s", exe, err, msg)
	}
	python := needTool(t, "/usr/bin/python3", "python3-pefile")
	script := `import pefile, sys
pe = pefile.PE(sys.argv[1])
for fi in pe.FileInfo[0]:
    if fi.Key == b'StringFileInfo':
        for st in fi.StringTable:
            for k, v in sorted(st.entries.items()):
                print(k.decode() + '=' + v.decode())
`
	msg, err := exec.Command(python, "-c", script, filepath.Join(out, exe)).CombinedOutput()
	for _, want := range []string{"ProductName=Test Game", "FileVersion=1.2.3", "OriginalFilename=" + exe} {
		if err != nil || !strings.Contains(string(msg), want+"\n") {
			t.Errorf("pefile's reading of the version: %v, lacks %q\n%s", err, want, msg)
		}
	}

	icns2png := needTool(t, "icns2png", "icnsutils")
	for _, tc := range []struct {
		arch string
		cpu  macho.Cpu
	}{{"arm64", macho.CpuArm64}, {"amd64", macho.CpuAmd64}} {
		app := "test-game-darwin-" + tc.arch + ".app"
		bin := filepath.Join(app, "Contents", "MacOS", "test-game")
		f, err := macho.Open(filepath.Join(out, bin))
		if err != nil {
			t.Fatal(err)
		}
		if f.Cpu != tc.cpu || f.Type != macho.TypeExec {
			t.Errorf("%s: %v %v", bin, f.Cpu, f.Type)
		}
		f.Close()
		if st, err := os.Stat(filepath.Join(out, bin)); err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable: %v", bin, err)
		}
		carries(bin)
		if !bytes.Contains(read(filepath.Join(app, "Contents", "Info.plist")), []byte("<string>1.2.3</string>")) {
			t.Errorf("%s: the Info.plist lacks the version", app)
		}
		if msg, err := exec.Command(icns2png, "-l", filepath.Join(out, app, "Contents", "Resources", "test-game.icns")).CombinedOutput(); err != nil || !strings.Contains(string(msg), "3 elements") {
			t.Errorf("%s's icon: %v\n%s", app, err, msg)
		}
	}

	z, err := zip.OpenReader(filepath.Join(out, "test-game-web.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
	}
	for _, want := range []string{"index.html", "ebicart.wasm", "cartworker.wasm", "cartworker.js", "player.js", "wasm_exec.js", "test-game.wasm", "icon.png", "CREDITS.txt"} {
		if !names[want] {
			t.Errorf("the zip has no %s at its root: %v", want, names)
		}
	}
	if !bytes.Equal(read(filepath.Join("web", "test-game.wasm")), wasm) {
		t.Error("web/test-game.wasm is not the cart")
	}
	credits := string(read("CREDITS.txt"))
	for _, want := range []string{"Test Game 1.2.3\n", "github.com/hajimehoshi/ebiten/v2 v", "github.com/tetratelabs/wazero v", "golang.org/x/sys v", "Apache License"} {
		if !strings.Contains(credits, want) {
			t.Errorf("CREDITS.txt lacks %q", want)
		}
	}
}
