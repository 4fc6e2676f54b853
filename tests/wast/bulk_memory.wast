;; Bulk memory: memory.fill, memory.copy (both overlap directions), memory.init, data.drop,
;; bounds checks (nothing is written when out of bounds), and dropped active segments.

(module
  (memory (export "mem") 1)
  (data $active (i32.const 0) "\aa\bb")
  (data $p "0123456789")
  (data $empty "")

  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_active") (param i32 i32 i32) (memory.init $active (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_empty") (param i32 i32 i32) (memory.init $empty (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $p))
  ;; Sum of n bytes from address a, to check ranges in one call.
  (func (export "sum") (param $a i32) (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s))
)

(assert_return (invoke "load8" (i32.const 1)) (i32.const 0xbb))
(invoke "fill" (i32.const 100) (i32.const 0x1ff) (i32.const 10))
(assert_return (invoke "load8" (i32.const 99)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 100)) (i32.const 0xff))
(assert_return (invoke "load8" (i32.const 109)) (i32.const 0xff))
(assert_return (invoke "load8" (i32.const 110)) (i32.const 0))
(invoke "fill" (i32.const 0x10000) (i32.const 1) (i32.const 0))
(assert_trap (invoke "fill" (i32.const 0x10001) (i32.const 1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 0xfff0) (i32.const 7) (i32.const 17)) "out of bounds memory access")
(assert_return (invoke "load8" (i32.const 0xfff0)) (i32.const 0))
(assert_trap (invoke "fill" (i32.const 1) (i32.const 7) (i32.const -1)) "out of bounds memory access")

(invoke "init" (i32.const 200) (i32.const 2) (i32.const 5))
(assert_return (invoke "load8" (i32.const 200)) (i32.const 0x32))
(assert_return (invoke "load8" (i32.const 204)) (i32.const 0x36))
(assert_return (invoke "load8" (i32.const 205)) (i32.const 0))
(invoke "init" (i32.const 0x10000) (i32.const 10) (i32.const 0))
(assert_trap (invoke "init" (i32.const 0) (i32.const 11) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 5) (i32.const 6)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0xfffe) (i32.const 0) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "load8" (i32.const 0xfffe)) (i32.const 0))
(invoke "init_empty" (i32.const 0x10000) (i32.const 0) (i32.const 0))
(assert_trap (invoke "init_empty" (i32.const 0) (i32.const 1) (i32.const 0)) "out of bounds memory access")
;; An active segment is dropped once instantiation has applied it.
(invoke "init_active" (i32.const 0) (i32.const 0) (i32.const 0))
(assert_trap (invoke "init_active" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(invoke "drop")
(invoke "drop")
(invoke "init" (i32.const 0) (i32.const 0) (i32.const 0))
(assert_trap (invoke "init" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")

;; memory.copy: 200..204 holds "23456". Copy forwards and backwards over itself.
(invoke "copy" (i32.const 202) (i32.const 200) (i32.const 5))
(assert_return (invoke "load8" (i32.const 202)) (i32.const 0x32))
(assert_return (invoke "load8" (i32.const 206)) (i32.const 0x36))
(assert_return (invoke "sum" (i32.const 200) (i32.const 7)) (i32.const 361))
(invoke "copy" (i32.const 199) (i32.const 201) (i32.const 6))
(assert_return (invoke "load8" (i32.const 199)) (i32.const 0x33))
(assert_return (invoke "load8" (i32.const 204)) (i32.const 0x36))
(assert_return (invoke "load8" (i32.const 205)) (i32.const 0x35))
(assert_return (invoke "sum" (i32.const 199) (i32.const 8)) (i32.const 418))
(invoke "copy" (i32.const 0x10000) (i32.const 0) (i32.const 0))
(invoke "copy" (i32.const 0) (i32.const 0x10000) (i32.const 0))
(assert_trap (invoke "copy" (i32.const 0x10001) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 0x10001) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0xfffc) (i32.const 100) (i32.const 5)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 100) (i32.const 0xfffc) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "load8" (i32.const 0xfffc)) (i32.const 0))
(assert_trap (invoke "copy" (i32.const 0) (i32.const 0) (i32.const -1)) "out of bounds memory access")

;; Segment and memory indices are validated, and so are operand types.
(assert_invalid
  (module (memory 1) (data "x") (func (data.drop 1)))
  "unknown data segment")
(assert_invalid
  (module (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown memory")
(assert_invalid
  (module (func (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown memory")
(assert_invalid
  (module (memory 1) (func (memory.fill (i32.const 0) (i64.const 0) (i32.const 0))))
  "type mismatch")
