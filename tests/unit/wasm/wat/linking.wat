(module
  (import "env" "table" (table 2 funcref))
  (import "env" "memory" (memory 1 2))
  (import "env" "g" (global i32))
  (func $f (result i32) (i32.const 5))
  ;; the first segment succeeds, the second is out of bounds: instantiation traps but the
  ;; first segment's write stays visible (Wasm 2.0)
  (elem (i32.const 0) $f)
  (data (global.get 0) "x")
  (data (i32.const 65536) "y")
)
