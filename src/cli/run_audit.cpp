// Copyright Crush authors.
#include "run_audit.hpp"

#include "capsule/learn.hpp"
#include "capsule/permissions.hpp"

#include <fmt/format.h>

namespace crush::cli {

Result<RunAudit> make_run_audit(const RunSetup& setup, Hal& hal, std::shared_ptr<Hal> owner, HostFd trace_fd) {
    RunAudit audit;
    std::optional<HostHandle> json;
    if (setup.audit_file) {
        OpenOptions o;
        o.access = OpenOptions::Access::write;
        o.create = true;
        o.append = true;  // a log: several runs may share one file
        o.mode = 0600;    // it names what the capsule touched
        auto file = hal.open_at(HostFd::host_cwd, setup.audit_file->string(), o);
        if (!file)
            return Error{ErrorKind::io, 0,
                         fmt::format("--audit: cannot open {}: {}", escape_for_terminal(setup.audit_file->string()),
                                     describe(file.error()))};
        json = std::move(*file);
    }
    std::vector<std::shared_ptr<AuditSink>> sinks;
    if (json || setup.trace)
        sinks.push_back(std::make_shared<AuditWriter>(
            std::move(owner), std::move(json), setup.trace ? std::optional<HostFd>(trace_fd) : std::nullopt));
    if (setup.learn_output) {
        audit.recorder = std::make_shared<AuditRecorder>();
        sinks.push_back(audit.recorder);
    }
    if (sinks.size() == 1)
        audit.sink = sinks[0];
    else if (!sinks.empty())
        audit.sink = std::make_shared<AuditFanout>(std::move(sinks));
    return audit;
}

Result<std::string> write_learned(const RunSetup& setup, std::string_view capsule_name, const AuditRecorder& recorder,
                                  Hal& hal) {
    const std::vector<AuditRecord> records = recorder.records();
    const std::vector<std::string> allow = learn_permissions(records);
    const std::string text = learned_manifest_text(capsule_name, allow);
    const std::string shown = escape_for_terminal(setup.learn_output->string());
    OpenOptions o;
    o.access = OpenOptions::Access::write;
    o.create = true;
    o.trunc = true;
    o.nofollow = true;  // never write through a planted symlink
    auto file = hal.open_at(HostFd::host_cwd, setup.learn_output->string(), o);
    if (!file) return Error{ErrorKind::io, 0, fmt::format("--learn: cannot write {}: {}", shown, describe(file.error()))};
    std::span<const std::byte> rest(reinterpret_cast<const std::byte*>(text.data()), text.size());
    while (!rest.empty()) {
        auto n = hal.write(file->fd(), rest);
        if (!n || *n == 0)
            return Error{ErrorKind::io, 0,
                         fmt::format("--learn: cannot write {}: {}", shown, n ? "short write" : describe(n.error()))};
        rest = rest.subspan(*n);
    }
    return fmt::format("exo: learned {} permission{} from this run, written to {} (review before use):\n{}",
                       allow.size(), allow.size() == 1 ? "" : "s", shown, text);
}

}  // namespace crush::cli
