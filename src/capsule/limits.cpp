// Copyright Crush authors.
#include "capsule/limits.hpp"

#include <fmt/format.h>

#include <cctype>

namespace crush {
namespace {

Error limit_error(std::string message) {
    return Error{ErrorKind::invalid, 0, std::move(message)};
}

bool is_unlimited_word(std::string_view text) noexcept {
    return text == "unlimited" || text == "none";
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Leading decimal digits of `text` (with '_' between digits when `underscores`); `rest` is
/// what follows. nullopt on no digits or a misplaced '_'; `overflow` when past 2^64-1.
struct Number {
    uint64_t value = 0;
    std::string_view rest;
    bool overflow = false;
};
std::optional<Number> leading_number(std::string_view text, bool underscores) noexcept {
    Number n;
    size_t i = 0;
    size_t digits = 0;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c == '_' && underscores) {
            // '_' only between two digits.
            if (digits == 0 || i + 1 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 1])))
                return std::nullopt;
            continue;
        }
        if (c < '0' || c > '9') break;
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (n.value > (UINT64_MAX - d) / 10) n.overflow = true;
        n.value = n.value * 10 + d;
        ++digits;
    }
    if (digits == 0) return std::nullopt;
    n.rest = text.substr(i);
    return n;
}

}  // namespace

ResolvedLimits resolve_limits(const CapsuleLimits& limits) noexcept {
    ResolvedLimits r;
    r.fuel = limits.fuel.value_or(kDefaultFuel);
    r.time_ms = limits.time_ms.value_or(kDefaultTimeMs);
    r.memory_bytes = limits.memory_bytes.value_or(kDefaultMemoryBytes);
    r.handles = limits.handles.value_or(kDefaultHandles);
    r.disk_bytes = limits.disk_bytes.value_or(kDefaultDiskBytes);
    r.io_bytes = limits.io_bytes.value_or(kDefaultIoBytes);
    return r;
}

CapsuleLimits merge_limits(const CapsuleLimits& base, const CapsuleLimits& overrides) noexcept {
    CapsuleLimits r = base;
    if (overrides.fuel) r.fuel = overrides.fuel;
    if (overrides.time_ms) r.time_ms = overrides.time_ms;
    if (overrides.memory_bytes) r.memory_bytes = overrides.memory_bytes;
    if (overrides.handles) r.handles = overrides.handles;
    if (overrides.disk_bytes) r.disk_bytes = overrides.disk_bytes;
    if (overrides.io_bytes) r.io_bytes = overrides.io_bytes;
    return r;
}

Result<uint64_t> parse_size(std::string_view text) {
    if (is_unlimited_word(text)) return kUnlimited;
    auto bad = [&] {
        return limit_error(fmt::format(
            "bad size '{}': expected bytes or a number with a unit K, M, G, T (or KiB, MiB, GiB, TiB; "
            "powers of 1024), e.g. \"64MiB\", or \"unlimited\"",
            text));
    };
    auto number = leading_number(text, /*underscores=*/false);
    if (!number) return bad();
    std::string_view rest = number->rest;
    if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    std::string unit = lower(rest);
    unsigned shift = 0;
    if (unit.empty() || unit == "b") {
        shift = 0;
    } else {
        switch (unit[0]) {
            case 'k':
                shift = 10;
                break;
            case 'm':
                shift = 20;
                break;
            case 'g':
                shift = 30;
                break;
            case 't':
                shift = 40;
                break;
            default:
                return bad();
        }
        std::string_view tail = std::string_view(unit).substr(1);
        if (tail == "b")
            return limit_error(fmt::format("ambiguous size '{}': write {}{} or {}{}iB (powers of 1024)", text,
                                           number->value, static_cast<char>(std::toupper(unit[0])),
                                           number->value, static_cast<char>(std::toupper(unit[0]))));
        if (!tail.empty() && tail != "ib") return bad();
    }
    if (number->overflow || (shift != 0 && number->value > (UINT64_MAX >> shift)))
        return limit_error(fmt::format("size '{}' is too large (the maximum is 2^64-1 bytes)", text));
    return number->value << shift;
}

Result<uint64_t> parse_count(std::string_view text) {
    if (is_unlimited_word(text)) return kUnlimited;
    auto number = leading_number(text, /*underscores=*/true);
    if (!number || !number->rest.empty())
        return limit_error(fmt::format(
            "bad count '{}': expected a whole number such as 1000000 or 1_000_000, or \"unlimited\"", text));
    if (number->overflow)
        return limit_error(fmt::format("count '{}' is too large (the maximum is 2^64-1)", text));
    return number->value;
}

Result<uint64_t> parse_duration_ms(std::string_view text) {
    if (is_unlimited_word(text)) return kUnlimited;
    auto bad = [&] {
        return limit_error(fmt::format(
            "bad duration '{}': expected a whole number with a unit ms, s, m or h, e.g. \"500ms\", \"2s\", "
            "\"1m\", or \"unlimited\"",
            text));
    };
    auto number = leading_number(text, /*underscores=*/false);
    if (!number) return bad();
    std::string_view unit = number->rest;
    if (!unit.empty() && unit[0] == ' ') unit.remove_prefix(1);
    uint64_t factor = 0;
    if (unit == "ms")
        factor = 1;
    else if (unit == "s")
        factor = 1000;
    else if (unit == "m" || unit == "min")
        factor = 60 * 1000;
    else if (unit == "h")
        factor = 60 * 60 * 1000;
    else if (unit.empty())
        return limit_error(
            fmt::format("duration '{}' needs a unit: ms, s, m or h (e.g. \"{}s\")", text, number->value));
    else
        return bad();
    if (number->overflow || number->value > (UINT64_MAX - 1) / factor)
        return limit_error(fmt::format("duration '{}' is too large", text));
    return number->value * factor;
}

std::string format_size(uint64_t bytes) {
    if (bytes == kUnlimited) return "unlimited";
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return fmt::format("{} B", bytes);
    int unit = -1;
    double value = static_cast<double>(bytes);
    while (value >= 1024.0 && unit < 5) {
        value /= 1024.0;
        ++unit;
    }
    uint64_t whole = static_cast<uint64_t>(value);
    if (static_cast<double>(whole) == value) return fmt::format("{} {}", whole, kUnits[unit]);
    return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string format_duration_ms(uint64_t ms) {
    if (ms == kUnlimited) return "unlimited";
    if (ms != 0 && ms % (60 * 60 * 1000) == 0) return fmt::format("{}h", ms / (60 * 60 * 1000));
    if (ms != 0 && ms % (60 * 1000) == 0) return fmt::format("{}m", ms / (60 * 1000));
    if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
    return fmt::format("{}ms", ms);
}

}  // namespace crush
