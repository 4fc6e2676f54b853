(module
  (func (export "spin") (loop $l (br $l)))
  (func (export "count") (param i32) (result i32)
    (local i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $l)))
    (local.get 1))

  ;; Shapes with exact fuel (fuel_interrupt_test.cpp derives each count).
  ;; The function's entry and the loop share one head: 5 per iteration, then 1 after the loop.
  (func (export "countdown") (param i32) (result i32)
    (loop $l
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if $l)
    local.get 0)
  ;; if/else: local.get and if, then one const on either arm.
  (func (export "pick") (param i32) (result i32)
    local.get 0
    if (result i32)
      i32.const 10
    else
      i32.const 20
    end)
  ;; Two block ends in a row share one head; the branch to the outer end must pay for it too.
  (func (export "nested_ends") (param i32) (result i32)
    (block $a
      (block $b
        (br_if $a (local.get 0))))
    local.get 0)
  ;; A loop whose header is also a (branched-to) block end and starts with a nested block whose
  ;; end no branch reaches: the iteration stays one basic block.
  (func (export "loop_after_end") (param i32) (result i32)
    (block $x (br_if $x (i32.const 0)))
    (loop $l
      (block $inner
        (local.set 0 (i32.sub (local.get 0) (i32.const 1))))
      (br_if $l (local.get 0)))
    local.get 0)
)
