;; wasm4_own_memory: a WASM-4 cart linked without --import-memory: it
;; imports WASM-4's text() but defines and exports its own memory, so it
;; runs as ABI v1, which has no env functions and wants framebuffer().
(module
  (import "env" "text" (func $text (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "update")
    (call $text (i32.const 0x2000) (i32.const 0) (i32.const 0)))
  (data (i32.const 0x2000) "hello\00"))
