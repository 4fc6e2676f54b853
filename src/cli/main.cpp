// Copyright Crush authors.
// exo — the Crush capsule runtime's command line.
#include "commands.hpp"
#include "help.hpp"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    CLI::App app{"exo — run WebAssembly capsules with strong isolation", "exo"};
    app.set_version_flag("--version", std::string("exo (Crush) ") + CRUSH_VERSION);
    app.require_subcommand(1);
    app.footer("exo help COMMAND (or exo COMMAND --help) explains a command. Exit codes: README \"Exit codes\".");
    crush::cli::CommandResult result;
    crush::cli::add_run_command(app, result);
    crush::cli::add_wast_command(app, result);
    crush::cli::add_inspect_command(app, result);
    crush::cli::add_check_command(app, result);
    crush::cli::add_init_command(app, result);
    crush::cli::add_vfs_command(app, result);
    crush::cli::add_help_command(app, result);

    // `exo help CMD` → `exo CMD --help`; an unknown command gets a suggestion before CLI11 sees it.
    std::vector<std::string> args = crush::cli::rewrite_help_args(std::vector<std::string>(argv + 1, argv + argc));
    if (auto message = crush::cli::unknown_command_message(app, args)) {
        std::fprintf(stderr, "exo: %s\n", message->c_str());
        return crush::cli::kExitUsage;
    }
    std::vector<char*> new_argv{argv[0]};
    for (std::string& a : args) new_argv.push_back(a.data());
    try {
        app.parse(static_cast<int>(new_argv.size()), new_argv.data());
    } catch (const CLI::ParseError& e) {
        return crush::cli::report_parse_error(app, e);
    }
    return result.exit_code;
}
