// Copyright Crush authors.
// Audit sinks (include/crush/audit.hpp): the JSON-lines and trace formats, a writer that sends
// them to host descriptors it is given (this layer never opens files: the CLI opens the audit
// file through the Hal), a recorder for `exo run --learn`, and a fan-out.
#pragma once

#include <crush/audit.hpp>

#include "hal/hal.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace crush {

/// `ms` since the epoch as ISO-8601 UTC with milliseconds: "2026-11-28T14:00:00.123Z".
std::string format_audit_time(uint64_t ms);

/// One JSON object and '\n': {"time":…,"capsule":…,"capability":…,"target":…,"allowed":…,
/// "result":…}. Strings are JSON-escaped (invalid UTF-8 bytes become U+FFFD).
std::string audit_json_line(const AuditEvent& event);

/// One human-readable line and '\n': `[exo] hello fs.write /data/out.txt -> denied (acces)` or
/// `[exo] hello clock -> ok`. The target is escaped for the terminal.
std::string audit_trace_line(const AuditEvent& event);

/// Writes each event as a JSON line to `json` and/or a trace line to `trace` (host descriptors
/// through `hal`). A failed write is dropped (the capsule is never stopped by its audit log).
class AuditWriter final : public AuditSink {
public:
    /// `json`: the opened audit file (owned, closed with the writer); `trace`: e.g. stderr (not
    /// owned). Either may be absent.
    AuditWriter(std::shared_ptr<Hal> hal, std::optional<HostHandle> json, std::optional<HostFd> trace) noexcept;
    void record(const AuditEvent& event) noexcept override;

private:
    void write_all(HostFd fd, std::string_view text) noexcept;

    std::shared_ptr<Hal> m_hal;
    std::optional<HostHandle> m_json;
    std::optional<HostFd> m_trace;
    std::mutex m_mutex;
};

/// An event kept by AuditRecorder (owning copies; no time).
struct AuditRecord {
    std::string capability;  ///< "fs.read", …
    std::string target;      ///< as in AuditEvent
    bool allowed = false;
    bool operator==(const AuditRecord&) const = default;
};

/// Keeps every event in memory (for --learn).
class AuditRecorder final : public AuditSink {
public:
    void record(const AuditEvent& event) noexcept override;
    /// A copy of what was recorded so far, in order.
    std::vector<AuditRecord> records() const;

private:
    mutable std::mutex m_mutex;
    std::vector<AuditRecord> m_records;
};

/// Passes each event to every sink in order.
class AuditFanout final : public AuditSink {
public:
    explicit AuditFanout(std::vector<std::shared_ptr<AuditSink>> sinks) noexcept : m_sinks(std::move(sinks)) {}
    void record(const AuditEvent& event) noexcept override;

private:
    std::vector<std::shared_ptr<AuditSink>> m_sinks;
};

}  // namespace crush
