;; disk_outside: draws a first frame, then reads its save into the last
;; 256 bytes of memory asking for 512: the call traps, with an error that
;; names ebicart.disk_read and says the whole size asked must fit, however
;; little is saved.
(module
  (import "ebicart" "disk_read" (func $disk_read (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "update")
    (drop (call $disk_read (i32.const 0xff00) (i32.const 512))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
