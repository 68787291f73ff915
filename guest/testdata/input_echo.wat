;; input_echo: the frame is the input block itself, shown as a 32x1
;; INDEXED8 frame with a grey-ramp palette, so pixel x has the grey level of
;; input byte x. Tests read back what the host wrote.
(module
  (memory (export "memory") 1)
  (func (export "input") (result i32) (i32.const 256))
  (func (export "start")
    (local $i i32)
    ;; palette at 1024: entry i = 0x00iiiiii
    (loop $fill
      (i32.store
        (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))
        (i32.mul (local.get $i) (i32.const 0x010101)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 256)))))
  (func (export "update"))
  (func (export "framebuffer") (result i32) (i32.const 0))
  ;; INDEXED8, 32x1, packed, pixels 256, palette 1024
  (data (i32.const 0) "\06\00\00\00\20\00\00\00\01\00\00\00\00\00\00\00\00\01\00\00\00\04\00\00"))
