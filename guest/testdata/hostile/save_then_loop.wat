;; save_then_loop: as save_then_trap, but update spins forever right after
;; disk_write, so the host kills it at the deadline.
(module
  (import "ebicart" "log" (func $log (param i32 i32)))
  (import "ebicart" "disk_read" (func $disk_read (param i32 i32) (result i32)))
  (import "ebicart" "disk_write" (func $disk_write (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "start")
    (local $n i32)
    (local.set $n (call $disk_read (i32.const 256) (i32.const 64)))
    (call $log (i32.const 256) (local.get $n)))
  (func (export "update")
    (drop (call $disk_write (i32.const 128) (i32.const 10)))
    (loop $l (br $l)))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a")
  (data (i32.const 128) "saved! 123"))
