;; memory64: a 64-bit memory; a cart must be wasm32.
(module
  (memory (export "memory") i64 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0)))
