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
/// `exo inspect FILE.wasm|CAPSULE [--json]` (cmd_inspect.cpp).
void add_inspect_command(CLI::App& app, CommandResult& result);
/// `exo check CAPSULE` (cmd_check.cpp).
void add_check_command(CLI::App& app, CommandResult& result);
/// `exo init NAME [--lang c|cpp]` (cmd_init.cpp).
void add_init_command(CLI::App& app, CommandResult& result);
/// `exo vfs ls [NAME]`, `exo vfs rm NAME` (cmd_vfs.cpp).
void add_vfs_command(CLI::App& app, CommandResult& result);
/// `exo help [COMMAND...]` (cmd_help.cpp; main.cpp rewrites it first with rewrite_help_args).
void add_help_command(CLI::App& app, CommandResult& result);

}  // namespace crush::cli
