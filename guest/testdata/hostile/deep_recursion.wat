;; deep_recursion: update recurses without end until the wasm stack runs out.
(module
  (memory (export "memory") 1)
  (func $dive (param i32) (result i32)
    (i32.add (call $dive (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "update") (drop (call $dive (i32.const 0))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
