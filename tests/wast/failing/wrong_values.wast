;; Deliberately wrong expectations: the runner must count every one of these as failed.
;; Expected summary: 1 passed, 5 failed.

(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "half") (result f32) (f32.const 0.5))
  (func (export "neg-zero") (result f64) (f64.const -0))
  (func (export "nan-payload") (result f32) (f32.const nan:0x1))
  (func (export "ext") (param externref) (result externref) (local.get 0))
)

(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "half") (f32.const nan:canonical))
(assert_return (invoke "neg-zero") (f64.const 0))
(assert_return (invoke "nan-payload") (f32.const nan:arithmetic))
(assert_return (invoke "ext" (ref.extern 1)) (ref.extern 2))
