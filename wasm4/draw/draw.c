// draw.c is WASM-4's drawing functions as a wasm module of ebicart's own
// (draw.wasm, built by make carts), the same pixels as package wasm4's Go
// functions, which are its reference (TestDrawModule checks the two give
// identical memory for thousands of random calls).
//
// The module defines the cart's memory (one page, exported as "memory")
// and exports blit, blitSub, line, hline, vline, oval, rect, text,
// textUtf8 and textUtf16 with WASM-4's signatures, so that a cart's
// imports bind to them directly and a drawing call never leaves the
// engine. It has no data and uses no stack: the memory is all the
// cart's, its addresses the cart's (the font is code, see font.h).
//
// The rare calls this code does not handle go to the host's Go function
// of the same name, imported from "ebicart_host:env": a sprite or string
// not wholly in memory (Go traps with the error naming the call), one
// overlapping the framebuffer (Go draws it from a copy), a sprite sheet
// too large to address in 32 bits, and an oval wider or taller than
// 65536 pixels.
//
// The hot loops are unrolled (#pragma clang loop): wazero's interruptible
// engine checks for a deadline at every loop header, which costs more than
// a pixel.
//
// Build (make carts):
//
//   clang --target=wasm32 -O2 -mbulk-memory -nostdlib -fno-jump-tables \
//     -fno-delete-null-pointer-checks -Wl,--no-entry \
//     -Wl,--initial-memory=65536 -Wl,--max-memory=65536 -Wl,-zstack-size=0 \
//     -Wl,--strip-all -o draw.wasm draw.c

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef long long i64;
typedef unsigned long long u64;

#include "font.h"

#define EXPORT(name) __attribute__((export_name(#name)))
#define HOST(name) __attribute__((import_module("ebicart_host:env"), import_name(#name)))

HOST(blit) void host_blit(u32 sprite, i32 x, i32 y, u32 width, u32 height, u32 flags);
HOST(blitSub) void host_blitSub(u32 sprite, i32 x, i32 y, u32 width, u32 height, u32 srcX, u32 srcY, u32 stride, u32 flags);
HOST(oval) void host_oval(i32 x, i32 y, u32 width, u32 height);
HOST(text) void host_text(u32 str, i32 x, i32 y);
HOST(textUtf8) void host_textUtf8(u32 str, u32 byteLength, i32 x, i32 y);
HOST(textUtf16) void host_textUtf16(u32 str, u32 byteLength, i32 x, i32 y);

#define W 160
#define H 160
#define DRAW_COLORS 0x14
#define FB 0xa0
#define FB_END (FB + W * H / 4)

// mem is the cart's memory, at address 0.
#define mem ((u8 *)0)

static u64 memSize(void) { return (u64)__builtin_wasm_memory_size(0) << 16; }

static u32 colors(void) { return mem[DRAW_COLORS] | (u32)mem[DRAW_COLORS + 1] << 8; }

static u32 drawColor(u32 c, int n) { return (c >> (4 * (n - 1))) & 0xf; }

static i64 imin(i64 a, i64 b) { return a < b ? a : b; }
static i64 imax(i64 a, i64 b) { return a > b ? a : b; }

// point paints the on-screen pixel (x, y) with palette index idx.
static void point(i64 x, i64 y, u32 idx) {
    if (x < 0 || x >= W || y < 0 || y >= H) return;
    u32 i = (u32)y * W + (u32)x;
    u32 shift = (i & 3) * 2;
    u32 a = FB + (i >> 2);
    mem[a] = (u8)((mem[a] & ~(3u << shift)) | (idx << shift));
}

// set paints (x, y) with draw colour dc, nothing for 0.
static void set(i64 x, i64 y, u32 dc) {
    if (dc != 0) point(x, y, (dc - 1) & 3);
}

