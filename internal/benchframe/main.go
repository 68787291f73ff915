//go:build linux

// Command benchframe measures what running a cart costs the whole host
// process, in a real window (under Xvfb) and headless, next to same-run
// baselines: a no-op Ebitengine game of the same window size (package
// noop), and any other runtimes named in BENCH_PEER. make bench-frame runs
// it under xvfb-run.
//
//	BENCH_PEER='w4=/path/to/w4 run-native {cart}' make bench-frame
//
// Each run is a separate process; its CPU time (user+sys) and peak RSS
// come from the kernel when it exits (wait4 rusage), its counts and
// timings from ebicart's -stats line.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// stats is ebicart's -stats line (the noop game prints the same keys).
type stats struct {
	Ticks       int     `json:"ticks"`
	Updates     int     `json:"updates"`
	Draws       int     `json:"draws"`
	Uploads     int     `json:"uploads"`
	UpdateP50   float64 `json:"update_p50_us"`
	UpdateP95   float64 `json:"update_p95_us"`
	UploadP50   float64 `json:"upload_p50_us"`
	FirstFrameN int64   `json:"first_frame_unix_ns"`
}

// result is one measured run.
type result struct {
	name          string
	cpuPerFrameMs float64
	updatesPerS   float64
	drawsPerS     float64
	st            stats
	peakRSSMiB    float64
	firstFrameMs  float64
}

func run(name string, frames int, limit time.Duration, args ...string) (result, error) {
	r := result{name: name}
	var stderr bytes.Buffer
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	var timer *time.Timer
	if limit > 0 {
		timer = time.AfterFunc(limit, func() { cmd.Process.Signal(syscall.SIGTERM) })
	}
	err := cmd.Wait()
	wall := time.Since(start)
	if timer != nil {
		timer.Stop()
	}
	if err != nil && limit == 0 {
		return r, fmt.Errorf("%s: %v\n%s", name, err, stderr.String())
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if ru != nil {
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		r.cpuPerFrameMs = float64(cpu.Microseconds()) / 1e3 / float64(frames)
		r.peakRSSMiB = float64(ru.Maxrss) / 1024
	}
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "ebicart-stats "); ok {
			json.Unmarshal([]byte(line), &r.st)
		}
	}
	secs := wall.Seconds()
	if r.st.FirstFrameN > 0 {
		first := time.Unix(0, r.st.FirstFrameN)
		r.firstFrameMs = float64(first.Sub(start).Microseconds()) / 1e3
		secs = time.Since(first).Seconds() - time.Since(start.Add(wall)).Seconds()
	}
	if secs > 0 {
		r.updatesPerS = float64(r.st.Updates) / secs
		r.drawsPerS = float64(r.st.Draws) / secs
	}
	if limit > 0 { // a peer: no stats line, frames at 60 Hz for the limit
		r.updatesPerS = 60
	}
	return r, nil
}

func main() {
	frames := flag.Int("frames", 600, "updates per run")
	carts := flag.String("carts", "idle,idx160,rgba,rgb720,mandel", "carts of assets/carts to run")
	flag.Parse()
	if os.Getenv("DISPLAY") == "" {
		fmt.Fprintln(os.Stderr, "benchframe: no X display: run it with make bench-frame (xvfb-run)")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "benchframe")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(dir)
	ebicart, noop := filepath.Join(dir, "ebicart"), filepath.Join(dir, "noop")
	for bin, pkg := range map[string]string{ebicart: ".", noop: "./internal/benchframe/noop"} {
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			fatal(fmt.Errorf("go build %s: %v\n%s", pkg, err, out))
		}
	}
	// A warm-up run fills the compilation cache: the table shows warm starts.
	run("warm-up", *frames, 0, ebicart, "-headless", "-frames", "1", "assets/carts/demo.wasm")

	n := fmt.Sprint(*frames)
	fmt.Printf("%d frames per run; CPU = user+sys of the whole process per frame; ratios to the no-op game of the same window that presents once per update\n\n", *frames)
	fmt.Printf("%-22s %9s %7s %8s %8s %9s %9s %10s %8s %9s %8s\n", "run", "CPU ms/f", "ratio", "upd/s", "draws/s", "upd p50", "upd p95", "pack+up", "RSS MiB", "1st frame", "RSS +")
	size := map[string][2]int{"idle": {160, 160}, "idx160": {160, 160}, "rgba": {320, 180}, "rgb720": {1280, 720}, "mandel": {320, 180}, "rgb360": {640, 360}}
	peers := parsePeers(os.Getenv("BENCH_PEER"))
	for _, c := range strings.Split(*carts, ",") {
		path := filepath.Join("assets", "carts", c+".wasm")
		wh := size[c]
		scale := max(1, min(960/wh[0], 720/wh[1]))
		ww, hh := fmt.Sprint(wh[0]*scale), fmt.Sprint(wh[1]*scale)
		fmt.Printf("-- %s (%dx%d, window %sx%s)\n", c, wh[0], wh[1], ww, hh)
		var floor result
		rows := []struct {
			name string
			args []string
		}{
			{"noop: presents once", []string{noop, "-mode", "once", "-frames", n, "-w", ww, "-h", hh}},
			{"noop: presents freely", []string{noop, "-mode", "free", "-frames", n, "-w", ww, "-h", hh}},
			{"noop: presents nothing", []string{noop, "-mode", "none", "-frames", n, "-w", ww, "-h", hh}},
			{"ebicart window", []string{ebicart, "-frames", n, "-stats", path}},
			{"ebicart headless", []string{ebicart, "-headless", "-frames", n, "-stats", path}},
		}
		for i, row := range rows {
			r, err := run(row.name, *frames, 0, row.args...)
			if err != nil {
				fmt.Printf("%-22s error: %v\n", row.name, err)
				continue
			}
			if i == 0 {
				floor = r
			}
			print(r, floor)
		}
		for _, p := range peers {
			args := strings.Fields(strings.ReplaceAll(p.cmd, "{cart}", path))
			limit := time.Duration(*frames) * time.Second / 60
			r, err := run(p.name, *frames, limit, args...)
			if err != nil {
				fmt.Printf("%-22s error: %v\n", p.name, err)
				continue
			}
			print(r, floor)
		}
	}
}

func print(r, floor result) {
	ratio := "-"
	if floor.cpuPerFrameMs > 0 {
		ratio = fmt.Sprintf("%.2f", r.cpuPerFrameMs/floor.cpuPerFrameMs)
	}
	first := "-"
	if r.firstFrameMs > 0 {
		first = fmt.Sprintf("%.0f ms", r.firstFrameMs)
	}
	fmt.Printf("%-22s %9.2f %7s %8.1f %8.1f %7.0fµs %7.0fµs %8.0fµs %8.1f %9s %+8.1f\n",
		r.name, r.cpuPerFrameMs, ratio, r.updatesPerS, r.drawsPerS, r.st.UpdateP50, r.st.UpdateP95, r.st.UploadP50,
		r.peakRSSMiB, first, r.peakRSSMiB-floor.peakRSSMiB)
}

type peer struct{ name, cmd string }

// parsePeers reads BENCH_PEER: "name=command {cart};name2=command2".
func parsePeers(s string) []peer {
	var ps []peer
	for _, part := range strings.Split(s, ";") {
		name, cmd, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && cmd != "" {
			ps = append(ps, peer{"peer " + name, cmd})
		}
	}
	return ps
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "benchframe:", err)
	os.Exit(1)
}
