// Copyright Crush authors.
// exo — the Crush capsule runtime's command line.
#include "commands.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    CLI::App app{"exo — run WebAssembly capsules with strong isolation", "exo"};
    app.set_version_flag("--version", std::string("exo (Crush) ") + CRUSH_VERSION);
    app.require_subcommand(1);
    crush::cli::CommandResult result;
    crush::cli::add_run_command(app, result);
    crush::cli::add_wast_command(app, result);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : crush::cli::kExitUsage;
    }
    return result.exit_code;
}
