// Command hardening prints the table of the second hardening round (make
// hostile): for each thing that must hold, the tests that check it, their
// outcome in this run (read from `go test -json` on standard input), and
// the figures measured before and after the fix. It exits 1 when a test
// failed or did not run.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// row is one item of the table.
type row struct {
	item   string
	tests  []string // test names (a name matches it and its subtests)
	before string
	after  string
}

var rows = []row{
	{"1. Tables and globals count against the memory cap",
		[]string{"TestHostile/inprocess/hostile/table_bomb", "TestHostile/process/hostile/table_bomb", "TestHostile/inprocess/hostile/table_grow", "TestHostile/process/hostile/table_grow", "TestEngineConformance/table_bomb", "TestEngineConformance/table_grow"},
		"table_grow: 961 MB worker RSS with -max-memory 1MiB (2 GiB in the report)",
		"table_bomb refused at load, naming sizes; table.grow returns -1 past the cap: 27 MB RSS"},
	{"2. Loading never freezes the window",
		[]string{"TestCompileBomb", "TestLoadOffTheGameLoop", "TestSwapBombKeepsCartRunning", "TestWindowEscWhileLoading"},
		"compile bomb: Esc ignored for the whole compile (115 s); in-process compiles ignored -compile-limit",
		"loading screen; Esc ends the run 35 ms after the key; worker killed; in-process compile abandoned at the limit"},
	{"3. Nothing a cart says reaches the terminal raw",
		[]string{"TestNothingRawReachesTheTerminal", "TestClean", "TestEngineConformance/log_escape"},
		"escape sequences from logs and file names retitled and cleared the terminal",
		"C0/C1, DEL, bidi and format controls and bad UTF-8 written as \\xNN / \\uNNNN everywhere"},
	{"4. Deadlines and caps hold on every engine",
		[]string{"TestHostile/inprocess/hostile/random_flood", "TestHostile/process/hostile/random_flood", "TestHostile/inprocess/hostile/grow_to_cap", "TestHostile/process/hostile/grow_to_cap", "TestExitStatus/max-memory_4GiB"},
		"in-process: random_flood 1.47 s with a 300 ms limit (5.56 s with 1 GiB fills), 1074 MB RSS; 65,536 pages trapped",
		"0.30 s; 315 MB RSS (memories mmapped outside the heap); 4GiB a usage error, the last byte of the largest cap writable"},
	{"5. A runaway recursion is a stack overflow, fast",
		[]string{"TestStackOverflowFast", "TestHostile/inprocess/hostile/deep_recursion", "TestHostile/process/hostile/deep_recursion", "TestEngineConformance/deep_recursion"},
		"2.6-3.2 s on a busy machine (3-5 s under -race), reported as the deadline",
		"1 MiB stack bound in the module: stack overflow in < 250 ms, every CPU busy, -race too; same kind in the browser"},
	{"6. Saves: bounded writes, no litter",
		[]string{"TestSavesCoalesced", "TestStaleTempSavesRemoved", "TestSavesSurviveKills", "TestSavesSurviveCrashes"},
		"200 disk_write an update: 12,000 synced writes in 9.5 s; SIGKILL left 71 *.disk.tmp* files",
		"4 writes in 1.5 s (at most 2 a second, the last within 1 s and at exit); temporary files removed at start"},
	{"7. Reading a cart is bounded",
		[]string{"TestReadCartFileBounded", "TestExitStatus/cart_over_max-cart-size", "TestExitStatus/a_directory_as_a_cart"},
		"a FIFO blocked forever, /dev/zero read until out of memory, a 2 GB file read whole (34 s, 2 GiB RSS)",
		"non-regular files and files over -max-cart-size (64 MiB) refused before reading"},
	{"8. WASI time is honest",
		[]string{"TestVirtualClock"},
		"a poll_oneoff sleep returned at once without moving the clock: a cart waiting on it spun",
		"a sleep advances the cart's virtual clock by its length, as docs/abi.md says"},
	{"9. Errors name the right export",
		[]string{"TestHostile/inprocess/hostile/input_loop", "TestHostile/process/hostile/framebuffer_loop", "TestEngineConformance/input_loop", "TestEngineConformance/framebuffer_loop"},
		"a loop in input or framebuffer was \"update did not return\" (the browser)",
		"the export is named on all three engines"},
	{"10. Defense in depth on Linux",
		[]string{"TestLockdown"},
		"the worker compiled and ran cart code with the user's full rights",
		"no_new_privs + seccomp allowlist + Landlock + rlimits: open EACCES, sockets/fork/exec EPERM, signals to other processes EPERM (also in a CGO_ENABLED=0 build, which cannot apply Landlock); BenchmarkUpdate locked/unlocked 1.007"},
	{"11. The browser gets the same caps",
		[]string{"TestEngineConformance/table_grow", "TestEngineConformance/grow_forever", "TestEngineConformance/stdout_flood", "TestEngineConformance/save_flood", "TestEngineConformance/width_4097"},
		"not checked in the browser",
		"the hostile rows run identically on inprocess, process and browser"},
}

// event is a line of go test -json.
type event struct {
	Action  string
	Test    string
	Elapsed float64
}

func main() {
	results := map[string]event{}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Test == "" {
			continue
		}
		switch e.Action {
		case "pass", "fail", "skip":
			// A test run twice (TestLockdown, with cgo and without) keeps
			// its failure.
			if results[e.Test].Action != "fail" {
				results[e.Test] = e
			}
		}
	}
	ok := true
	fmt.Println("| item | tests (this run) | before | after |")
	fmt.Println("|---|---|---|---|")
	for _, r := range rows {
		var cells []string
		for _, name := range r.tests {
			e, found := results[name]
			switch {
			case !found:
				cells = append(cells, name+": did not run")
				ok = false
			case e.Action == "pass":
				cells = append(cells, fmt.Sprintf("%s: ok %.2fs", name, e.Elapsed))
			default:
				cells = append(cells, name+": "+strings.ToUpper(e.Action))
				ok = ok && e.Action == "skip"
			}
		}
		fmt.Printf("| %s | %s | %s | %s |\n", r.item, strings.Join(cells, "<br>"), r.before, r.after)
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "hardening: a test failed or did not run")
		os.Exit(1)
	}
}