// span paints x0..x1 (inclusive) of row y with draw colour dc.
static void span(i64 x0, i64 x1, i64 y, u32 dc) {
    if (dc == 0 || y < 0 || y >= H) return;
    x0 = imax(x0, 0);
    x1 = imin(x1, W - 1);
    if (x0 > x1) return;
    while (x0 <= x1 && (x0 & 3) != 0) set(x0++, y, dc);
    while (x1 >= x0 && (x1 & 3) != 3) set(x1--, y, dc);
    if (x0 <= x1) {
        u8 fill = (u8)(((dc - 1) & 3) * 0x55);
        u32 row = FB + (u32)y * (W / 4);
        for (i64 i = x0 / 4; i <= x1 / 4; i++) mem[row + (u32)i] = fill;
    }
}

static void hspan(i64 x0, i64 x1, i64 y, u32 idx) { span(x0, x1 - 1, y, idx + 1); }

static void vspan(i64 x, i64 y0, i64 y1, u32 idx) {
    if (x < 0 || x >= W) return;
#pragma clang loop unroll_count(8)
    for (i64 y = imax(y0, 0); y < imin(y1, H); y++) point(x, y, idx);
}

// overlaps reports whether the n bytes at addr overlap the framebuffer.
static int overlaps(u64 addr, u64 n) { return n > 0 && addr < FB_END && addr + n > FB; }

EXPORT(hline) void hline(i32 x, i32 y, u32 len) {
    span(x, (i64)x + (i32)len - 1, y, drawColor(colors(), 1));
}

EXPORT(vline) void vline(i32 x, i32 y, u32 len) {
    u32 dc = drawColor(colors(), 1);
    if (dc == 0) return;
    vspan(x, y, (i64)y + (i32)len, (dc - 1) & 3);
}

EXPORT(rect) void rect(i32 x, i32 y, u32 width, u32 height) {
    u32 c = colors();
    i64 left = x, top = y;
    i64 right = left + (i32)width, bottom = top + (i32)height;
    i64 x0 = imax(left, 0), y0 = imax(top, 0);
    i64 x1 = imax(0, imin(right, W)), y1 = imax(0, imin(bottom, H));
    u32 dc = drawColor(c, 1);
    if (dc != 0)
#pragma clang loop unroll_count(4)
        for (i64 yy = y0; yy < y1; yy++) hspan(x0, x1, yy, (dc - 1) & 3);
    dc = drawColor(c, 2);
    if (dc == 0) return;
    u32 idx = (dc - 1) & 3;
    if (left >= 0 && left < W) vspan(left, y0, y1, idx);
    if (right > 0 && right <= W) vspan(right - 1, y0, y1, idx);
    if (top >= 0 && top < H) hspan(x0, x1, top, idx);
    if (bottom > 0 && bottom <= H) hspan(x0, x1, bottom - 1, idx);
}

// minor is round(k*num/den), halves rounded down (see wasm4.Line).
static i64 minor(i64 k, i64 num, i64 den) {
    if (den == 0) return 0;
    u64 p = (u64)k * (u64)num;
    u64 h = (u64)(den / 2);
    if (p <= h) return 0;
    return (i64)((p - h + (u64)den - 1) / (u64)den);
}

EXPORT(line) void line(i32 x1, i32 y1, i32 x2, i32 y2) {
    u32 dc = drawColor(colors(), 1);
    if (dc == 0) return;
    i64 ax = x1, ay = y1, bx = x2, by = y2;
    if (ay > by) {
        i64 t = ax; ax = bx; bx = t;
        t = ay; ay = by; by = t;
    }
    i64 dx = bx - ax, dy = by - ay, sx = 1;
    if (dx < 0) { dx = -dx; sx = -1; }
    if (dx > dy) {
        i64 k0, k1;
        if (sx > 0) { k0 = -ax; k1 = W - 1 - ax; }
        else { k0 = ax - (W - 1); k1 = ax; }
#pragma clang loop unroll_count(4)
        for (i64 k = imax(k0, 0); k <= imin(k1, dx); k++) set(ax + sx * k, ay + minor(k, dy, dx), dc);
        return;
    }
#pragma clang loop unroll_count(4)
    for (i64 m = imax(-ay, 0); m <= imin(H - 1 - ay, dy); m++) set(ax + sx * minor(m, dx, dy), ay + m, dc);
}

#define MAX_WALK (1 << 16)

