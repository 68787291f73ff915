;; resize: the frame is 2x1 for updates 1-9, 4x2 for 10-19, 2x1 again from
;; 20 on (a cart may change its size between frames). Pixels are RGB888.
(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "update")
    (local $big i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (local.set $big (i32.and (i32.ge_u (global.get $n) (i32.const 10)) (i32.lt_u (global.get $n) (i32.const 20))))
    (i32.store (i32.const 4) (select (i32.const 4) (i32.const 2) (local.get $big)))
    (i32.store (i32.const 8) (select (i32.const 2) (i32.const 1) (local.get $big))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\00\ff\00\00\00\ff\ff\ff\ff\10\20\30\40\50\60\70\80\90\a0\b0\c0"))
