// main.c: "orbs", a WASM-4 cart written for ebicart's examples. It draws
// in WASM-4's default palette (it never writes PALETTE), so ebicart's
// -palette flag recolours it:
//
//   go run . assets/carts/wasm4.wasm
//   go run . -palette 0f380f,306230,8bac0f,9bbc0f assets/carts/wasm4.wasm
//
// Catch the orbs with the arrow keys before the time runs out; X starts a
// new round. The best score and the rounds played are saved with diskw.
// Build (make carts):
//
//   clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--import-memory \
//     -Wl,--initial-memory=65536 -Wl,--max-memory=65536 -Wl,--stack-first \
//     -Wl,-zstack-size=14752 -o ../../assets/carts/wasm4.wasm main.c

#include "wasm4.h"

#define ORBS 5
#define ROUND (30 * 60) // frames

// The player, 8x8 at 2 bits a pixel: 0 transparent (DRAW_COLORS nibble 1
// is 0), 1 light, 2 mid, 3 dark.
static const uint8_t player[16] = {
    0x0a, 0xa0, 0x2f, 0xf8, 0xbd, 0x7e, 0xbf, 0xfe,
    0xbf, 0xfe, 0xb5, 0x5e, 0x2f, 0xf8, 0x0a, 0xa0,
};

static struct {
    int32_t x, y;
} orbs[ORBS];

static int32_t px = 76, py = 120;
static uint32_t seed = 12345, frame, left = ROUND, score;
static struct {
    uint32_t best, rounds;
} saved;
static uint8_t previous;

static uint32_t random(void) {
    seed = seed * 1103515245 + 12345;
    return seed >> 16;
}

static void place(int i) {
    orbs[i].x = 8 + random() % 140;
    orbs[i].y = 24 + random() % 100;
}

// number writes n in decimal to s and returns the end.
static char *number(char *s, uint32_t n) {
    char digits[10];
    int k = 0;
    do {
        digits[k++] = '0' + n % 10;
        n /= 10;
    } while (n);
    while (k) {
        *s++ = digits[--k];
    }
    *s = 0;
    return s;
}

static char *append(char *s, const char *t) {
    while (*t) {
        *s++ = *t++;
    }
    *s = 0;
    return s;
}

WASM_EXPORT("start")
void start(void) {
    diskr(&saved, sizeof saved);
    for (int i = 0; i < ORBS; i++) {
        place(i);
    }
}

static void scenery(void) {
    // Sky is palette colour 1 (the cleared screen); a sun, hills, ground.
    *DRAW_COLORS = 0x22;
    oval(118, 14, 28, 28);
    *DRAW_COLORS = 0x33;
    for (int32_t x = 0; x < SCREEN_SIZE; x += 40) {
        oval(x - 30, 128, 80, 50);
    }
    *DRAW_COLORS = 0x4;
    rect(0, 150, SCREEN_SIZE, 10);
    *DRAW_COLORS = 0x3;
    for (int32_t x = (frame / 4) % 8; x < SCREEN_SIZE; x += 8) {
        line(x, 150, x + 4, 159);
    }
}

WASM_EXPORT("update")
void update(void) {
    uint8_t pad = *GAMEPAD1;
    uint8_t pressed = pad & (pad ^ previous);
    previous = pad;
    frame++;
    scenery();

    if (left > 0) {
        left--;
        if (pad & BUTTON_LEFT && px > 0) px -= 2;
        if (pad & BUTTON_RIGHT && px < SCREEN_SIZE - 8) px += 2;
        if (pad & BUTTON_UP && py > 16) py -= 2;
        if (pad & BUTTON_DOWN && py < 142) py += 2;
        for (int i = 0; i < ORBS; i++) {
            int32_t dx = orbs[i].x - px, dy = orbs[i].y - py;
            if (dx > -8 && dx < 8 && dy > -8 && dy < 8) {
                score++;
                tone(660 | (990 << 16), 6, 60, TONE_PULSE1 | TONE_MODE3);
                place(i);
            }
        }
        if (left == 0) {
            tone(220, 30 << 8 | 10, 80, TONE_TRIANGLE);
            saved.rounds++;
            if (score > saved.best) {
                saved.best = score;
            }
            diskw(&saved, sizeof saved);
        }
    } else if (pressed & BUTTON_1) {
        left = ROUND;
        score = 0;
    }

    for (int i = 0; i < ORBS; i++) {
        *DRAW_COLORS = 0x42;
        oval(orbs[i].x, orbs[i].y + (int32_t)((frame / 8 + i) % 4 == 0), 8, 8);
    }
    *DRAW_COLORS = 0x4320;
    blit(player, px, py, 8, 8, BLIT_2BPP | (pad & BUTTON_LEFT ? BLIT_FLIP_X : 0));

    char line1[40], *s = line1;
    s = append(s, "score ");
    s = number(s, score);
    s = append(s, "  time ");
    number(s, (left + 59) / 60);
    *DRAW_COLORS = 0x4;
    rect(0, 0, SCREEN_SIZE, 11);
    *DRAW_COLORS = 0x1;
    text(line1, 2, 2);
    if (left == 0) {
        char line2[40];
        s = append(line2, "best ");
        number(s, saved.best);
        *DRAW_COLORS = 0x41;
        rect(28, 60, 104, 40);
        *DRAW_COLORS = 0x4;
        text("time's up!", 40, 66);
        text(line2, 40, 78);
        text("\x80 to play", 40, 88);
    }
}
