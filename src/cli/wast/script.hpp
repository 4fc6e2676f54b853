// Copyright Crush authors.
// The spec-test script as wabt's wast2json writes it: a JSON list of commands whose modules are
// .wasm files beside the JSON. Parsing checks the shape of every command up front, so a broken
// script is reported before anything runs.
// https://github.com/WebAssembly/wabt/blob/main/docs/wast2json.md
#pragma once

#include "wast/values.hpp"

#include <crush/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crush::cli::wast {

/// The script commands (the `type` field), named as in the spec's script grammar.
/// https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
enum class CommandKind : uint8_t {
    module,
    register_,
    action,
    assert_return,
    assert_trap,
    assert_exhaustion,
    assert_invalid,
    assert_malformed,
    assert_unlinkable,
    assert_uninstantiable,
};
/// The command's name as wast2json writes it ("assert_return", …).
const char* to_string(CommandKind k) noexcept;

/// What an action does: `invoke` calls an exported function, `get` reads an exported global.
struct Action {
    enum class Kind : uint8_t { invoke, get };
    Kind kind = Kind::invoke;
    std::optional<std::string> module;  ///< "$name" of a named module; current module if absent
    std::string field;                  ///< export name
    std::vector<Argument> args;         ///< invoke only
};

/// One command. Which fields are meaningful depends on `kind` (see the comments).
struct Command {
    CommandKind kind = CommandKind::module;
    unsigned line = 0;                    ///< line in the .wast source
    std::string filename;                 ///< module commands and module assertions
    bool text_module = false;             ///< module_type "text": a .wat we cannot load
    std::optional<std::string> name;      ///< module: its "$name"; register: the module registered
    std::string as;                       ///< register: the import module name it becomes
    std::string text;                     ///< assertions: the expected message
    Action action;                        ///< action, assert_return, assert_trap, assert_exhaustion
    std::vector<Expectation> expected;    ///< action, assert_return
};

/// A whole parsed script: its commands in order and where its module files are.
struct Script {
    std::string source_filename;     ///< the .wast the JSON came from (for messages)
    std::filesystem::path directory; ///< where the module files live
    std::vector<Command> commands;
};

/// Parse wast2json output. `directory` is where its module files are. Errors (kind malformed)
/// name the command's line and what is wrong.
Result<Script> parse_script(std::string_view json_text, std::filesystem::path directory);

/// Read and parse a .json script file; modules are looked up beside it. Errors: kind io when
/// the file cannot be read, malformed when it is not a valid script.
Result<Script> load_script(const std::filesystem::path& json_path);

}  // namespace crush::cli::wast
