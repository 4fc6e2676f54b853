;; Imports called through the VM's lean host-function form (RawHostFunction).
(module
  ;; more results than parameters: the VM must leave room above the arguments
  (import "host" "spread" (func $spread (param i32 i64) (result i64 i32 i32)))
  ;; reads the caller's memory through HostCall
  (import "host" "peek" (func $peek (param i32) (result i32)))
  ;; traps, exits or throws, as the test asks
  (import "host" "fail" (func $fail))
  ;; wider than the interpreter's stack buffers for Values (16): the general form's heap path
  (import "host" "wide" (func $wide (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  ;; the same signature in the lean form
  (import "host" "wide_raw" (func $wide_raw (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\2a\00\00\00")
  (func (export "call_spread") (param i32 i64) (result i64 i32 i32)
    (call $spread (local.get 0) (local.get 1)))
  ;; an i32 argument made by wrapping an i64 whose high half is not zero
  (func (export "call_spread_wrapped") (param i64) (result i64 i32 i32)
    (call $spread (i32.wrap_i64 (local.get 0)) (i64.const 5)))
  ;; the results land where the arguments were; values below them must survive
  (func (export "below_survives") (param i32) (result i32)
    (local i64)
    (local.set 1 (i64.const 1000))
    (i32.add
      (i32.add (local.get 0) (i32.wrap_i64 (local.get 1)))
      (i32.add
        (i32.const 7)
        (block (result i32)
          (call $spread (i32.const 1) (i64.const 2))
          (drop) (drop) (drop)
          (i32.const 0)))))
  (func (export "call_peek") (param i32) (result i32) (call $peek (local.get 0)))
  (func (export "call_fail") (result i32) (call $fail) (i32.const 1))
  (func (export "call_wide") (result i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (call $wide (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (i32.const 10) (i32.const 11) (i32.const 12) (i32.const 13) (i32.const 14) (i32.const 15) (i32.const 16) (i32.const 17) (i32.const 18) (i32.const 19) (i32.const 20)))
  (func (export "call_wide_raw") (result i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (call $wide_raw (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (i32.const 10) (i32.const 11) (i32.const 12) (i32.const 13) (i32.const 14) (i32.const 15) (i32.const 16) (i32.const 17) (i32.const 18) (i32.const 19) (i32.const 20)))
)
