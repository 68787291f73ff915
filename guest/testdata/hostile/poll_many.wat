;; poll_many: poll_oneoff of 2^32-1 subscriptions from address 0, where
;; 65,536 of them (3 MiB) fit in memory but all of them cannot: EFAULT (21),
;; shown as the red of its first pixel. A host that cut the count to what
;; it reads at once answered success.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 48)
  (func (export "update")
    (i32.store8 (i32.const 64) (call $poll_oneoff (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 808))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
