;; w4_trap: a WASM-4 cart (it imports env.memory) whose update paints the
;; first pixels with index 3 and traps on its third call: a stopped cart
;; whose memory another module owns.
(module
  (import "env" "memory" (memory 1 1))
  (global $n (mut i32) (i32.const 0))
  (func (export "update")
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (i32.store8 (i32.const 0xa0) (i32.const 0xff))
    (if (i32.eq (global.get $n) (i32.const 3)) (then unreachable))))
