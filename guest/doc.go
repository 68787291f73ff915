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
// # Sandbox and budgets
//
// A cart gets nothing beyond the ABI: no files, network, environment or
// arguments. WASI calls that would reach outside fail inside the cart with
// the error codes of wazero's WASI module (EBADF for a file descriptor that
// is not there, EPERM for an absolute path), never a host panic.
//
// Memory is capped (Config.WithMaxMemory, default 256 MiB). Each call of
// start or update, and the instantiation that runs a module's start
// section, has a deadline (Config.WithCPULimit, default 1 s): a cart that
// misses it is stopped with a [*DeadlineError] ("update did not return
// within 1s"). Log output is rate-limited (a burst of 200 lines, then 100
// a second; the rest is counted and dropped).
//
// # How the deadline is kept without costing speed
//
// wazero's compiled code cannot be interrupted from Go. wazero can check
// for a cancelled context at every loop header and call
// (IsolationInProcess), but that makes a loop-heavy cart 6-7 times slower
// (BenchmarkUpdate: mandel 9 ms a tick becomes 60 ms), slower than an
// interpreter. Without any check, a cart stuck in a loop also blocks the
// garbage collector's stop-the-world, which freezes the whole host,
// including the timer that was to stop the cart.
//
// So on Linux a cart runs in a worker process (IsolationProcess, the
// default there): the host program starts itself again with
// EBICART_GUEST_WORKER=1, which this package's init turns into a worker
// before main runs. The worker compiles and runs the cart with wazero as
// the host would, except that the cart's linear memory is a memfd mapped
// by both processes: the host writes the input block and reads the
// descriptor and the pixels in place, so the framebuffer is still never
// copied to be read. A tick is one request and one reply on a pipe (tens
// of microseconds); a reply that does not come within the CPU limit gets
// the worker killed. Loop-heavy carts run at compiled speed (mandel: 1.02
// to 1.09 times plain compiled in the same run; make bench prints it), the
// host's garbage collector never waits for a cart, and a crashing cart
// cannot take the host down. Elsewhere carts run in-process with wazero's
// checks; IsolationNone drops the deadline for trusted carts.
//
// # Hosts
//
// Natively carts run on wazero's optimizing compiler, one wazero runtime per
// cart, with compiled code cached under os.UserCacheDir()/ebicart so that a
// second start of the same cart skips compilation. The frame sequence
// (input, update, framebuffer, descriptor check, packing) is shared by every
// host; only a small internal interface differs per platform.
package guest
