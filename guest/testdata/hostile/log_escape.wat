;; log_escape: logs escape sequences (retitle the terminal, clear it, move
;; the cursor), a forged "ebicart:" line after a carriage return, a bidi
;; override and bytes that are not UTF-8, through ebicart.log and stdout.
;; None may reach a terminal raw.
(module
  (import "ebicart" "log" (func $log (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "update")
    (call $log (i32.const 128) (i32.const 40))
    (drop (call $fd_write (i32.const 2) (i32.const 240) (i32.const 1) (i32.const 248))))
  (func (export "framebuffer") (result i32) (i32.const 0))
  (data (i32.const 0) "\03\00\00\00\02\00\00\00\01\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00")
  (data (i32.const 64) "\ff\00\00\3c\46\5a")
  ;; 40 bytes: ESC ] 0 ; p w n e d BEL, ESC [ 2 J, CR, "ebicart: x", U+202E, \xff \xfe ...
  (data (i32.const 128) "\1b]0;pwned\07\1b[2J\0debicart: x \e2\80\aegnp\ff\fe!!!!!!!")
  ;; stderr: "\1b[31mred\n"
  (data (i32.const 200) "\1b[31mred\n")
  (data (i32.const 240) "\c8\00\00\00\09\00\00\00"))
