;; grow_forever: every update grows memory by 16 pages (1 MiB) and never
;; stops trying. Past the cap memory.grow must return -1 inside the cart
;; (the cart then paints its first pixel white and keeps running).
(module
  (memory (export "memory") 1)
  (func (export "update")
    (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1))
      (then (i32.store (i32.const 64) (i32.const 0xffffff)))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\00\00\00\3c\46\5a"))
