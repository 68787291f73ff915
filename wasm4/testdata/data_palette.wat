;; data_palette: a WASM-4 cart that sets PALETTE with a data segment, as
;; many carts do, and has another segment a few bytes past the registers.
;; The registers between them (DRAW_COLORS, the gamepads, the mouse,
;; SYSTEM_FLAGS) keep their power-on values: a data segment writes its own
;; bytes only. update copies the registers (0x00..0x9f) into the first
;; rows of the framebuffer for the test to read.
(module
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0x04) "\00\00\00\00\55\55\55\00\aa\aa\aa\00\ff\ff\ff\00")
  (data (i32.const 0x40) "\01")
  (func (export "update")
    (memory.copy (i32.const 0xa0) (i32.const 0) (i32.const 0xa0))))
