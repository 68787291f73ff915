;; random_flood: grows its memory to 1 GiB at start, then asks random_get
;; to fill all of it but the first page every update: a call that long must still stop at the
;; deadline, also where the engine runs in the host's process.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "start")
    (drop (memory.grow (i32.const 16383))))
  (func (export "update")
    (drop (call $random_get (i32.const 65536) (i32.const 1073676288))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a"))
