// Copyright Crush authors.
// The Meter hook of a capsule's ScopedHal: every read, write, open, close and memory growth is
// accounted here. This file has the counters and the hook points; enforcing limits
// (`[limits]`, issue "Metering") is done by overriding the `admit_*` hooks in a subclass, so
// the ScopedHal never changes when limits arrive.
//
// Hook protocol: the ScopedHal calls `admit_*` BEFORE the Hal is reached (a refusal fails the
// call with the returned Errno and nothing happens), then `account_*` with what was actually done.
#pragma once

#include "hal/errno.hpp"

#include <atomic>
#include <cstdint>

namespace crush {

/// What a capsule has used so far. Plain values: a snapshot for reports.
struct MeterUsage {
    uint64_t bytes_read = 0;     ///< through the Hal: files, sockets, stdin
    uint64_t bytes_written = 0;  ///< through the Hal: files, sockets, stdout/stderr
    uint64_t handles_open = 0;   ///< virtual handles open now (excluding the fixed aliases)
    uint64_t handles_peak = 0;   ///< most handles open at once
    uint64_t memory_bytes = 0;   ///< linear memory (and tables) currently allocated
    uint64_t memory_peak = 0;
};

/// The direction of an I/O transfer.
enum class IoDirection : uint8_t { read, write };

/// Per-capsule accounting. The base class only counts and admits everything.
/// Thread-compatible: one capsule is driven by one thread, but counters are atomic so a
/// supervisor thread may take a usage() snapshot at any time.
class Meter {
public:
    virtual ~Meter() = default;

    /// May an I/O of up to `requested` bytes start? Returns success, or the errno to fail the
    /// call with (limits: ENOSPC for disk, EIO…). `out_allowed` may be lowered to clamp it.
    virtual Errno admit_io(IoDirection dir, uint64_t requested, uint64_t& out_allowed) {
        out_allowed = requested;
        return Errno::success;
    }
    /// `done` bytes were transferred.
    virtual void account_io(IoDirection dir, uint64_t done) {
        (dir == IoDirection::read ? m_read : m_written).fetch_add(done, std::memory_order_relaxed);
    }

    /// May a new virtual handle be opened? EMFILE (or another errno) refuses it.
    virtual Errno admit_handle() { return Errno::success; }
    /// A handle was opened (+1) or closed (-1).
    virtual void account_handle(int delta) {
        uint64_t now = m_handles.fetch_add(static_cast<uint64_t>(static_cast<int64_t>(delta)),
                                           std::memory_order_relaxed) +
                       static_cast<uint64_t>(static_cast<int64_t>(delta));
        raise_peak(m_handles_peak, now);
    }

    /// May linear memory grow from `current` to `desired` bytes? false -> memory.grow gives -1.
    virtual bool admit_memory(uint64_t current, uint64_t desired) { return true; }
    /// Memory is now `bytes` in total.
    virtual void account_memory(uint64_t bytes) {
        m_memory.store(bytes, std::memory_order_relaxed);
        raise_peak(m_memory_peak, bytes);
    }

    /// Host-side buffers held for the capsule (poll sets, …) count against its memory: admit
    /// before allocating (false: fail the call with ENOMEM), release when freed.
    virtual bool admit_host_bytes(uint64_t /*bytes*/) { return true; }
    virtual void release_host_bytes(uint64_t /*bytes*/) {}

    /// The run's wall-clock deadline on the Hal's monotonic clock (0: none). Blocking calls
    /// (poll, sleep, stream reads, accept) wait no longer than it, so a capsule blocked in the
    /// host still ends when its time is up.
    virtual uint64_t deadline_ns() const { return 0; }

    /// May `growth` more bytes be stored under the capsule's root? false -> ENOSPC, nothing
    /// written.
    virtual bool admit_disk(uint64_t /*growth*/) { return true; }
    /// Bytes stored under the root changed by `delta` (negative: freed).
    virtual void account_disk(int64_t /*delta*/) {}
    /// Whether disk use is metered at all (false: the ScopedHal skips the stat calls it needs).
    virtual bool meters_disk() const { return false; }

    /// A snapshot of the counters.
    MeterUsage usage() const {
        MeterUsage u;
        u.bytes_read = m_read.load(std::memory_order_relaxed);
        u.bytes_written = m_written.load(std::memory_order_relaxed);
        u.handles_open = m_handles.load(std::memory_order_relaxed);
        u.handles_peak = m_handles_peak.load(std::memory_order_relaxed);
        u.memory_bytes = m_memory.load(std::memory_order_relaxed);
        u.memory_peak = m_memory_peak.load(std::memory_order_relaxed);
        return u;
    }

private:
    static void raise_peak(std::atomic<uint64_t>& peak, uint64_t now) {
        uint64_t p = peak.load(std::memory_order_relaxed);
        while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {
        }
    }

    std::atomic<uint64_t> m_read{0};
    std::atomic<uint64_t> m_written{0};
    std::atomic<uint64_t> m_handles{0};
    std::atomic<uint64_t> m_handles_peak{0};
    std::atomic<uint64_t> m_memory{0};
    std::atomic<uint64_t> m_memory_peak{0};
};

}  // namespace crush
