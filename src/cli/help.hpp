// Copyright Crush authors.
// `exo help [COMMAND...]` and the messages exo prints for command-line mistakes: every one says
// what was wrong, where (which command), and what to do (the help to read, the nearest name).
// Apart from main.cpp so it is unit-testable.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crush::cli {

/// `help` → `--help`; `help CMD [SUB]` → `CMD [SUB] --help` (the same text as `exo CMD --help`);
/// anything else unchanged. `args` excludes argv[0].
std::vector<std::string> rewrite_help_args(const std::vector<std::string>& args);

/// When the first argument names no command (and is not an option), the message for it
/// ("unknown command 'ispect'; did you mean 'inspect'? …"); nullopt otherwise.
std::optional<std::string> unknown_command_message(const CLI::App& app, const std::vector<std::string>& args);

/// Print what CLI11 reported (with "exo: CMD: " in front and "; see exo CMD --help" behind) or
/// the help/version text it asks for; return the exit code (0 for help/version, else kExitUsage).
int report_parse_error(CLI::App& app, const CLI::ParseError& error);

}  // namespace crush::cli
