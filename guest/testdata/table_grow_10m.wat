;; table_grow_10m: a table of 9,999,990 elements (80 MB) that each update
;; grows by 6 elements while table.grow succeeds: browsers' engines let a
;; table grow to 10,000,000 elements, no further. The first pixel's red is
;; the number of grows that succeeded (1), its green 255 once one failed.
(module
  (table $t 9999990 funcref)
  (memory (export "memory") 1)
  (func (export "update")
    (if (i32.eq (table.grow $t (ref.null func) (i32.const 6)) (i32.const -1))
      (then (i32.store8 (i32.const 65) (i32.const 255)))
      (else (i32.store8 (i32.const 64) (i32.add (i32.load8_u (i32.const 64)) (i32.const 1))))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\01\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
