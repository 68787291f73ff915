// Command benchratio reads `go test -bench` output and prints ratios to
// the baselines measured in the same run: per pixel format and frame size,
// packing (BenchmarkPack) to a plain copy of the same bytes (BenchmarkCopy);
// per cart, a tick under each isolation mechanism (BenchmarkUpdate) to the
// plain compiled one.
//
//	go test -run '^$' -bench . ./framebuffer ./guest | go run ./internal/benchratio
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// line matches "BenchmarkPack/RGB888/160x160-2   1000   1234 ns/op ...",
// and BenchmarkOpaque's "alpha-scan" rows, which the table shows as a
// format.
var line = regexp.MustCompile(`^Benchmark(Pack|Copy|Opaque)/(?:(.+)/)?(\d+x\d+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// cartLine matches "BenchmarkRewindRecord/demo-2   2000   13503 ns/op ..."
// and the other benchmarks of package cart.
var cartLine = regexp.MustCompile(`^Benchmark(CartUpdate|RewindRecord|SaveState)/([^\s-]+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// updateLine matches "BenchmarkUpdate/mandel/locked-2   100   10273771 ns/op".
var updateLine = regexp.MustCompile(`^BenchmarkUpdate/([^/]+)/([^\s-]+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// targets are the ratio limits per format; sizes not listed use "*".
var targets = map[string]map[string]float64{
	"RGB888":   {"*": 6},
	"XRGB8888": {"*": 6},
	"INDEXED2": {"160x160": 3, "*": 10},
	"*":        {"*": 10},
}

func target(format, size string) float64 {
	t, ok := targets[format]
	if !ok {
		t = targets["*"]
	}
	if v, ok := t[size]; ok {
		return v
	}
	return t["*"]
}

func main() {
	copyNs := map[string]float64{}
	type row struct {
		format, size string
		ns           float64
	}
	var rows []row
	var sizes []string
	updates := map[string]map[string]float64{}
	var updateCarts []string
	cartNs := map[string]map[string]float64{}
	var cartNames []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if m := cartLine.FindStringSubmatch(sc.Text()); m != nil {
			ns, _ := strconv.ParseFloat(m[3], 64)
			if cartNs[m[2]] == nil {
				cartNs[m[2]] = map[string]float64{}
				cartNames = append(cartNames, m[2])
			}
			if old, ok := cartNs[m[2]][m[1]]; !ok || ns < old {
				cartNs[m[2]][m[1]] = ns // the fastest of repeated runs: the least disturbed
			}
			continue
		}
		if m := updateLine.FindStringSubmatch(sc.Text()); m != nil {
			ns, _ := strconv.ParseFloat(m[3], 64)
			if updates[m[1]] == nil {
				updates[m[1]] = map[string]float64{}
				updateCarts = append(updateCarts, m[1])
			}
			if old, ok := updates[m[1]][m[2]]; !ok || ns < old {
				updates[m[1]][m[2]] = ns
			}
			continue
		}
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			continue
		}
		if m[1] == "Copy" {
			copyNs[m[3]] = ns
			sizes = append(sizes, m[3])
			continue
		}
		rows = append(rows, row{m[2], m[3], ns})
	}
	if (len(rows) == 0 || len(copyNs) == 0) && len(updates) == 0 && len(cartNs) == 0 {
		fmt.Fprintln(os.Stderr, "benchratio: no BenchmarkPack/BenchmarkCopy or BenchmarkUpdate results on standard input")
		os.Exit(1)
	}
	defer printCarts(cartNs, cartNames)
	defer printUpdates(updates, updateCarts)
	if len(rows) == 0 {
		return
	}
	fmt.Printf("\npack time / copy time, same run (lower is better; target in brackets)\n\n")
	fmt.Printf("%-24s", "format")
	for _, s := range sizes {
		fmt.Printf("%16s", s)
	}
	fmt.Println()
	fail := 0
	var order []string
	byFormat := map[string]map[string]float64{}
	for _, r := range rows {
		if byFormat[r.format] == nil {
			byFormat[r.format] = map[string]float64{}
			order = append(order, r.format)
		}
		byFormat[r.format][r.size] = r.ns
	}
	for _, f := range order {
		fmt.Printf("%-24s", strings.ReplaceAll(f, "_", " "))
		for _, s := range sizes {
			ns, ok := byFormat[f][s]
			if !ok {
				fmt.Printf("%16s", "-")
				continue
			}
			ratio := ns / copyNs[s]
			mark := " "
			if f == "RGBA8888_premultiplied" {
				// Packed premultiplied RGBA is not packed at all: the
				// host uploads a view of the cart's memory.
				fmt.Printf("%16s", fmt.Sprintf("%.3f (0 copy)", ratio))
				continue
			}
			if t := target(f, s); ratio > t {
				mark = "!"
				fail++
			}
			fmt.Printf("%16s", fmt.Sprintf("%.1f [%g]%s", ratio, target(f, s), mark))
		}
		fmt.Println()
	}
	fmt.Printf("%-24s", "copy baseline (GB/s)")
	for _, s := range sizes {
		var w, h float64
		fmt.Sscanf(s, "%gx%g", &w, &h)
		fmt.Printf("%16.1f", w*h*4/copyNs[s])
	}
	fmt.Println()
	if fail > 0 {
		fmt.Printf("\n%d results over their target (marked !)\n", fail)
	}
}

// printCarts prints the rewind history's cost per update as a ratio to an
// update of the same cart (target <= 0.10), and a save state's time
// (target <= 16 ms for the demo).
func printCarts(ns map[string]map[string]float64, carts []string) {
	if len(carts) == 0 {
		return
	}
	fmt.Printf("\nrewind history per update / an update, same run (target <= 0.10); a save state (target <= 16 ms)\n\n")
	fmt.Printf("%-10s %14s %14s %10s %12s\n", "cart", "update", "rewind/upd", "", "save state")
	for _, c := range carts {
		n := ns[c]
		ratio, mark := "-", ""
		if n["CartUpdate"] > 0 && n["RewindRecord"] > 0 {
			r := n["RewindRecord"] / n["CartUpdate"]
			ratio = fmt.Sprintf("%.3f", r)
			if r > 0.10 {
				mark = "!"
			}
		}
		fmt.Printf("%-10s %12.1fµs %14s %10s %10.2fms\n", c, n["CartUpdate"]/1e3, ratio, mark, n["SaveState"]/1e6)
	}
}

// printUpdates prints each cart's tick time per mechanism as a ratio to
// plain compiled wazero (target: the worker process within 10%), and the
// cost of the worker's lockdown (locked / unlocked, target <= 1.05).
func printUpdates(updates map[string]map[string]float64, carts []string) {
	if len(carts) == 0 {
		return
	}
	fmt.Printf("\ncart tick time / plain compiled, same run (target for the mechanism in use: <= 1.10;\nlocked = a worker process locked down, as carts run; its lockdown's cost: locked/unlocked <= 1.05;\nthe stack bound's cost: compiled/unbounded <= 1.05)\n\n")
	mechs := []string{"compiled", "unbounded", "locked", "unlocked", "inprocess"}
	fmt.Printf("%-10s", "cart")
	for _, m := range mechs {
		fmt.Printf(" %16s", m)
	}
	fmt.Printf(" %16s %16s\n", "locked/unlocked", "comp./unbounded")
	for _, c := range carts {
		u := updates[c]
		base := u["compiled"]
		fmt.Printf("%-10s", c)
		for _, m := range mechs {
			ns, ok := u[m]
			if !ok || base == 0 {
				fmt.Printf(" %16s", "-")
				continue
			}
			fmt.Printf(" %16s", fmt.Sprintf("%.2f (%.2fms)", ns/base, ns/1e6))
		}
		for _, pair := range [][2]string{{"locked", "unlocked"}, {"compiled", "unbounded"}} {
			a, b := u[pair[0]], u[pair[1]]
			if a == 0 || b == 0 {
				fmt.Printf(" %16s", "-")
				continue
			}
			mark := ""
			if a/b > 1.05 {
				mark = " !"
			}
			fmt.Printf(" %16s", fmt.Sprintf("%.3f%s", a/b, mark))
		}
		fmt.Println()
	}
}
