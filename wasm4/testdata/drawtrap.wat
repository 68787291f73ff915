;; drawtrap: a WASM-4 cart whose drawing call reads past memory, which must
;; trap with the error naming the call on every engine. Its update draws a
;; rect, then makes the call numbered by the byte after "CALL" in its data
;; (the test patches it): 0 blit, 1 blitSub, 2 text, 3 textUtf8,
;; 4 textUtf16, 5 nothing.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "blit" (func $blit (param i32 i32 i32 i32 i32 i32)))
  (import "env" "blitSub" (func $blitSub (param i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "env" "rect" (func $rect (param i32 i32 i32 i32)))
  (import "env" "text" (func $text (param i32 i32 i32)))
  (import "env" "textUtf8" (func $textUtf8 (param i32 i32 i32 i32)))
  (import "env" "textUtf16" (func $textUtf16 (param i32 i32 i32 i32)))
  (func (export "update")
    (call $rect (i32.const 10) (i32.const 10) (i32.const 20) (i32.const 20))
    (memory.fill (i32.const 0xff00) (i32.const 0xff) (i32.const 0x100))
    (block $done
      (block $u16
        (block $u8
          (block $text
            (block $sub
              (block $blit
                (br_table $blit $sub $text $u8 $u16 $done (i32.load8_u (i32.const 0x2004))))
              (call $blit (i32.const 0xfff0) (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 16) (i32.const 1))
              (br $done))
            (call $blitSub (i32.const 0x8000) (i32.const 0) (i32.const 0) (i32.const 8) (i32.const 8)
              (i32.const 0) (i32.const 1000000) (i32.const 8) (i32.const 0))
            (br $done))
          (call $text (i32.const 0xff00) (i32.const 0) (i32.const 0))
          (br $done))
        (call $textUtf8 (i32.const 0xfff0) (i32.const 17) (i32.const 0) (i32.const 0))
        (br $done))
      (call $textUtf16 (i32.const 0x10000) (i32.const 2) (i32.const 0) (i32.const 0))))
  (data (i32.const 0x2000) "CALL\00"))
