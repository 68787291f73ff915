;; multi_memory: the cart's memory is one page, and a second memory it
;; does not export asks for 1000 MiB. The memory cap applies to the first:
;; a WebAssembly 2.0 module has one memory, and this one is refused.
(module
  (memory (export "memory") 1)
  (memory $big 16000)
  (func (export "update") (i32.store8 $big (i32.const 0) (i32.const 1)))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
