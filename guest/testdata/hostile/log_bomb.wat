;; log_bomb: every update logs 2.9 MB with no newline in it, five times
;; through ebicart.log and once to stdout. A host that looked for the newline
;; from each 4 KiB piece to the end of the message took quadratic time
;; (minutes for 64 MiB, uninterruptible); the log must cut the lines and
;; the message, in time linear in what it keeps.
(module
  (import "ebicart" "log" (func $log (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 46)
  (func (export "start")
    (memory.fill (i32.const 65536) (i32.const 65) (i32.const 2883584))
    ;; one iovec at 1024: {65536, 2883584}
    (i32.store (i32.const 1024) (i32.const 65536))
    (i32.store (i32.const 1028) (i32.const 2883584)))
  (func (export "update")
    (call $log (i32.const 65536) (i32.const 2883584))
    (call $log (i32.const 65536) (i32.const 2883584))
    (call $log (i32.const 65536) (i32.const 2883584))
    (call $log (i32.const 65536) (i32.const 2883584))
    (call $log (i32.const 65536) (i32.const 2883584))
    (drop (call $fd_write (i32.const 1) (i32.const 1024) (i32.const 1) (i32.const 2048))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
