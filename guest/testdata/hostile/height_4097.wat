;; height_4097: a descriptor one row taller than the limit.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\10\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
