// Copyright Crush authors.
// HalResult<T>: a value or a WASI Errno. The Hal and everything built on it (Vfs,
// HandleRegistry, ScopedHal) return these; nothing above the Hal sees a host errno.
#pragma once

#include "hal/errno.hpp"

#include <cassert>
#include <utility>
#include <variant>

namespace crush {

/// Either a T or an Errno other than Errno::success. Same shape as Result<T> (result.hpp),
/// but the error is the guest-visible errno, so it is two bytes instead of a message.
template <typename T>
class [[nodiscard]] HalResult {
public:
    HalResult(T value) noexcept(std::is_nothrow_move_constructible_v<T>)
        : m_v(std::in_place_index<0>, std::move(value)) {}
    /// Needs e != Errno::success (a success without a value is a bug in the callee).
    HalResult(Errno e) noexcept : m_v(std::in_place_index<1>, e) { assert(e != Errno::success); }

    [[nodiscard]] bool ok() const noexcept { return m_v.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    /// Needs ok().
    T& value() & noexcept { assert(ok()); return *std::get_if<0>(&m_v); }
    const T& value() const& noexcept { assert(ok()); return *std::get_if<0>(&m_v); }
    T&& value() && noexcept { assert(ok()); return std::move(*std::get_if<0>(&m_v)); }
    T& operator*() & noexcept { return value(); }
    const T& operator*() const& noexcept { return value(); }
    T&& operator*() && noexcept { return std::move(*this).value(); }
    T* operator->() noexcept { return &value(); }
    const T* operator->() const noexcept { return &value(); }

    /// Errno::success when ok(), else the error.
    [[nodiscard]] Errno error() const noexcept { return ok() ? Errno::success : *std::get_if<1>(&m_v); }

private:
    std::variant<T, Errno> m_v;
};

/// Result of an operation with no value: Errno::success or an error.
template <>
class [[nodiscard]] HalResult<void> {
public:
    HalResult() noexcept = default;
    HalResult(Errno e) noexcept : m_error(e) {}
    [[nodiscard]] bool ok() const noexcept { return m_error == Errno::success; }
    explicit operator bool() const noexcept { return ok(); }
    [[nodiscard]] Errno error() const noexcept { return m_error; }

private:
    Errno m_error = Errno::success;
};

}  // namespace crush

/// Return the Errno of a failed HalResult expression from the enclosing function (whose
/// return type is a HalResult<...> or Errno).
#define CRUSH_HAL_TRY(expr)                                   \
    do {                                                      \
        auto&& crush_hal_try_ = (expr);                       \
        if (!crush_hal_try_.ok())                             \
            return crush_hal_try_.error();                    \
    } while (0)

#define CRUSH_HAL_CONCAT_INNER_(a, b) a##b
#define CRUSH_HAL_CONCAT_(a, b) CRUSH_HAL_CONCAT_INNER_(a, b)
#define CRUSH_HAL_ASSIGN_IMPL_(tmp, lhs, expr) \
    auto tmp = (expr);                         \
    if (!tmp.ok())                             \
        return tmp.error();                    \
    lhs = std::move(tmp).value()

/// `CRUSH_HAL_ASSIGN(auto fd, hal.open_at(...));` declares/assigns lhs from a HalResult's
/// value, or returns its Errno from the enclosing function.
#define CRUSH_HAL_ASSIGN(lhs, expr) CRUSH_HAL_ASSIGN_IMPL_(CRUSH_HAL_CONCAT_(crush_hal_r_, __LINE__), lhs, expr)
