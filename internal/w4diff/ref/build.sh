#!/usr/bin/env bash
# build.sh DIR: fetch WASM-4 (aduros/wasm4 at b6dcb6a, with its archive of
# published carts) and the wasm3 interpreter its native runtime vendors
# (wasm3/wasm3 at the submodule's commit) into DIR, outside this
# repository, and build there, with drivers of our own from this directory:
#
#   DIR/w4shapes  WASM-4's framebuffer.c drawing the cases of package
#                 wasm4's shapes test (shapes.c)
#   DIR/w4tones   WASM-4's apu.c playing the tone sequences of package
#                 wasm4/apu's golden test (tones.c)
#   DIR/w4dump    WASM-4's native runtime (wasm3, runtime.c, apu.c) running a
#                 cart without a window: frames and samples to files (dump.c)
#   DIR/w4dump-ink, DIR/w4dump-paper  the same with every glyph all ink,
#                 or all background (altfont.c): where either changes a
#                 frame, text decides the pixel
#   DIR/w4webbench.js  WASM-4's web runtime's drawing code timing a cart's
#                 updates in a page (webbench.ts; needs npm, for esbuild),
#                 for integration's BenchmarkWebWASM4
#
# Nothing fetched or built here is committed. W4_GIT and WASM3_GIT name the
# repositories to clone (default GitHub; a local mirror works too).
set -euo pipefail

dir=${1:?usage: build.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
W4_GIT=${W4_GIT:-https://github.com/aduros/wasm4}
WASM3_GIT=${WASM3_GIT:-https://github.com/wasm3/wasm3}
W4_COMMIT=b6dcb6a
WASM3_COMMIT=d77cd814aa0bc68cb1df917580a6304d34cfb30b # runtimes/native/vendor/wasm3 at b6dcb6a
CC=${CC:-cc}

mkdir -p "$dir"
cd "$dir"

fetch() { # fetch NAME URL COMMIT PATHS...
	local name=$1 url=$2 commit=$3
	shift 3
	if [ ! -d "$name/.git" ]; then
		rm -rf "$name"
		git clone --quiet --no-checkout "$url" "$name"
	fi
	if ! git -C "$name" cat-file -e "$commit^{commit}" 2>/dev/null; then
		git -C "$name" fetch --quiet origin
	fi
	git -C "$name" checkout --quiet "$commit" -- "$@"
}

fetch wasm4 "$W4_GIT" "$W4_COMMIT" runtimes/native/src runtimes/web/src site/static/carts
fetch wasm3 "$WASM3_GIT" "$WASM3_COMMIT" source

src=wasm4/runtimes/native/src
echo "build.sh: building w4shapes, w4tones, w4dump, w4dump-ink and w4dump-paper in $dir"
$CC -O2 -I "$src" -o w4shapes "$here/shapes.c" "$src/framebuffer.c" "$src/util.c"
$CC -O2 -I "$src" -o w4tones "$here/tones.c" "$src/apu.c" -lm
$CC -O2 -w -I "$src" -I wasm3/source -o w4dump "$here/dump.c" \
	"$src/runtime.c" "$src/framebuffer.c" "$src/apu.c" "$src/util.c" "$src/backend/wasm_wasm3.c" \
	wasm3/source/*.c -lm
for alt in ink:0x00 paper:0xff; do
	$CC -O2 -w -I "$src" -I wasm3/source -DFONT_BYTE=${alt#*:} -o w4dump-${alt%%:*} "$here/dump.c" \
		"$src/runtime.c" "$here/altfont.c" "$src/apu.c" "$src/util.c" "$src/backend/wasm_wasm3.c" \
		wasm3/source/*.c -lm
done
if command -v npm >/dev/null; then
	echo "build.sh: bundling w4webbench.js in $dir"
	mkdir -p w4web
	cp "$here/webbench.ts" w4web/webbench.ts
	(cd w4web && { [ -x node_modules/.bin/esbuild ] || npm install --silent --no-audit --no-fund esbuild@0.24; } &&
		node_modules/.bin/esbuild webbench.ts --bundle --format=iife --log-level=warning --outfile=../w4webbench.js)
else
	echo "build.sh: no npm: not building w4webbench.js (BenchmarkWebWASM4 runs without it)"
fi
