;; tones: a WASM-4 cart that plays tones at known updates, for the sound
;; a host writes (ebicart -audio-out):
;;   start:     tone(440, 2, 100, pulse 1, 50 %)        sounds from sample 0
;;   update 3:  tone(220 -> 880, 4, 80, triangle)       from sample 3*735
;;   update 5:  tone(2000, 3, 60, noise, left)          from sample 5*735
;;   update 5:  tone(note 69, 6, 100, pulse 2, note mode, right)
(module
  (import "env" "memory" (memory 1 1))
  (import "env" "tone" (func $tone (param i32 i32 i32 i32)))
  (global $update (mut i32) (i32.const 0))
  (func (export "start")
    (call $tone (i32.const 440) (i32.const 2) (i32.const 100) (i32.const 8)))
  (func (export "update")
    (if (i32.eq (global.get $update) (i32.const 3))
      (then (call $tone (i32.const 0x037000dc) (i32.const 4) (i32.const 80) (i32.const 2))))
    (if (i32.eq (global.get $update) (i32.const 5))
      (then
        (call $tone (i32.const 2000) (i32.const 3) (i32.const 60) (i32.const 0x13))
        (call $tone (i32.const 69) (i32.const 6) (i32.const 100) (i32.const 0x61))))
    (global.set $update (i32.add (global.get $update) (i32.const 1)))))
