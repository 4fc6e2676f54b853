// Copyright Crush authors.
// wast2json writes every number as the decimal string of its bit pattern, unsigned ("value":
// "4294967295" is i32 -1, f32 values are their IEEE bits). We keep bits end to end so NaN
// payloads and signed zeros are compared exactly.
#include "wast/values.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

namespace crush::cli::wast {

namespace {

constexpr uint32_t kF32Exponent = 0x7f800000u;
constexpr uint32_t kF32Quiet = 0x00400000u;
constexpr uint64_t kF64Exponent = 0x7ff0000000000000ull;
constexpr uint64_t kF64Quiet = 0x0008000000000000ull;

Error malformed(std::string message) { return Error{ErrorKind::malformed, 0, std::move(message)}; }

/// The bit width a numeric script value must fit in.
unsigned width_of(ValType t) {
    return (t == ValType::i32 || t == ValType::f32) ? 32 : 64;
}

bool is_numeric(ValType t) {
    return t == ValType::i32 || t == ValType::i64 || t == ValType::f32 || t == ValType::f64;
}

/// Decimal string -> bits of a `width`-bit value. A leading '-' is accepted (two's complement)
/// because hand-written JSON sometimes uses it; wast2json itself never does.
Result<uint64_t> parse_bits(const std::string& text, unsigned width) {
    std::string_view s = text;
    bool negative = !s.empty() && s.front() == '-';
    if (negative)
        s.remove_prefix(1);
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 10);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size())
        return malformed(fmt::format("\"{}\" is not a decimal number", text));
    uint64_t mask = width == 32 ? 0xffffffffull : ~0ull;
    if (!negative && v > mask)
        return malformed(fmt::format("\"{}\" does not fit in {} bits", text, width));
    if (negative) {
        uint64_t limit = width == 32 ? 0x80000000ull : 0x8000000000000000ull;
        if (v > limit)
            return malformed(fmt::format("\"{}\" does not fit in {} bits", text, width));
        v = (0 - v) & mask;
    }
    return v;
}

/// The "type" of a JSON value, or an Error when absent / not a string.
Result<std::string> type_name(const nlohmann::json& j) {
    if (!j.is_object())
        return malformed("a value must be a JSON object");
    auto it = j.find("type");
    if (it == j.end() || !it->is_string())
        return malformed("a value has no \"type\" string");
    return it->get<std::string>();
}

/// The "value" string, nullopt when absent. Errors when present but not a string.
Result<std::optional<std::string>> value_text(const nlohmann::json& j) {
    auto it = j.find("value");
    if (it == j.end())
        return std::optional<std::string>{};
    if (!it->is_string())
        return malformed("a \"value\" must be a string (v128 lanes are not supported)");
    return std::optional<std::string>{it->get<std::string>()};
}

bool is_canonical_nan(ValType t, uint64_t bits) {
    if (t == ValType::f32)
        return (static_cast<uint32_t>(bits) & 0x7fffffffu) == (kF32Exponent | kF32Quiet);
    return (bits & 0x7fffffffffffffffull) == (kF64Exponent | kF64Quiet);
}

bool is_arithmetic_nan(ValType t, uint64_t bits) {
    if (t == ValType::f32)
        return (static_cast<uint32_t>(bits) & (kF32Exponent | kF32Quiet)) == (kF32Exponent | kF32Quiet);
    return (bits & (kF64Exponent | kF64Quiet)) == (kF64Exponent | kF64Quiet);
}

std::string describe_bits(ValType t, uint64_t bits) {
    switch (t) {
    case ValType::i32:
        return fmt::format("i32:{}", static_cast<int32_t>(static_cast<uint32_t>(bits)));
    case ValType::i64:
        return fmt::format("i64:{}", static_cast<int64_t>(bits));
    case ValType::f32:
        return fmt::format("f32:0x{:08x} ({})", static_cast<uint32_t>(bits),
                           Value::f32_bits(static_cast<uint32_t>(bits)).as_f32());
    case ValType::f64:
        return fmt::format("f64:0x{:016x} ({})", bits, Value::f64_bits(bits).as_f64());
    default:
        return fmt::format("{}:0x{:x}", to_string(t), bits);
    }
}

}  // namespace

Ref extern_token(uint64_t n) noexcept {
    return Ref{reinterpret_cast<void*>(static_cast<uintptr_t>(n + 1))};
}

uint64_t extern_number(Ref token) noexcept {
    return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(token.ptr)) - 1;
}

std::optional<ValType> parse_value_type(const std::string& name) {
    if (name == "i32") return ValType::i32;
    if (name == "i64") return ValType::i64;
    if (name == "f32") return ValType::f32;
    if (name == "f64") return ValType::f64;
    if (name == "v128") return ValType::v128;
    if (name == "funcref") return ValType::funcref;
    if (name == "externref") return ValType::externref;
    return std::nullopt;
}

Result<Argument> parse_argument(const nlohmann::json& j) {
    auto name = type_name(j);
    CRUSH_TRY(name);
    auto type = parse_value_type(*name);
    if (!type)
        return malformed(fmt::format("unknown value type \"{}\"", *name));
    if (*type == ValType::v128)
        return Argument{Value{ValType::v128, 0}, "v128 values are not supported (no SIMD)"};
    auto text = value_text(j);
    CRUSH_TRY(text);
    if (!*text)
        return malformed(fmt::format("a {} argument has no \"value\"", *name));
    const std::string& s = **text;
    if (is_numeric(*type)) {
        auto bits = parse_bits(s, width_of(*type));
        CRUSH_TRY(bits);
        return Argument{Value{*type, *bits}, {}};
    }
    if (s == "null")
        return Argument{Value::ref(*type, Ref{}), {}};
    if (*type == ValType::funcref)
        return Argument{Value::ref(*type, Ref{}), "a non-null funcref argument cannot be written in a script"};
    auto n = parse_bits(s, 64);
    CRUSH_TRY(n);
    if (*n == ~0ull)
        return malformed(fmt::format("externref {} is too large", s));
    return Argument{Value::ref(ValType::externref, extern_token(*n)), {}};
}

