;; exception_tag: a tag (exception handling, past WebAssembly 2.0) that no
;; instruction throws, which the browser's engine runs and wazero refuses.
(module
  (memory (export "memory") 1)
  (tag $e)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
