;; lenient: a WASM-4 cart that declares functions with more or fewer
;; parameters and results than WASM-4 documents, which its web runtime
;; (JavaScript functions) runs: extra arguments are ignored, missing ones
;; read as 0, a result the function lacks reads as 0 and one the cart does
;; not declare is dropped. Each update:
;;   r = rect(10, 10, 5, 5, 99, 99)   two extra arguments; r is 0
;;   diskw(0x3000, 4, 1234)            an extra argument; result dropped
;;   n = diskr(0x3100)                 size missing, so 0; n is 0
;;   tracef("rect=%d diskr=%d", ...)
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "rect" (func $rect (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "diskw" (func $diskw (param i32 i32 i32)))
  (import "env" "diskr" (func $diskr (param i32) (result i32)))
  (import "env" "tracef" (func $tracef (param i32 i32)))
  (func (export "update")
    (i32.store (i32.const 0x2100)
      (call $rect (i32.const 10) (i32.const 10) (i32.const 5) (i32.const 5) (i32.const 99) (i32.const 99)))
    (call $diskw (i32.const 0x3000) (i32.const 4) (i32.const 1234))
    (i32.store (i32.const 0x2104) (call $diskr (i32.const 0x3100)))
    (call $tracef (i32.const 0x2000) (i32.const 0x2100)))
  (data (i32.const 0x2000) "rect=%d diskr=%d\00")
  (data (i32.const 0x2100) "\ff\ff\ff\ff\ff\ff\ff\ff")
  (data (i32.const 0x3000) "save"))
