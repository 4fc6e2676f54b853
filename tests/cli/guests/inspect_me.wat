;; A module for `exo inspect` / `exo check` golden tests: imports that need different
;; permissions, one Crush does not provide, every kind of export, a start function.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (import "exo" "sock_connect" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2 16)
  (table (export "table") 1 funcref)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global i64 (i64.const 7))
  (func $init (global.set $counter (i32.const 1)))
  (func (export "_start"))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (start $init))
