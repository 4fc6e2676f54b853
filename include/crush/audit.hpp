// Copyright Crush authors.
// The audit stream: one event per capability decision the gate makes for a capsule (every
// fs/env/net/io/clock/random check), delivered to an AuditSink while the capsule runs. `exo run
// --audit FILE` writes them as JSON lines, `--trace` as text on stderr, `--learn` collects them.
#pragma once

#include <cstdint>
#include <string_view>

namespace crush {

/// One capability decision. The views are valid only during AuditSink::record.
struct AuditEvent {
    uint64_t time_ms = 0;          ///< when, in ms since the Unix epoch (UTC)
    std::string_view capsule;      ///< the capsule's name
    std::string_view capability;   ///< the permission name: "fs.write", "net.connect", "clock", …
    /// What it was asked for: a canonical virtual path (never a host path), "ADDRESS:PORT" for
    /// net.connect, the port for net.listen, the variable name for env.get, "" when unscoped.
    std::string_view target;
    bool allowed = false;          ///< the gate's decision
    std::string_view result;       ///< "ok" when allowed, else the guest's errno name ("acces")
};

/// Receives audit events. record() is called on the capsule's thread, synchronously, before the
/// call it describes touches the host; it must not throw and should be quick.
class AuditSink {
public:
    /// Sinks are owned through shared_ptr by the embedder and the capsule.
    virtual ~AuditSink() = default;
    /// One decision.
    virtual void record(const AuditEvent& event) noexcept = 0;
};

}  // namespace crush
