;; Imports from a module Crush does not provide, and a WASI name that does not exist.
(module
  (import "env" "host_log" (func (param i32)))
  (import "wasi_snapshot_preview1" "fd_frobnicate" (func (result i32)))
  (func (export "_start")))
