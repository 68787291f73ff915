// altfont.c: WASM-4's framebuffer.c with every glyph of its font made all
// ink (-DFONT_BYTE=0x00) or all background (-DFONT_BYTE=0xff), for make
// w4-diff. A pixel whose colour in a cart's frame changes with either is
// one the font decides: text. Those are the pixels where ebicart's own font
// may make a frame differ from WASM-4's. build.sh compiles it in place of
// framebuffer.c into w4dump-ink and w4dump-paper, outside the repository.
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The font is a static const array: without const it can be rewritten in
// place before the cart runs.
#define const
#include "framebuffer.c"
#undef const

__attribute__((constructor)) static void rewriteFont(void) {
    memset((uint8_t*)font, FONT_BYTE, sizeof font);
}
