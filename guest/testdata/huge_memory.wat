;; huge_memory: declares 65536 pages (4 GiB) of initial memory.
(module
  (memory (export "memory") 65536)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0)))
