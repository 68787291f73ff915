;; width_4097: a descriptor one pixel wider than the limit.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\01\10\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
