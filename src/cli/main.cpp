// Copyright Crush authors.
// exo — the Crush capsule runtime's command line.
#include "commands.hpp"
#include "help.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Command {
    std::string_view name;
    void (*add)(CLI::App&, crush::cli::CommandResult&);
};

// In the order `exo --help` lists them.
constexpr Command kCommands[] = {
    {"run", crush::cli::add_run_command},         {"wast", crush::cli::add_wast_command},
    {"inspect", crush::cli::add_inspect_command}, {"check", crush::cli::add_check_command},
    {"init", crush::cli::add_init_command},       {"vfs", crush::cli::add_vfs_command},
    {"help", crush::cli::add_help_command},
};

}  // namespace

int main(int argc, char** argv) {
    // `exo help CMD` → `exo CMD --help`; an unknown command gets a suggestion before CLI11 sees it.
    std::vector<std::string> args = crush::cli::rewrite_help_args(std::vector<std::string>(argv + 1, argv + argc));

    CLI::App app{"exo — run WebAssembly capsules with strong isolation", "exo"};
    app.set_version_flag("--version", std::string("exo (Crush) ") + CRUSH_VERSION);
    app.require_subcommand(1);
    app.footer("exo help COMMAND (or exo COMMAND --help) explains a command. Exit codes: README \"Exit codes\".");
    crush::cli::CommandResult result;
    // When the first word names a command, only that command is built: the others' options are a
    // quarter of `exo run`'s start-up instructions and never parsed (prefix_command and positional
    // arguments keep a later word from switching commands). Anything else (--help, --version, a
    // typo, nothing) sees them all.
    const Command* named = nullptr;
    for (const Command& c : kCommands)
        if (!args.empty() && args[0] == c.name) named = &c;
    if (named != nullptr) {
        named->add(app, result);
    } else {
        for (const Command& c : kCommands) c.add(app, result);
    }

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
