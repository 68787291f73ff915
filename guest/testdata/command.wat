;; command: a WASI command, as a Go cart built without
;; -buildmode=c-shared is: its exports work only once _start has run,
;; which ebicart does not call (it calls a reactor's _initialize).
(module
  (memory (export "memory") 1)
  (global $ready (mut i32) (i32.const 0))
  (func (export "_start") (global.set $ready (i32.const 1)))
  (func $check (if (i32.eqz (global.get $ready)) (then unreachable)))
  (func (export "start") (call $check))
  (func (export "update") (call $check))
  (func (export "framebuffer") (result i32) (call $check) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
