;; table_10m: a table of 10,000,001 elements (80 MB, within the default
;; memory cap), one more than browsers' engines allow a table.
(module
  (table 10000001 funcref)
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
