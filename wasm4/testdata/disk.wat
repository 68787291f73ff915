;; disk: a WASM-4 cart that tries diskr and diskw with sizes around the
;; 1024-byte disk, and traces what they return (wasm4/system_test.go
;; TestDisk holds what WASM-4's native runtime returns). In start:
;;   diskr(0x5000, 100)     what was saved, at most 100 bytes
;;   diskw(0x4000, 2000)    1024: the disk's size
;;   diskr(0x5000, 2000)    1024, and the byte after them left alone
;;   diskw(0x4000, 10)      10
;;   diskr(0x6000, 4)       4
;;   diskr(0x6000, 100)     10: what was saved
;;   diskw(0x4000, 0)       0
;;   diskr(0x6000, 100)     0
;;   diskw(0xfc00, 1024)    1024: the last 1024 bytes of memory
;; and traces the nine results and the byte after the 1024 read. Its first
;; update reads 512 bytes to 0xff00, past the end of memory: a trap.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "diskr" (func $diskr (param i32 i32) (result i32)))
  (import "env" "diskw" (func $diskw (param i32 i32) (result i32)))
  (import "env" "tracef" (func $tracef (param i32 i32)))
  (func (export "start")
    (memory.fill (i32.const 0x4000) (i32.const 0x5a) (i32.const 2048))
    (memory.fill (i32.const 0xfc00) (i32.const 0xa5) (i32.const 1024))
    (i32.store8 (i32.const 0x5400) (i32.const 0x77))
    (i32.store (i32.const 0x3000) (call $diskr (i32.const 0x5000) (i32.const 100)))
    (i32.store (i32.const 0x3004) (call $diskw (i32.const 0x4000) (i32.const 2000)))
    (i32.store (i32.const 0x3008) (call $diskr (i32.const 0x5000) (i32.const 2000)))
    (i32.store (i32.const 0x300c) (i32.load8_u (i32.const 0x5400)))
    (i32.store (i32.const 0x3010) (call $diskw (i32.const 0x4000) (i32.const 10)))
    (i32.store (i32.const 0x3014) (call $diskr (i32.const 0x6000) (i32.const 4)))
    (i32.store (i32.const 0x3018) (call $diskr (i32.const 0x6000) (i32.const 100)))
    (i32.store (i32.const 0x301c) (call $diskw (i32.const 0x4000) (i32.const 0)))
    (i32.store (i32.const 0x3020) (call $diskr (i32.const 0x6000) (i32.const 100)))
    (i32.store (i32.const 0x3024) (call $diskw (i32.const 0xfc00) (i32.const 1024)))
    (call $tracef (i32.const 0x2000) (i32.const 0x3000)))
  (func (export "update")
    (drop (call $diskr (i32.const 0xff00) (i32.const 0x200))))
  (data (i32.const 0x2000) "%d %d %d %d %d %d %d %d %d %d\00"))