EXPORT(oval) void oval(i32 x, i32 y, u32 width, u32 height) {
    u32 c = colors();
    u32 dc0 = c & 0xf, dc1 = (c >> 4) & 0xf;
    if (dc1 == 0xf) return;
    i64 w = (i32)width, h = (i32)height;
    if (w > MAX_WALK || h > MAX_WALK) {
        host_oval(x, y, width, height);
        return;
    }
    u32 stroke = (dc1 - 1) & 3, fill = (dc0 - 1) & 3;
    int filled = dc0 != 0;
    i64 a = w - 1, b = h - 1, b1 = b % 2;
    i64 north = (i64)y + h / 2, west = x, east = (i64)x + w - 1, south = north - b1;
    i64 a2 = a * a, b2 = b * b;
    i64 dx = 4 * (1 - a) * b2, dy = 4 * (b1 + 1) * a2;
    i64 err = dx + dy + b1 * a2;
    i64 stepY = 8 * a2, stepX = 8 * b2;
    i64 filledN = north - 1, filledS = south + 1;
    for (int i = 0; i < 2 * MAX_WALK + 4; i++) {
        point(east, north, stroke);
        point(west, north, stroke);
        point(west, south, stroke);
        point(east, south, stroke);
        if (filled && east - (west + 1) > 0) {
            if (north != filledN) { hspan(west + 1, east, north, fill); filledN = north; }
            if (south != filledS) { hspan(west + 1, east, south, fill); filledS = south; }
        }
        i64 err2 = 2 * err;
        if (err2 <= dy) { north++; south--; dy += stepY; err += dy; }
        if (err2 >= dx || err2 > dy) { west++; east--; dx += stepX; err += dx; }
        if (west > east) break;
        if (north >= H && south < 0) return;
    }
    i64 d = north - south;
    if (d < h) {
        i64 steps = (h - d + 1) / 2;
        vspan(west - 1, north, north + steps, stroke);
        vspan(west - 1, south - steps + 1, south + 1, stroke);
        vspan(east + 1, north, north + steps, stroke);
        vspan(east + 1, south - steps + 1, south + 1, stroke);
    }
}

// blitFast draws a blit whose sheet lies in memory, outside the
// framebuffer; it returns 0, drawing nothing, when the host must.
static int blitFast(u32 sprite, i32 x, i32 y, u32 width, u32 height, u32 srcX, u32 srcY, u32 stride, u32 flags) {
    // WASM-4 reads width and height as signed: 0 or below draws nothing.
    if ((i32)width <= 0 || (i32)height <= 0) return 1;
    // Sheets whose byte count fits in 32 bits; larger ones cannot lie in
    // a WASM-4 memory and go to the host, which traps.
    if ((u64)srcY + height > 0x10000 || stride > 0x10000 || (u64)srcX + width > 0x10000) return 0;
    u64 bpp = (flags & 1) ? 2 : 1;
    u64 n = ((u64)srcY + height - 1) * stride + srcX + width;
    u64 size = bpp == 1 ? (n + 7) >> 3 : (n + 3) >> 2;
    if ((u64)sprite + size > memSize() || overlaps(sprite, size)) return 0;
    u32 c = colors();
    i64 w = width, h = height;
    int flipX = flags & 2, flipY = flags & 4, rotate = flags & 8;
    i64 dstW = rotate ? h : w, dstH = rotate ? w : h;
    i64 x0 = x, y0 = y;
    if (!rotate) {
        // Rows of the sheet to rows of the screen: 32-bit arithmetic,
        // the pixel's framebuffer index moving by one.
        i64 pxs = imax(x0, 0), pxe = imin(x0 + w - 1, W - 1);
        if (pxs > pxe) return 1;
        for (i64 py = imax(y0, 0); py <= imin(y0 + h - 1, H - 1); py++) {
            u32 fy = (u32)(py - y0);
            if (flipY) fy = (u32)h - 1 - fy;
            u32 rowBase = (srcY + fy) * stride + srcX;
            u32 dst = (u32)py * W + (u32)pxs;
#pragma clang loop unroll_count(8)
            for (u32 dx = (u32)(pxs - x0); dx <= (u32)(pxe - x0); dx++, dst++) {
                u32 p = rowBase + (flipX ? (u32)w - 1 - dx : dx);
                u32 v = bpp == 1 ? (mem[sprite + (p >> 3)] >> (7 - (p & 7))) & 1
                                 : (mem[sprite + (p >> 2)] >> (6 - 2 * (p & 3))) & 3;
                u32 dc = (c >> (4 * v)) & 0xf;
                if (dc != 0) {
                    u32 a = FB + (dst >> 2), sh = (dst & 3) * 2;
                    mem[a] = (u8)((mem[a] & ~(3u << sh)) | (((dc - 1) & 3) << sh));
                }
            }
        }
        return 1;
    }
    for (i64 py = imax(y0, 0); py <= imin(y0 + dstH - 1, H - 1); py++) {
        i64 dy = py - y0;
        for (i64 px = imax(x0, 0); px <= imin(x0 + dstW - 1, W - 1); px++) {
            i64 dx = px - x0;
            i64 fx = dx, fy = dy;
            if (rotate) { fx = w - 1 - dy; fy = dx; }
            if (flipX) fx = w - 1 - fx;
            if (flipY) fy = h - 1 - fy;
            u32 p = ((u32)srcY + (u32)fy) * stride + srcX + (u32)fx;
            u32 v;
            if (bpp == 1) v = (mem[sprite + (p >> 3)] >> (7 - (p & 7))) & 1;
            else v = (mem[sprite + (p >> 2)] >> (6 - 2 * (p & 3))) & 3;
            set(px, py, drawColor(c, (int)v + 1));
        }
    }
    return 1;
}

