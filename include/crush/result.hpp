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
    ErrorKind kind = ErrorKind::malformed;
    size_t offset = 0;    ///< byte offset in the module binary (0 when not applicable)
    std::string message;  ///< spec test suite wording, e.g. "type mismatch"
};

/// Either a value or an Error. Deliberately tiny: C++20 has no std::expected.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    [[nodiscard]] bool ok() const noexcept { return m_v.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { return std::get<1>(m_v); }
    Error&& error() && { return std::get<1>(std::move(m_v)); }

private:
    std::variant<T, Error> m_v;
};

/// Result for operations with no value.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}
    [[nodiscard]] bool ok() const noexcept { return m_ok; }
    explicit operator bool() const noexcept { return m_ok; }
    const Error& error() const& { return m_error; }
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
