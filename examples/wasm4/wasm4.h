// wasm4.h: ebicart's header for WASM-4 carts in C, written from the
// published WASM-4 API (memory map and function signatures, wasm4.org):
// the memory registers, drawing, sound, storage and trace. Needs no C
// library.

#ifndef EBICART_WASM4_H
#define EBICART_WASM4_H

typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef short int16_t;
typedef int int32_t;

#define WASM_EXPORT(name) __attribute__((export_name(name)))
#define WASM_IMPORT(name) __attribute__((import_module("env"), import_name(name)))

// Memory map: one 64 KiB page, registers and framebuffer below 0x19a0.
#define PALETTE ((uint32_t *)0x04)           // 4 colours 0x00RRGGBB
#define DRAW_COLORS ((uint16_t *)0x14)       // 4 nibbles: 0 transparent, 1-4 palette
#define GAMEPAD1 ((const uint8_t *)0x16)
#define GAMEPAD2 ((const uint8_t *)0x17)
#define GAMEPAD3 ((const uint8_t *)0x18)
#define GAMEPAD4 ((const uint8_t *)0x19)
#define MOUSE_X ((const int16_t *)0x1a)
#define MOUSE_Y ((const int16_t *)0x1c)
#define MOUSE_BUTTONS ((const uint8_t *)0x1e)
#define SYSTEM_FLAGS ((uint8_t *)0x1f)
#define NETPLAY ((const uint8_t *)0x20)
#define FRAMEBUFFER ((uint8_t *)0xa0)        // 160x160, 2 bits a pixel

#define SCREEN_SIZE 160

#define BUTTON_1 1
#define BUTTON_2 2
#define BUTTON_LEFT 16
#define BUTTON_RIGHT 32
#define BUTTON_UP 64
#define BUTTON_DOWN 128

#define MOUSE_LEFT 1
#define MOUSE_RIGHT 2
#define MOUSE_MIDDLE 4

#define SYSTEM_PRESERVE_FRAMEBUFFER 1
#define SYSTEM_HIDE_GAMEPAD_OVERLAY 2

#define BLIT_1BPP 0
#define BLIT_2BPP 1
#define BLIT_FLIP_X 2
#define BLIT_FLIP_Y 4
#define BLIT_ROTATE 8

// Drawing functions, imported from the host's "env" module.
WASM_IMPORT("blit")
void blit(const uint8_t *sprite, int32_t x, int32_t y, uint32_t width, uint32_t height, uint32_t flags);
WASM_IMPORT("blitSub")
void blitSub(const uint8_t *sprite, int32_t x, int32_t y, uint32_t width, uint32_t height,
             uint32_t srcX, uint32_t srcY, uint32_t stride, uint32_t flags);
WASM_IMPORT("line")
void line(int32_t x1, int32_t y1, int32_t x2, int32_t y2);
WASM_IMPORT("hline")
void hline(int32_t x, int32_t y, uint32_t len);
WASM_IMPORT("vline")
void vline(int32_t x, int32_t y, uint32_t len);
WASM_IMPORT("oval")
void oval(int32_t x, int32_t y, uint32_t width, uint32_t height);
WASM_IMPORT("rect")
void rect(int32_t x, int32_t y, uint32_t width, uint32_t height);
WASM_IMPORT("text")
void text(const char *str, int32_t x, int32_t y);
WASM_IMPORT("textUtf8")
void textUtf8(const char *str, uint32_t byteLength, int32_t x, int32_t y);
WASM_IMPORT("textUtf16")
void textUtf16(const uint16_t *str, uint32_t byteLength, int32_t x, int32_t y);

// Sound: tone(frequency, duration, volume, flags); see wasm4.org.
#define TONE_PULSE1 0
#define TONE_PULSE2 1
#define TONE_TRIANGLE 2
#define TONE_NOISE 3
#define TONE_MODE1 0
#define TONE_MODE2 4
#define TONE_MODE3 8
#define TONE_MODE4 12
#define TONE_PAN_LEFT 16
#define TONE_PAN_RIGHT 32
#define TONE_NOTE_MODE 64

WASM_IMPORT("tone")
void tone(uint32_t frequency, uint32_t duration, uint32_t volume, uint32_t flags);

// Storage: 1024 bytes that survive restarts.
WASM_IMPORT("diskr")
uint32_t diskr(void *dest, uint32_t size);
WASM_IMPORT("diskw")
uint32_t diskw(const void *src, uint32_t size);

// Trace: a line to the host's log.
WASM_IMPORT("trace")
void trace(const char *str);
WASM_IMPORT("tracef")
void tracef(const char *fmt, const void *args);

#endif
