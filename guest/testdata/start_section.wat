;; start_section: an ABI v1 cart with a module start section that logs
;; through ebicart.log and writes the frame's red byte. The core runs the
;; start section as a call after instantiation (wasmbin.ExportStart): the
;; browser's host functions saw a memory of size 0 there before, and the
;; log trapped, where the desktop ran it. The 1x1 RGB888 frame: red from
;; the start section, green counts updates.
(module
  (import "ebicart" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (func $init
    (call $log (i32.const 128) (i32.const 22))
    (i32.store8 (i32.const 64) (i32.const 0x7f)))
  (start $init)
  (func (export "update")
    (i32.store8 (i32.const 65) (i32.add (i32.load8_u (i32.const 65)) (i32.const 1))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\01\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 128) "from the start section"))
