;; grow_zero: every update grows memory by a page, up to 16, and shows in
;; its 2x1 RGB888 frame the first and last bytes the new page held, which
;; memory.grow makes zeros, before it writes 0xff over them. An engine
;; that gives a new instance memory an earlier one used (a state loaded
;; into a cart whose memory had grown) must clear it all the same.
(module
  (memory (export "memory") 1 16)
  (func (export "update")
    (local $page i32)
    (local $base i32)
    (local.set $page (memory.grow (i32.const 1)))
    (if (i32.ge_s (local.get $page) (i32.const 0))
      (then
        (local.set $base (i32.mul (local.get $page) (i32.const 65536)))
        (i32.store8 (i32.const 64) (i32.load8_u (local.get $base)))
        (i32.store8 (i32.const 65) (i32.load8_u (i32.add (local.get $base) (i32.const 65535))))
        (i32.store8 (i32.const 66) (local.get $page))
        (i32.store8 (local.get $base) (i32.const 0xff))
        (i32.store8 (i32.add (local.get $base) (i32.const 65535)) (i32.const 0xff)))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
