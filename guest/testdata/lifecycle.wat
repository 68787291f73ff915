;; lifecycle: _initialize must run before start, start before update, and
;; update once per frame; any other order traps. It also logs through
;; ebicart.log and WASI fd_write (stdout), so tests see both reach the host
;; log.
(module
  (import "ebicart" "log" (func $log (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $stage (mut i32) (i32.const 0))
  (func (export "_initialize")
    (if (i32.ne (global.get $stage) (i32.const 0)) (then unreachable))
    (global.set $stage (i32.const 1)))
  (func (export "start")
    (if (i32.ne (global.get $stage) (i32.const 1)) (then unreachable))
    (global.set $stage (i32.const 2))
    (call $log (i32.const 128) (i32.const 13)))
  (func (export "update")
    (if (i32.lt_u (global.get $stage) (i32.const 2)) (then unreachable))
    (global.set $stage (i32.add (global.get $stage) (i32.const 1)))
    ;; iovec at 160: {ptr 144, len 12}
    (drop (call $fd_write (i32.const 1) (i32.const 160) (i32.const 1) (i32.const 168))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a")
  (data (i32.const 128) "hello, start!")
  (data (i32.const 144) "from stdout\n")
  (data (i32.const 160) "\90\00\00\00\0c\00\00\00"))
