// floats.c: a C cart with float math, for the determinism tests: 96
// particles in f32 and f64 physics, pulled by an attractor the player
// moves, kicked by random_get, timed by the monotonic clock, drawn as
// RGBA8888 into 160x120. It reads the input block, WASI's clock and
// random, and never lets a NaN reach its pixels (wasm lets engines differ
// in a NaN's bits).
//
// Build (make carts):
//   clang --target=wasm32 -mbulk-memory -O2 -nostdlib -Wl,--no-entry -o floats.wasm floats.c

#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

WASI("random_get") int random_get(void *buf, uint32_t len);
WASI("clock_time_get") int clock_time_get(uint32_t id, uint64_t precision, uint64_t *time);

#define W 160
#define H 120
#define N 96

struct descriptor {
	uint32_t format, width, height, stride, pixels, palette, reserved[2];
};
struct input {
	uint32_t buttons;
	int32_t mouse_x, mouse_y;
	uint32_t mouse_buttons, frame;
	int32_t wheel_x, wheel_y, reserved;
};

static uint32_t pixels[W * H];
static struct descriptor desc = {1, W, H, 0, 0, 0, {0, 0}};
static struct input in;
static float px[N], py[N], vx[N], vy[N];
static double heat[N];
static double ax = W / 2.0, ay = H / 2.0;

// A square root by Newton's method, exact enough and the same everywhere
// (f64.sqrt is exact too; this exercises plain arithmetic).
static double root(double v) {
	if (v <= 0) return 0;
	double r = v > 1 ? v : 1;
	for (int i = 0; i < 20; i++) r = 0.5 * (r + v / r);
	return r;
}

static float randf(void) {
	uint32_t r;
	random_get(&r, 4);
	return (float)(r >> 8) / 16777216.0f; // [0, 1)
}

EXPORT("input") struct input *input(void) { return &in; }
EXPORT("framebuffer") struct descriptor *framebuffer(void) { return &desc; }

EXPORT("start") void start(void) {
	desc.pixels = (uint32_t)(uintptr_t)pixels;
	for (int i = 0; i < N; i++) {
		px[i] = randf() * W, py[i] = randf() * H;
		vx[i] = randf() - 0.5f, vy[i] = randf() - 0.5f;
		heat[i] = 0;
	}
}

EXPORT("update") void update(void) {
	uint64_t now;
	clock_time_get(1, 1, &now);
	double t = (double)now / 1e9;
	if (in.buttons & 1) ax -= 1.5;
	if (in.buttons & 2) ax += 1.5;
	if (in.buttons & 4) ay -= 1.5;
	if (in.buttons & 8) ay += 1.5;
	if (in.mouse_buttons & 1 && in.mouse_x >= 0 && in.mouse_x < W && in.mouse_y >= 0 && in.mouse_y < H)
		ax = in.mouse_x, ay = in.mouse_y;
	ax += in.wheel_x, ay += in.wheel_y;
	for (int i = 0; i < N; i++) {
		double dx = ax - px[i], dy = ay - py[i];
		double d = root(dx * dx + dy * dy) + 4.0;
		float pull = (float)(30.0 / (d * d));
		vx[i] += (float)(dx / d) * pull + (randf() - 0.5f) * 0.05f;
		vy[i] += (float)(dy / d) * pull + (randf() - 0.5f) * 0.05f;
		if (in.buttons & 16) vx[i] *= 1.02f, vy[i] *= 1.02f; // A: excite
		vx[i] *= 0.995f, vy[i] *= 0.995f;
		px[i] += vx[i], py[i] += vy[i];
		if (px[i] < 0) px[i] = -px[i], vx[i] = -vx[i];
		if (px[i] >= W) px[i] = 2 * W - px[i] - 1, vx[i] = -vx[i];
		if (py[i] < 0) py[i] = -py[i], vy[i] = -vy[i];
		if (py[i] >= H) py[i] = 2 * H - py[i] - 1, vy[i] = -vy[i];
		if (px[i] < 0 || px[i] >= W) px[i] = W / 2;
		if (py[i] < 0 || py[i] >= H) py[i] = H / 2;
		heat[i] = heat[i] * 0.9 + root((double)(vx[i] * vx[i] + vy[i] * vy[i])) * 0.1;
	}
	for (int i = 0; i < W * H; i++) {
		uint32_t p = pixels[i];
		uint32_t r = (p & 0xff) * 7 / 8, g = (p >> 8 & 0xff) * 7 / 8, b = (p >> 16 & 0xff) * 7 / 8;
		pixels[i] = 0xff000000u | b << 16 | g << 8 | r;
	}
	uint32_t pulse = (uint32_t)(128 + 100 * (t - (double)(int64_t)t)); // the clock's fraction of a second
	for (int i = 0; i < N; i++) {
		int x = (int)px[i], y = (int)py[i];
		if (x < 0 || x >= W || y < 0 || y >= H) continue;
		double h = heat[i] * 200;
		uint32_t hv = h > 255 ? 255 : (uint32_t)h;
		pixels[y * W + x] = 0xff000000u | (pulse & 0xff) << 16 | (255 - hv) << 8 | hv;
	}
	int cx = (int)ax, cy = (int)ay;
	if (cx >= 0 && cx < W && cy >= 0 && cy < H) pixels[cy * W + cx] = 0xffffffffu;
}
