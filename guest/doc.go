// Package guest loads and runs ebicart cartridges. Its documentation is the
// reference for cart authors: everything a cart needs to know is here.
//
// # Cart ABI, version 1
//
// A cart is a wasm32 module (WebAssembly core 2.0: bulk memory, multi-value,
// sign extension, non-trapping conversions, reference types and SIMD are
// fine). Its linear memory holds its pixels; every frame the host reads them
// in place. No pixel crosses the boundary as a call argument.
//
// Exports, by exact name:
//
//	memory                the cart's own linear memory (required)
//	update() -> ()        called once per tick, 60 times a second (required)
//	framebuffer() -> i32  the address of the frame descriptor (required);
//	                      called after start and after every update, and the
//	                      descriptor is re-read each time, so a cart may
//	                      change its size, format or buffer between frames
//	start() -> ()         called once before the first update (optional)
//	_initialize() -> ()   called first of all (optional; WASI reactors such
//	                      as Go's GOOS=wasip1 -buildmode=c-shared export it)
//	input() -> i32        the address of a 32-byte input block the host
//	                      writes before each update (optional)
//
// A module "start section" runs as the module is instantiated, before
// _initialize. An exported _start (a WASI command) is not called.
//
// # Frame descriptor
//
// 32 bytes, eight little-endian u32 fields:
//
//	+0  format    see below
//	+4  width     1..4096 pixels
//	+8  height    1..4096 pixels
//	+12 stride    bytes from the start of one row to the next; 0 = packed
//	+16 pixels    address of the first row
//	+20 palette   address of the palette, 0 when the format has none
//	+24 reserved
//	+28 reserved
//
// Formats:
//
//	1 RGBA8888 premultiplied  bytes R,G,B,A, colour already multiplied by
//	                          alpha: Ebitengine's own layout, uploaded as is
//	2 RGBA8888 straight       bytes R,G,B,A; the host premultiplies
//	3 RGB888                  bytes R,G,B (an array of Color{r, g, b u8}); opaque
//	4 XRGB8888                little-endian u32 0x??RRGGBB (bytes B,G,R,?); the
//	                          top byte is ignored; opaque
//	5 RGB565                  little-endian u16, red in the high 5 bits; each
//	                          field is expanded by bit replication (31 and 63
//	                          become 255); opaque
//	6 INDEXED8                one byte per pixel; palette of 256 little-endian
//	                          u32 0x00RRGGBB; opaque
//	7 INDEXED2                2 bits per pixel, 4 pixels per byte, leftmost
//	                          pixel in the LOW two bits (the WASM-4 layout);
//	                          palette of 4 u32 0x00RRGGBB; opaque
//
// The stride is 0 or at least the packed row size (INDEXED2: ceil(width/4)
// bytes), and every byte the frame reads, the pixel rows and the palette,
// must lie inside memory. A descriptor that breaks a rule stops the cart
// with an error naming the field and its numbers, such as
//
//	framebuffer: pixels 0x10000+184320 bytes end past memory size 65536
//
// Format 1 with a packed stride costs the host nothing: the bytes go
// straight from the cart's memory to the GPU upload. The other formats are
// converted by package framebuffer.
//
// # Input block
//
// 32 bytes, little-endian, written by the host before each update when the
// cart exports input():
//
//	+0  u32 buttons        bit 0 left, 1 right, 2 up, 3 down, 4 A, 5 B,
//	                       6 start, 7 select
//	+4  i32 mouse_x        in framebuffer pixels; may lie outside the frame
//	+8  i32 mouse_y
//	+12 u32 mouse_buttons  bit 0 left, 1 right, 2 middle
//	+16 u32 frame          the number of updates before this one
//	+20 i32 wheel_x        notches since the last update
//	+24 i32 wheel_y
//	+28 reserved
//
// Default keys: arrows and WASD move, Z or J is A, X or K is B, Enter is
// start, Shift is select. Gamepads with the standard layout map their d-pad
// and left stick to the directions, the bottom face button to A, the right
// one to B, and the centre buttons to select and start. A touch is a left
// click.
//
// # Imports
//
// A cart may import:
//
//	ebicart.log(ptr, len i32)   one UTF-8 line to the host log
//
// and every function of wasi_snapshot_preview1, so that carts from Go (which
// imports sched_yield, proc_exit, args_*, environ_*, clock_time_get,
// fd_write, random_get, poll_oneoff), Rust, C (wasi-libc) and Zig load. WASI
// is configured with no filesystem, no environment and no arguments; stdout
// and stderr go to the host log; clocks are real and random_get is
// cryptographically random. Whatever would reach outside fails inside the
// cart with a WASI error code (for example EBADF). proc_exit stops the cart
// with "cart exited with status n".
//
// Any other import is refused when the cart loads, with an error naming it
// and its module.
//
// # Limits and errors
//
// A cart's memory is capped (default [DefaultMaxMemory], 256 MiB):
// declaring more fails to load, and memory.grow beyond it returns -1 inside
// the cart. A cart is checked when it loads (missing or ill-typed exports,
// unknown imports, a first descriptor that does not validate) and each
// failure is an error that says what is wrong. A trap in start or update
// returns a [*CallError] carrying the trap message and the wasm stack with
// function names; the cart is then stopped, and the host shows the error.
//
// # Hosts
//
// Natively carts run on wazero's optimizing compiler, one wazero runtime per
// cart, with compiled code cached under os.UserCacheDir()/ebicart so that a
// second start of the same cart skips compilation. The frame sequence
// (input, update, framebuffer, descriptor check, packing) is shared by every
// host; only a small internal interface differs per platform.
package guest
