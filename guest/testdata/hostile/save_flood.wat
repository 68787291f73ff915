;; save_flood: writes its save 200 times every update, 16 bytes holding the
;; update count four times: the host must coalesce the writes (at most two
;; a second reach the disk), and the last save must be on disk within a
;; second and at exit.
(module
  (import "ebicart" "disk_write" (func $disk_write (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "update")
    (local $i i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (i32.store (i32.const 256) (global.get $n))
    (i32.store (i32.const 260) (global.get $n))
    (i32.store (i32.const 264) (global.get $n))
    (i32.store (i32.const 268) (global.get $n))
    (loop $w
      (drop (call $disk_write (i32.const 256) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $w (i32.lt_u (local.get $i) (i32.const 200)))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
