// Copyright Crush authors.
#include "help.hpp"

#include "commands.hpp"

#include "capsule/permissions.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace crush::cli {
namespace {

std::vector<std::string> command_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
    return names;
}

/// The deepest subcommand the parser entered, and its path ("vfs rm").
std::pair<CLI::App*, std::string> deepest_parsed(CLI::App& app) {
    CLI::App* at = &app;
    std::string path;
    while (true) {
        std::vector<CLI::App*> parsed = at->get_subcommands();
        if (parsed.empty()) break;
        at = parsed.front();
        path += path.empty() ? at->get_name() : " " + at->get_name();
    }
    return {at, path};
}

}  // namespace

std::vector<std::string> rewrite_help_args(const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "help") return args;
    std::vector<std::string> out(args.begin() + 1, args.end());
    out.push_back("--help");
    return out;
}

std::optional<std::string> unknown_command_message(const CLI::App& app, const std::vector<std::string>& args) {
    if (args.empty() || args[0].empty() || args[0][0] == '-') return std::nullopt;
    std::vector<std::string> names = command_names(app);
    for (const std::string& n : names)
        if (n == args[0]) return std::nullopt;
    std::vector<std::string_view> views(names.begin(), names.end());
    std::string hint;
    if (auto near = nearest_word(args[0], views)) hint = fmt::format(" did you mean '{}'?", *near);
    return fmt::format("unknown command '{}';{} commands: {} (exo --help explains them)", escape_for_terminal(args[0]),
                       hint, fmt::join(names, ", "));
}

int report_parse_error(CLI::App& app, const CLI::ParseError& error) {
    // --help and --version are "errors" CLI11 uses to stop parsing: print what was asked.
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error) == 0 ? 0 : kExitUsage;
    auto [where, path] = deepest_parsed(app);
    std::string message = escape_controls(error.what());
    if (path.empty() && dynamic_cast<const CLI::RequiredError*>(&error) && app.get_subcommands().empty())
        message = fmt::format("missing command; commands: {}", fmt::join(command_names(app), ", "));
    else if (!path.empty() && where->get_require_subcommand_min() > 0 && where->get_subcommands().empty() &&
             dynamic_cast<const CLI::RequiredError*>(&error))
        message = fmt::format("missing subcommand; {} has: {}", path, fmt::join(command_names(*where), ", "));
    std::string prefix = path.empty() ? "exo" : "exo: " + path;
    std::string help = path.empty() ? "exo --help" : fmt::format("exo {} --help", path);
    std::fprintf(stderr, "%s: %s; see %s\n", prefix.c_str(), message.c_str(), help.c_str());
    return kExitUsage;
}

}  // namespace crush::cli
