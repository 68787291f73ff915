// Command w4diff runs WASM-4's archive of published carts on WASM-4's own
// native runtime and on ebicart, with no input, and compares what a player
// would see and hear: the frames after updates 1, 60 and 300, and the
// sound of all 300 updates. make w4-diff runs it after ref/build.sh has
// fetched WASM-4 and built its runtime, with drivers of ours, into a
// directory outside the repository:
//
//	go run ./internal/w4diff -ref DIR [-only NAME] [-v]
//
// The carts are DIR/wasm4/site/static/carts, checked against the names and
// SHA-256 sums of wasm4/testdata/archive.txt. For each cart w4diff runs
// DIR/w4dump (WASM-4's runtime), DIR/w4dump-ink and DIR/w4dump-paper (the
// same with every glyph of its font all ink, or all background) and
// ebicart (package cart, sound through Options.AudioOut). A pixel where
// either of the other fonts changes WASM-4's frame is one whose colour the
// font decides: text. A frame is
// "identical" when ebicart's pixels are WASM-4's, "text only" when they
// differ only where text is, and "differs" otherwise. The sound is
// compared sample by sample: the RMS of the difference, as a fraction of
// full scale.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ebicart/ebicart/cart"
)

// The updates run and the frames compared (after updates 1, 60, 300 unless
// -frames says others).
var (
	updates = 300
	frames  = []int{1, 60, 300}
)

// archiveCart is a line of archive.txt.
type archiveCart struct{ name, sha string }

// run is what one runtime did with a cart.
type run struct {
	err     string           // how it failed, if it did
	updates int              // updates completed
	frames  map[int][]uint32 // 0xRRGGBB pixels after the updates in frames
	audio   []int16          // interleaved, 735 frames an update
}

