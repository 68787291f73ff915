// webbench.ts: a page-thread harness around WASM-4's web runtime's drawing
// code (runtimes/web/src/framebuffer.ts, wired as its runtime.ts wires it)
// and its compositor (compositor.ts, on a canvas made and styled as its
// runtime.ts and ui/app.ts make it), timing a cart's updates as WASM-4's
// web runtime runs them, for
// integration's BenchmarkWebWASM4 (W4_WEB_BENCH). build.sh copies it next
// to WASM-4's sources, outside the repository, and bundles it with esbuild
// into DIR/w4webbench.js; the page calls
// w4bench(cartURL, warmUpdates, frames, batches, updatesPerBatch) and gets
// {frame, batched}: the mean update time, in ms, of frames updates run
// one per animation frame as WASM-4 runs them, and the median of the
// batches' mean update time with the updates back to back. As in WASM-4's
// player, each frame's update is followed by a composite (not timed): the
// page draws with WebGL every frame, as ebicart's does, and a browser that
// draws WebGL in software (headless Chromium) spends CPU on it beside the
// cart.
import { Framebuffer } from "../wasm4/runtimes/web/src/framebuffer";
import { WebGLCompositor } from "../wasm4/runtimes/web/src/compositor";
import * as constants from "../wasm4/runtimes/web/src/constants";
import { wasmPatchExportGlobals } from "../wasm4/runtimes/web/src/wasm-patch";

(window as any).w4bench = async (url: string, warm: number, frames: number, batches: number, per: number) => {
    const memory = new WebAssembly.Memory({initial: 1, maximum: 1});
    const data = new DataView(memory.buffer);
    const fb = new Framebuffer(memory.buffer);
    // The player's canvas: 160 x 160 pixels, shown 100vmin square and
    // pixelated, centred on #202020 (runtime.ts, ui/app.ts).
    const canvas = document.createElement("canvas");
    canvas.width = constants.WIDTH;
    canvas.height = constants.HEIGHT;
    canvas.style.cssText = "width: 100vmin; height: 100vmin; image-rendering: pixelated;";
    document.body.style.cssText = "margin: 0; width: 100vw; height: 100vh; display: flex; align-items: center; justify-content: center; background: #202020;";
    document.body.appendChild(canvas);
    const gl = canvas.getContext("webgl", { alpha: false, depth: false, antialias: false });
    if (!gl) throw new Error("webbench: no WebGL context");
    const compositor = new WebGLCompositor(gl);
    const composite = () => compositor.composite(new Uint32Array(memory.buffer, constants.ADDR_PALETTE, 4), fb);
    new Uint32Array(memory.buffer).set(constants.COLORS, constants.ADDR_PALETTE >> 2);
    data.setUint16(constants.ADDR_DRAW_COLORS, 0x1203, true);
    data.setInt16(constants.ADDR_MOUSE_X, 0x7fff, true);
    data.setInt16(constants.ADDR_MOUSE_Y, 0x7fff, true);
    const blitSub = (spritePtr: number, x: number, y: number, width: number, height: number, srcX: number, srcY: number, stride: number, flags: number) => {
        const sprite = new Uint8Array(memory.buffer, spritePtr);
        fb.blit(sprite, x, y, width, height, srcX, srcY, stride, flags & 1, flags & 2, flags & 4, flags & 8);
    };
    const env = {
        memory,
        rect: fb.drawRect.bind(fb),
        oval: fb.drawOval.bind(fb),
        line: fb.drawLine.bind(fb),
        hline: fb.drawHLine.bind(fb),
        vline: fb.drawVLine.bind(fb),
        text: (p: number, x: number, y: number) => fb.drawText(new Uint8Array(memory.buffer, p), x, y),
        textUtf8: (p: number, n: number, x: number, y: number) => fb.drawText(new Uint8Array(memory.buffer, p, n), x, y),
        textUtf16: (p: number, n: number, x: number, y: number) => fb.drawText(new Uint16Array(memory.buffer, p, n >> 1), x, y),
        blit: (p: number, x: number, y: number, w: number, h: number, flags: number) => blitSub(p, x, y, w, h, 0, 0, w, flags),
        blitSub,
        tone: () => {},
        diskr: () => 0,
        diskw: () => 0,
        trace: () => {},
        traceUtf8: () => {},
        traceUtf16: () => {},
        tracef: () => {},
    };
    const wasm = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const { instance } = await WebAssembly.instantiate(wasmPatchExportGlobals(wasm), { env }) as any;
    const ex = instance.exports;
    if (typeof ex._start === "function") ex._start();
    if (typeof ex._initialize === "function") ex._initialize();
    if (typeof ex.start === "function") ex.start();
    const update = () => {
        if (!(data.getUint8(constants.ADDR_SYSTEM_FLAGS) & constants.SYSTEM_PRESERVE_FRAMEBUFFER)) fb.clear();
        ex.update();
    };
    // As WASM-4's runtime runs a cart: one update per animation frame
    // (runtimes/web/src/index.ts), the first warm of them not timed, then
    // frames of them each timed alone. performance.now is coarse in a page
    // without cross-origin isolation (0.1 ms, with jitter): their mean is
    // the figure, as ebicart's page reports its worker's. Then the same
    // updates back to back, in batches of per: the median of the batches'
    // means, with every cache warm (a lower bound, not how a cart runs).
    const nextFrame = () => new Promise((r) => requestAnimationFrame(r));
    for (let i = 0; i < warm; i++) { await nextFrame(); update(); composite(); }
    let spent = 0;
    for (let i = 0; i < frames; i++) {
        await nextFrame();
        const t0 = performance.now();
        update();
        spent += performance.now() - t0;
        composite();
    }
    const means: number[] = [];
    for (let b = 0; b < batches; b++) {
        const t0 = performance.now();
        for (let i = 0; i < per; i++) update();
        means.push((performance.now() - t0) / per);
    }
    means.sort((a, b) => a - b);
    return {frame: spent / frames, batched: means[means.length >> 1]};
};
