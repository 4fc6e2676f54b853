// Copyright Crush authors.
// `exo help [COMMAND...]`: main.cpp rewrites it to `exo COMMAND --help` before parsing
// (help.cpp), so this registration exists for `exo --help`'s list and for a bare `exo help`
// reaching the parser some other way.
#include "commands.hpp"

#include <cstdio>
#include <memory>

namespace crush::cli {

void add_help_command(CLI::App& app, CommandResult& result) {
    auto topics = std::make_shared<std::vector<std::string>>();
    CLI::App* cmd = app.add_subcommand("help", "Show help for exo or for a command: exo help COMMAND (= exo COMMAND --help)");
    cmd->add_option("command", *topics, "The command (and subcommand) to explain")->type_name("COMMAND");
    CLI::App* parent = &app;
    cmd->callback([parent, &result] {
        std::fputs(parent->help().c_str(), stdout);
        result.exit_code = 0;
    });
}

}  // namespace crush::cli
