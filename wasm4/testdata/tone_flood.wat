;; tone_flood: a WASM-4 cart that calls tone() more often in one update
;; than a host keeps calls: each update, tone(300, 10, 50, triangle), then
;; tone(f, 10, 50, pulse 1) for f = 1..100. On WASM-4 a tone replaces what
;; its channel plays, so the update ends with the triangle at 300 Hz and
;; pulse 1 at 100 Hz.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "tone" (func $tone (param i32 i32 i32 i32)))
  (func (export "update")
    (local $f i32)
    (call $tone (i32.const 300) (i32.const 10) (i32.const 50) (i32.const 2))
    (loop $next
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (call $tone (local.get $f) (i32.const 10) (i32.const 50) (i32.const 0))
      (br_if $next (i32.lt_u (local.get $f) (i32.const 100))))))