Result<Expectation> parse_expectation(const nlohmann::json& j) {
    auto name = type_name(j);
    CRUSH_TRY(name);
    Expectation e;
    if (*name == "either") {
        // Newer wabt: {"type": "either", "values": [ ... ]}.
        auto it = j.find("values");
        if (it == j.end() || !it->is_array() || it->empty())
            return malformed("an \"either\" result needs a non-empty \"values\" array");
        e.kind = Expectation::Kind::either;
        for (const auto& alt : *it) {
            auto a = parse_expectation(alt);
            CRUSH_TRY(a);
            e.alternatives.push_back(std::move(*a));
        }
        return e;
    }
    auto type = parse_value_type(*name);
    if (!type)
        return malformed(fmt::format("unknown value type \"{}\"", *name));
    e.type = *type;
    if (*type == ValType::v128) {
        e.kind = Expectation::Kind::unsupported;
        e.unsupported_reason = "v128 results are not supported (no SIMD)";
        return e;
    }
    auto text = value_text(j);
    CRUSH_TRY(text);
    if (is_numeric(*type)) {
        if (!*text)
            return malformed(fmt::format("an expected {} has no \"value\"", *name));
        const std::string& s = **text;
        if (s == "nan:canonical" || s == "nan:arithmetic") {
            if (*type != ValType::f32 && *type != ValType::f64)
                return malformed(fmt::format("{} is not a float type, cannot be {}", *name, s));
            e.kind = s == "nan:canonical" ? Expectation::Kind::nan_canonical : Expectation::Kind::nan_arithmetic;
            return e;
        }
        auto bits = parse_bits(s, width_of(*type));
        CRUSH_TRY(bits);
        e.bits = *bits;
        return e;
    }
    // References: "null", a number (ref.extern N), or no value at all (ref.func / ref.extern
    // without an index: any non-null reference of that type).
    if (!*text) {
        e.kind = Expectation::Kind::any_ref;
        return e;
    }
    const std::string& s = **text;
    if (s == "null") {
        e.kind = Expectation::Kind::null_ref;
        return e;
    }
    if (*type == ValType::funcref) {
        // A function index cannot be checked from outside the module; any function will do.
        e.kind = Expectation::Kind::any_ref;
        return e;
    }
    auto n = parse_bits(s, 64);
    CRUSH_TRY(n);
    e.kind = Expectation::Kind::extern_ref;
    e.bits = *n;
    return e;
}

bool matches(const Expectation& expected, const Value& actual) noexcept {
    using K = Expectation::Kind;
    if (expected.kind == K::either) {
        for (const auto& alt : expected.alternatives)
            if (matches(alt, actual))
                return true;
        return false;
    }
    if (expected.kind == K::unsupported || actual.type != expected.type)
        return false;
    uint64_t bits = width_of(actual.type) == 32 && !is_ref(actual.type) ? (actual.bits & 0xffffffffull) : actual.bits;
    switch (expected.kind) {
    case K::exact:
        return bits == expected.bits;
    case K::nan_canonical:
        return is_canonical_nan(actual.type, bits);
    case K::nan_arithmetic:
        return is_arithmetic_nan(actual.type, bits);
    case K::null_ref:
        return actual.as_ref().is_null();
    case K::extern_ref:
        return !actual.as_ref().is_null() && extern_number(actual.as_ref()) == expected.bits;
    case K::any_ref:
        return !actual.as_ref().is_null();
    case K::either:
    case K::unsupported:
        break;
    }
    return false;
}

std::string describe(const Expectation& e) {
    using K = Expectation::Kind;
    switch (e.kind) {
    case K::exact:
        return describe_bits(e.type, e.bits);
    case K::nan_canonical:
        return fmt::format("{}:nan:canonical", to_string(e.type));
    case K::nan_arithmetic:
        return fmt::format("{}:nan:arithmetic", to_string(e.type));
    case K::null_ref:
        return fmt::format("{}:null", to_string(e.type));
    case K::extern_ref:
        return fmt::format("externref:{}", e.bits);
    case K::any_ref:
        return fmt::format("{}:non-null", to_string(e.type));
    case K::either: {
        std::string s = "either(";
        for (size_t i = 0; i < e.alternatives.size(); ++i)
            s += (i ? " | " : "") + describe(e.alternatives[i]);
        return s + ")";
    }
    case K::unsupported:
        return fmt::format("unsupported ({})", e.unsupported_reason);
    }
    return "?";
}

std::string describe(const Value& v) {
    if (is_ref(v.type)) {
        if (v.as_ref().is_null())
            return fmt::format("{}:null", to_string(v.type));
        if (v.type == ValType::externref)
            return fmt::format("externref:{}", extern_number(v.as_ref()));
        return fmt::format("funcref:{}", v.as_ref().ptr);
    }
    return describe_bits(v.type, v.bits);
}

std::string describe(const std::vector<Value>& vs) {
    std::string s = "[";
    for (size_t i = 0; i < vs.size(); ++i)
        s += (i ? ", " : "") + describe(vs[i]);
    return s + "]";
}

std::string describe(const std::vector<Expectation>& es) {
    std::string s = "[";
    for (size_t i = 0; i < es.size(); ++i)
        s += (i ? ", " : "") + describe(es[i]);
    return s + "]";
}

}  // namespace crush::cli::wast
