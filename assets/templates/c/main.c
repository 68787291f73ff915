// A minimal ebicart cart in C: a 160x120 frame in a static array, a square
// moved by the arrow keys. No libc needed.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define W 160
#define H 120

enum { BUTTON_LEFT = 1, BUTTON_RIGHT = 2, BUTTON_UP = 4, BUTTON_DOWN = 8, BUTTON_A = 16 };

struct descriptor { uint32_t format, width, height, stride, pixels, palette, reserved[2]; };
struct input { uint32_t buttons; int32_t mouse_x, mouse_y; uint32_t mouse_buttons, frame; int32_t wheel_x, wheel_y; uint32_t reserved; };

static uint32_t pixels[W * H]; // premultiplied RGBA: R | G<<8 | B<<16 | A<<24
static struct descriptor desc;
static struct input input;
static int x = 76, y = 56;

static uint32_t rgb(uint32_t r, uint32_t g, uint32_t b) { return r | g << 8 | b << 16 | 0xffu << 24; }

static void draw(void) {
	for (int i = 0; i < W * H; i++) pixels[i] = rgb(0x20, 0x30, 0x50);
	uint32_t c = (input.buttons & BUTTON_A) ? rgb(0x40, 0xff, 0x80) : rgb(0xff, 0xd0, 0x40);
	for (int dy = 0; dy < 8; dy++)
		for (int dx = 0; dx < 8; dx++) pixels[(y + dy) * W + x + dx] = c;
}

EXPORT("framebuffer") struct descriptor *framebuffer(void) { return &desc; }
EXPORT("input") struct input *input_block(void) { return &input; }

EXPORT("start") void start(void) {
	desc = (struct descriptor){.format = 1, .width = W, .height = H, .pixels = (uint32_t)(uintptr_t)pixels};
	draw();
}

EXPORT("update") void update(void) {
	if ((input.buttons & BUTTON_LEFT) && x > 0) x--;
	if ((input.buttons & BUTTON_RIGHT) && x < W - 8) x++;
	if ((input.buttons & BUTTON_UP) && y > 0) y--;
	if ((input.buttons & BUTTON_DOWN) && y < H - 8) y++;
	draw();
}
