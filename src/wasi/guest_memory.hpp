// Copyright Crush authors.
// Bounds-checked access to a guest's linear memory for the WASI host functions.
//
// Every guest pointer is a GuestPtr (a strong type: it can never be confused with a host pointer,
// a host fd or a length), and every pointer + length is checked against the memory's current
// size before a byte is touched; a bad one is Errno::fault for the guest, never a host crash.
// Nothing here allocates on the host sized by a guest value: views point into guest memory,
// and iovec lists are capped at kMaxIovecs (the POSIX IOV_MAX).
//
// A GuestMemory is a view taken at the start of a host call; it is invalidated by memory.grow,
// which cannot happen while a host function runs (host functions never call back into the guest).
#pragma once

#include "hal/errno.hpp"
#include "wasi/wasi_types.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace crush::wasi {

/// An address in the guest's linear memory (wasm32: 32 bits). Never dereferenced directly.
enum class GuestPtr : uint32_t {};

/// The largest iovec count accepted by fd_read/fd_write/… (POSIX IOV_MAX); more is EINVAL.
inline constexpr uint32_t kMaxIovecs = 1024;

/// A checked view of one guest memory.
class GuestMemory {
public:
    /// An empty memory: every access faults (a module without an exported "memory").
    GuestMemory() = default;
    /// View `bytes` (the guest memory's current contents, from Store::memory_data).
    explicit GuestMemory(std::span<uint8_t> bytes) noexcept : m_bytes(bytes) {}

    /// Current size in bytes.
    uint64_t size() const noexcept { return m_bytes.size(); }

    /// True when [ptr, ptr+len) lies inside memory. Computed in 64 bits: no wrap-around.
    bool in_bounds(GuestPtr ptr, uint64_t len) const noexcept {
        return static_cast<uint64_t>(ptr) + len <= m_bytes.size();
    }

    /// The `len` bytes at `ptr`, or nullopt when any of them is outside memory.
    std::optional<std::span<uint8_t>> bytes(GuestPtr ptr, uint32_t len) const noexcept {
        if (!in_bounds(ptr, len)) return std::nullopt;
        return m_bytes.subspan(static_cast<uint32_t>(ptr), len);
    }

    /// The `len` bytes at `ptr` as text (not NUL-terminated; may contain NUL), or nullopt.
    std::optional<std::string_view> string(GuestPtr ptr, uint32_t len) const noexcept {
        auto b = bytes(ptr, len);
        if (!b) return std::nullopt;
        return std::string_view(reinterpret_cast<const char*>(b->data()), b->size());
    }

    /// Load a trivially copyable T (a WASI struct or integer) from `ptr`, or nullopt.
    template <typename T>
    std::optional<T> read(GuestPtr ptr) const noexcept {
        static_assert(std::is_trivially_copyable_v<T>);
        auto b = bytes(ptr, sizeof(T));
        if (!b) return std::nullopt;
        T value;
        std::memcpy(&value, b->data(), sizeof(T));
        return value;
    }

    /// Store `value` at `ptr`. Errno::fault (and nothing written) when out of bounds.
    template <typename T>
    Errno write(GuestPtr ptr, const T& value) const noexcept {
        static_assert(std::is_trivially_copyable_v<T>);
        auto b = bytes(ptr, sizeof(T));
        if (!b) return Errno::fault;
        std::memcpy(b->data(), &value, sizeof(T));
        return Errno::success;
    }

    /// Resolve an iovec (or ciovec) array of `count` entries at `iovs`, calling
    /// `each(std::span<uint8_t>)` for every buffer in order. EINVAL when count > kMaxIovecs;
    /// EFAULT when the array or any buffer is out of bounds (checked before `each` sees any).
    /// No allocation.
    template <typename Each>
    Errno iovecs(GuestPtr iovs, uint32_t count, Each&& each) const noexcept {
        if (count > kMaxIovecs) return Errno::inval;
        if (!in_bounds(iovs, uint64_t{count} * sizeof(Iovec))) return Errno::fault;
        for (uint32_t i = 0; i < count; ++i) {
            // in_bounds above covers every element, so this read cannot fail.
            Iovec v = *read<Iovec>(GuestPtr{static_cast<uint32_t>(iovs) + i * uint32_t{sizeof(Iovec)}});
            if (!in_bounds(GuestPtr{v.buf}, v.buf_len)) return Errno::fault;
        }
        for (uint32_t i = 0; i < count; ++i) {
            Iovec v = *read<Iovec>(GuestPtr{static_cast<uint32_t>(iovs) + i * uint32_t{sizeof(Iovec)}});
            each(*bytes(GuestPtr{v.buf}, v.buf_len));
        }
        return Errno::success;
    }

private:
    std::span<uint8_t> m_bytes;
};

/// `ptr` advanced by `delta` bytes (wrapping like guest arithmetic; bounds are checked on use).
inline GuestPtr offset(GuestPtr ptr, uint32_t delta) noexcept {
    return GuestPtr{static_cast<uint32_t>(ptr) + delta};
}

}  // namespace crush::wasi
