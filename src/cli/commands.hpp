// Copyright Crush authors.
// Each exo subcommand lives in its own cmd_<name>.cpp and registers itself on the CLI11 app.
// A command's callback stores its exit code in the shared CommandResult; main returns it.
#pragma once

#include <CLI/CLI.hpp>

namespace crush::cli {

/// Exit codes of exo (README "Exit codes"). A guest's own exit code passes through unchanged.
inline constexpr int kExitUsage = 64;          ///< bad command line
inline constexpr int kExitLoadError = 65;      ///< malformed/invalid module or manifest
inline constexpr int kExitHostError = 74;      ///< the host failed (I/O error on our side)
inline constexpr int kExitTrap = 134;          ///< the guest trapped (like SIGABRT: 128 + 6)
inline constexpr int kExitLimit = 137;         ///< a resource limit ended the run (128 + 9)

struct CommandResult {
    int exit_code = 0;
};

void add_wast_command(CLI::App& app, CommandResult& result);
void add_run_command(CLI::App& app, CommandResult& result);

}  // namespace crush::cli
