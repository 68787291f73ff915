;; tail_call: a tail call (return_call), past WebAssembly 2.0: refused on
;; every engine (the browser's runs it, and would run it without the
;; stack bound the core adds).
(module
  (memory (export "memory") 1)
  (func $f (return_call $g))
  (func $g)
  (func (export "update") (call $f))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