func main() {
	if cart.ServeWorker() {
		return
	}
	ref := flag.String("ref", "", "the directory internal/w4diff/ref/build.sh built WASM-4's runtime in")
	archive := flag.String("archive", "wasm4/testdata/archive.txt", "the archive's names and SHA-256 sums")
	only := flag.String("only", "", "run the carts whose names contain this only")
	verbose := flag.Bool("v", false, "describe every difference")
	pngDir := flag.String("png", "", "write each compared frame, ebicart's, WASM-4's and where they differ, as PNGs to this directory")
	one := flag.String("cart", "", "compare this cart file instead of the archive's")
	frameList := flag.String("frames", "1,60,300", "the frames to compare: after which updates, the last one the number of updates run")
	flag.Parse()
	frames = nil
	for _, f := range strings.Split(*frameList, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			fatal(fmt.Errorf("-frames: %q is not an update number", f))
		}
		frames = append(frames, n)
	}
	updates = frames[len(frames)-1]
	if *ref == "" {
		fmt.Fprintln(os.Stderr, "w4diff: -ref DIR is required: the directory internal/w4diff/ref/build.sh DIR built WASM-4 in")
		os.Exit(2)
	}
	carts, err := readArchive(*archive)
	if err != nil {
		fatal(err)
	}
	dir := filepath.Join(*ref, "wasm4", "site", "static", "carts")
	if *one != "" {
		b, err := os.ReadFile(*one)
		if err != nil {
			fatal(err)
		}
		sum := sha256.Sum256(b)
		dir, carts = filepath.Dir(*one), []archiveCart{{filepath.Base(*one), hex.EncodeToString(sum[:])}}
	}
	var (
		ran, loaded, refLoaded, identical, textOnly, differs, sound int
		notes                                                       []string
	)
	fmt.Printf("%-24s %-10s %-10s %-26s %s\n", "cart", "WASM-4", "ebicart", "frames "+*frameList, "sound: RMS of the difference (of WASM-4's RMS)")
	for _, c := range carts {
		if *only != "" && !strings.Contains(c.name, *only) {
			continue
		}
		ran++
		wasm, err := os.ReadFile(filepath.Join(dir, c.name))
		if err != nil {
			fatal(fmt.Errorf("%v (run make w4-diff, whose build.sh fetches the archive)", err))
		}
		if sum := sha256.Sum256(wasm); hex.EncodeToString(sum[:]) != c.sha {
			fatal(fmt.Errorf("%s: sha256 %x, archive.txt says %s", c.name, sum, c.sha))
		}
		w4, err := runRef(filepath.Join(*ref, "w4dump"), filepath.Join(dir, c.name))
		if err != nil {
			fatal(err)
		}
		// The font variants only tell text apart in frames WASM-4 drew; a
		// cart it cannot run (it timed out) would time out twice more.
		var ink, paper run
		if len(w4.frames) > 0 {
			if ink, err = runRef(filepath.Join(*ref, "w4dump-ink"), filepath.Join(dir, c.name)); err != nil {
				fatal(err)
			}
			if paper, err = runRef(filepath.Join(*ref, "w4dump-paper"), filepath.Join(dir, c.name)); err != nil {
				fatal(err)
			}
		}
		eb := runEbicart(c.name, wasm)
		if eb.updates == updates {
			loaded++
		}
		if w4.updates == updates {
			refLoaded++
		}
		var cells []string
		worst := "identical"
		for _, f := range frames {
			g, w := eb.frames[f], w4.frames[f]
			text := textMask(w, ink.frames[f], paper.frames[f])
			if *pngDir != "" {
				writePNGs(*pngDir, fmt.Sprintf("%s-%d", strings.TrimSuffix(c.name, ".wasm"), f), g, w, text)
			}
			if g == nil || w == nil {
				cells = append(cells, "-")
				if g == nil && w != nil {
					worst = "differs"
				}
				continue
			}
			inText, outside, first := 0, 0, -1
			for i := range g {
				if g[i] == w[i] {
					continue
				}
				if text[i] {
					inText++
				} else {
					outside++
					if first < 0 {
						first = i
					}
				}
			}
			switch {
			case inText == 0 && outside == 0:
				cells = append(cells, "=")
			case outside == 0:
				cells = append(cells, fmt.Sprintf("t%d", inText))
				if worst == "identical" {
					worst = "text only"
				}
			default:
				cells = append(cells, fmt.Sprintf("D%d", outside))
				worst = "differs"
				if *verbose {
					notes = append(notes, fmt.Sprintf("%s: frame %d: %d pixels differ outside text, the first at (%d,%d): %06x, WASM-4 %06x",
						c.name, f, outside, first%160, first/160, g[first], w[first]))
				}
			}
		}
		if w4.updates == updates && eb.updates == updates {
			switch worst {
			case "identical":
				identical++
			case "text only":
				textOnly++
			default:
				differs++
			}
		}
		snd := ""
		if n := min(len(eb.audio), len(w4.audio)); n > 0 {
			ref, diff := rms(w4.audio[:n], nil), rms(eb.audio[:n], w4.audio[:n])
			if ref > 0 || diff > 0 {
				sound++
				snd = fmt.Sprintf("%.5f%% (of %.3f%%)", 100*diff, 100*ref)
			}
		}
		fmt.Printf("%-24s %-10s %-10s %-26s %s\n", strings.TrimSuffix(c.name, ".wasm"), status(w4), status(eb), worst+" "+strings.Join(cells, " "), snd)
		if eb.err != "" && *verbose {
			notes = append(notes, fmt.Sprintf("%s: ebicart: %s", c.name, eb.err))
		}
		if w4.err != "" && *verbose {
			notes = append(notes, fmt.Sprintf("%s: WASM-4: %s", c.name, w4.err))
		}
	}
	fmt.Printf("\n%d carts; ran %d updates: ebicart %d, WASM-4 %d. Of those both ran: %d pixel-identical, %d differ only where text is, %d differ elsewhere. %d make sound.\n",
		ran, updates, loaded, refLoaded, identical, textOnly, differs, sound)
	for _, n := range notes {
		fmt.Println(n)
	}
}

func status(r run) string {
	if r.updates == updates {
		return "ran"
	}
	return fmt.Sprintf("stops@%d", r.updates)
}

// readArchive reads archive.txt.
func readArchive(path string) ([]archiveCart, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []archiveCart
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sha, name, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("%s: %q is not \"sha256 name\"", path, line)
		}
		out = append(out, archiveCart{name, sha})
	}
	return out, sc.Err()
}

