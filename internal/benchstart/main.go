// Command benchstart measures ebicart's warm start-up, for make
// bench-start: the wall time of `ebicart -headless -frames 1 CART` for a
// big Go cart (the demo, 1.9 MB) and a small WAT cart, each the median of
// 10 runs after one discarded run that warms the compile cache and the
// page cache, the two taking turns. The compile cache lives in a
// temporary directory, so the user's is neither used nor touched.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

func main() {
	runs := flag.Int("runs", 10, "measured runs per cart, after one discarded")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "ebicart-benchstart")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "ebicart")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fail(fmt.Errorf("go build: %v\n%s", err, out))
	}
	carts := []struct{ name, path string }{
		{"Go cart (demo, 1.9 MB)", "assets/carts/demo.wasm"},
		{"WAT cart (good.wasm)", "guest/testdata/good.wasm"},
	}
	// The carts take turns, one run each, so that a machine that gets
	// busier or quieter during the benchmark weighs on both alike.
	times := make([][]time.Duration, len(carts))
	for r := 0; r <= *runs; r++ {
		for i, c := range carts {
			cmd := exec.Command(bin, "-headless", "-frames", "1", c.path)
			cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(tmp, "cache"), "XDG_DATA_HOME="+filepath.Join(tmp, "data"))
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				fail(fmt.Errorf("%s: %v\n%s", c.path, err, out))
			}
			if r > 0 {
				times[i] = append(times[i], time.Since(start))
			}
		}
	}
	medians := make([]time.Duration, len(carts))
	for i, c := range carts {
		st, err := os.Stat(c.path)
		if err != nil {
			fail(err)
		}
		ts := times[i]
		slices.Sort(ts)
		medians[i] = ts[len(ts)/2]
		fmt.Printf("%-26s %8d bytes  median %6.1f ms  (min %.1f, max %.1f, %d runs)\n", c.name, st.Size(),
			ms(medians[i]), ms(ts[0]), ms(ts[len(ts)-1]), len(ts))
	}
	fmt.Printf("ratio Go / WAT: %.2f (target: <= 1.5, and the Go cart <= 150 ms)\n", float64(medians[0])/float64(medians[1]))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchstart:", err)
	os.Exit(1)
}
