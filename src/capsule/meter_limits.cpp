// Copyright Crush authors.
#include "capsule/meter_limits.hpp"

#include <algorithm>

namespace crush {

namespace {

void raise(std::atomic<uint64_t>& peak, uint64_t now) noexcept {
    uint64_t p = peak.load(std::memory_order_relaxed);
    while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {
    }
}

}  // namespace

void LimitMeter::hit(const char* limit) {
    std::lock_guard lock(m_mutex);
    if (std::find(m_hits.begin(), m_hits.end(), limit) == m_hits.end()) m_hits.emplace_back(limit);
}

void LimitMeter::end_run(const char* limit) noexcept {
    try {
        {
            std::lock_guard lock(m_mutex);
            if (m_ended_by.empty()) m_ended_by = limit;
        }
        hit(limit);
    } catch (...) {
        // Out of memory while recording a name: still stop the run below.
    }
    if (std::atomic<bool>* flag = m_interrupt.load()) flag->store(true);
}

std::string LimitMeter::ended_by() const {
    std::lock_guard lock(m_mutex);
    return m_ended_by;
}

std::vector<std::string> LimitMeter::hits() const {
    std::lock_guard lock(m_mutex);
    return m_hits;
}

Errno LimitMeter::admit_io(IoDirection dir, uint64_t requested, uint64_t& out_allowed) {
    out_allowed = requested;
    if (m_limits.io_bytes == kUnlimited) return Errno::success;
    // A zero-byte call moves nothing and is always admitted (a probe, an EOF check…).
    if (requested == 0) return Errno::success;
    const MeterUsage u = usage();
    const uint64_t used = u.bytes_read + u.bytes_written;
    const uint64_t left = used >= m_limits.io_bytes ? 0 : m_limits.io_bytes - used;
    // A read may come back short (the guest asked for a buffer, not for that many bytes): clamp
    // it to what is left. A write is all-or-nothing, so output is never cut mid-record.
    if (dir == IoDirection::read && left > 0) {
        out_allowed = std::min(requested, left);
        return Errno::success;
    }
    if (requested > left) {
        end_run(kLimitIo);  // the call fails and the run ends (see the header)
        return Errno::io;
    }
    return Errno::success;
}

Errno LimitMeter::admit_handle() {
    if (m_limits.handles == kUnlimited) return Errno::success;
    if (usage().handles_open >= m_limits.handles) {
        hit(kLimitHandles);
        return Errno::mfile;
    }
    return Errno::success;
}

bool LimitMeter::admit_memory_delta(int64_t delta) noexcept {
    if (delta <= 0) {
        const uint64_t down = static_cast<uint64_t>(-delta);
        uint64_t cur = m_memory_total.load();
        while (!m_memory_total.compare_exchange_weak(cur, cur > down ? cur - down : 0)) {
        }
        return true;
    }
    const uint64_t up = static_cast<uint64_t>(delta);
    uint64_t cur = m_memory_total.load();
    for (;;) {
        if (m_limits.memory_bytes != kUnlimited && (cur > m_limits.memory_bytes || up > m_limits.memory_bytes - cur)) {
            try {
                hit(kLimitMemory);
            } catch (...) {
            }
            return false;
        }
        if (m_memory_total.compare_exchange_weak(cur, cur + up)) break;
    }
    raise(m_memory_peak_total, cur + up);
    return true;
}

bool LimitMeter::admit_memory(uint64_t current, uint64_t desired) {
    return admit_memory_delta(static_cast<int64_t>(desired) - static_cast<int64_t>(current));
}

bool LimitMeter::admit_table(uint64_t current_elems, uint64_t desired_elems) noexcept {
    // Tables are capped at 2^32 elements by the spec: the products cannot overflow.
    return admit_memory_delta(static_cast<int64_t>(desired_elems * kTableElementBytes) -
                              static_cast<int64_t>(current_elems * kTableElementBytes));
}

bool LimitMeter::admit_host_bytes(uint64_t bytes) {
    return admit_memory_delta(static_cast<int64_t>(std::min<uint64_t>(bytes, INT64_MAX)));
}

void LimitMeter::release_host_bytes(uint64_t bytes) {
    admit_memory_delta(-static_cast<int64_t>(std::min<uint64_t>(bytes, INT64_MAX)));
}

bool LimitMeter::admit_disk(uint64_t growth) {
    if (growth == 0 || m_limits.disk_bytes == kUnlimited) return true;
    const uint64_t cur = m_disk.load();
    if (cur > m_limits.disk_bytes || growth > m_limits.disk_bytes - cur) {
        try {
            hit(kLimitDisk);
        } catch (...) {
        }
        return false;
    }
    return true;
}

void LimitMeter::account_disk(int64_t delta) {
    uint64_t cur = m_disk.load();
    uint64_t next = 0;
    do {
        next = delta >= 0 ? cur + static_cast<uint64_t>(delta)
                          : (cur > static_cast<uint64_t>(-delta) ? cur - static_cast<uint64_t>(-delta) : 0);
    } while (!m_disk.compare_exchange_weak(cur, next));
    raise(m_disk_peak, next);
}

}  // namespace crush
