;; pixels_outside: a 320x144 RGBA frame at 0x10000, past the single page.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\01\00\00\00\40\01\00\00\90\00\00\00\00\00\00\00\00\00\01\00\00\00\00\00\00\00"))
