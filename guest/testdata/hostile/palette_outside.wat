;; palette_outside: an INDEXED8 palette (1024 bytes) that starts 16 bytes
;; before the end of memory.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\06\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\f0\ff\00\00"))
