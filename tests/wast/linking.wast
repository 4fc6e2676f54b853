;; Linking: register, importing every kind of external from another module and from spectest,
;; shared state through imported memories, tables and mutable globals, and every reason an
;; import fails to link.

(module $A
  (memory (export "mem") 1 4)
  (table (export "tab") 3 8 funcref)
  (global (export "counter") (mut i32) (i32.const 10))
  (global (export "answer") i64 (i64.const 42))
  (global (export "pi") f32 (f32.const 3.14159))
  (func $twice (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (elem (i32.const 0) func $twice)
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "count") (result i32) (global.get 0))
  (func (export "call-slot") (param i32 i32) (result i32)
    (call_indirect (param i32) (result i32) (local.get 1) (local.get 0)))
)
(register "A" $A)

(module $B
  (import "A" "mem" (memory 1))
  (import "A" "tab" (table 3 funcref))
  (import "A" "counter" (global $c (mut i32)))
  (import "A" "answer" (global $a i64))
  (import "A" "twice" (func $twice (param i32) (result i32)))
  (func $plus1 (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (elem (i32.const 1) func $plus1)
  (data (i32.const 8) "\2a")
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "bump") (global.set $c (i32.add (global.get $c) (i32.const 1))))
  (func (export "answer") (result i64) (global.get $a))
  (func (export "quad") (param i32) (result i32) (call $twice (call $twice (local.get 0))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (export "twice-again" (func $twice))
)

(assert_return (invoke $A "peek" (i32.const 8)) (i32.const 42))
(invoke $B "poke" (i32.const 3) (i32.const 99))
(assert_return (invoke $A "peek" (i32.const 3)) (i32.const 99))
(invoke $B "bump")
(invoke $B "bump")
(assert_return (invoke $A "count") (i32.const 12))
(assert_return (get $A "counter") (i32.const 12))
(assert_return (invoke $B "answer") (i64.const 42))
(assert_return (invoke $B "quad" (i32.const 5)) (i32.const 20))
(assert_return (invoke $B "twice-again" (i32.const 8)) (i32.const 16))
(assert_return (invoke $A "call-slot" (i32.const 1) (i32.const 9)) (i32.const 10))
(assert_return (invoke $A "call-slot" (i32.const 0) (i32.const 9)) (i32.const 18))
(assert_return (invoke $B "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke $A "peek" (i32.const 0x1ffff)) (i32.const 0))

;; A re-exported import is the same function.
(register "B" $B)
(module
  (import "B" "twice-again" (func $t (param i32) (result i32)))
  (func (export "t") (result i32) (call $t (i32.const 21)))
)
(assert_return (invoke "t") (i32.const 42))

;; Imports from spectest.
(module
  (import "spectest" "memory" (memory 1 2))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "global_i64" (global i64))
  (import "spectest" "global_f32" (global f32))
  (import "spectest" "print_i32" (func (param i32)))
  (func (export "g64") (result i64) (global.get 0))
  (func (export "gf32") (result f32) (global.get 1))
  (func (export "mem-pages") (result i32) (memory.size))
  (func (export "tab-size") (result i32) (table.size 0))
)
(assert_return (invoke "g64") (i64.const 666))
(assert_return (invoke "gf32") (f32.const 666.6))
(assert_return (invoke "mem-pages") (i32.const 1))
(assert_return (invoke "tab-size") (i32.const 10))

;; Unknown imports: module or field missing.
(assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
(assert_unlinkable (module (import "A" "nothing" (func))) "unknown import")
(assert_unlinkable (module (import "spectest" "print_i128" (func))) "unknown import")

;; Incompatible: wrong kind.
(assert_unlinkable (module (import "A" "mem" (func))) "incompatible import type")
(assert_unlinkable (module (import "A" "twice" (memory 1))) "incompatible import type")
(assert_unlinkable (module (import "A" "counter" (table 1 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "tab" (global i32))) "incompatible import type")
;; Wrong function type.
(assert_unlinkable (module (import "A" "twice" (func (param i64) (result i32)))) "incompatible import type")
(assert_unlinkable (module (import "A" "twice" (func (param i32)))) "incompatible import type")
(assert_unlinkable (module (import "A" "twice" (func (param i32) (result i32 i32)))) "incompatible import type")
;; Wrong global type or mutability.
(assert_unlinkable (module (import "A" "counter" (global i32))) "incompatible import type")
(assert_unlinkable (module (import "A" "answer" (global (mut i64)))) "incompatible import type")
(assert_unlinkable (module (import "A" "answer" (global i32))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "global_f32" (global f64))) "incompatible import type")
;; Limits: the provided object must be at least as big and at most as growable.
(module (import "A" "mem" (memory 2)))
(module (import "A" "mem" (memory 1 4)))
(module (import "A" "mem" (memory 0 5)))
(assert_unlinkable (module (import "A" "mem" (memory 3))) "incompatible import type")
(assert_unlinkable (module (import "A" "mem" (memory 1 3))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "memory" (memory 1 1))) "incompatible import type")
(module (import "A" "tab" (table 3 8 funcref)))
(module (import "A" "tab" (table 0 funcref)))
(assert_unlinkable (module (import "A" "tab" (table 4 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "tab" (table 3 7 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "tab" (table 3 externref))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "table" (table 10 funcref) ) (import "spectest" "memory" (memory 3))) "incompatible import type")

;; A failed link changes nothing: A's memory is untouched by the active segment of a module
;; whose later import is missing.
(assert_unlinkable
  (module
    (import "A" "mem" (memory 1))
    (import "A" "missing" (func))
    (data (i32.const 0) "\ff"))
  "unknown import")
(assert_return (invoke $A "peek" (i32.const 0)) (i32.const 0))

;; The memory a function sees across calls. The interpreter reloads its view of memory only on
;; a change of instance (and after memory.grow and host calls): each case here accesses a page
;; that did not exist before a grow, so a stale base or size would trap or read moved memory.
(module $Grower
  (memory (export "mem") 1 8)
  (func $grow (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func $peek (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
  (func $poke (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  ;; Grown by a callee in the same instance, used after the return.
  (func (export "grow-in-callee-then-use") (result i32)
    (drop (call $grow (i32.const 1)))
    (i32.store (i32.const 0x1fffc) (i32.const 0x1234))
    (i32.load (i32.const 0x1fffc)))
  ;; Grown here, used by a callee in the same instance and again after it returns.
  (func (export "grow-then-call") (result i32)
    (drop (memory.grow (i32.const 1)))
    (call $poke (i32.const 0x2fff8) (i32.const 77))
    (i32.add (call $peek (i32.const 0x2fff8)) (i32.load (i32.const 0x2fff8))))
  ;; Recursion that grows at the bottom: every frame on the way up reads the new page.
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (drop (memory.grow (i32.const 1))) (i32.store (i32.const 0x3fffc) (i32.const 5)) (i32.const 0))
      (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.load (i32.const 0x3fffc))))))
)
(register "Grower" $Grower)
(assert_return (invoke $Grower "grow-in-callee-then-use") (i32.const 0x1234))
(assert_return (invoke $Grower "grow-then-call") (i32.const 154))
(assert_return (invoke $Grower "deep" (i32.const 20)) (i32.const 100))
(assert_trap (invoke $Grower "peek" (i32.const 0x40000)) "out of bounds memory access")

;; Another instance sharing the memory grows it; the caller reads the new page after the return.
(module $User
  (import "Grower" "mem" (memory 1))
  (import "Grower" "grow" (func $grow (param i32) (result i32)))
  (func (export "grow-elsewhere-then-use") (result i32)
    (drop (call $grow (i32.const 1)))
    (i32.store (i32.const 0x4fffc) (i32.const 9))
    (i32.load (i32.const 0x4fffc)))
)
(assert_return (invoke $User "grow-elsewhere-then-use") (i32.const 9))
(assert_return (invoke $Grower "peek" (i32.const 0x4fffc)) (i32.const 9))

;; A callee in another instance with a memory of its own: after the return the caller sees its
;; own memory again, not the callee's.
(module $OwnMem
  (memory 1)
  (data (i32.const 0) "\16")
  (func (export "read0") (result i32) (i32.load8_u (i32.const 0)))
)
(register "OwnMem" $OwnMem)
(module
  (import "OwnMem" "read0" (func $other (result i32)))
  (memory 1)
  (data (i32.const 0) "\0b")
  (func (export "mine-after-call") (result i32)
    (i32.add (i32.mul (call $other) (i32.const 100)) (i32.load8_u (i32.const 0))))
)
(assert_return (invoke "mine-after-call") (i32.const 2211))
