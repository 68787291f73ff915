;; stress: a WASM-4 cart that makes the drawing calls of a busy game, for
;; measuring their cost (integration's BenchmarkWebWASM4): each update
;; 1,000 blits of an 8x8 1BPP sprite and 200 text calls of 7 characters,
;; all moving, so every frame differs.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "blit" (func $blit (param i32 i32 i32 i32 i32 i32)))
  (import "env" "text" (func $text (param i32 i32 i32)))
  (global $frame (mut i32) (i32.const 0))
  (func (export "update")
    (local $i i32)
    (global.set $frame (i32.add (global.get $frame) (i32.const 1)))
    (i32.store16 (i32.const 0x14) (i32.const 0x0042)) ;; sprites: 0 bits colour 2, 1 bits colour 4
    (local.set $i (i32.const 0))
    (loop $sprites
      (call $blit (i32.const 0x3000)
        (i32.sub (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 37)) (global.get $frame)) (i32.const 168)) (i32.const 8))
        (i32.sub (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 53)) (i32.shl (global.get $frame) (i32.const 1))) (i32.const 168)) (i32.const 8))
        (i32.const 8) (i32.const 8) (i32.and (local.get $i) (i32.const 6))) ;; 1BPP, flips
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $sprites (i32.lt_u (local.get $i) (i32.const 1000))))
    (i32.store16 (i32.const 0x14) (i32.const 0x0004))
    (local.set $i (i32.const 0))
    (loop $texts
      (call $text (i32.const 0x3010)
        (i32.rem_u (i32.mul (local.get $i) (i32.const 29)) (i32.const 160))
        (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 13)) (global.get $frame)) (i32.const 160)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $texts (i32.lt_u (local.get $i) (i32.const 200)))))
  (data (i32.const 0x3000) "\3c\7e\db\ff\ff\db\66\3c")
  (data (i32.const 0x3010) "ebicart\00"))
