;; sandbox: tries to reach outside through WASI and records what it got.
;; The frame is 14x1 INDEXED8 with an identity grey palette, so pixel i
;; shows result i:
;;   0 path_open("/etc/passwd") on fd 3 (a preopen, if there were one): errno
;;     (63 = EPERM: wazero refuses absolute paths before it looks for fd 3)
;;   1 fd_prestat_get(3): errno (8 = EBADF: no preopened directories)
;;   2 environ_sizes_get: errno      3 environment variable count
;;   4 args_sizes_get: errno         5 argument count
;;   6 fd_read(3): errno             7 fd_write(7): errno
;;   8 fd_read(0) with its iovec array past memory: errno (21 = EFAULT)
;;   9 fd_write(1) of "leak\n" with nwritten past memory: errno (21), and
;;     nothing may reach the log
;;  10 fd_write(1) of 24576 buffers of all memory, 6 GiB in all, more than
;;     nwritten can count: errno (28 = EINVAL), and nothing logged
;;  11 args_sizes_get with its second address past memory: errno (21), and
;;  12 what its first address holds after: 99, as before the call
;;  13 poll_oneoff of 2^32-1 subscriptions from address 0, an array far
;;     past memory: errno (21)
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 4)
  (func (export "start")
    (local $i i32)
    (loop $fill
      (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))
        (i32.mul (local.get $i) (i32.const 0x010101)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 256))))
    ;; 24576 iovecs {0, 262144} from 65536 to the end of memory.
    (local.set $i (i32.const 65536))
    (loop $iovs
      (i32.store (local.get $i) (i32.const 0))
      (i32.store offset=4 (local.get $i) (i32.const 262144))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $iovs (i32.lt_u (local.get $i) (i32.const 262144)))))
  (func (export "update")
    (i32.store8 (i32.const 64) (call $path_open (i32.const 3) (i32.const 0) (i32.const 512) (i32.const 11) (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 600)))
    (i32.store8 (i32.const 65) (call $fd_prestat_get (i32.const 3) (i32.const 600)))
    (i32.store (i32.const 700) (i32.const 99))
    (i32.store8 (i32.const 66) (call $environ_sizes_get (i32.const 700) (i32.const 704)))
    (i32.store8 (i32.const 67) (i32.load (i32.const 700)))
    (i32.store (i32.const 700) (i32.const 99))
    (i32.store8 (i32.const 68) (call $args_sizes_get (i32.const 700) (i32.const 704)))
    (i32.store8 (i32.const 69) (i32.load (i32.const 700)))
    (i32.store8 (i32.const 70) (call $fd_read (i32.const 3) (i32.const 800) (i32.const 1) (i32.const 808)))
    (i32.store8 (i32.const 71) (call $fd_write (i32.const 7) (i32.const 800) (i32.const 1) (i32.const 808)))
    (i32.store8 (i32.const 72) (call $fd_read (i32.const 0) (i32.const 262140) (i32.const 2) (i32.const 808)))
    (i32.store8 (i32.const 73) (call $fd_write (i32.const 1) (i32.const 816) (i32.const 1) (i32.const 262142)))
    (i32.store8 (i32.const 74) (call $fd_write (i32.const 1) (i32.const 65536) (i32.const 24576) (i32.const 808)))
    (i32.store (i32.const 700) (i32.const 99))
    (i32.store8 (i32.const 75) (call $args_sizes_get (i32.const 700) (i32.const 262142)))
    (i32.store8 (i32.const 76) (i32.load (i32.const 700)))
    (i32.store8 (i32.const 77) (call $poll_oneoff (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 808))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\06\00\00\00\0e\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\04\00\00")
  (data (i32.const 512) "/etc/passwd")
  (data (i32.const 800) "\00\03\00\00\10\00\00\00")
  (data (i32.const 816) "\40\03\00\00\05\00\00\00")
  (data (i32.const 832) "leak\n"))
