// Copyright Crush authors.
// LimitMeter: the Meter that enforces a capsule's resolved `[limits]` (issue 4). The ScopedHal
// asks it before every I/O, handle and growth; the runtime's watchdog and ResourceLimiter read it.
//
// What each limit does when exceeded (README "Resource limits" says the same to users):
// - io: the call that would pass it fails with EIO, and the run is ended (the interrupt flag is
//   raised; the VM traps at its next loop back-edge or call). Ends the run: a flood must stop.
// - handles: the open fails with EMFILE; the capsule continues (it may close and retry).
// - memory: memory.grow/table.grow give -1 (the spec's failure); instantiation needing more fails.
// - disk: the write/truncate/allocate fails with ENOSPC, nothing partial written; continues.
//   Writes check the growth against a size cached per open file (DiskFile, shared by the
//   capsule's handles on it), not an fstat per write; a size changed by the host meanwhile is
//   picked up at the file's next open, seek or truncate.
// - time and fuel: end the run (the VM traps; the runtime names the limit).
// Every refusal is remembered by name, so the report says which limits were hit even when the
// capsule handled the error and exited normally.
#pragma once

#include "capsule/limits.hpp"
#include "capsule/meter.hpp"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace crush {

/// Names used in reports and `--stats` (stable: scripts match on them).
inline constexpr const char* kLimitFuel = "fuel";
inline constexpr const char* kLimitTime = "time";
inline constexpr const char* kLimitMemory = "memory";
inline constexpr const char* kLimitHandles = "handles";
inline constexpr const char* kLimitDisk = "disk";
inline constexpr const char* kLimitIo = "io";

/// Enforces ResolvedLimits. Thread-safe: the capsule's thread calls the hooks, a watchdog may
/// call end_run() and a supervisor usage() at any time.
class LimitMeter final : public Meter {
public:
    explicit LimitMeter(const ResolvedLimits& limits) noexcept : m_limits(limits) {}

    [[nodiscard]] const ResolvedLimits& limits() const noexcept { return m_limits; }

    /// The flag the VM polls (StoreConfig::interrupt); end_run() raises it. Set before running.
    void set_interrupt(std::atomic<bool>* flag) noexcept { m_interrupt.store(flag); }

    /// End the run because of `limit` (the first call wins; later ones only record the hit).
    void end_run(const char* limit) noexcept;
    /// The limit that ended the run, or "" when none did (yet).
    [[nodiscard]] std::string ended_by() const;
    /// Every limit that refused something or ended the run, in first-hit order, no repeats.
    [[nodiscard]] std::vector<std::string> hits() const;

    /// The run's wall-clock deadline on the Hal's monotonic clock (0: none). Blocking host calls
    /// (poll, sleep, stream reads, accept) are bounded by it so they wake when time is up.
    void set_deadline_ns(uint64_t deadline) noexcept { m_deadline_ns.store(deadline); }
    uint64_t deadline_ns() const override { return m_deadline_ns.load(); }

    Errno admit_io(IoDirection dir, uint64_t requested, uint64_t& out_allowed) override;
    Errno admit_handle() override;
    bool admit_memory(uint64_t current, uint64_t desired) override;

    /// Host-side buffers held for the capsule count against `memory` while held: admit before
    /// allocating (false: refuse with ENOMEM), release after freeing.
    bool admit_host_bytes(uint64_t bytes) override;
    void release_host_bytes(uint64_t bytes) override;

    /// Table elements count as this many bytes each against `memory` (a reference's size).
    static constexpr uint64_t kTableElementBytes = 8;
    /// A table grows by `delta_elems` (may be refused like memory).
    bool admit_table(uint64_t current_elems, uint64_t desired_elems) noexcept;

    /// Disk quota: bytes stored under the root now. May `growth` more bytes be stored?
    /// false records the hit (the caller fails with ENOSPC).
    bool admit_disk(uint64_t growth) override;
    /// Stored bytes changed by `delta` (negative: freed). Never below zero.
    void account_disk(int64_t delta) override;
    /// Disk is metered when the quota is finite.
    bool meters_disk() const override { return m_limits.disk_bytes != kUnlimited; }
    /// The bytes found under the root at start (before the capsule runs).
    void set_disk_bytes(uint64_t bytes) noexcept { m_disk.store(bytes); m_disk_peak.store(bytes); }
    [[nodiscard]] uint64_t disk_bytes() const noexcept { return m_disk.load(); }
    [[nodiscard]] uint64_t disk_peak() const noexcept { return m_disk_peak.load(); }
    /// Bytes of linear memory + tables + host buffers held now, and the most held at once.
    [[nodiscard]] uint64_t memory_total() const noexcept { return m_memory_total.load(); }
    [[nodiscard]] uint64_t memory_total_peak() const noexcept { return m_memory_peak_total.load(); }

private:
    void hit(const char* limit);
    bool admit_memory_delta(int64_t delta) noexcept;

    const ResolvedLimits m_limits;
    std::atomic<std::atomic<bool>*> m_interrupt{nullptr};
    std::atomic<uint64_t> m_deadline_ns{0};
    std::atomic<uint64_t> m_memory_total{0};
    std::atomic<uint64_t> m_memory_peak_total{0};
    std::atomic<uint64_t> m_disk{0};
    std::atomic<uint64_t> m_disk_peak{0};
    mutable std::mutex m_mutex;  // guards the two below
    std::string m_ended_by;
    std::vector<std::string> m_hits;
};

}  // namespace crush
