;; signed: a WASM-4 cart whose drawing calls take sizes and ends at the
;; edges of int32, as WASM-4's runtimes read them (signed): blits of a
;; negative width or height draw nothing and never trap, even from a
;; pointer past memory; rect, hline and vline whose ends pass 2^31 draw
;; to the screen's edge; text's control bytes advance a cell and draw
;; nothing. Every engine must draw the same frame.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "blit" (func $blit (param i32 i32 i32 i32 i32 i32)))
  (import "env" "blitSub" (func $blitSub (param i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "env" "rect" (func $rect (param i32 i32 i32 i32)))
  (import "env" "hline" (func $hline (param i32 i32 i32)))
  (import "env" "vline" (func $vline (param i32 i32 i32)))
  (import "env" "text" (func $text (param i32 i32 i32)))
  (import "env" "textUtf16" (func $textUtf16 (param i32 i32 i32 i32)))
  (func (export "update")
    (i32.store16 (i32.const 0x14) (i32.const 0x4321))
    ;; Nothing: negative widths and heights.
    (call $blit (i32.const 0x3000) (i32.const 10) (i32.const 10) (i32.const -8) (i32.const 8) (i32.const 0))
    (call $blit (i32.const 0x3000) (i32.const 10) (i32.const 10) (i32.const 8) (i32.const -1) (i32.const 1))
    (call $blitSub (i32.const -16) (i32.const 10) (i32.const 10) (i32.const 0x80000000) (i32.const 8)
      (i32.const -1) (i32.const -1) (i32.const -1) (i32.const 9))
    ;; A sprite, drawn.
    (call $blit (i32.const 0x3000) (i32.const 20) (i32.const 20) (i32.const 8) (i32.const 8) (i32.const 1))
    ;; Ends past 2^31.
    (call $rect (i32.const 100) (i32.const 30) (i32.const 0x7fffffff) (i32.const 5))
    (call $rect (i32.const 30) (i32.const 100) (i32.const 5) (i32.const 0x7fffffff))
    (call $hline (i32.const 100) (i32.const 50) (i32.const 0x7fffffff))
    (call $vline (i32.const 50) (i32.const 100) (i32.const 0x7fffffff))
    (call $hline (i32.const 10) (i32.const 60) (i32.const -5))
    ;; Control bytes, and UTF-16 characters past Latin-1.
    (call $text (i32.const 0x2000) (i32.const 0) (i32.const 140))
    (call $textUtf16 (i32.const 0x2100) (i32.const 8) (i32.const 0) (i32.const 150)))
  (data (i32.const 0x2000) "<\01\02\03\04\05\06\07\08\09\0b\0c\0d\0e\0f>\n<\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f>\00")
  (data (i32.const 0x2100) "A\00\00\01\fd\ffB\00")
  (data (i32.const 0x3000) "\f0\0f\aa\55\ff\00\c3\3c\18\81\e7\7e\99\66\24\42"))
