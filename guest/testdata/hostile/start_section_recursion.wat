;; start_section_recursion: the module's start section recurses without
;; end. It must stop as a stack overflow on every engine: the desktop said
;; "unreachable" before (the stack bound's global was set up only after
;; instantiation), the browser "stack overflow".
(module
  (memory (export "memory") 1)
  (func $down (param i32) (call $down (i32.add (local.get 0) (i32.const 1))))
  (func $init (call $down (i32.const 0)))
  (start $init)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\01\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
