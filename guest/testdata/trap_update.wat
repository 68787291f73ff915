;; trap_update: update traps on its third call.
(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func $check_frame
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (if (i32.eq (global.get $n) (i32.const 3)) (then unreachable)))
  (func (export "update") (call $check_frame))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
