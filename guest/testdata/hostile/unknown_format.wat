;; unknown_format: format 9 does not exist.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\09\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
