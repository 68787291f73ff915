;; wasi_clock: shows what the virtual clocks, the seeded generator and
;; poll_oneoff give it, so that runs can be compared frame by frame across
;; engines and replays. The frame is 8x4 RGBA8888 premultiplied (the bytes
;; as they are), 128 bytes at 1024:
;;   row 0: the monotonic clock (8 bytes), the realtime clock (8), 16 random bytes
;;   row 1: the monotonic clock after a sleep, poll_oneoff's errno and event
;;          count, clock_res_get's errno and resolution, the update count
;;   row 2: 32 more random bytes, drawn every update
;;   row 3: clock_time_get of clock 2 (errno), fd_write's errno, zeros
;; Every 10th update sleeps 5 ms with poll_oneoff, every 25th 30 ms (longer
;; than a frame: the next update starts later); every 100th writes a line
;; to stdout.
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func $sleep (param $ns i64)
    ;; one clock subscription at 512: userdata 7, tag 0 (clock), id 1
    ;; (monotonic), timeout $ns, precision 0, flags 0 (relative)
    (i64.store (i32.const 512) (i64.const 7))
    (i32.store8 (i32.const 520) (i32.const 0))
    (i32.store (i32.const 528) (i32.const 1))
    (i64.store (i32.const 536) (local.get $ns))
    (i64.store (i32.const 544) (i64.const 0))
    (i32.store16 (i32.const 552) (i32.const 0))
    (i32.store8 (i32.const 1068) (call $poll_oneoff (i32.const 512) (i32.const 576) (i32.const 1) (i32.const 608)))
    (i32.store8 (i32.const 1069) (i32.load (i32.const 608))))
  (func (export "update")
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 1024)))
    (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 1032)))
    (drop (call $random_get (i32.const 1040) (i32.const 16)))
    (if (i32.eqz (i32.rem_u (global.get $n) (i32.const 10)))
      (then (call $sleep (i64.const 5000000))))
    (if (i32.eqz (i32.rem_u (global.get $n) (i32.const 25)))
      (then (call $sleep (i64.const 30000000))))
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 1056)))
    (i32.store8 (i32.const 1070) (call $clock_res_get (i32.const 1) (i32.const 1072)))
    (i32.store (i32.const 1080) (global.get $n))
    (drop (call $random_get (i32.const 1088) (i32.const 32)))
    (i32.store8 (i32.const 1120) (call $clock_time_get (i32.const 2) (i64.const 1) (i32.const 640)))
    (if (i32.eqz (i32.rem_u (global.get $n) (i32.const 100)))
      (then (i32.store8 (i32.const 1121) (call $fd_write (i32.const 1) (i32.const 704) (i32.const 1) (i32.const 712))))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  ;; descriptor: format 1, 8x4, packed, pixels at 1024
  (data (i32.const 0) "\01\00\00\00\08\00\00\00\04\00\00\00\00\00\00\00\00\04\00\00\00\00\00\00")
  (data (i32.const 680) "a hundred updates\n")
  ;; iovec at 704: {ptr 680, len 18}
  (data (i32.const 704) "\a8\02\00\00\12\00\00\00"))
