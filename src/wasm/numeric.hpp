// Copyright Crush authors.
// Pure numeric helpers with exact WebAssembly semantics (STYLE.md "One-line cases over pure
// helpers"): the interpreter's handlers are one-liners over these, and the NaN, signed-zero,
// rounding and truncation rules live here, tested in tests/unit/wasm/numeric_test.cpp.
// https://webassembly.github.io/spec/core/exec/numerics.html
//
// Conventions:
// - Integers are passed as uint32_t/uint64_t (Wasm integers have no sign); the function name
//   says how they are interpreted (div_s vs div_u).
// - Floats are host float/double. abs/neg/copysign work on bits so NaN payloads survive.
// - Every NaN result is quiet. It is canonical when every NaN input was canonical, otherwise an
//   arithmetic NaN derived from an input's payload: the spec's nans{z*}.
// - Nothing here depends on the floating-point environment's rounding mode except the
//   hardware's own correctly rounded int->float conversions and sqrt (the VM never changes the
//   mode, which defaults to round-to-nearest-even).
#pragma once

#include <crush/wasm.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

namespace crush::num {

/// A value, or the trap the operation raised instead (value is then meaningless).
template <class T>
struct Checked {
    T value{};
    std::optional<TrapKind> trap;
    bool ok() const noexcept { return !trap; }
};

/// The unsigned integer type with the same width as float type F.
template <class F>
using BitsOf = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;

/// Properties of IEEE binary32/binary64 as bit masks.
template <class F>
struct FloatBits {
    using U = BitsOf<F>;
    static constexpr int kMantissaBits = std::numeric_limits<F>::digits - 1;  // 23 or 52
    static constexpr U kSign = U{1} << (sizeof(F) * 8 - 1);
    static constexpr U kMantissa = (U{1} << kMantissaBits) - 1;
    static constexpr U kQuiet = U{1} << (kMantissaBits - 1);
    static constexpr U kExponent = ~(kSign | kMantissa);
    static constexpr U kCanonicalNan = kExponent | kQuiet;  ///< positive canonical NaN
};

template <class F>
inline BitsOf<F> to_bits(F x) noexcept { return std::bit_cast<BitsOf<F>>(x); }
template <class F>
inline F from_bits(BitsOf<F> b) noexcept { return std::bit_cast<F>(b); }

// ---------------------------------------------------------------------------------------------
// Integers. https://webassembly.github.io/spec/core/exec/numerics.html#integer-operations

template <class T>
inline constexpr unsigned kBitWidth = sizeof(T) * 8;

template <class T>
inline T clz(T x) noexcept { return static_cast<T>(std::countl_zero(x)); }
template <class T>
inline T ctz(T x) noexcept { return static_cast<T>(std::countr_zero(x)); }
template <class T>
inline T popcnt(T x) noexcept { return static_cast<T>(std::popcount(x)); }

/// Rotations and shifts take the count modulo the bit width, as the spec's ishl/irotl do.
template <class T>
inline T rotl(T x, T n) noexcept { return std::rotl(x, static_cast<int>(n % kBitWidth<T>)); }
template <class T>
inline T rotr(T x, T n) noexcept { return std::rotr(x, static_cast<int>(n % kBitWidth<T>)); }
template <class T>
inline T shl(T x, T n) noexcept { return static_cast<T>(x << (n % kBitWidth<T>)); }
template <class T>
inline T shr_u(T x, T n) noexcept { return static_cast<T>(x >> (n % kBitWidth<T>)); }
/// Arithmetic shift: C++20 defines >> on negative signed values as sign-extending.
template <class T>
inline T shr_s(T x, T n) noexcept {
    using S = std::make_signed_t<T>;
    return static_cast<T>(static_cast<S>(x) >> (n % kBitWidth<T>));
}

template <class T>
inline Checked<T> div_u(T a, T b) noexcept {
    if (b == 0) return {0, TrapKind::integer_divide_by_zero};
    return {static_cast<T>(a / b), std::nullopt};
}
template <class T>
inline Checked<T> rem_u(T a, T b) noexcept {
    if (b == 0) return {0, TrapKind::integer_divide_by_zero};
    return {static_cast<T>(a % b), std::nullopt};
}
/// Signed division: INT_MIN / -1 is not representable and traps "integer overflow".
template <class T>
inline Checked<T> div_s(T a, T b) noexcept {
    using S = std::make_signed_t<T>;
    if (b == 0) return {0, TrapKind::integer_divide_by_zero};
    const S sa = static_cast<S>(a), sb = static_cast<S>(b);
    if (sa == std::numeric_limits<S>::min() && sb == -1) return {0, TrapKind::integer_overflow};
    return {static_cast<T>(sa / sb), std::nullopt};
}
/// Signed remainder: INT_MIN % -1 is 0 in Wasm (and undefined behaviour in C++, so avoided).
template <class T>
inline Checked<T> rem_s(T a, T b) noexcept {
    using S = std::make_signed_t<T>;
    if (b == 0) return {0, TrapKind::integer_divide_by_zero};
    const S sb = static_cast<S>(b);
    if (sb == -1) return {0, std::nullopt};
    return {static_cast<T>(static_cast<S>(a) % sb), std::nullopt};
}

/// Sign-extension operators (iNN.extendM_s): sign-extend the low M bits to the full width.
template <class T>
inline T extend8_s(T x) noexcept {
    return static_cast<T>(static_cast<std::make_signed_t<T>>(static_cast<int8_t>(x)));
}
template <class T>
inline T extend16_s(T x) noexcept {
    return static_cast<T>(static_cast<std::make_signed_t<T>>(static_cast<int16_t>(x)));
}
inline uint64_t extend32_s(uint64_t x) noexcept {
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(x)));
}

