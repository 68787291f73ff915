;; shared_memory: a shared memory (threads), which WebAssembly 2.0 has not.
(module
  (memory (export "memory") 1 1 shared)
  (func (export "update") (drop (i32.atomic.rmw.add (i32.const 64) (i32.const 1))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
