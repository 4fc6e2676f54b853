// Copyright Crush authors.
// wasi_snapshot_preview1: clock_res_get, clock_time_get. Both need the `clock` permission.
#include "wasi/wasi_impl.hpp"

namespace crush::wasi::impl {

namespace {
std::optional<ClockId> clock_id(uint32_t id) noexcept {
    if (id > static_cast<uint32_t>(ClockId::thread_cputime)) return std::nullopt;
    return static_cast<ClockId>(id);
}
}  // namespace

Errno clock_res_get(Call& c, uint32_t id, GuestPtr out_resolution) {
    auto clock = clock_id(id);
    if (!clock) return Errno::inval;
    if (!c.mem.in_bounds(out_resolution, 8)) return Errno::fault;
    auto r = c.hal().clock_resolution(*clock);
    if (!r) return r.error();
    return c.mem.write<uint64_t>(out_resolution, *r);
}

Errno clock_time_get(Call& c, uint32_t id, uint64_t /*precision: a hint*/, GuestPtr out_time) {
    auto clock = clock_id(id);
    if (!clock) return Errno::inval;
    if (!c.mem.in_bounds(out_time, 8)) return Errno::fault;
    auto t = c.hal().clock_time(*clock);
    if (!t) return t.error();
    return c.mem.write<uint64_t>(out_time, *t);
}

}  // namespace crush::wasi::impl
