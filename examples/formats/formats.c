// formats.c: one test cart per pixel format of ABI v1, selected with
// -DFORMAT=1..7. Each draws the same 61x37 test pattern, defined by the
// functions below, in its own format; the ebicart tests compute the same
// pattern in Go and check the host's screenshot pixel for pixel.
//
// Every format but 1 uses a padded stride (row size + 3, padding filled with
// 0xEE) so the host's stride handling is exercised; format 1 stays packed to
// exercise the zero-copy path. 61 is odd and not a multiple of 4.
//
// Build (see the Makefile's carts target):
//   clang --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry -DFORMAT=3 -o rgb888.wasm formats.c

#include <stdint.h>

#define W 61
#define H 37
#define EXPORT(name) __attribute__((export_name(name)))

// The pattern: a colour and an alpha per pixel. Column 0 is fully
// transparent and column 1 opaque, so both alpha edges are always present.
static uint8_t pat_r(int x, int y) { return (uint8_t)(x * 4 + y); }
static uint8_t pat_g(int x, int y) { return (uint8_t)(y * 6 + x); }
static uint8_t pat_b(int x, int y) { return (uint8_t)(x * y); }
static uint8_t pat_a(int x, int y) {
	if (x == 0) return 0;
	if (x == 1) return 255;
	return (uint8_t)((x + y * 3) * 5);
}

// Palette entry i of the INDEXED8 cart; 0 is black and 255 white.
static uint32_t pal8(int i) {
	if (i == 0) return 0x000000;
	if (i == 255) return 0xffffff;
	return (uint32_t)((i * 3) & 0xff) << 16 | (uint32_t)(255 - i) << 8 | (uint32_t)((i * i) & 0xff);
}

static const uint32_t pal2[4] = {0xe0f8cf, 0x86c06c, 0x306850, 0x071821};

struct descriptor {
	uint32_t format, width, height, stride, pixels, palette, reserved[2];
};

#if FORMAT == 1
#define ROW (W * 4)
#define STRIDE ROW
#elif FORMAT == 2 || FORMAT == 4
#define ROW (W * 4)
#elif FORMAT == 3
#define ROW (W * 3)
#elif FORMAT == 5
#define ROW (W * 2)
#elif FORMAT == 6
#define ROW W
#elif FORMAT == 7
#define ROW ((W + 3) / 4)
#else
#error "FORMAT must be 1..7"
#endif
#ifndef STRIDE
#define STRIDE (ROW + 3)
#endif

static uint8_t pixels[STRIDE * H];
static uint32_t palette[256];
static struct descriptor desc;

static void put32(uint8_t *p, uint32_t v) {
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void draw(void) {
	for (int i = 0; i < STRIDE * H; i++) pixels[i] = 0xee;
	for (int y = 0; y < H; y++) {
		uint8_t *row = pixels + y * STRIDE;
		for (int x = 0; x < W; x++) {
			uint8_t r = pat_r(x, y), g = pat_g(x, y), b = pat_b(x, y), a = pat_a(x, y);
#if FORMAT == 1
			uint8_t *p = row + x * 4;
			p[0] = (uint8_t)((r * a + 127) / 255);
			p[1] = (uint8_t)((g * a + 127) / 255);
			p[2] = (uint8_t)((b * a + 127) / 255);
			p[3] = a;
#elif FORMAT == 2
			uint8_t *p = row + x * 4;
			p[0] = r, p[1] = g, p[2] = b, p[3] = a;
#elif FORMAT == 3
			uint8_t *p = row + x * 3;
			p[0] = r, p[1] = g, p[2] = b;
#elif FORMAT == 4
			put32(row + x * 4, 0xa5000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | b);
#elif FORMAT == 5
			uint16_t v = (uint16_t)((r >> 3) << 11 | (g >> 2) << 5 | (b >> 3));
			row[x * 2] = (uint8_t)v;
			row[x * 2 + 1] = (uint8_t)(v >> 8);
#elif FORMAT == 6
			row[x] = (uint8_t)(x + y * W);
#elif FORMAT == 7
			int idx = (x + y) & 3;
			uint8_t *p = row + x / 4;
			if (x % 4 == 0) *p = 0;
			*p |= (uint8_t)(idx << (2 * (x % 4)));
#endif
		}
	}
	(void)put32;
}

EXPORT("start") void start(void) {
	for (int i = 0; i < 256; i++) palette[i] = FORMAT == 7 ? (i < 4 ? pal2[i] : 0) : pal8(i);
	desc.format = FORMAT;
	desc.width = W;
	desc.height = H;
	desc.stride = STRIDE == ROW ? 0 : STRIDE;
	desc.pixels = (uint32_t)(uintptr_t)pixels;
	desc.palette = FORMAT >= 6 ? (uint32_t)(uintptr_t)palette : 0;
	draw();
}

EXPORT("update") void update(void) {}

EXPORT("framebuffer") struct descriptor *framebuffer(void) { return &desc; }
