;; Embedding tests: a capsule that imports an embedder host function behind a permission.
;; _start exits with env_ext.lookup(7).
(module
  (import "env_ext" "lookup" (func $lookup (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $exit (call $lookup (i32.const 7)))))
