;; tracef: a WASM-4 cart whose first update traces one line for each of
;; these tracef formats (wasm4/system_test.go TestTracef holds what WASM-4's
;; native runtime prints): %d %x %c %s %% with extreme values, %f with C's
;; %g rules (inf, nan, exponents), arguments packed without alignment (as
;; WASM-4 reads them), an unknown conversion and a % at the end. Format i
;; is at 0x2000 + 0x100*i, its arguments at 0x3000 + 0x100*i. The second
;; update traces a %d whose argument lies past the end of memory, which
;; traps, as on WASM-4.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "tracef" (func $tracef (param i32 i32)))
  (global $frame (mut i32) (i32.const 0))
  (func (export "update")
    (local $i i32)
    (global.set $frame (i32.add (global.get $frame) (i32.const 1)))
    (if (i32.eq (global.get $frame) (i32.const 2))
      (then (call $tracef (i32.const 0x2f10) (i32.const 0xfffe)) (return)))
    (if (i32.gt_u (global.get $frame) (i32.const 2))
      (then (return)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 6)))
        (call $tracef
          (i32.add (i32.const 0x2000) (i32.mul (local.get $i) (i32.const 0x100)))
          (i32.add (i32.const 0x3000) (i32.mul (local.get $i) (i32.const 0x100))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (data (i32.const 0x2000) "d=%d d=%d x=%x x=%x c=%c%c s=%s %%\00")
  (data (i32.const 0x3000) "\fb\ff\ff\ff\ff\ff\ff\7f\ff\00\00\00\ff\ff\ff\ff\48\00\00\00\69\00\00\00\00\2f\00\00")
  (data (i32.const 0x2100) "f=%f f=%f f=%f f=%f f=%f f=%f\00")
  (data (i32.const 0x3100) "\f1\d4\c8\53\fb\21\09\40\50\ef\e2\d6\e4\1a\4b\44\2d\43\1c\eb\e2\36\1a\3f\f1\68\e3\88\b5\f8\e4\3e\00\00\00\00\87\d6\32\41\00\00\00\00\00\00\00\80")
  (data (i32.const 0x2200) "f=%f f=%f f=%f f=%f\00")
  (data (i32.const 0x3200) "\00\00\00\00\00\00\f8\7f\00\00\00\00\00\00\f0\7f\00\00\00\00\00\00\f0\ff\00\00\00\00\00\6a\f8\40")
  (data (i32.const 0x2300) "%d then %f, unaligned\00")
  (data (i32.const 0x3300) "\07\00\00\00\00\00\00\00\00\00\04\40")
  (data (i32.const 0x2400) "unknown %q and %\00")
  (data (i32.const 0x2500) "latin-1 %c\00")
  (data (i32.const 0x3500) "\e9\00\00\00")
  (data (i32.const 0x2f00) "str\00")
  (data (i32.const 0x2f10) "%d\00"))