// runRef runs one of WASM-4's drivers on a cart.
func runRef(bin, cartPath string) (run, error) {
	out, err := os.MkdirTemp("", "w4diff")
	if err != nil {
		return run{}, err
	}
	defer os.RemoveAll(out)
	args := []string{cartPath, out, strconv.Itoa(updates)}
	for _, f := range frames {
		args = append(args, strconv.Itoa(f))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = nil // the cart's traces
	runErr := cmd.Run()
	if _, err := os.Stat(bin); err != nil {
		return run{}, fmt.Errorf("%v (run internal/w4diff/ref/build.sh)", err)
	}
	r := run{frames: map[int][]uint32{}}
	if b, err := os.ReadFile(filepath.Join(out, "updates")); err == nil {
		r.updates, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if runErr != nil {
		r.err = strings.TrimSpace(runErr.Error() + ": " + stderr.String())
	}
	for _, f := range frames {
		b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("frame-%d.bin", f)))
		if err != nil || len(b) != 6400+16 {
			continue
		}
		var pal [4]uint32
		for i := range pal {
			pal[i] = binary.LittleEndian.Uint32(b[6400+4*i:]) & 0xffffff
		}
		px := make([]uint32, 160*160)
		for i := range px {
			px[i] = pal[b[i>>2]>>(2*(i&3))&3]
		}
		r.frames[f] = px
	}
	if b, err := os.ReadFile(filepath.Join(out, "audio.raw")); err == nil {
		r.audio = make([]int16, len(b)/2)
		for i := range r.audio {
			r.audio[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
		}
	}
	return r, nil
}

// runEbicart runs a cart on ebicart, with no input.
func runEbicart(name string, wasm []byte) run {
	r := run{frames: map[int][]uint32{}}
	var audio bytes.Buffer
	c, err := cart.Load(wasm, &cart.Options{Name: name, AudioOut: &audio}) // the mode it detects
	if err == nil && c.Mode() != cart.ModeWASM4 {
		c.Close()
		r.err = fmt.Sprintf("runs as %v, not WASM-4", c.Mode())
		return r
	}
	if err != nil {
		r.err = err.Error()
		return r
	}
	defer c.Close()
	for u := 1; u <= updates; u++ {
		if err := c.Update(); err != nil {
			r.err = fmt.Sprintf("update %d: %v", u, err)
			break
		}
		r.updates = u
		for _, f := range frames {
			if f != u {
				continue
			}
			img, err := c.Snapshot()
			if err != nil {
				r.err = err.Error()
				break
			}
			px := make([]uint32, 160*160)
			for i := range px {
				p := img.Pix[4*i:]
				px[i] = uint32(p[0])<<16 | uint32(p[1])<<8 | uint32(p[2])
			}
			r.frames[f] = px
		}
	}
	b := audio.Bytes()
	r.audio = make([]int16, len(b)/2)
	for i := range r.audio {
		r.audio[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return r
}

// rms returns the root mean square of a - b (of a alone when b is nil), as
// a fraction of full scale.
func rms(a, b []int16) float64 {
	var s float64
	for i, v := range a {
		d := float64(v)
		if b != nil {
			d -= float64(b[i])
		}
		s += d * d
	}
	return math.Sqrt(s/float64(len(a))) / 32768
}

// textMask returns the pixels of frame w whose colour the font decides:
// those that differ in the runs with an all-ink or an all-background font.
func textMask(w, ink, paper []uint32) []bool {
	m := make([]bool, 160*160)
	for i := range m {
		m[i] = w != nil && (ink != nil && ink[i] != w[i] || paper != nil && paper[i] != w[i])
	}
	return m
}

// writePNGs writes ebicart's frame, WASM-4's, and a map of where they
// differ: black where they agree, grey where WASM-4's font decides the
// pixel (text), red where they differ inside text, yellow outside it.
func writePNGs(dir, name string, g, w []uint32, textPx []bool) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fatal(err)
	}
	save := func(suffix string, px func(i int) color.RGBA) {
		img := image.NewRGBA(image.Rect(0, 0, 160, 160))
		for i := range 160 * 160 {
			img.SetRGBA(i%160, i/160, px(i))
		}
		f, err := os.Create(filepath.Join(dir, name+"-"+suffix+".png"))
		if err != nil {
			fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			fatal(err)
		}
	}
	rgb := func(v uint32) color.RGBA { return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255} }
	if g != nil {
		save("ebicart", func(i int) color.RGBA { return rgb(g[i]) })
	}
	if w != nil {
		save("wasm4", func(i int) color.RGBA { return rgb(w[i]) })
	}
	if g != nil && w != nil {
		save("diff", func(i int) color.RGBA {
			text := textPx[i]
			switch {
			case g[i] != w[i] && text:
				return color.RGBA{255, 0, 0, 255}
			case g[i] != w[i]:
				return color.RGBA{255, 255, 0, 255}
			case text:
				return color.RGBA{80, 80, 80, 255}
			}
			return color.RGBA{0, 0, 0, 255}
		})
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "w4diff:", err)
	os.Exit(1)
}
