;; font: a WASM-4 cart that draws every glyph of the font, 0x20 to 0xff,
;; sixteen a row, with text(): docs/wasm4-font.png is its first frame
;; (ebicart -headless -frames 1 -screenshot docs/wasm4-font.png).
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "text" (func $text (param i32 i32 i32)))
  (func (export "update")
    (local $c i32) (local $i i32)
    (local.set $c (i32.const 0x20))
    (loop $glyphs
      (local.set $i (i32.sub (local.get $c) (i32.const 0x20)))
      (i32.store16 (i32.const 0x3000) (local.get $c)) ;; the glyph, then NUL
      (call $text (i32.const 0x3000)
        (i32.add (i32.const 16) (i32.mul (i32.rem_u (local.get $i) (i32.const 16)) (i32.const 8)))
        (i32.add (i32.const 6) (i32.mul (i32.div_u (local.get $i) (i32.const 16)) (i32.const 11))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $glyphs (i32.le_u (local.get $c) (i32.const 0xff))))))
