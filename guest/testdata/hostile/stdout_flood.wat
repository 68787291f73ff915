;; stdout_flood: every update writes 10 MB to stdout (ten 1 MiB iovecs of
;; the same bytes, a line every 64 bytes). The host must rate-limit the
;; log and keep its memory bounded.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 17)
  (func (export "start")
    (local $i i32)
    ;; 1 MiB at 65536 of "xxxx...\n" lines
    (memory.fill (i32.const 65536) (i32.const 120) (i32.const 1048576))
    (loop $nl
      (i32.store8 (i32.add (i32.const 65599) (local.get $i)) (i32.const 10))
      (local.set $i (i32.add (local.get $i) (i32.const 64)))
      (br_if $nl (i32.lt_u (local.get $i) (i32.const 1048576))))
    ;; ten iovecs at 1024: {65536, 1048576}
    (local.set $i (i32.const 0))
    (loop $iov
      (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 3))) (i32.const 65536))
      (i32.store (i32.add (i32.const 1028) (i32.shl (local.get $i) (i32.const 3))) (i32.const 1048576))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $iov (i32.lt_u (local.get $i) (i32.const 10)))))
  (func (export "update")
    (drop (call $fd_write (i32.const 1) (i32.const 1024) (i32.const 10) (i32.const 2048))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
