;; Embedding tests: the host writes text into guest memory (env_ext.greet(ptr, capacity) -> length);
;; the capsule prints it with fd_write (needs io.print).
(module
  (import "env_ext" "greet" (func $greet (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $n i32)
    (local.set $n (call $greet (i32.const 64) (i32.const 256)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
