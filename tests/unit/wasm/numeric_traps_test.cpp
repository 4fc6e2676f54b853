// Copyright Crush authors.
// Integer traps, conversions and float corner cases as executed by the interpreter.
// WAT: tests/unit/wasm/wat/numeric.wat
#include "wasm_test_util.hpp"

#include <cmath>
#include <limits>

namespace crush::test {
namespace {

class Numeric : public ::testing::Test {
protected:
    Fixture f{"numeric"};
};

TEST_F(Numeric, DivisionTraps) {
    EXPECT_THAT(f.call("div_s", {I32(7), I32(0)}), Traps(TrapKind::integer_divide_by_zero));
    EXPECT_THAT(f.call("div_s", {I32(0x80000000), I32(0xffffffff)}), Traps(TrapKind::integer_overflow));
    EXPECT_THAT(f.call("div_s", {I32(static_cast<uint32_t>(-7)), I32(2)}), Returns(vals({I32(static_cast<uint32_t>(-3))})));
    EXPECT_THAT(f.call("rem_s", {I32(0x80000000), I32(0xffffffff)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("div_u64", {I64(1), I64(0)}), Traps(TrapKind::integer_divide_by_zero));
}

TEST_F(Numeric, TruncationTrapsAndSaturates) {
    EXPECT_THAT(f.call("trunc", {F32(std::nanf(""))}), Traps(TrapKind::invalid_conversion));
    EXPECT_THAT(f.call("trunc", {F32(3e9f)}), Traps(TrapKind::integer_overflow));
    EXPECT_THAT(f.call("trunc", {F32(-2.9f)}), Returns(vals({I32(static_cast<uint32_t>(-2))})));
    EXPECT_THAT(f.call("trunc_u64", {F64(-1.0)}), Traps(TrapKind::integer_overflow));
    EXPECT_THAT(f.call("trunc_u64", {F64(-0.9)}), Returns(vals({I64(0)})));
    EXPECT_THAT(f.call("trunc_sat", {F32(3e9f)}), Returns(vals({I32(0x7fffffff)})));
    EXPECT_THAT(f.call("trunc_sat", {F32(std::nanf(""))}), Returns(vals({I32(0)})));
}

TEST_F(Numeric, IntegerOps) {
    EXPECT_THAT(f.call("extend8", {I32(0x80)}), Returns(vals({I32(0xffffff80)})));
    EXPECT_THAT(f.call("extend32", {I64(0x80000000)}), Returns(vals({I64(0xffffffff80000000ull)})));
    EXPECT_THAT(f.call("rotl", {I64(0x8000000000000001ull), I64(65)}), Returns(vals({I64(3)})));
    EXPECT_THAT(f.call("clz", {I32(0)}), Returns(vals({I32(32)})));
    EXPECT_THAT(f.call("wrap", {I64(0x123456789ull)}), Returns(vals({I32(0x23456789)})));
    EXPECT_THAT(f.call("lt_s", {I32(0xffffffff), I32(0)}), Returns(vals({I32(1)})));
}

TEST_F(Numeric, FloatBitsAreExact) {
    // min(-0, +0) is -0; neg flips only the sign bit, even of a NaN payload.
    EXPECT_THAT(f.call("fmin", {F32(0.0f), F32(-0.0f)}), Returns(vals({Value::f32_bits(0x80000000)})));
    EXPECT_THAT(f.call("fneg", {Value::f64_bits(0x7ff0000000000001ull)}),
                Returns(vals({Value::f64_bits(0xfff0000000000001ull)})));
    EXPECT_THAT(f.call("nearest", {F64(2.5)}), Returns(vals({F64(2.0)})));
    EXPECT_THAT(f.call("nearest", {F64(-0.4)}), Returns(vals({F64(-0.0)})));
    EXPECT_THAT(f.call("convert_u", {I64(0xffffffffffffffffull)}), Returns(vals({F32(18446744073709551616.0f)})));
    ExecResult r = f.call("fmin", {F32(std::nanf("")), F32(1.0f)});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(std::isnan(r.values[0].as_f32()));
}

}  // namespace
}  // namespace crush::test
