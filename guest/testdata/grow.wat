;; grow: every update grows memory by one page, up to 8 pages, and moves its
;; 2x1 RGB888 frame into the newest page, colour (frame, 0x80, 0x40). The host
;; must follow the moving, growing memory.
(module
  (memory (export "memory") 1)
  (global $frame (mut i32) (i32.const 0))
  (func (export "update")
    (local $base i32)
    (global.set $frame (i32.add (global.get $frame) (i32.const 1)))
    (if (i32.lt_u (memory.size) (i32.const 8))
      (then (drop (memory.grow (i32.const 1)))))
    (local.set $base (i32.mul (i32.sub (memory.size) (i32.const 1)) (i32.const 65536)))
    (i32.store8 (local.get $base) (global.get $frame))
    (i32.store8 (i32.add (local.get $base) (i32.const 1)) (i32.const 0x80))
    (i32.store8 (i32.add (local.get $base) (i32.const 2)) (i32.const 0x40))
    (i32.store8 (i32.add (local.get $base) (i32.const 3)) (global.get $frame))
    (i32.store8 (i32.add (local.get $base) (i32.const 4)) (i32.const 0x80))
    (i32.store8 (i32.add (local.get $base) (i32.const 5)) (i32.const 0x40))
    (i32.store (i32.const 16) (local.get $base)))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\00\80\40\00\80\40"))
