// Copyright Crush authors.
// `exo run --audit FILE`, `--trace`, `--learn`: the audit sinks for a run (the file is opened
// here, through the Hal, never by the capsule layer), and the learned permission list after it.
#pragma once

#include "capsule/audit.hpp"
#include "run_options.hpp"

#include <crush/result.hpp>

#include <memory>

namespace crush::cli {

/// The sinks of one run.
struct RunAudit {
    std::shared_ptr<AuditSink> sink;          ///< for CapsuleOptions::audit (nullptr: off)
    std::shared_ptr<AuditRecorder> recorder;  ///< set with --learn
};

/// Sinks for `setup`: a JSON-lines writer on setup.audit_file (opened for append, created
/// 0600), the trace on `trace_fd`, and a recorder when learning. Error: the file cannot be opened.
Result<RunAudit> make_run_audit(const RunSetup& setup, Hal& hal, std::shared_ptr<Hal> owner, HostFd trace_fd);

/// After a --learn run: the allow list from what was recorded, written as a Capsule.learned.toml
/// to setup.learn_output (replaced if present) and returned as text for the terminal.
Result<std::string> write_learned(const RunSetup& setup, std::string_view capsule_name, const AuditRecorder& recorder,
                                  Hal& hal);

}  // namespace crush::cli
