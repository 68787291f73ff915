#!/usr/bin/env bash
# run.sh DIR: make w4-diff. Fetches WASM-4 (and its archive of published
# carts) and wasm3 into DIR, outside the repository, builds WASM-4's
# runtime there with drivers of ours (ref/build.sh), then compares ebicart
# with it:
#   1. drawing: every case of package wasm4's TestShapes, case by case;
#   2. sound: package wasm4/apu's golden tone sequences, sample by sample;
#   3. the archive: every cart of wasm4/testdata/archive.txt, 300 updates
#      with no input, frames 1, 60 and 300 and the sound (w4diff).
# Then it prints how to compare drawing speed in the browser with WASM-4's
# web runtime (integration's BenchmarkWebWASM4, which takes minutes).
# Local only: it needs the network (W4_GIT, WASM3_GIT name local mirrors
# instead). W4DIFF_FLAGS pass flags to w4diff (-v, -only NAME, -png DIR).
set -euo pipefail
dir=${1:?usage: run.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
GO=${GO:-go}
bash internal/w4diff/ref/build.sh "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== drawing: TestShapes against WASM-4's framebuffer.c"
$GO test ./wasm4 -run '^TestShapes$' -count=1 -shapes-cases "$work/shapes.txt" >/dev/null
"$dir/w4shapes" < "$work/shapes.txt" > "$work/shapes-ref.txt"
$GO test ./wasm4 -run '^TestShapes$' -count=1 -shapes-ref "$work/shapes-ref.txt"

echo "== sound: the golden tone sequences against WASM-4's apu.c"
$GO test ./wasm4/apu -run '^TestGolden$' -count=1 -tones-cases "$work/tones" >/dev/null
for f in "$work"/tones/*.txt; do
	"$dir/w4tones" < "$f" > "${f%.txt}.raw"
done
$GO test ./wasm4/apu -run '^TestGolden$' -count=1 -tones-ref "$work/tones"

echo "== the archive: ebicart against WASM-4's native runtime"
$GO run ./internal/w4diff -ref "$dir" ${W4DIFF_FLAGS:-}

echo
echo "== drawing speed in headless Chromium, against WASM-4's web runtime (not run here):"
echo "cd integration && W4_CARTS=$dir/wasm4/site/static/carts W4_WEB_BENCH=$dir/w4webbench.js $GO test -run '^\$' -bench BenchmarkWebWASM4 -benchtime 1x ."