EXPORT(blit) void blit(u32 sprite, i32 x, i32 y, u32 width, u32 height, u32 flags) {
    if (!blitFast(sprite, x, y, width, height, 0, 0, width, flags)) host_blit(sprite, x, y, width, height, flags);
}

EXPORT(blitSub) void blitSub(u32 sprite, i32 x, i32 y, u32 width, u32 height, u32 srcX, u32 srcY, u32 stride, u32 flags) {
    if (!blitFast(sprite, x, y, width, height, srcX, srcY, stride, flags))
        host_blitSub(sprite, x, y, width, height, srcX, srcY, stride, flags);
}

// pen lays out characters in 8x8 cells, as wasm4's pen.
struct pen {
    u32 ink, bg;
    i64 x0, x, y;
};

// put draws character r and advances; 0 once nothing further can show.
static inline __attribute__((always_inline)) int put(struct pen *p, u32 r) {
    if (r == '\n') {
        p->x = p->x0;
        p->y += 8;
        return p->y < H;
    }
    if (r >= 32 && r <= 255 && p->x >= 0 && p->x <= W - 8 && p->y >= 0 && p->y <= H - 8) {
        // Wholly on screen: each row's 8 pixels, 2 bits each, in one
        // 32-bit read and write of the 2 or 3 bytes they cover (the
        // fourth byte, at most the first past the framebuffer, is
        // written back as read).
        u64 g = glyph(r);
        u32 inkV = ((p->ink - 1) & 3) * 0x5555u, inkM = p->ink ? 0xffffu : 0;
        u32 bgV = ((p->bg - 1) & 3) * 0x5555u, bgM = p->bg ? 0xffffu : 0;
        u32 shift = ((u32)p->x & 3) * 2;
        u32 a = FB + (((u32)p->y * W + (u32)p->x) >> 2);
#pragma clang loop unroll(full)
        for (int row = 0; row < 8; row++, a += W / 4) {
            u32 bits = (u32)(g >> (56 - 8 * row)) & 0xff, e = 0;
            for (int k = 0; k < 8; k++) e |= ((bits >> (7 - k)) & 1) * (3u << (2 * k));
            u32 m = (inkM & e) | (bgM & ~e & 0xffff);
            u32 v = ((inkV & e) | (bgV & ~e)) & m;
            u32 *w = (u32 *)(mem + a);
            *w = (*w & ~(m << shift)) | (v << shift);
        }
    } else if (r >= 32 && r <= 255 && p->x > -8 && p->x < W && p->y > -8 && p->y < H) {
        u64 g = glyph(r);
        for (int row = 0; row < 8; row++) {
            u32 bits = (u32)(g >> (56 - 8 * row)) & 0xff;
            for (int col = 0; col < 8; col++) set(p->x + col, p->y + row, (bits & (0x80u >> col)) ? p->ink : p->bg);
        }
    }
    p->x += 8;
    return 1;
}

