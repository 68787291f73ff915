;; memory_is_global: "memory" names a global, not the memory.
(module
  (memory 1)
  (global (export "memory") i32 (i32.const 0))
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0)))
