;; input_loop: input() spins forever from its 3rd call on: the error must
;; name input, not update.
(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "input") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (if (i32.ge_u (global.get $n) (i32.const 3))
      (then (loop $l (br $l))))
    (i32.const 128))
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
