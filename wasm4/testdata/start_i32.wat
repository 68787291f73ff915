;; start_i32: a WASM-4 cart whose _start returns an i32 (as the published
;; explore-the-grotto, future-avoid and tail-gunner do), with _initialize,
;; start and an update that returns a value too. Each traces its name, so
;; the log shows the order WASM-4 calls them in: _start, _initialize, start,
;; then update.
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "trace" (func $trace (param i32)))
  (func (export "_start") (result i32)
    (call $trace (i32.const 0x2000))
    (i32.const 1))
  (func (export "_initialize")
    (call $trace (i32.const 0x2010)))
  (func (export "start")
    (call $trace (i32.const 0x2020)))
  (func (export "update") (result i32)
    (call $trace (i32.const 0x2030))
    (i32.const 7))
  (data (i32.const 0x2000) "_start\00")
  (data (i32.const 0x2010) "_initialize\00")
  (data (i32.const 0x2020) "start\00")
  (data (i32.const 0x2030) "update\00"))
