// Copyright Crush authors.
// Values as spec scripts write them (wabt's wast2json JSON): arguments become crush::Value,
// expected results become Expectations that know the spec's matching rules (exact bits,
// nan:canonical, nan:arithmetic, ref.null, ref.extern N, ref.func, either).
#pragma once

#include <crush/wasm.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crush::cli::wast {

/// Externref values in scripts are small integers (`ref.extern N`); the VM needs a non-null
/// opaque token, so N maps to the pointer value N + 1 and back.
Ref extern_token(uint64_t n) noexcept;
/// The N of a non-null externref token made by extern_token.
uint64_t extern_number(Ref token) noexcept;

/// The parsed type of a script value, or nullopt for a type name we do not know.
std::optional<ValType> parse_value_type(const std::string& name);

/// One expected result of assert_return.
/// https://github.com/WebAssembly/spec/tree/main/interpreter#scripts (result patterns)
struct Expectation {
    enum class Kind : uint8_t {
        exact,           ///< bits must be equal (floats compared bit for bit)
        nan_canonical,   ///< f32/f64 canonical NaN of either sign
        nan_arithmetic,  ///< f32/f64 NaN with the quiet bit set, any payload
        null_ref,        ///< ref.null of `type`
        extern_ref,      ///< ref.extern N: the externref token of `bits`
        any_ref,         ///< a non-null reference of `type` (ref.func, ref.extern without N)
        either,          ///< any of `alternatives`
        unsupported,     ///< a v128 or unknown value: the assertion cannot pass
    };
    Kind kind = Kind::exact;
    ValType type = ValType::i32;
    uint64_t bits = 0;
    std::vector<Expectation> alternatives;
    std::string unsupported_reason;
};

/// An argument of an action. `unsupported_reason` is non-empty when the value cannot be built
/// (v128, a non-null funcref constant): the action then fails at run time, not at parse time.
struct Argument {
    Value value;
    std::string unsupported_reason;
};

/// Parse a {"type": ..., "value": ...} argument. An Error (kind malformed) names what is wrong
/// with the JSON: wrong field types, numbers that are not decimal or out of range.
Result<Argument> parse_argument(const nlohmann::json& j);

/// Parse one expected result. Same error convention as parse_argument.
Result<Expectation> parse_expectation(const nlohmann::json& j);

/// Whether `actual` satisfies `expected` (type and value).
bool matches(const Expectation& expected, const Value& actual) noexcept;

/// Human-readable forms for failure reports, e.g. "i32:42", "f32:nan:canonical",
/// "f64:0x3ff0000000000000 (1)", "externref:7", "funcref:null".
std::string describe(const Expectation& e);
std::string describe(const Value& v);
std::string describe(const std::vector<Value>& vs);
std::string describe(const std::vector<Expectation>& es);

}  // namespace crush::cli::wast
