;; descriptor_outside: framebuffer returns an address whose 32 bytes cross
;; the end of memory.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 65520)))
