;; missing_memory: memory defined but not exported.
(module
  (memory 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0)))
