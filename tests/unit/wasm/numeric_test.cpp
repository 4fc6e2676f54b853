// Copyright Crush authors.
// Exact Wasm numeric semantics of src/wasm/numeric.hpp: boundaries, NaN payloads, ±0, ±inf.
// Expected values come from the spec's definitions and the spec suite's i32/i64/f32/f64/
// conversions.wast cases.
#include "wasm/numeric.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace crush::num {
namespace {

constexpr uint32_t kI32Min = 0x80000000u;
constexpr uint64_t kI64Min = 0x8000000000000000ull;
constexpr uint32_t kMinus1_32 = 0xffffffffu;
constexpr uint64_t kMinus1_64 = ~0ull;

float f32(uint32_t bits) { return from_bits<float>(bits); }
double f64(uint64_t bits) { return from_bits<double>(bits); }
uint32_t bits(float f) { return to_bits(f); }
uint64_t bits(double d) { return to_bits(d); }

constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();

// --- integers ---------------------------------------------------------------------------------

TEST(NumericInt, BitCounts) {
    EXPECT_EQ(clz<uint32_t>(0), 32u);
    EXPECT_EQ(clz<uint32_t>(1), 31u);
    EXPECT_EQ(clz<uint32_t>(kI32Min), 0u);
    EXPECT_EQ(clz<uint64_t>(0), 64u);
    EXPECT_EQ(clz<uint64_t>(1), 63u);
    EXPECT_EQ(ctz<uint32_t>(0), 32u);
    EXPECT_EQ(ctz<uint32_t>(kI32Min), 31u);
    EXPECT_EQ(ctz<uint64_t>(0), 64u);
    EXPECT_EQ(ctz<uint64_t>(kI64Min), 63u);
    EXPECT_EQ(popcnt<uint32_t>(kMinus1_32), 32u);
    EXPECT_EQ(popcnt<uint32_t>(0), 0u);
    EXPECT_EQ(popcnt<uint64_t>(kMinus1_64), 64u);
    EXPECT_EQ(popcnt<uint64_t>(0xAAAA'AAAA'5555'5555ull), 32u);
}

TEST(NumericInt, ShiftCountIsModuloWidth) {
    EXPECT_EQ(shl<uint32_t>(1, 32), 1u);
    EXPECT_EQ(shl<uint32_t>(1, 33), 2u);
    EXPECT_EQ(shl<uint32_t>(1, 31), kI32Min);
    EXPECT_EQ(shl<uint64_t>(1, 64), 1u);
    EXPECT_EQ(shl<uint64_t>(1, 63), kI64Min);
    EXPECT_EQ(shr_u<uint32_t>(kI32Min, 31), 1u);
    EXPECT_EQ(shr_u<uint32_t>(kI32Min, 32), kI32Min);
    EXPECT_EQ(shr_s<uint32_t>(kI32Min, 31), kMinus1_32);
    EXPECT_EQ(shr_s<uint32_t>(kI32Min, 0xffffffffu), kMinus1_32);  // count 31
    EXPECT_EQ(shr_s<uint32_t>(0x40000000u, 30), 1u);
    EXPECT_EQ(shr_s<uint64_t>(kI64Min, 63), kMinus1_64);
    EXPECT_EQ(shr_s<uint64_t>(kI64Min, 64), kI64Min);
    EXPECT_EQ(shr_u<uint64_t>(kI64Min, 127), 1u);
}

TEST(NumericInt, Rotations) {
    EXPECT_EQ(rotl<uint32_t>(0xfe00dc00u, 4), 0xe00dc00fu);
    EXPECT_EQ(rotl<uint32_t>(0xabcd9876u, 1), 0x579b30edu);
    EXPECT_EQ(rotl<uint32_t>(1, 32), 1u);
    EXPECT_EQ(rotl<uint32_t>(1, 0xffffffffu), kI32Min);
    EXPECT_EQ(rotr<uint32_t>(0xb0c1d2e3u, 0x0005u), 0x1d860e97u);
    EXPECT_EQ(rotr<uint32_t>(1, 33), kI32Min);
    EXPECT_EQ(rotl<uint64_t>(1, 64), 1u);
    EXPECT_EQ(rotl<uint64_t>(0xabd1234ef567809cull, 63), 0x55e891a77ab3c04eull);
    EXPECT_EQ(rotr<uint64_t>(1, 1), kI64Min);
    EXPECT_EQ(rotr<uint64_t>(0xabcd1234ef567809ull, 53), 0x6891a77ab3c04d5eull);
}

TEST(NumericInt, DivisionTraps) {
    EXPECT_EQ(div_s<uint32_t>(1, 0).trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(div_u<uint32_t>(1, 0).trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(rem_s<uint32_t>(1, 0).trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(rem_u<uint32_t>(1, 0).trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(div_s<uint64_t>(0, 0).trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(rem_u<uint64_t>(0, 0).trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(div_s<uint32_t>(kI32Min, kMinus1_32).trap, TrapKind::integer_overflow);
    EXPECT_EQ(div_s<uint64_t>(kI64Min, kMinus1_64).trap, TrapKind::integer_overflow);
    // rem_s INT_MIN % -1 is 0, not a trap.
    auto r32 = rem_s<uint32_t>(kI32Min, kMinus1_32);
    EXPECT_TRUE(r32.ok());
    EXPECT_EQ(r32.value, 0u);
    auto r64 = rem_s<uint64_t>(kI64Min, kMinus1_64);
    EXPECT_TRUE(r64.ok());
    EXPECT_EQ(r64.value, 0u);
    // Other -1 divisors are fine.
    EXPECT_EQ(div_s<uint32_t>(5, kMinus1_32).value, static_cast<uint32_t>(-5));
    EXPECT_EQ(rem_s<uint32_t>(5, kMinus1_32).value, 0u);
}

TEST(NumericInt, DivisionRoundsTowardZero) {
    EXPECT_EQ(div_s<uint32_t>(static_cast<uint32_t>(-7), 2).value, static_cast<uint32_t>(-3));
    EXPECT_EQ(rem_s<uint32_t>(static_cast<uint32_t>(-7), 2).value, static_cast<uint32_t>(-1));
    EXPECT_EQ(rem_s<uint32_t>(7, static_cast<uint32_t>(-2)).value, 1u);
    EXPECT_EQ(div_u<uint32_t>(static_cast<uint32_t>(-7), 2).value, 0x7ffffffcu);
    EXPECT_EQ(rem_u<uint32_t>(static_cast<uint32_t>(-7), 2).value, 1u);
    EXPECT_EQ(div_u<uint32_t>(kI32Min, kMinus1_32).value, 0u);
    EXPECT_EQ(rem_u<uint32_t>(kI32Min, kMinus1_32).value, kI32Min);
    EXPECT_EQ(div_s<uint64_t>(kI64Min, 2).value, 0xc000000000000000ull);
    EXPECT_EQ(div_u<uint64_t>(kI64Min, 2).value, 0x4000000000000000ull);
    EXPECT_EQ(rem_s<uint64_t>(kI64Min, 2).value, 0u);
    EXPECT_EQ(rem_s<uint64_t>(static_cast<uint64_t>(-5), 3).value, static_cast<uint64_t>(-2));
}

TEST(NumericInt, SignExtension) {
    EXPECT_EQ(extend8_s<uint32_t>(0x7f), 0x7fu);
    EXPECT_EQ(extend8_s<uint32_t>(0x80), 0xffffff80u);
    EXPECT_EQ(extend8_s<uint32_t>(0x12345680), 0xffffff80u);
    EXPECT_EQ(extend16_s<uint32_t>(0x8000), 0xffff8000u);
    EXPECT_EQ(extend16_s<uint32_t>(0x7fff), 0x7fffu);
    EXPECT_EQ(extend8_s<uint64_t>(0xff), kMinus1_64);
    EXPECT_EQ(extend16_s<uint64_t>(0x12348000), 0xffffffffffff8000ull);
    EXPECT_EQ(extend32_s(0x80000000ull), 0xffffffff80000000ull);
    EXPECT_EQ(extend32_s(0x123456787fffffffull), 0x7fffffffull);
}

// --- floats -----------------------------------------------------------------------------------

TEST(NumericFloat, AbsNegCopysignAreBitwise) {
    // NaN payloads and signs survive untouched (no quieting).
    const uint32_t snan = 0x7fa00001u, neg_snan = 0xffa00001u;
    EXPECT_EQ(bits(abs(f32(neg_snan))), snan);
    EXPECT_EQ(bits(neg(f32(snan))), neg_snan);
    EXPECT_EQ(bits(neg(f32(neg_snan))), snan);
    EXPECT_EQ(bits(copysign(f32(snan), -1.0f)), neg_snan);
    EXPECT_EQ(bits(copysign(1.0f, f32(neg_snan))), bits(-1.0f));
    const uint64_t snan64 = 0x7ff0000000000001ull;
    EXPECT_EQ(bits(neg(f64(snan64))), snan64 | (1ull << 63));
    EXPECT_EQ(bits(abs(f64(snan64 | (1ull << 63)))), snan64);
    EXPECT_EQ(bits(neg(0.0)), bits(-0.0));
    EXPECT_EQ(bits(abs(-0.0f)), bits(0.0f));
    EXPECT_EQ(bits(copysign(0.0, -0.0)), bits(-0.0));
    EXPECT_EQ(copysign(kInfD, -2.0), -kInfD);
}

TEST(NumericFloat, MinMaxSignedZero) {
    EXPECT_EQ(bits(fmin(0.0f, -0.0f)), bits(-0.0f));
    EXPECT_EQ(bits(fmin(-0.0f, 0.0f)), bits(-0.0f));
    EXPECT_EQ(bits(fmax(0.0f, -0.0f)), bits(0.0f));
    EXPECT_EQ(bits(fmax(-0.0f, 0.0f)), bits(0.0f));
    EXPECT_EQ(bits(fmin(0.0, -0.0)), bits(-0.0));
    EXPECT_EQ(bits(fmax(-0.0, 0.0)), bits(0.0));
    EXPECT_EQ(fmin(-kInfF, kInfF), -kInfF);
    EXPECT_EQ(fmax(-kInfD, kInfD), kInfD);
    EXPECT_EQ(fmin(1.5, -2.0), -2.0);
    EXPECT_EQ(fmax(1.5f, -2.0f), 1.5f);
}

TEST(NumericFloat, MinMaxNan) {
    const float canon = f32(0x7fc00000u);
    const float snan = f32(0x7fa00000u);
    for (float x : {0.0f, -0.0f, 1.0f, kInfF, -kInfF}) {
        EXPECT_TRUE(is_canonical_nan(fmin(canon, x)));
        EXPECT_TRUE(is_canonical_nan(fmin(x, canon)));
        EXPECT_TRUE(is_canonical_nan(fmax(canon, x)));
        EXPECT_TRUE(is_canonical_nan(fmax(x, f32(0xffc00000u))));
        EXPECT_TRUE(is_arithmetic_nan(fmin(snan, x)));
        EXPECT_TRUE(is_arithmetic_nan(fmax(x, snan)));
    }
    EXPECT_TRUE(is_arithmetic_nan(fmin(snan, canon)));
    const double snan64 = f64(0x7ff0000000000001ull);
    EXPECT_TRUE(is_arithmetic_nan(fmin(snan64, 1.0)));
    EXPECT_TRUE(is_arithmetic_nan(fmax(1.0, snan64)));
    EXPECT_TRUE(is_canonical_nan(fmax(f64(0xfff8000000000000ull), -kInfD)));
}

TEST(NumericFloat, NearestTiesToEven) {
    EXPECT_EQ(nearest(0.5f), 0.0f);
    EXPECT_EQ(nearest(1.5f), 2.0f);
    EXPECT_EQ(nearest(2.5f), 2.0f);
    EXPECT_EQ(nearest(-2.5), -2.0);
    EXPECT_EQ(nearest(-3.5), -4.0);
    EXPECT_EQ(nearest(4.5), 4.0);
    EXPECT_EQ(nearest(4.500001), 5.0);
    EXPECT_EQ(nearest(-1.4999), -1.0);
    EXPECT_EQ(bits(nearest(-0.5f)), bits(-0.0f));
    EXPECT_EQ(bits(nearest(-0.4)), bits(-0.0));
    EXPECT_EQ(bits(nearest(-0.0)), bits(-0.0));
    EXPECT_EQ(bits(nearest(0.49999997f)), bits(0.0f));  // largest float below 0.5
    EXPECT_EQ(nearest(kInfF), kInfF);
    EXPECT_EQ(nearest(-kInfD), -kInfD);
    // Large values are already integral: 2^23 + 1 and 2^52 + 1.
    EXPECT_EQ(nearest(8388609.0f), 8388609.0f);
    EXPECT_EQ(nearest(4503599627370497.0), 4503599627370497.0);
    // 2^23 - 0.5 is representable in float and rounds to the even 2^23.
    EXPECT_EQ(nearest(8388607.5f), 8388608.0f);
    EXPECT_EQ(nearest(4503599627370495.5), 4503599627370496.0);
    EXPECT_TRUE(is_canonical_nan(nearest(f32(0x7fc00000u))));
    EXPECT_TRUE(is_arithmetic_nan(nearest(f64(0x7ff0000000000001ull))));
}

TEST(NumericFloat, RoundingFunctions) {
    EXPECT_EQ(bits(ceil(-0.5f)), bits(-0.0f));
    EXPECT_EQ(bits(trunc(-0.9)), bits(-0.0));
    EXPECT_EQ(floor(-0.5), -1.0);
    EXPECT_EQ(bits(floor(-0.0f)), bits(-0.0f));
    EXPECT_EQ(ceil(1.0000001f), 2.0f);
    EXPECT_EQ(trunc(-kInfF), -kInfF);
    EXPECT_TRUE(is_canonical_nan(ceil(f32(0xffc00000u))));
    EXPECT_TRUE(is_arithmetic_nan(floor(f32(0x7f800001u))));
    EXPECT_TRUE(is_arithmetic_nan(trunc(f64(0x7ff0000000000001ull))));
}

TEST(NumericFloat, Sqrt) {
    EXPECT_EQ(sqrt(4.0f), 2.0f);
    EXPECT_EQ(bits(sqrt(-0.0)), bits(-0.0));
    EXPECT_EQ(sqrt(kInfD), kInfD);
    EXPECT_TRUE(is_canonical_nan(sqrt(-1.0f)));
    EXPECT_TRUE(is_canonical_nan(sqrt(-kInfD)));
    EXPECT_TRUE(is_arithmetic_nan(sqrt(f32(0x7f800001u))));
    // Correctly rounded: sqrt(2) in double.
    EXPECT_EQ(bits(sqrt(2.0)), 0x3ff6a09e667f3bcdull);
}

// --- conversions ------------------------------------------------------------------------------

template <class I, class F>
void expect_trap(F x, TrapKind kind) {
    auto r = trunc_to<I>(x);
    EXPECT_EQ(r.trap, kind) << x;
}
template <class I, class F>
void expect_trunc(F x, I want) {
    auto r = trunc_to<I>(x);
    EXPECT_FALSE(r.trap) << x;
    EXPECT_EQ(r.value, want) << x;
}

TEST(NumericConvert, TruncNanIsInvalidConversion) {
    expect_trap<int32_t>(f32(0x7fc00000u), TrapKind::invalid_conversion);
    expect_trap<uint32_t>(f32(0xffa00000u), TrapKind::invalid_conversion);
    expect_trap<int64_t>(f64(0x7ff8000000000000ull), TrapKind::invalid_conversion);
    expect_trap<uint64_t>(f64(0xfff0000000000001ull), TrapKind::invalid_conversion);
}

TEST(NumericConvert, TruncI32Boundaries) {
    // i32.trunc_f32_s: -2^31 is fine, 2^31 overflows; the next float below -2^31 overflows.
    expect_trunc<int32_t>(-2147483648.0f, INT32_MIN);
    expect_trunc<int32_t>(2147483520.0f, 2147483520);
    expect_trap<int32_t>(2147483648.0f, TrapKind::integer_overflow);
    expect_trap<int32_t>(-2147483904.0f, TrapKind::integer_overflow);
    expect_trap<int32_t>(kInfF, TrapKind::integer_overflow);
    expect_trap<int32_t>(-kInfF, TrapKind::integer_overflow);
    // i32.trunc_f64_s: exact boundaries are -2147483648.9 ok, -2147483649 overflows.
    expect_trunc<int32_t>(-2147483648.9, INT32_MIN);
    expect_trunc<int32_t>(2147483647.9, INT32_MAX);
    expect_trap<int32_t>(-2147483649.0, TrapKind::integer_overflow);
    expect_trap<int32_t>(2147483648.0, TrapKind::integer_overflow);
    expect_trunc<int32_t>(-0.9, 0);
    expect_trunc<int32_t>(-1.9, -1);
    // i32.trunc_f{32,64}_u: (-1, 2^32) is fine.
    expect_trunc<uint32_t>(-0.9f, 0u);
    expect_trunc<uint32_t>(-0.0f, 0u);
    expect_trap<uint32_t>(-1.0f, TrapKind::integer_overflow);
    expect_trunc<uint32_t>(4294967040.0f, 4294967040u);
    expect_trap<uint32_t>(4294967296.0f, TrapKind::integer_overflow);
    expect_trunc<uint32_t>(4294967295.9, 4294967295u);
    expect_trap<uint32_t>(4294967296.0, TrapKind::integer_overflow);
    expect_trunc<uint32_t>(-0.99999999999, 0u);
    expect_trap<uint32_t>(-kInfD, TrapKind::integer_overflow);
}

TEST(NumericConvert, TruncI64Boundaries) {
    expect_trunc<int64_t>(-9223372036854775808.0f, INT64_MIN);
    expect_trunc<int64_t>(9223371487098961920.0f, 9223371487098961920);  // largest f32 < 2^63
    expect_trap<int64_t>(9223372036854775808.0f, TrapKind::integer_overflow);
    expect_trap<int64_t>(-9223373136366403584.0f, TrapKind::integer_overflow);
    expect_trunc<int64_t>(-9223372036854775808.0, INT64_MIN);
    expect_trunc<int64_t>(9223372036854774784.0, 9223372036854774784);  // largest f64 < 2^63
    expect_trap<int64_t>(9223372036854775808.0, TrapKind::integer_overflow);
    expect_trap<int64_t>(-9223372036854777856.0, TrapKind::integer_overflow);
    expect_trunc<uint64_t>(18446742974197923840.0f, 18446742974197923840ull);
    expect_trap<uint64_t>(18446744073709551616.0f, TrapKind::integer_overflow);
    expect_trunc<uint64_t>(18446744073709549568.0, 18446744073709549568ull);
    expect_trap<uint64_t>(18446744073709551616.0, TrapKind::integer_overflow);
    expect_trunc<uint64_t>(-0.9, 0ull);
    expect_trap<uint64_t>(-1.0, TrapKind::integer_overflow);
    expect_trap<uint64_t>(kInfF, TrapKind::integer_overflow);
}

TEST(NumericConvert, TruncSat) {
    EXPECT_EQ((trunc_sat_to<int32_t>(f32(0x7fc00000u))), 0);
    EXPECT_EQ((trunc_sat_to<uint64_t>(f64(0xfff8000000000000ull))), 0u);
    EXPECT_EQ((trunc_sat_to<int32_t>(2147483648.0f)), INT32_MAX);
    EXPECT_EQ((trunc_sat_to<int32_t>(-2147483904.0f)), INT32_MIN);
    EXPECT_EQ((trunc_sat_to<int32_t>(-kInfD)), INT32_MIN);
    EXPECT_EQ((trunc_sat_to<int32_t>(-2147483648.9)), INT32_MIN);
    EXPECT_EQ((trunc_sat_to<int32_t>(2147483647.9)), INT32_MAX);
    EXPECT_EQ((trunc_sat_to<uint32_t>(-1.0f)), 0u);
    EXPECT_EQ((trunc_sat_to<uint32_t>(-kInfF)), 0u);
    EXPECT_EQ((trunc_sat_to<uint32_t>(4294967296.0)), UINT32_MAX);
    EXPECT_EQ((trunc_sat_to<uint32_t>(4294967295.5)), UINT32_MAX);
    EXPECT_EQ((trunc_sat_to<int64_t>(kInfF)), INT64_MAX);
    EXPECT_EQ((trunc_sat_to<int64_t>(-9223373136366403584.0f)), INT64_MIN);
    EXPECT_EQ((trunc_sat_to<int64_t>(9223372036854774784.0)), 9223372036854774784);
    EXPECT_EQ((trunc_sat_to<uint64_t>(18446744073709551616.0)), UINT64_MAX);
    EXPECT_EQ((trunc_sat_to<uint64_t>(-0.5)), 0u);
    EXPECT_EQ((trunc_sat_to<uint64_t>(1.9f)), 1u);
}

TEST(NumericConvert, IntToFloatIsCorrectlyRounded) {
    // Cases from conversions.wast.
    EXPECT_EQ((convert_to<float, int32_t>(16777217)), 16777216.0f);
    EXPECT_EQ((convert_to<float, int32_t>(16777219)), 16777220.0f);
    EXPECT_EQ((convert_to<float, int64_t>(9007199791611905)), 9007200328482816.0f);
    EXPECT_EQ((convert_to<float, int64_t>(-9007199791611905)), -9007200328482816.0f);
    EXPECT_EQ((convert_to<float, uint32_t>(0xffffffffu)), 4294967296.0f);
    EXPECT_EQ((convert_to<float, uint32_t>(0x80000080u)), 2147483648.0f);   // tie -> even
    EXPECT_EQ((convert_to<float, uint32_t>(0x80000081u)), 2147483904.0f);
    EXPECT_EQ((convert_to<float, uint64_t>(UINT64_MAX)), 18446744073709551616.0f);
    EXPECT_EQ((convert_to<float, uint64_t>(0x8000008000000001ull)), 9223373136366403584.0f);
    EXPECT_EQ((convert_to<float, uint64_t>(0x20000020000001ull)), 9007200328482816.0f);
    EXPECT_EQ((convert_to<double, int64_t>(9007199254740993)), 9007199254740992.0);
    EXPECT_EQ((convert_to<double, int64_t>(-9007199254740993)), -9007199254740992.0);
    EXPECT_EQ((convert_to<double, uint64_t>(UINT64_MAX)), 18446744073709551616.0);
    EXPECT_EQ((convert_to<double, uint64_t>(0x8000000000000401ull)), 9223372036854777856.0);
    EXPECT_EQ((convert_to<double, uint64_t>(0x8000000000000400ull)), 9223372036854775808.0);
    EXPECT_EQ((convert_to<double, uint32_t>(0xffffffffu)), 4294967295.0);
    EXPECT_EQ((convert_to<double, int32_t>(INT32_MIN)), -2147483648.0);
}

TEST(NumericConvert, DemotePromote) {
    EXPECT_EQ(demote(1.0), 1.0f);
    EXPECT_EQ(bits(demote(-0.0)), bits(-0.0f));
    EXPECT_EQ(demote(kInfD), kInfF);
    EXPECT_EQ(demote(3.4028235677973366e+38), kInfF);   // rounds up past FLT_MAX
    EXPECT_EQ(demote(3.4028234663852886e+38), 3.4028234663852886e+38f);
    EXPECT_EQ(demote(1.401298464324817e-45), 1.401298464324817e-45f);  // smallest subnormal
    EXPECT_EQ(bits(demote(7.006492321624085e-46)), 0u);  // half of it: tie -> even (0)
    EXPECT_EQ(demote(0x1.fffffefffffffp-1), 0x1.fffffep-1f);
    EXPECT_EQ(demote(0x1.ffffff0000000p-1), 1.0f);  // tie -> even
    // NaN: canonical stays canonical (sign kept), signalling payloads become arithmetic.
    EXPECT_EQ(bits(demote(f64(0x7ff8000000000000ull))), 0x7fc00000u);
    EXPECT_EQ(bits(demote(f64(0xfff8000000000000ull))), 0xffc00000u);
    EXPECT_TRUE(is_arithmetic_nan(demote(f64(0x7ff0000000000001ull))));
    EXPECT_TRUE(is_arithmetic_nan(demote(f64(0x7ff4000000000000ull))));

    EXPECT_EQ(promote(1.5f), 1.5);
    EXPECT_EQ(bits(promote(-0.0f)), bits(-0.0));
    EXPECT_EQ(promote(-kInfF), -kInfD);
    EXPECT_EQ(promote(1.401298464324817e-45f), 1.401298464324817e-45);
    EXPECT_EQ(bits(promote(f32(0x7fc00000u))), 0x7ff8000000000000ull);
    EXPECT_EQ(bits(promote(f32(0xffc00000u))), 0xfff8000000000000ull);
    EXPECT_TRUE(is_arithmetic_nan(promote(f32(0x7f800001u))));
    EXPECT_EQ(bits(promote(f32(0x7fa00000u))), 0x7ffc000000000000ull);
}

TEST(NumericFloat, NanClassification) {
    EXPECT_TRUE(is_canonical_nan(f32(0x7fc00000u)));
    EXPECT_TRUE(is_canonical_nan(f32(0xffc00000u)));
    EXPECT_FALSE(is_canonical_nan(f32(0x7fc00001u)));
    EXPECT_TRUE(is_arithmetic_nan(f32(0x7fc00001u)));
    EXPECT_FALSE(is_arithmetic_nan(f32(0x7fa00000u)));
    EXPECT_FALSE(is_arithmetic_nan(kInfF));
    EXPECT_EQ(bits(quiet(f32(0x7f800001u))), 0x7fc00001u);
}

}  // namespace
}  // namespace crush::num
