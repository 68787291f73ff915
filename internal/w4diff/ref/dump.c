// dump.c: ebicart's driver of WASM-4's native runtime, for make w4-diff.
// It runs a cart with no window and no input, the way WASM-4's native
// runtime runs it (runtime.c, wasm3, apu.c), for a number of updates, and
// writes what a player would have seen and heard:
//
//   w4dump CART OUTDIR UPDATES FRAME...
//
//   OUTDIR/frame-N.bin  after update N (1 is the first) for each FRAME
//                       asked: the 6400 framebuffer bytes, then the 4
//                       palette colours (little-endian u32)
//   OUTDIR/audio.raw    after each update, 735 stereo samples of
//                       apu.c's output (44.1 kHz, s16le, left first)
//   OUTDIR/updates      the number of updates that completed
//
// The mouse is never set, so MOUSE_X and MOUSE_Y keep the 0x7fff the
// runtime writes at start; the gamepads stay 0. A cart that traps makes
// wasm3's backend exit; what was written up to then stays. build.sh links
// it with WASM-4's sources, outside the repository.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apu.h"
#include "runtime.h"
#include "wasm.h"
#include "window.h"

static const char* outdir;
static int update;             // updates completed
static int want[16], nwant;    // frames to write
static FILE* audio;

void w4_windowBoot (const char* title) {
    (void)title;
}

// w4_windowComposite is called at the end of each update with the
// palette and the framebuffer.
void w4_windowComposite (const uint32_t* palette, const uint8_t* framebuffer) {
    for (int i = 0; i < nwant; i++) {
        if (want[i] == update + 1) {
            char path[4096];
            snprintf(path, sizeof path, "%s/frame-%d.bin", outdir, update + 1);
            FILE* f = fopen(path, "wb");
            if (!f) {
                perror(path);
                exit(2);
            }
            fwrite(framebuffer, 1, 160*160/4, f);
            for (int k = 0; k < 4; k++) {
                uint8_t b[4] = {palette[k], palette[k] >> 8, palette[k] >> 16, palette[k] >> 24};
                fwrite(b, 1, 4, f);
            }
            fclose(f);
        }
    }
}

static void finish (void) {
    if (audio) {
        fclose(audio);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/updates", outdir);
    FILE* f = fopen(path, "w");
    if (f) {
        fprintf(f, "%d\n", update);
        fclose(f);
    }
}

int main (int argc, char** argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: w4dump CART OUTDIR UPDATES FRAME...\n");
        return 2;
    }
    outdir = argv[2];
    int updates = atoi(argv[3]);
    for (int i = 4; i < argc && nwant < 16; i++) {
        want[nwant++] = atoi(argv[i]);
    }
    FILE* f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t* cart = malloc(n);
    if (fread(cart, 1, n, f) != (size_t)n) {
        perror(argv[1]);
        return 2;
    }
    fclose(f);

    char path[4096];
    snprintf(path, sizeof path, "%s/audio.raw", outdir);
    audio = fopen(path, "wb");
    if (!audio) {
        perror(path);
        return 2;
    }
    atexit(finish);

    static w4_Disk disk;
    uint8_t* memory = w4_wasmInit();
    w4_runtimeInit(memory, &disk);
    w4_wasmLoadModule(cart, n);

    static int16_t samples[2*735];
    for (; update < updates; update++) {
        w4_runtimeUpdate();
        w4_apuWriteSamples(samples, 735);
        fwrite(samples, sizeof samples[0], 2*735, audio);
        fflush(stdout);
    }
    return 0;
}
