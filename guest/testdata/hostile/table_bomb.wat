;; table_bomb: two funcref tables declared at 2^27 elements each (2 GiB at
;; 8 bytes an element): refused at load, whatever the memory cap.
(module
  (table 134217728 funcref)
  (table 134217728 funcref)
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
