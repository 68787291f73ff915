;; table_grow: grows two funcref tables by 2^22 elements (32 MiB) every
;; update: past the memory cap table.grow must return -1. The first pixel's
;; red is 255 once a grow failed.
(module
  (table $a 1 funcref)
  (table $b 1 funcref)
  (memory (export "memory") 1)
  (func (export "update")
    (if (i32.eq (table.grow $a (ref.null func) (i32.const 4194304)) (i32.const -1))
      (then (i32.store8 (i32.const 64) (i32.const 255))))
    (if (i32.eq (table.grow $b (ref.null func) (i32.const 4194304)) (i32.const -1))
      (then (i32.store8 (i32.const 64) (i32.const 255)))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\00\00\00\3c\46\5a"))