// ---------------------------------------------------------------------------------------------
// Floats. https://webassembly.github.io/spec/core/exec/numerics.html#floating-point-operations

/// x with its quiet bit set: canonical stays canonical, any other NaN becomes arithmetic.
/// Precondition: x is a NaN.
template <class F>
inline F quiet(F x) noexcept {
    return from_bits<F>(to_bits(x) | FloatBits<F>::kQuiet);
}

template <class F>
inline bool is_canonical_nan(F x) noexcept {
    return (to_bits(x) & ~FloatBits<F>::kSign) == FloatBits<F>::kCanonicalNan;
}
/// An arithmetic NaN is a NaN whose quiet bit is set (canonical NaNs included).
template <class F>
inline bool is_arithmetic_nan(F x) noexcept {
    return std::isnan(x) && (to_bits(x) & FloatBits<F>::kQuiet) != 0;
}

template <class F>
inline F abs(F x) noexcept { return from_bits<F>(to_bits(x) & ~FloatBits<F>::kSign); }
template <class F>
inline F neg(F x) noexcept { return from_bits<F>(to_bits(x) ^ FloatBits<F>::kSign); }
template <class F>
inline F copysign(F x, F y) noexcept {
    constexpr auto kSign = FloatBits<F>::kSign;
    return from_bits<F>((to_bits(x) & ~kSign) | (to_bits(y) & kSign));
}

/// fmin: NaN if either operand is NaN; -0 is smaller than +0.
template <class F>
inline F fmin(F a, F b) noexcept {
    if (std::isnan(a)) return quiet(a);
    if (std::isnan(b)) return quiet(b);
    if (a == b) return std::signbit(a) ? a : b;  // equal: only ±0 differ, prefer -0
    return a < b ? a : b;
}
/// fmax: NaN if either operand is NaN; +0 is larger than -0.
template <class F>
inline F fmax(F a, F b) noexcept {
    if (std::isnan(a)) return quiet(a);
    if (std::isnan(b)) return quiet(b);
    if (a == b) return std::signbit(a) ? b : a;  // equal: only ±0 differ, prefer +0
    return a > b ? a : b;
}

template <class F>
inline F trunc(F x) noexcept { return std::isnan(x) ? quiet(x) : std::trunc(x); }
template <class F>
inline F ceil(F x) noexcept { return std::isnan(x) ? quiet(x) : std::ceil(x); }
template <class F>
inline F floor(F x) noexcept { return std::isnan(x) ? quiet(x) : std::floor(x); }
/// sqrt of a negative number (other than -0) is a canonical NaN.
template <class F>
inline F sqrt(F x) noexcept {
    if (std::isnan(x)) return quiet(x);
    if (x < 0) return from_bits<F>(FloatBits<F>::kCanonicalNan);
    return std::sqrt(x);
}

