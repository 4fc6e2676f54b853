// Copyright Crush authors.
// wasi_snapshot_preview1: args_get, args_sizes_get, environ_get, environ_sizes_get.
// The environment is the capsule's EnvMap filtered by env.get (ScopedHal::environ); the host
// environment never appears.
#include "wasi/wasi_impl.hpp"

#include <cstring>

namespace crush::wasi::impl {

namespace {

/// Write `list` as WASI wants it: the strings back to back at `buf`, a pointer to each at `ptrs`.
/// Every byte is bounds-checked before anything is written.
Errno write_string_list(Call& c, const WasiStringList& list, GuestPtr ptrs, GuestPtr buf) {
    const uint64_t count = list.offsets.size();
    auto bytes = c.mem.bytes(buf, static_cast<uint32_t>(list.bytes.size()));
    if (list.bytes.size() > UINT32_MAX || !bytes || !c.mem.in_bounds(ptrs, count * 4)) return Errno::fault;
    if (!list.bytes.empty()) std::memcpy(bytes->data(), list.bytes.data(), list.bytes.size());
    for (uint64_t i = 0; i < count; ++i) {
        // buf + offset ≤ buf + size ≤ memory size ≤ 4 GiB: cannot wrap.
        const uint32_t p = static_cast<uint32_t>(buf) + list.offsets[i];
        (void)c.mem.write<uint32_t>(offset(ptrs, static_cast<uint32_t>(i * 4)), p);
    }
    return Errno::success;
}

Errno write_sizes(Call& c, const WasiStringList& list, GuestPtr out_count, GuestPtr out_size) {
    if (list.bytes.size() > UINT32_MAX) return Errno::overflow;
    if (!c.mem.in_bounds(out_count, 4) || !c.mem.in_bounds(out_size, 4)) return Errno::fault;
    (void)c.mem.write<uint32_t>(out_count, static_cast<uint32_t>(list.offsets.size()));
    (void)c.mem.write<uint32_t>(out_size, static_cast<uint32_t>(list.bytes.size()));
    return Errno::success;
}

}  // namespace

Errno args_get(Call& c, GuestPtr argv, GuestPtr argv_buf) {
    return write_string_list(c, c.ctx.args(), argv, argv_buf);
}

Errno args_sizes_get(Call& c, GuestPtr out_argc, GuestPtr out_buf_size) {
    return write_sizes(c, c.ctx.args(), out_argc, out_buf_size);
}

Errno environ_get(Call& c, GuestPtr environ, GuestPtr environ_buf) {
    return write_string_list(c, c.hal().environ(), environ, environ_buf);
}

Errno environ_sizes_get(Call& c, GuestPtr out_count, GuestPtr out_buf_size) {
    return write_sizes(c, c.hal().environ(), out_count, out_buf_size);
}

}  // namespace crush::wasi::impl
