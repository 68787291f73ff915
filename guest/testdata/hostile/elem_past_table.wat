;; elem_past_table: a table of 4 functions, and a second element segment
;; that writes 2 of them at 3, past its end. WebAssembly says
;; instantiation traps there; wazero 1.12 skips the segment and runs the
;; cart, the browser refuses it: the core refuses it on every engine.
(module
  (memory (export "memory") 1)
  (table 4 funcref)
  (func $f)
  (elem (i32.const 0) $f $f)
  (elem (i32.const 3) $f $f)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
