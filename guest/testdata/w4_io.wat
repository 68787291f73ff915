;; w4_io: a WASM-4 cart (it imports env.memory) for the host's memory map,
;; input, storage, sound and trace:
;;  start:  reads a 4-byte boot counter with diskr, adds one, writes it
;;          back with diskw, and traces "boot <n>"
;;  update: traces "pad <g1> <g2> <g3> <g4> mouse <x> <y> <buttons>"
;;          (tracef), calls tone(440 | 880<<16, 10, 50, 2) and on frame 1
;;          paints the first 4 pixels with index 3; on frame 3 it sets
;;          SYSTEM_FLAGS bit 0 (keep the framebuffer) and paints them again.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "diskr" (func $diskr (param i32 i32) (result i32)))
  (import "env" "diskw" (func $diskw (param i32 i32) (result i32)))
  (import "env" "tone" (func $tone (param i32 i32 i32 i32)))
  (import "env" "tracef" (func $tracef (param i32 i32)))
  (global $frame (mut i32) (i32.const 0))
  (func (export "start")
    (drop (call $diskr (i32.const 0x2000) (i32.const 4)))
    (i32.store (i32.const 0x2000) (i32.add (i32.load (i32.const 0x2000)) (i32.const 1)))
    (drop (call $diskw (i32.const 0x2000) (i32.const 4)))
    (call $tracef (i32.const 0x1a00) (i32.const 0x2000)))
  (func (export "update")
    ;; args at 0x2100: g1 g2 g3 g4 mx my buttons, each an i32
    (i32.store (i32.const 0x2100) (i32.load8_u (i32.const 0x16)))
    (i32.store (i32.const 0x2104) (i32.load8_u (i32.const 0x17)))
    (i32.store (i32.const 0x2108) (i32.load8_u (i32.const 0x18)))
    (i32.store (i32.const 0x210c) (i32.load8_u (i32.const 0x19)))
    (i32.store (i32.const 0x2110) (i32.load16_s (i32.const 0x1a)))
    (i32.store (i32.const 0x2114) (i32.load16_s (i32.const 0x1c)))
    (i32.store (i32.const 0x2118) (i32.load8_u (i32.const 0x1e)))
    (call $tracef (i32.const 0x1a10) (i32.const 0x2100))
    (call $tone (i32.const 0x037001b8) (i32.const 10) (i32.const 50) (i32.const 2))
    (global.set $frame (i32.add (global.get $frame) (i32.const 1)))
    (if (i32.eq (global.get $frame) (i32.const 1))
      (then (i32.store8 (i32.const 0xa0) (i32.const 0xff))))
    (if (i32.eq (global.get $frame) (i32.const 3))
      (then
        (i32.store8 (i32.const 0x1f) (i32.const 1))
        (i32.store8 (i32.const 0xa0) (i32.const 0xff)))))
  (data (i32.const 0x1a00) "boot %d\00")
  (data (i32.const 0x1a10) "pad %d %d %d %d mouse %d %d %d\00"))
