;; Instantiation: the start function, segment initialisation order, offsets from imported
;; globals, and modules that link but trap while instantiating (uninstantiable), whose earlier
;; effects on shared objects stay visible.

(module $Shared
  (memory (export "mem") 1)
  (table (export "tab") 4 funcref)
  (global (export "base") i32 (i32.const 16))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "is-null") (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0))))
)
(register "shared" $Shared)

;; The start function runs after the segments are written, and sees them.
(module
  (import "shared" "mem" (memory 1))
  (import "shared" "base" (global $base i32))
  (global $seen (mut i32) (i32.const -1))
  (data (global.get $base) "\07")
  (func $start (global.set $seen (i32.load8_u (global.get $base))))
  (start $start)
  (func (export "seen") (result i32) (global.get $seen))
)
(assert_return (invoke "seen") (i32.const 7))
(assert_return (invoke $Shared "load8" (i32.const 16)) (i32.const 7))

;; Data segment out of bounds: nothing after it happens, but earlier segments stay written.
(assert_trap
  (module
    (import "shared" "mem" (memory 1))
    (data (i32.const 20) "\01")
    (data (i32.const 65535) "\02\03")
    (data (i32.const 21) "\04"))
  "out of bounds memory access")
(assert_return (invoke $Shared "load8" (i32.const 20)) (i32.const 1))
(assert_return (invoke $Shared "load8" (i32.const 21)) (i32.const 0))
(assert_return (invoke $Shared "load8" (i32.const 65535)) (i32.const 0))

;; An offset past the end with an empty segment is also out of bounds.
(assert_trap
  (module (memory 1) (data (i32.const 65537) ""))
  "out of bounds memory access")
(assert_trap
  (module (memory 0) (data (i32.const 1) ""))
  "out of bounds memory access")

;; Element segment out of bounds, same rules for tables.
(assert_trap
  (module
    (import "shared" "tab" (table 4 funcref))
    (func $f)
    (elem (i32.const 0) func $f)
    (elem (i32.const 3) func $f $f)
    (elem (i32.const 1) func $f))
  "out of bounds table access")
(assert_return (invoke $Shared "is-null" (i32.const 0)) (i32.const 0))
(assert_return (invoke $Shared "is-null" (i32.const 1)) (i32.const 1))
(assert_return (invoke $Shared "is-null" (i32.const 3)) (i32.const 1))
(assert_trap
  (module (table 1 funcref) (elem (i32.const 2)))
  "out of bounds table access")

;; Elements are written before data: an element failure leaves the data untouched.
(assert_trap
  (module
    (import "shared" "mem" (memory 1))
    (table 0 funcref)
    (func $f)
    (elem (i32.const 0) func $f)
    (data (i32.const 30) "\09"))
  "out of bounds table access")
(assert_return (invoke $Shared "load8" (i32.const 30)) (i32.const 0))

;; A trapping start function: the segments before it stay written.
(assert_trap
  (module
    (import "shared" "mem" (memory 1))
    (data (i32.const 40) "\05")
    (func $boom (unreachable))
    (start $boom))
  "unreachable")
(assert_return (invoke $Shared "load8" (i32.const 40)) (i32.const 5))

;; Passive and declarative segments are never bounds-checked at instantiation.
(module
  (memory 0)
  (table 0 funcref)
  (func $f)
  (data "\01\02\03")
  (elem func $f $f)
  (elem declare func $f)
  (func (export "ok") (result i32) (i32.const 1))
)
(assert_return (invoke "ok") (i32.const 1))
