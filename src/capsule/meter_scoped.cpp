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
    // Regular files and directories never wait on readiness: no poll for them.
    if (e.never_blocks || m_meter->deadline_ns() == 0) return {};
    {
        std::lock_guard lock(e.mutex);
        if (e.fd_flags.nonblock) return {};  // it will not block
    }
    // Streams (pipes, terminals, sockets): one poll per transfer, only when a deadline is set.
    PollFd p;
    p.fd = e.host.fd();
    p.read = !write;
    p.write = write;
    std::span<PollFd> one(&p, 1);
    CRUSH_HAL_ASSIGN(size_t n, m_base->poll(one, bound_timeout(std::nullopt)));
    if (n == 0) return Errno::intr;  // the deadline passed first: the watchdog ends the run
    return {};
}

std::shared_ptr<DiskFile> ScopedHal::disk_file(const FileStat& st) noexcept {
    try {
        const std::pair<uint64_t, uint64_t> key{st.dev, st.ino};
        auto it = m_disk_files.find(key);
        if (it != m_disk_files.end()) {
            if (auto live = it->second.lock()) {
                // Another handle has it open: the open just made refreshes the shared size (it
                // sees an O_TRUNC, or the host's changes since).
                std::lock_guard lock(live->mutex);
                live->size = st.size;
                return live;
            }
        }
        // Forget records whose handles are all closed before the table grows (bounded by the
        // handle limit; the sweep is linear only when the table has doubled).
        if (m_disk_files.size() >= m_disk_files_sweep) {
            std::erase_if(m_disk_files, [](const auto& kv) { return kv.second.expired(); });
            m_disk_files_sweep = std::max<size_t>(64, 2 * m_disk_files.size());
        }
        auto made = std::make_shared<DiskFile>();
        made->size = st.size;
        m_disk_files[key] = made;
        return made;
    } catch (...) {
        return nullptr;
    }
}

HalResult<size_t> ScopedHal::write_metered(HandleEntry& e, std::span<const ConstIoSlice> slices,
                                           std::optional<uint64_t> at) noexcept {
    // Quota check, transfer and accounting under the file's lock, so handles sharing the file
    // see each other's growth; the check happens before writing, so a refused write leaves
    // nothing partial. No syscall besides the write: the size is the shared record's and the
    // position the entry's.
    DiskFile& f = *e.disk;
    std::lock_guard file_lock(f.mutex);
    std::lock_guard entry_lock(e.mutex);
    uint64_t n = 0;
    for (const ConstIoSlice& s : slices) n += s.size;
    // Linux appends even for pwrite on an O_APPEND descriptor.
    const uint64_t pos = e.fd_flags.append ? f.size : at ? *at : e.position;
    if (pos > UINT64_MAX - n) return Errno::fbig;
    const uint64_t growth = pos + n > f.size ? pos + n - f.size : 0;
    if (!m_meter->admit_disk(growth)) return Errno::nospc;
    auto r = at ? m_base->pwritev(e.host.fd(), slices, *at) : m_base->writev(e.host.fd(), slices);
    if (!r) return r;
    m_meter->account_io(IoDirection::write, *r);
    const uint64_t end = pos + *r;
    if (!at) e.position = end;  // pwrite never moves the position
    if (end > f.size) {
        m_meter->account_disk(static_cast<int64_t>(end - f.size));
        f.size = end;
    }
    return r;
}

HalResult<uint64_t> ScopedHal::seek_metered(HandleEntry& e, int64_t offset, Whence whence) noexcept {
    std::lock_guard file_lock(e.disk->mutex);
    std::lock_guard entry_lock(e.mutex);
    CRUSH_HAL_ASSIGN(uint64_t pos, m_base->seek(e.host.fd(), offset, whence));
    e.position = pos;
    // A seek is where a program looks at the file again (often SEEK_END): refresh the size.
    if (auto st = m_base->fstat(e.host.fd())) e.disk->size = st->size;
    return pos;
}

uint64_t ScopedHal::stored_size(const VfsResolved& r) noexcept {
    if (!m_meter->meters_disk() || r.domain != 0) return 0;
    auto st = m_base->stat_at(r.parent.fd(), r.name, false);
    return st && st->type == FileType::regular_file ? st->size : 0;
}

}  // namespace crush
