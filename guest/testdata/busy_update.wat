;; busy_update: its 3rd update spins for 2^22 turns of a loop (a few
;; milliseconds compiled, a fraction of a second on the in-process
;; engine, which checks for a deadline at every turn), then returns: an
;; update whose work stands out from the others' without making a test
;; wait. The frame is one RGB888 pixel whose red is the number of updates
;; that have returned.
(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "update")
    (local $i i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (if (i32.eq (global.get $n) (i32.const 3))
      (then
        (local.set $i (i32.const 0x400000))
        (loop $l
          (local.set $i (i32.sub (local.get $i) (i32.const 1)))
          (br_if $l (local.get $i)))))
    (i32.store8 (i32.const 64) (global.get $n)))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\01\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\00\80\40"))
