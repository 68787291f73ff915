;; w4_boot_trap: a WASM-4 cart that saves in start and in update, then
;; stops:
;;  start:  reads a 4-byte boot counter with diskr, adds one, writes it
;;          back with diskw, and traces "boot <n>"
;;  update: paints the first pixels with index 3; on its second call it
;;          saves 100 (progress) with diskw; on its third it traps.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "diskr" (func $diskr (param i32 i32) (result i32)))
  (import "env" "diskw" (func $diskw (param i32 i32) (result i32)))
  (import "env" "tracef" (func $tracef (param i32 i32)))
  (global $n (mut i32) (i32.const 0))
  (func (export "start")
    (drop (call $diskr (i32.const 0x2000) (i32.const 4)))
    (i32.store (i32.const 0x2000) (i32.add (i32.load (i32.const 0x2000)) (i32.const 1)))
    (drop (call $diskw (i32.const 0x2000) (i32.const 4)))
    (call $tracef (i32.const 0x1a00) (i32.const 0x2000)))
  (func (export "update")
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (i32.store8 (i32.const 0xa0) (i32.const 0xff))
    (if (i32.eq (global.get $n) (i32.const 2))
      (then
        (i32.store (i32.const 0x2000) (i32.const 100))
        (drop (call $diskw (i32.const 0x2000) (i32.const 4)))))
    (if (i32.eq (global.get $n) (i32.const 3)) (then unreachable)))
  (data (i32.const 0x1a00) "boot %d\00"))
