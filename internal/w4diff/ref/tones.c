// tones.c: ebicart's driver of WASM-4's apu.c, for the golden WAVs of
// package wasm4/apu (wasm4/apu/golden_test.go). It reads the number of
// updates, then tone() calls, one a line ("frame frequency duration volume
// flags", in frame order), and for each update gives apu.c that update's
// tones, ends the update (w4_apuTick) and writes 735 stereo samples, as
// WASM-4's native runtime does: signed 16-bit little-endian, left first,
// to standard output. build.sh links it with WASM-4's sources, outside the
// repository.
#include <stdint.h>
#include <stdio.h>

#include "apu.h"

int main(void) {
    int updates;
    if (scanf("%d", &updates) != 1) {
        fprintf(stderr, "tones: no update count\n");
        return 1;
    }
    w4_apuInit();
    long frame = -1;
    unsigned long freq, dur, vol, flags;
    int have = scanf("%ld %lu %lu %lu %lu", &frame, &freq, &dur, &vol, &flags) == 5;
    static int16_t samples[2*735];
    for (int u = 0; u < updates; u++) {
        while (have && frame == u) {
            w4_apuTone(freq, dur, vol, flags);
            have = scanf("%ld %lu %lu %lu %lu", &frame, &freq, &dur, &vol, &flags) == 5;
        }
        w4_apuTick();
        w4_apuWriteSamples(samples, 735);
        fwrite(samples, sizeof samples[0], 2*735, stdout);
    }
    return 0;
}
