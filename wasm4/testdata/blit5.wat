;; blit5: a WASM-4 cart that declares env.blit with 5 parameters, without
;; the flags (as the published endless-runner does). WASM-4's web runtime
;; runs it, the missing flags reading as 0: each update blits an 8x8 1BPP
;; checkerboard at (10, 20) in DRAW_COLORS 0x42.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "blit" (func $blit (param i32 i32 i32 i32 i32)))
  (func (export "update")
    (i32.store16 (i32.const 0x14) (i32.const 0x42))
    (call $blit (i32.const 0x2000) (i32.const 10) (i32.const 20) (i32.const 8) (i32.const 8)))
  (data (i32.const 0x2000) "\aa\55\aa\55\f0\0f\ff\00"))
