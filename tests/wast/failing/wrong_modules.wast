;; Deliberately wrong expectations about modules. Expected summary: 2 passed, 8 failed.

;; A valid module is not invalid, a well-formed one not malformed.
(assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
(assert_malformed (module binary "\00asm\01\00\00\00") "unexpected end")
;; Invalid for a different reason than the one expected (message check).
(assert_invalid (module (func (result i32) (i64.const 0))) "unknown local")
;; Invalid, not malformed (category check).
(assert_malformed (module binary "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\08\01\05") "unknown function")
;; Linkable, and instantiable.
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i32)))) "unknown import")
(assert_trap (module (memory 1) (data (i32.const 0) "ok")) "out of bounds memory access")

;; A module that does not load is a failure, and so is using it afterwards.
(module (memory 1) (func (export "anything")) (data (i32.const 65536) "x"))
(assert_return (invoke "anything"))

;; These two pass: the module loads, and a register of it works.
(module $M (func (export "f")))
(register "M" $M)
(assert_unlinkable (module (import "M" "g" (func))) "unknown import")
