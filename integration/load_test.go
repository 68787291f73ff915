//go:build !js

package integration

import (
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ebicart/ebicart/internal/testcarts"
)

// busyEnv makes this test binary spin forever instead of testing: the
// busy processes of busyCPUs.
const busyEnv = "EBICART_TEST_BUSY"

// busyCPUs keeps every CPU busy, one spinning process each at normal
// priority, until the test ends: a machine as busy as a player's often is.
func busyCPUs(t *testing.T) {
	t.Helper()
	for range runtime.NumCPU() {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), busyEnv+"=1")
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting a busy process: %v", err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
}

// TestSlowMachine: with one busy process per CPU, the default page (the Go
// demo, whose runtime takes a while to start), a ?cart= page and the
// arcade example start and play: slow is not stuck; and an endless loop
// still gets the "not responding" prompt on the page, and is stopped at
// its limit in a headless run. A prompt, should an
// update run past its limit, is answered with Wait, as a player would, and
// counted; the cart must play on either way.
func TestSlowMachine(t *testing.T) {
	site(t) // built before the CPUs are busy
	browser(t)
	bin := filepath.Join(t.TempDir(), "ebicart")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = testcarts.Root()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	busyCPUs(t)
	for _, tc := range []struct{ query, cart string }{
		{"", "demo"},
		{"?cart=carts/idx160.wasm", "idx160"},
	} {
		t.Run(tc.cart, func(t *testing.T) {
			p := openPage(t, tc.query)
			p.waitCart(tc.cart)
			const stats = `ebicart.stats()`
			start := eval[int](p, stats+`.frames`)
			prompts := 0
			deadline := time.Now().Add(90 * time.Second)
			for eval[int](p, stats+`.frames`) < start+120 {
				if e := eval[string](p, `document.body.dataset.error || ''`); e != "" {
					t.Fatalf("the cart stopped: %s", e)
				}
				if eval[bool](p, stats+`.asking`) {
					prompts++
					key(t, p, "Enter", 13, true, true)
					p.wait(`!`+stats+`.asking`, 10*time.Second)
				}
				if time.Now().After(deadline) {
					t.Fatalf("the cart ran %d updates in 90 s, want 120", eval[int](p, stats+`.frames`)-start)
				}
				time.Sleep(100 * time.Millisecond) // the poll's interval
			}
			t.Logf("%s: 120 updates, %d prompts answered with Wait", tc.cart, prompts)
		})
	}
	// A cart that is stuck, not slow, still is: the page asks, and a
	// headless run stops it at its limit.
	t.Run("endless loop page", func(t *testing.T) {
		p := openPage(t, "?cart=carts/test/update_loop.wasm")
		p.wait(`!!(window.ebicart && ebicart.stats && ebicart.stats() && ebicart.stats().asking)`, 90*time.Second)
		key(t, p, "Escape", 27, true, true)
		p.wait(`!!document.body.dataset.error`, 30*time.Second)
		if text := eval[string](p, `document.body.dataset.error`); !strings.Contains(text, "update did not return within 1s") {
			t.Fatalf("the page's error is %q, want the deadline", text)
		}
	})
	t.Run("endless loop headless", func(t *testing.T) {
		cmd := exec.Command(bin, "-headless", testcarts.GuestTestdata("hostile/update_loop"))
		out, err := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 || !strings.Contains(string(out), "update did not return within 1s") {
			t.Fatalf("ebicart -headless on an endless loop: exit %d (%v), want 1 and the deadline:\n%s", code, err, out)
		}
	})
	t.Run("embed", func(t *testing.T) {
		p := openPage(t, "embed/")
		p.wait(`document.body.dataset.started === 'true' && !!document.querySelector('canvas')`, 90*time.Second)
		// The seed cabinet shows its two colours once its cart runs, and the
		// demo's screen changes from one shot to the next; no cart stops.
		deadline := time.Now().Add(90 * time.Second)
		var prev []color.RGBA
		for {
			img := p.screenshot()
			red, changed := 0, 0
			var cur []color.RGBA
			for y := 0; y < pageH; y += 4 {
				for x := 0; x < pageW; x += 4 {
					c := rgbaAt(img, x, y)
					if c == (color.RGBA{255, 0, 0, 255}) {
						red++
					}
					if prev != nil && c != prev[len(cur)] {
						changed++
					}
					cur = append(cur, c)
				}
			}
			prev = cur
			p.mu.Lock()
			console := strings.Join(p.console, "\n")
			p.mu.Unlock()
			if strings.Contains(console, ".wasm: ") {
				t.Fatalf("a cabinet's cart stopped or asked:\n%s", console)
			}
			if red >= 50 && changed >= 200 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 90 s the arcade shows %d red sampled pixels and %d changed: want the seed cart and the demo playing", red, changed)
			}
			time.Sleep(500 * time.Millisecond) // the demo moves on between shots
		}
	})
}
