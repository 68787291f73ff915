;; grow_to_cap: grows its memory as far as the cap lets it (with
;; -max-memory 4095.9375MiB, the most it allows, over 65,500 pages) and
;; stores to its last byte every update: the store must work on every
;; engine, however the memory is backed.
(module
  (memory (export "memory") 1)
  (func (export "start")
    (local $n i32)
    (local.set $n (i32.const 65535))
    (block $done
      (loop $try
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.eq (memory.grow (local.get $n)) (i32.const -1))
          (then (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))))
        (br $try))))
  (func (export "update")
    (local $last i32)
    (local.set $last (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 1)))
    (i32.store8 (local.get $last) (i32.add (i32.load8_u (local.get $last)) (i32.const 1))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  ;; descriptor: format 1 (RGBA8888), 1x1, pixels at 64
  (data (i32.const 0) "\01\00\00\00\01\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00"))
