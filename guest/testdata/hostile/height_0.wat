;; height_0: a descriptor with no rows.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\00\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
