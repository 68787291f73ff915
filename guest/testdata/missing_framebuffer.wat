;; missing_framebuffer: no framebuffer export.
(module
  (memory (export "memory") 1)
  (func (export "update")))
