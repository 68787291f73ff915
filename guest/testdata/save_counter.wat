;; save_counter: a counter kept in the cart's save. start reads it from the
;; save (0 without one); each update adds one and writes it back. The 1x1
;; RGB888 frame shows it: red is its low byte. A rebuild swapped in while
;; it runs must go on from where it was.
(module
  (import "ebicart" "disk_read" (func $disk_read (param i32 i32) (result i32)))
  (import "ebicart" "disk_write" (func $disk_write (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "start")
    (drop (call $disk_read (i32.const 128) (i32.const 4))))
  (func (export "update")
    (i32.store (i32.const 128) (i32.add (i32.load (i32.const 128)) (i32.const 1)))
    (drop (call $disk_write (i32.const 128) (i32.const 4)))
    (i32.store (i32.const 64) (i32.load (i32.const 128))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\01\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