static struct pen newPen(i32 x, i32 y) {
    u32 c = colors();
    struct pen p = {drawColor(c, 1), drawColor(c, 2), x, x, y};
    return p;
}

EXPORT(text) void text(u32 str, i32 x, i32 y) {
    u64 size = memSize(), end = str;
    while (end < size && mem[end] != 0) end++;
    if (end >= size || overlaps(str, end - str)) {
        host_text(str, x, y);
        return;
    }
    struct pen p = newPen(x, y);
    for (u64 i = str; i < end; i++)
        if (!put(&p, mem[i])) break;
}

// in reports whether byte b lies within lo..hi.
static int in(u32 b, u32 lo, u32 hi) { return b >= lo && b <= hi; }

EXPORT(textUtf8) void textUtf8(u32 str, u32 byteLength, i32 x, i32 y) {
    if ((u64)str + byteLength > memSize() || overlaps(str, byteLength)) {
        host_textUtf8(str, byteLength, x, y);
        return;
    }
    struct pen p = newPen(x, y);
    u32 i = str, end = str + byteLength;
    while (i < end) {
        u32 b0 = mem[i], n = end - i, r = b0, size = 1;
        // Go's utf8.DecodeRune: shortest forms, no surrogates, at most
        // U+10FFFF; any other byte stands for itself (Latin-1).
        if (b0 >= 0xc2 && b0 <= 0xdf && n >= 2 && in(mem[i + 1], 0x80, 0xbf)) {
            r = (b0 & 0x1f) << 6 | (mem[i + 1] & 0x3f);
            size = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef && n >= 3) {
            u32 b1 = mem[i + 1], b2 = mem[i + 2];
            u32 lo = b0 == 0xe0 ? 0xa0 : 0x80, hi = b0 == 0xed ? 0x9f : 0xbf;
            if (in(b1, lo, hi) && in(b2, 0x80, 0xbf)) {
                r = (b0 & 0x0f) << 12 | (b1 & 0x3f) << 6 | (b2 & 0x3f);
                size = 3;
            }
        } else if (b0 >= 0xf0 && b0 <= 0xf4 && n >= 4) {
            u32 b1 = mem[i + 1], b2 = mem[i + 2], b3 = mem[i + 3];
            u32 lo = b0 == 0xf0 ? 0x90 : 0x80, hi = b0 == 0xf4 ? 0x8f : 0xbf;
            if (in(b1, lo, hi) && in(b2, 0x80, 0xbf) && in(b3, 0x80, 0xbf)) {
                r = (b0 & 0x07) << 18 | (b1 & 0x3f) << 12 | (b2 & 0x3f) << 6 | (b3 & 0x3f);
                size = 4;
            }
        }
        i += size;
        if (r == 0 || !put(&p, r)) break;
    }
}

EXPORT(textUtf16) void textUtf16(u32 str, u32 byteLength, i32 x, i32 y) {
    if ((u64)str + byteLength > memSize() || overlaps(str, byteLength & ~1u)) {
        host_textUtf16(str, byteLength, x, y);
        return;
    }
    struct pen p = newPen(x, y);
    u32 i = str, end = str + (byteLength & ~1u);
    while (end - i >= 2) {
        u32 r = mem[i] | (u32)mem[i + 1] << 8;
        i += 2;
        if (r >= 0xd800 && r < 0xdc00 && end - i >= 2) {
            u32 r2 = mem[i] | (u32)mem[i + 1] << 8;
            if (r2 >= 0xdc00 && r2 < 0xe000) {
                r = 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00);
                i += 2;
            }
        }
        if (r == 0 || !put(&p, r)) break;
    }
}
