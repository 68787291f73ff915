;; stride_below_row: RGB888 7 wide needs 21-byte rows; the stride says 12.
(module
  (memory (export "memory") 1)
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\07\00\00\00\05\00\00\00\0c\00\00\00\40\00\00\00\00\00\00\00"))
