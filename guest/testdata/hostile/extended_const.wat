;; extended_const: a data segment at an offset computed with i32.add (the
;; extended constant expressions proposal, past WebAssembly 2.0), which
;; the browser's engine runs and wazero refuses.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (offset (i32.add (i32.const 0) (i32.const 0))) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
