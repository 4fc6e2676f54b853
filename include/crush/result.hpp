// Copyright Crush authors. Errors as values (STYLE.md "Errors, traps and outcomes").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace crush {

/// The spec's own categories of load/link failure, so `exo wast` can check them.
/// https://webassembly.github.io/spec/core/appendix/implementation.html
enum class ErrorKind : uint8_t {
    malformed,       ///< binary does not follow the binary format (decoder)
    invalid,         ///< decodes, but fails validation
    unlinkable,      ///< imports do not match what is provided
    uninstantiable,  ///< a trap during instantiation (segment out of bounds, start traps)
    io,              ///< the host could not read the file
};

const char* to_string(ErrorKind kind) noexcept;

/// A load, link or instantiation error: what rule was broken and where.
struct Error {
    ErrorKind kind = ErrorKind::malformed;  ///< which category of failure
    size_t offset = 0;    ///< byte offset in the module binary (0 when not applicable)
    std::string message;  ///< spec test suite wording, e.g. "type mismatch"
};

/// Either a value or an Error. Deliberately tiny: C++20 has no std::expected.
template <typename T>
class [[nodiscard]] Result {
public:
    /// A success holding `value`.
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    /// A failure holding `error`.
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    /// True when a value is held.
    [[nodiscard]] bool ok() const noexcept { return m_v.index() == 0; }
    /// Same as ok().
    explicit operator bool() const noexcept { return ok(); }

    /// The value. Requires ok() (otherwise std::bad_variant_access is thrown).
    T& value() & { return std::get<0>(m_v); }
    /// The value. Requires ok().
    const T& value() const& { return std::get<0>(m_v); }
    /// The value, moved out. Requires ok().
    T&& value() && { return std::get<0>(std::move(m_v)); }
    /// The value. Requires ok().
    T& operator*() & { return value(); }
    /// The value. Requires ok().
    const T& operator*() const& { return value(); }
    /// Member access to the value. Requires ok().
    T* operator->() { return &value(); }
    /// Member access to the value. Requires ok().
    const T* operator->() const { return &value(); }

    /// The error. Requires !ok().
    const Error& error() const& { return std::get<1>(m_v); }
    /// The error, moved out (to propagate it). Requires !ok().
    Error&& error() && { return std::get<1>(std::move(m_v)); }

private:
    std::variant<T, Error> m_v;
};

/// Result for operations with no value.
template <>
class [[nodiscard]] Result<void> {
public:
    /// Success.
    Result() = default;
    /// A failure holding `error`.
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}
    /// True on success.
    [[nodiscard]] bool ok() const noexcept { return m_ok; }
    /// Same as ok().
    explicit operator bool() const noexcept { return m_ok; }
    /// The error. Meaningful only when !ok().
    const Error& error() const& { return m_error; }
    /// The error, moved out (to propagate it). Meaningful only when !ok().
    Error&& error() && { return std::move(m_error); }

private:
    Error m_error;
    bool m_ok = true;
};

}  // namespace crush

/// Propagate an error from an expression returning Result<...>: the one propagation macro.
#define CRUSH_TRY(expr)                                        \
    do {                                                       \
        auto&& crush_try_result_ = (expr);                     \
        if (!crush_try_result_.ok())                           \
            return std::move(crush_try_result_).error();       \
    } while (0)
