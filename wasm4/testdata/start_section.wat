;; start_section: a WASM-4 cart whose module start function (run as the
;; module is instantiated, before _start, _initialize and start) calls
;; diskr, diskw, rect and tracef, as the published samurai-revenge calls
;; diskr: it reads the save into 0x3000 and traces how many bytes it got,
;; saves "ok", and draws a 10x10 rect at (0,0), which shows in the first
;; frame.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "diskr" (func $diskr (param i32 i32) (result i32)))
  (import "env" "diskw" (func $diskw (param i32 i32) (result i32)))
  (import "env" "rect" (func $rect (param i32 i32 i32 i32)))
  (import "env" "tracef" (func $tracef (param i32 i32)))
  (func $init
    (i32.store (i32.const 0x3100) (call $diskr (i32.const 0x3000) (i32.const 4)))
    (drop (call $diskw (i32.const 0x3200) (i32.const 2)))
    (call $rect (i32.const 0) (i32.const 0) (i32.const 10) (i32.const 10))
    (call $tracef (i32.const 0x3300) (i32.const 0x3100)))
  (start $init)
  (func (export "update"))
  (data (i32.const 0x3200) "ok")
  (data (i32.const 0x3300) "diskr=%d\00"))
