;; reshape: a 4x1 RGB888 frame for updates 1-9, then 1x2 from update 10 on:
;; a wide frame turns tall, so a window must clear where the wide one was.
(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "update")
    (local $wide i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (local.set $wide (i32.lt_u (global.get $n) (i32.const 10)))
    (i32.store (i32.const 4) (select (i32.const 4) (i32.const 1) (local.get $wide)))
    (i32.store (i32.const 8) (select (i32.const 1) (i32.const 2) (local.get $wide))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\04\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\e0\40\20\e0\40\20\e0\40\20\e0\40\20"))
