;; exceptions: a tag and a throw caught by a try, past WebAssembly 2.0.
(module
  (memory (export "memory") 1)
  (tag $e)
  (func (export "update") (try (do (throw $e)) (catch $e)))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
