// shapes.c: ebicart's driver of WASM-4's framebuffer.c, for the shapes
// golden test of package wasm4 (wasm4/shapes_test.go). It reads drawing
// calls, one a line ("oval x y w h colors", "rect ...", "line x1 y1 x2 y2
// colors", "hline x y len 0 colors", "vline ..."), draws each on a
// framebuffer of palette index 2 with WASM-4's own code, and writes the
// CRC-32 of the framebuffer, in hex, one a line. build.sh links it with
// WASM-4's sources, outside the repository.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "framebuffer.h"

static uint8_t memory[65536];

static uint32_t crc32(const uint8_t* p, size_t n) {
    static uint32_t table[256];
    if (!table[1]) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) {
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
    }
    uint32_t c = 0xffffffffu;
    while (n--) {
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    }
    return c ^ 0xffffffffu;
}

int main(void) {
    uint8_t* fb = memory + 0xa0;
    w4_framebufferInit(memory + 0x14, fb);
    char op[16];
    long a, b, c, d, colors;
    while (scanf("%15s %ld %ld %ld %ld %ld", op, &a, &b, &c, &d, &colors) == 6) {
        memset(fb, 0xaa, 6400);
        memory[0x14] = colors & 0xff;
        memory[0x15] = (colors >> 8) & 0xff;
        if (!strcmp(op, "oval")) {
            w4_framebufferOval(a, b, c, d);
        } else if (!strcmp(op, "rect")) {
            w4_framebufferRect(a, b, c, d);
        } else if (!strcmp(op, "line")) {
            w4_framebufferLine(a, b, c, d);
        } else if (!strcmp(op, "hline")) {
            w4_framebufferHLine(a, b, c);
        } else if (!strcmp(op, "vline")) {
            w4_framebufferVLine(a, b, c);
        } else {
            fprintf(stderr, "shapes: unknown call %s\n", op);
            return 1;
        }
        printf("%08x\n", crc32(fb, 6400));
    }
    return 0;
}
