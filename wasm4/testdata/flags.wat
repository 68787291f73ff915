;; flags: a WASM-4 cart for SYSTEM_FLAGS and NETPLAY. Update n (from 1)
;; paints pixel n-1 of the top row with palette index 3 and copies the
;; NETPLAY byte, as it reads it, into the first framebuffer byte of row 1;
;; then it writes SYSTEM_FLAGS and NETPLAY:
;;   update 1: SYSTEM_FLAGS = PRESERVE_FRAMEBUFFER; NETPLAY = 0x1b
;;   update 2: SYSTEM_FLAGS = PRESERVE_FRAMEBUFFER | HIDE_GAMEPAD_OVERLAY
;;   update 3: SYSTEM_FLAGS = HIDE_GAMEPAD_OVERLAY
;;   update 4: SYSTEM_FLAGS = 0
;; WASM-4 clears the framebuffer before an update unless the flag is set
;; then, so the top row shows pixel 0, then 0-1, then 0-2, then 3 alone;
;; it never writes NETPLAY outside a netplay session, so the cart's 0x1b
;; stays.
(module
  (import "env" "memory" (memory 1 1))
  (global $frame (mut i32) (i32.const 0))
  (func (export "update")
    (local $n i32)
    (global.set $frame (i32.add (global.get $frame) (i32.const 1)))
    (local.set $n (i32.sub (global.get $frame) (i32.const 1)))
    (if (i32.lt_u (local.get $n) (i32.const 4))
      (then
        (i32.store8 (i32.const 0xa0)
          (i32.or (i32.load8_u (i32.const 0xa0))
            (i32.shl (i32.const 3) (i32.shl (local.get $n) (i32.const 1)))))))
    (i32.store8 (i32.const 0xc8) (i32.load8_u (i32.const 0x20)))
    (block $set
      (if (i32.eq (global.get $frame) (i32.const 1))
        (then
          (i32.store8 (i32.const 0x1f) (i32.const 1))
          (i32.store8 (i32.const 0x20) (i32.const 0x1b))
          (br $set)))
      (if (i32.eq (global.get $frame) (i32.const 2))
        (then (i32.store8 (i32.const 0x1f) (i32.const 3)) (br $set)))
      (if (i32.eq (global.get $frame) (i32.const 3))
        (then (i32.store8 (i32.const 0x1f) (i32.const 2)) (br $set)))
      (i32.store8 (i32.const 0x1f) (i32.const 0)))))
