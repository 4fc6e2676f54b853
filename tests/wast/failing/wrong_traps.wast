;; Deliberately wrong expectations about traps. Expected summary: 1 passed, 5 failed.

(module
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "loop") (param i32) (result i32) (local.get 0))
)

(assert_trap (invoke "div" (i32.const 0)) "integer overflow")
(assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")
(assert_return (invoke "div" (i32.const 0)) (i32.const 0))
(assert_exhaustion (invoke "loop" (i32.const 3)) "call stack exhausted")
(invoke "div" (i32.const 0))
