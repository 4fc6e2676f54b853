// Copyright Crush authors.
// The ScopedHal's limit helpers (issue 4): deadline-bounded blocking and disk-quota arithmetic.
// Kept apart from scoped_hal.cpp so the gate's file stays about the gate; the call sites there
// are one line each.
#include "capsule/scoped_hal.hpp"

#include <algorithm>

namespace crush {

std::optional<uint64_t> ScopedHal::bound_timeout(std::optional<uint64_t> timeout_ns) noexcept {
    const uint64_t deadline = m_meter->deadline_ns();
    if (deadline == 0) return timeout_ns;
    auto now = m_base->clock_time(ClockId::monotonic);
    if (!now) return timeout_ns;
    const uint64_t remaining = *now >= deadline ? 0 : deadline - *now;
    return timeout_ns ? std::min(*timeout_ns, remaining) : remaining;
}

HalResult<void> ScopedHal::await_deadline(HandleEntry& e, bool write) noexcept {
    if (m_meter->deadline_ns() == 0) return {};
    {
        std::lock_guard lock(e.mutex);
        if (e.fd_flags.nonblock) return {};  // it will not block
    }
    // Regular files are always "ready"; this costs one poll per transfer only when a deadline
    // is set.
    PollFd p;
    p.fd = e.host.fd();
    p.read = !write;
    p.write = write;
    std::span<PollFd> one(&p, 1);
    CRUSH_HAL_ASSIGN(size_t n, m_base->poll(one, bound_timeout(std::nullopt)));
    if (n == 0) return Errno::intr;  // the deadline passed first: the watchdog ends the run
    return {};
}

bool ScopedHal::disk_metered(const HandleEntry& e) noexcept {
    if (!m_meter->meters_disk() || e.kind != HandleKind::file) return false;
    if (e.virtual_path.empty() || e.virtual_path.front() != '/') return false;  // stdio, sockets
    return m_vfs->domain_of(e.virtual_path) == 0;
}

HalResult<uint64_t> ScopedHal::write_growth(HandleEntry& e, std::optional<uint64_t> at, uint64_t n,
                                            uint64_t& size) noexcept {
    CRUSH_HAL_ASSIGN(FileStat st, m_base->fstat(e.host.fd()));
    size = st.size;
    if (st.type != FileType::regular_file) return uint64_t{0};
    uint64_t pos = 0;
    bool append = false;
    {
        std::lock_guard lock(e.mutex);
        append = e.fd_flags.append;
    }
    if (append) {
        pos = st.size;  // Linux appends even for pwrite on an O_APPEND descriptor
    } else if (at) {
        pos = *at;
    } else {
        CRUSH_HAL_ASSIGN(pos, m_base->seek(e.host.fd(), 0, Whence::cur));
    }
    if (pos > UINT64_MAX - n) return Errno::fbig;
    const uint64_t end = pos + n;
    return end > st.size ? end - st.size : 0;
}

uint64_t ScopedHal::stored_size(const VfsResolved& r) noexcept {
    if (!m_meter->meters_disk() || r.domain != 0) return 0;
    auto st = m_base->stat_at(r.parent.fd(), r.name, false);
    return st && st->type == FileType::regular_file ? st->size : 0;
}

}  // namespace crush
