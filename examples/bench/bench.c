// bench.c: the carts ebicart's frame-cost benchmarks run (make bench-frame,
// make bench-web), one per -DCART=... variant:
//
//   idle    160x160 INDEXED2, drawn once, never changes
//   idx160  160x160 INDEXED2, an animated pattern (an ABI v1 cart in
//           WASM-4's frame format; the WASM-4 example is examples/wasm4)
//   rgba    320x180 RGBA8888 premultiplied, animated
//   rgb360  640x360 RGB888, animated
//   rgb720  1280x720 RGB888, animated
//   mandel  320x180 INDEXED8, a Mandelbrot zoom: loop-heavy, ~millions of
//           iterations per update
//
// Build (make carts):
//   clang --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry \
//     -DCART_idx160 -o ../../assets/carts/idx160.wasm bench.c

#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))

#if defined(CART_idle) || defined(CART_idx160)
#define W 160
#define H 160
#define FORMAT 7
#define ROW (W / 4)
#elif defined(CART_rgba)
#define W 320
#define H 180
#define FORMAT 1
#define ROW (W * 4)
#elif defined(CART_rgb360)
#define W 640
#define H 360
#define FORMAT 3
#define ROW (W * 3)
#elif defined(CART_rgb720)
#define W 1280
#define H 720
#define FORMAT 3
#define ROW (W * 3)
#elif defined(CART_mandel)
#define W 320
#define H 180
#define FORMAT 6
#define ROW W
#else
#error "define one of CART_idle, CART_idx160, CART_rgba, CART_rgb360, CART_rgb720, CART_mandel"
#endif

struct descriptor {
	uint32_t format, width, height, stride, pixels, palette, reserved[2];
};

static uint8_t pixels[ROW * H];
static uint32_t palette[256];
static struct descriptor desc;
static uint32_t frame;

static void draw(void) {
	uint32_t t = frame;
#if FORMAT == 7
	for (int y = 0; y < H; y++)
		for (int x = 0; x < ROW; x++)
			pixels[y * ROW + x] = (uint8_t)(((x + (int)t) ^ (y + (int)(t >> 1))) * 0x1b);
#elif FORMAT == 1
	uint32_t *p = (uint32_t *)pixels;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			p[y * W + x] = 0xff000000u | (uint32_t)((x + t) & 0xff) | (uint32_t)((y * 2 + t) & 0xff) << 8 | (uint32_t)((x ^ y) & 0xff) << 16;
#elif FORMAT == 3
	for (int y = 0; y < H; y++) {
		uint8_t *row = pixels + y * ROW;
		for (int x = 0; x < W; x++) {
			row[3 * x] = (uint8_t)(x + t);
			row[3 * x + 1] = (uint8_t)(y + 2 * t);
			row[3 * x + 2] = (uint8_t)(x ^ y);
		}
	}
#elif FORMAT == 6
	// Zoom into a point on the boundary of the Mandelbrot set, in fixed
	// steps per frame, iterating up to 64 times per pixel.
	double zoom = 1.0;
	for (uint32_t i = 0; i < (t % 240); i++) zoom *= 0.97;
	const double cx = -0.743643887037151, cy = 0.131825904205330;
	double scale = 3.0 * zoom / W;
	for (int y = 0; y < H; y++) {
		for (int x = 0; x < W; x++) {
			double re = cx + (x - W / 2) * scale, im = cy + (y - H / 2) * scale;
			double zr = 0, zi = 0;
			int n = 0;
			while (n < 64 && zr * zr + zi * zi < 4.0) {
				double nz = zr * zr - zi * zi + re;
				zi = 2 * zr * zi + im;
				zr = nz;
				n++;
			}
			pixels[y * ROW + x] = (uint8_t)n;
		}
	}
#endif
}

EXPORT("start") void start(void) {
	for (int i = 0; i < 256; i++) {
		// A smooth, cycling blue-gold-red ramp; 64 (never escaped) black.
		int t = (i * 8) % 256, k = t < 128 ? t * 2 : (255 - t) * 2;
		palette[i] = (uint32_t)(k > 255 ? 255 : k) << 16 | (uint32_t)((k * 3 / 4) & 0xff) << 8 | (uint32_t)(255 - (k > 255 ? 255 : k) / 2);
	}
	palette[64] = 0;
	palette[0] = 0xe0f8cf, palette[1] = 0x86c06c, palette[2] = 0x306850, palette[3] = 0x071821;
	desc.format = FORMAT;
	desc.width = W;
	desc.height = H;
	desc.pixels = (uint32_t)(uintptr_t)pixels;
	desc.palette = FORMAT >= 6 ? (uint32_t)(uintptr_t)palette : 0;
	draw();
}

EXPORT("update") void update(void) {
#ifndef CART_idle
	frame++;
	draw();
#endif
}

EXPORT("framebuffer") struct descriptor *framebuffer(void) { return &desc; }
