// Copyright Crush authors.
#include "wast/script.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace crush::cli::wast {

namespace {

using nlohmann::json;

Error malformed(unsigned line, const std::string& message) {
    if (line == 0)
        return Error{ErrorKind::malformed, 0, message};
    return Error{ErrorKind::malformed, 0, fmt::format("command at line {}: {}", line, message)};
}

std::optional<CommandKind> parse_kind(const std::string& s) {
    static const std::pair<const char*, CommandKind> kKinds[] = {
        {"module", CommandKind::module},
        {"register", CommandKind::register_},
        {"action", CommandKind::action},
        {"assert_return", CommandKind::assert_return},
        {"assert_trap", CommandKind::assert_trap},
        {"assert_exhaustion", CommandKind::assert_exhaustion},
        {"assert_invalid", CommandKind::assert_invalid},
        {"assert_malformed", CommandKind::assert_malformed},
        {"assert_unlinkable", CommandKind::assert_unlinkable},
        {"assert_uninstantiable", CommandKind::assert_uninstantiable},
    };
    for (const auto& [name, kind] : kKinds)
        if (s == name)
            return kind;
    return std::nullopt;
}

/// A string member; nullopt when absent, error when present with another JSON type.
Result<std::optional<std::string>> optional_string(const json& j, const char* key, unsigned line) {
    auto it = j.find(key);
    if (it == j.end())
        return std::optional<std::string>{};
    if (!it->is_string())
        return malformed(line, fmt::format("\"{}\" must be a string", key));
    return std::optional<std::string>{it->get<std::string>()};
}

Result<std::string> required_string(const json& j, const char* key, unsigned line) {
    auto s = optional_string(j, key, line);
    CRUSH_TRY(s);
    if (!*s)
        return malformed(line, fmt::format("missing \"{}\"", key));
    return std::move(**s);
}

Result<Action> parse_action(const json& j, unsigned line) {
    if (!j.is_object())
        return malformed(line, "\"action\" must be an object");
    Action a;
    auto type = required_string(j, "type", line);
    CRUSH_TRY(type);
    if (*type == "invoke")
        a.kind = Action::Kind::invoke;
    else if (*type == "get")
        a.kind = Action::Kind::get;
    else
        return malformed(line, fmt::format("unknown action type \"{}\"", *type));
    auto module = optional_string(j, "module", line);
    CRUSH_TRY(module);
    a.module = std::move(*module);
    auto field = required_string(j, "field", line);
    CRUSH_TRY(field);
    a.field = std::move(*field);
    if (a.kind == Action::Kind::invoke) {
        auto it = j.find("args");
        if (it != j.end()) {
            if (!it->is_array())
                return malformed(line, "\"args\" must be an array");
            for (const auto& arg : *it) {
                auto v = parse_argument(arg);
                if (!v)
                    return malformed(line, v.error().message);
                a.args.push_back(std::move(*v));
            }
        }
    }
    return a;
}

Result<Command> parse_command(const json& j) {
    if (!j.is_object())
        return malformed(0, "a command must be a JSON object");
    Command c;
    auto line_it = j.find("line");
    if (line_it != j.end() && line_it->is_number_unsigned())
        c.line = line_it->get<unsigned>();
    auto type = required_string(j, "type", c.line);
    CRUSH_TRY(type);
    auto kind = parse_kind(*type);
    if (!kind)
        return malformed(c.line, fmt::format("unknown command type \"{}\"", *type));
    c.kind = *kind;

    auto name = optional_string(j, "name", c.line);
    CRUSH_TRY(name);
    c.name = std::move(*name);

    switch (c.kind) {
    case CommandKind::module:
    case CommandKind::assert_invalid:
    case CommandKind::assert_malformed:
    case CommandKind::assert_unlinkable:
    case CommandKind::assert_uninstantiable: {
        auto filename = required_string(j, "filename", c.line);
        CRUSH_TRY(filename);
        c.filename = std::move(*filename);
        auto module_type = optional_string(j, "module_type", c.line);
        CRUSH_TRY(module_type);
        if (*module_type && **module_type != "binary" && **module_type != "text")
            return malformed(c.line, fmt::format("unknown module_type \"{}\"", **module_type));
        c.text_module = *module_type && **module_type == "text";
        break;
    }
    case CommandKind::register_: {
        auto as = required_string(j, "as", c.line);
        CRUSH_TRY(as);
        c.as = std::move(*as);
        break;
    }
    case CommandKind::action:
    case CommandKind::assert_return:
    case CommandKind::assert_trap:
    case CommandKind::assert_exhaustion: {
        auto it = j.find("action");
        if (it == j.end())
            return malformed(c.line, "missing \"action\"");
        auto action = parse_action(*it, c.line);
        CRUSH_TRY(action);
        c.action = std::move(*action);
        break;
    }
    }

    if (c.kind != CommandKind::module && c.kind != CommandKind::register_ && c.kind != CommandKind::action &&
        c.kind != CommandKind::assert_return) {
        auto text = required_string(j, "text", c.line);
        CRUSH_TRY(text);
        c.text = std::move(*text);
    }
    // Only assert_return (and action, whose results are ignored) checks values; assert_trap and
    // assert_exhaustion carry result *types* without values, which we do not need.
    if (c.kind == CommandKind::assert_return) {
        auto it = j.find("expected");
        if (it == j.end() || !it->is_array())
            return malformed(c.line, "missing \"expected\" array");
        for (const auto& e : *it) {
            auto x = parse_expectation(e);
            if (!x)
                return malformed(c.line, x.error().message);
            c.expected.push_back(std::move(*x));
        }
    }
    return c;
}

}  // namespace

const char* to_string(CommandKind k) noexcept {
    switch (k) {
    case CommandKind::module: return "module";
    case CommandKind::register_: return "register";
    case CommandKind::action: return "action";
    case CommandKind::assert_return: return "assert_return";
    case CommandKind::assert_trap: return "assert_trap";
    case CommandKind::assert_exhaustion: return "assert_exhaustion";
    case CommandKind::assert_invalid: return "assert_invalid";
    case CommandKind::assert_malformed: return "assert_malformed";
    case CommandKind::assert_unlinkable: return "assert_unlinkable";
    case CommandKind::assert_uninstantiable: return "assert_uninstantiable";
    }
    return "?";
}

Result<Script> parse_script(std::string_view json_text, std::filesystem::path directory) {
    json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded())
        return malformed(0, "not valid JSON");
    if (!root.is_object())
        return malformed(0, "the top level must be a JSON object");
    Script script;
    script.directory = std::move(directory);
    auto source = optional_string(root, "source_filename", 0);
    CRUSH_TRY(source);
    if (*source)
        script.source_filename = std::move(**source);
    auto it = root.find("commands");
    if (it == root.end() || !it->is_array())
        return malformed(0, "missing \"commands\" array");
    for (const auto& j : *it) {
        auto c = parse_command(j);
        CRUSH_TRY(c);
        script.commands.push_back(std::move(*c));
    }
    return script;
}

Result<Script> load_script(const std::filesystem::path& json_path) {
    std::ifstream in(json_path, std::ios::binary);
    if (!in)
        return Error{ErrorKind::io, 0, fmt::format("cannot open {}", json_path.string())};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return Error{ErrorKind::io, 0, fmt::format("cannot read {}", json_path.string())};
    auto script = parse_script(text.str(), json_path.parent_path());
    if (!script)
        return Error{ErrorKind::malformed, 0, fmt::format("{}: {}", json_path.string(), script.error().message)};
    if (script->source_filename.empty())
        script->source_filename = json_path.string();
    return script;
}

}  // namespace crush::cli::wast
