;; start_state: a WASM-4 cart that shows the memory map as its start and
;; update functions see it, and draws a one-pixel cursor where the mouse is.
;;   start:  copies bytes 0x00..0x9f (the registers) to 0x3000 and the OR of
;;           every framebuffer byte to 0x30a0, then paints pixels 0-3 of
;;           row 100 with index 3 (WASM-4's native runtime shows them in
;;           the first frame: it clears the framebuffer before every
;;           update but the first).
;;   update: copies the registers as update sees them to 0x3100, then
;;           writes into the framebuffer: rows 0-3 (160 bytes) the registers
;;           start saw, rows 4-7 those update saw, and the first byte of
;;           row 8 the framebuffer's OR at start. Then, when MOUSE_X and
;;           MOUSE_Y are on the screen, it paints that pixel with palette
;;           index 3: a cursor.
(module
  (import "env" "memory" (memory 1 1))
  (func (export "start")
    (local $i i32) (local $or i32)
    (memory.copy (i32.const 0x3000) (i32.const 0) (i32.const 0xa0))
    (local.set $i (i32.const 0xa0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 0x19a0)))
        (local.set $or (i32.or (local.get $or) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store8 (i32.const 0x30a0) (local.get $or))
    (i32.store8 (i32.const 0x1040) (i32.const 0xff)))
  (func (export "update")
    (local $x i32) (local $y i32) (local $i i32) (local $shift i32)
    (memory.copy (i32.const 0x3100) (i32.const 0) (i32.const 0xa0))
    (memory.copy (i32.const 0xa0) (i32.const 0x3000) (i32.const 0xa0))
    (memory.copy (i32.const 0x140) (i32.const 0x3100) (i32.const 0xa0))
    (i32.store8 (i32.const 0x1e0) (i32.load8_u (i32.const 0x30a0)))
    (local.set $x (i32.load16_s (i32.const 0x1a)))
    (local.set $y (i32.load16_s (i32.const 0x1c)))
    (if (i32.and
          (i32.and (i32.ge_s (local.get $x) (i32.const 0)) (i32.lt_s (local.get $x) (i32.const 160)))
          (i32.and (i32.ge_s (local.get $y) (i32.const 0)) (i32.lt_s (local.get $y) (i32.const 160))))
      (then
        ;; pixel i = 160y + x is in byte 0xa0 + i/4, at bits 2*(i%4)
        (local.set $i (i32.add (i32.mul (local.get $y) (i32.const 160)) (local.get $x)))
        (local.set $shift (i32.shl (i32.and (local.get $i) (i32.const 3)) (i32.const 1)))
        (local.set $i (i32.add (i32.const 0xa0) (i32.shr_u (local.get $i) (i32.const 2))))
        (i32.store8 (local.get $i)
          (i32.or (i32.load8_u (local.get $i)) (i32.shl (i32.const 3) (local.get $shift))))))))
