;; The slot-addressed code's compiler forms (function_compiler.cpp): deferred local.get and
;; constants, results computed straight into locals, and everything that must materialize.
(module
  (memory 1)

  ;; local.set hazards: a deferred read of x still on the stack when x is written.
  (func (export "set_hazard") (param i32) (result i32)
    (local.get 0)                                   ;; old x, deferred
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (i32.add (local.get 0)))                        ;; old + (old + 1)
  (func (export "tee_hazard") (param i32) (result i32)
    (local.get 0)
    (local.tee 0 (i32.mul (local.get 0) (i32.const 10)))
    (i32.sub))                                      ;; old - 10*old
  (func (export "set_from_local_hazard") (param i32 i32) (result i32)
    (local.get 0)
    (local.set 0 (local.get 1))                     ;; x <- y while old x is deferred
    (local.get 0)
    (i32.sub))                                      ;; old x - y
  (func (export "swap") (param i32 i32) (result i32 i32)
    (local.get 1) (local.get 0) (local.set 1) (local.set 0)
    (local.get 0) (local.get 1))
  (func (export "tee_chain") (param i32) (result i32) (local i32 i32)
    (local.set 1 (local.tee 2 (i32.add (local.get 0) (i32.const 5))))
    (i32.add (local.get 1) (local.get 2)))

  ;; Deferred reads across blocks, ifs and loops that write the local.
  (func (export "across_block") (param i32) (result i32)
    (local.get 0)
    (block (local.set 0 (i32.const 100)))
    (i32.add (local.get 0)))                        ;; old + 100
  (func (export "across_if") (param i32 i32) (result i32)
    (local.get 0)
    (if (local.get 1)
      (then (local.set 0 (i32.const 1000)))
      (else (local.set 0 (i32.const 2000))))
    (i32.add (local.get 0)))
  (func (export "across_loop") (param i32) (result i32) (local i32)
    (i32.const 7)                                   ;; a deferred constant below the loop
    (local.get 0)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0)))
    (i32.add)
    (i32.add (local.get 1)))                        ;; 7 + old + sum(1..old)
  (func (export "if_params") (param i32 i32) (result i32)
    (local.get 0) (i32.const 3)
    (if (param i32 i32) (result i32) (local.get 1)
      (then (i32.add))
      (else (i32.sub))))

  ;; Values carried by br, br_if and br_table, with values below them to drop.
  (func (export "br_carries") (param i32) (result i32)
    (block (result i32)
      (i32.const 1) (i32.const 2)                   ;; dropped by the branch
      (local.get 0)
      (br 0)))
  (func (export "br_if_carries") (param i32) (result i32)
    (block (result i32)
      (i32.const 1)                                 ;; dropped when taken
      (i32.const 42)
      (br_if 0 (local.get 0))
      (i32.add)))
  (func (export "br_if_local") (param i32) (result i32)
    (block (result i32)
      (local.get 0)
      (local.set 0 (i32.const 5))                   ;; the carried value is the old one
      (br_if 0 (i32.ge_u (local.get 0) (i32.const 3)))
      (drop)
      (i32.const -1)))
  (func (export "br_table_carries") (param i32) (result i32)
    (block $a (result i32)
      (block $b (result i32)
        (block $c (result i32)
          (i32.const 9)                             ;; dropped
          (i32.add (local.get 0) (i32.const 100))
          (br_table $a $b $c (local.get 0)))
        (i32.add (i32.const 1000)) (return))
      (i32.add (i32.const 2000)) (return)))
  (func (export "br_table_return") (param i32) (result i32)
    (block (result i32) (i32.const 77) (br_table 0 1 (local.get 0)))
    (drop)
    (i32.const 88))
  (func (export "return_deferred") (param i32 i32) (result i32)
    (br_if 0 (local.get 0) (local.get 1))
    (return (i32.const 66)))
  (func (export "return_two") (param i32) (result i32 i32)
    (i32.const 5) (local.get 0) (return))

  ;; Calls: arguments must be consecutive slots; deferred sources below survive the call.
  (func $three (param i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 100))
             (i32.add (i32.mul (local.get 1) (i32.const 10)) (local.get 2))))
  (func (export "call_deferred") (param i32 i32) (result i32)
    (call $three (local.get 1) (i32.const 3) (local.get 0)))
  (func (export "call_below") (param i32) (result i32)
    (local.get 0)                                   ;; deferred below the call
    (call $three (i32.const 1) (local.get 0) (local.tee 0 (i32.const 2)))
    (i32.add))                                      ;; old + 100 + 10*old + 2
  (type $t3 (func (param i32 i32 i32) (result i32)))
  (table funcref (elem $three))
  (func (export "call_indirect_deferred") (param i32) (result i32)
    (call_indirect (type $t3) (local.get 0) (i32.const 2) (i32.const 3) (i32.const 0)))

  ;; Memory and select with deferred operands; results straight into locals.
  (func (export "store_load") (param i32 i32) (result i32) (local i32)
    (i32.store (local.get 0) (i32.const 1234))
    (i32.store offset=4 (local.get 0) (local.get 1))
    (local.set 2 (i32.load (local.get 0)))
    (i32.add (local.get 2) (i32.load offset=4 (local.get 0))))
  (func (export "select_deferred") (param i32) (result i32)
    (select (i32.const 10) (local.get 0) (local.get 0)))
  (func (export "grow") (result i32) (local i32)
    (local.set 0 (memory.grow (i32.const 1)))
    (i32.add (local.get 0) (memory.size)))
)