/// Round to the nearest integer, ties to even, keeping the sign of zero. Computed without the
/// floating-point environment so it cannot be disturbed by a changed rounding mode.
template <class F>
inline F nearest(F x) noexcept {
    if (std::isnan(x)) return quiet(x);
    F r = std::trunc(x);   // exact
    F frac = x - r;        // exact: |x| < 2^mantissa here or frac == 0
    F one = std::signbit(x) ? F(-1) : F(1);
    F half = std::abs(frac);
    if (half > F(0.5) || (half == F(0.5) && std::fmod(r, F(2)) != 0)) r += one;
    return std::copysign(r, x);  // e.g. nearest(-0.4) = -0
}

// ---------------------------------------------------------------------------------------------
// Conversions. https://webassembly.github.io/spec/core/exec/numerics.html#conversions

namespace detail {
/// 2^e as F: exact for every e used here (<= 64).
template <class F>
constexpr F pow2(int e) noexcept {
    F r = 1;
    for (int i = 0; i < e; ++i) r *= 2;
    return r;
}
/// Exclusive upper and inclusive lower bounds, as F, of the values whose truncation fits I.
/// Both are powers of two (or 0), hence exactly representable in float and double.
template <class I, class F>
constexpr F upper_bound() noexcept {
    return pow2<F>(std::numeric_limits<I>::digits);  // 2^31, 2^32, 2^63, 2^64
}
template <class I, class F>
constexpr F lower_bound() noexcept {
    return std::is_signed_v<I> ? -pow2<F>(std::numeric_limits<I>::digits) : F(0);
}
}  // namespace detail

/// iNN.trunc_fMM_{s,u}: NaN traps "invalid conversion to integer"; a value whose truncation
/// does not fit I traps "integer overflow". I is int32_t, uint32_t, int64_t or uint64_t.
template <class I, class F>
inline Checked<I> trunc_to(F x) noexcept {
    if (std::isnan(x)) return {0, TrapKind::invalid_conversion};
    const F t = std::trunc(x);  // exact; the bounds are compared after truncation
    if (!(t >= detail::lower_bound<I, F>() && t < detail::upper_bound<I, F>()))
        return {0, TrapKind::integer_overflow};
    return {static_cast<I>(t), std::nullopt};
}

/// iNN.trunc_sat_fMM_{s,u}: NaN -> 0, out of range -> the nearest bound.
template <class I, class F>
inline I trunc_sat_to(F x) noexcept {
    if (std::isnan(x)) return 0;
    const F t = std::trunc(x);
    if (t < detail::lower_bound<I, F>()) return std::numeric_limits<I>::min();
    if (t >= detail::upper_bound<I, F>()) return std::numeric_limits<I>::max();
    return static_cast<I>(t);
}

/// fNN.convert_iMM_{s,u}: correctly rounded (ties to even). I gives signedness and width.
/// The compiler's integer->float conversion is a single correctly rounded operation on every
/// supported target (GCC and Clang handle uint64 with a sticky-bit halving, not via double).
template <class F, class I>
inline F convert_to(I x) noexcept {
    static_assert(std::is_integral_v<I> && std::is_floating_point_v<F>);
    return static_cast<F>(x);
}

/// f32.demote_f64: correctly rounded; NaN keeps its sign and the top payload bits, quieted
/// (so a canonical NaN stays canonical).
inline float demote(double x) noexcept {
    if (std::isnan(x)) {
        const uint64_t b = to_bits(x);
        const uint32_t sign = static_cast<uint32_t>(b >> 32) & FloatBits<float>::kSign;
        const uint32_t payload = static_cast<uint32_t>((b & FloatBits<double>::kMantissa) >> 29);
        return from_bits<float>(sign | FloatBits<float>::kCanonicalNan | payload);
    }
    return static_cast<float>(x);
}

/// f64.promote_f32: exact; NaN keeps its sign and payload, quieted.
inline double promote(float x) noexcept {
    if (std::isnan(x)) {
        const uint32_t b = to_bits(x);
        const uint64_t sign = static_cast<uint64_t>(b & FloatBits<float>::kSign) << 32;
        const uint64_t payload = static_cast<uint64_t>(b & FloatBits<float>::kMantissa) << 29;
        return from_bits<double>(sign | FloatBits<double>::kCanonicalNan | payload);
    }
    return static_cast<double>(x);
}

}  // namespace crush::num
