// Copyright Crush authors.
// `exo wast FILE [--verbose] [--metering fuel|interrupt]`: run a WebAssembly spec test script.
// FILE is wast2json output (.json, module files beside it) or a .wast, converted with wast2json
// from PATH into a private temporary directory removed afterwards.
// Exit codes: 0 all passed; 1 some test failed; 65 the script itself is broken (missing file,
// bad JSON, wast2json rejects it); 74 we could not run wast2json or make a temporary directory.
#include "commands.hpp"

#include "wast/convert.hpp"
#include "wast/runner.hpp"
#include "wast/script.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace crush::cli {

namespace {

struct WastOptions {
    std::string file;
    bool verbose = false;
    bool no_message_check = false;
    std::string metering = "none";
};

int run_wast(const WastOptions& opts) {
    namespace fs = std::filesystem;
    fs::path file = opts.file;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        fmt::print(stderr, "exo wast: {}: no such file\n", opts.file);
        return kExitLoadError;
    }
    std::optional<wast::TempDir> tmp;  // owns the converted files while the script runs
    fs::path json = file;
    if (file.extension() != ".json") {
        auto dir = wast::TempDir::create();
        if (!dir) {
            fmt::print(stderr, "exo wast: {}\n", dir.error().message);
            return kExitHostError;
        }
        tmp.emplace(std::move(*dir));
        auto converted = wast::convert_wast(file, tmp->path());
        if (!converted) {
            fmt::print(stderr, "exo wast: {}\n", converted.error().message);
            return converted.error().kind == ErrorKind::io ? kExitHostError : kExitLoadError;
        }
        json = *converted;
    }
    auto script = wast::load_script(json);
    if (!script) {
        fmt::print(stderr, "exo wast: {}\n", script.error().message);
        return kExitLoadError;
    }
    if (tmp)  // name the .wast in messages, not the temporary JSON
        script->source_filename = opts.file;
    wast::RunnerOptions ro;
    ro.verbose = opts.verbose;
    ro.check_messages = !opts.no_message_check;
    ro.out = stdout;
    if (opts.metering == "fuel") ro.metering = wast::RunnerOptions::Metering::fuel;
    if (opts.metering == "interrupt") ro.metering = wast::RunnerOptions::Metering::interrupt;
    wast::Tally t = wast::run_script(*script, ro);
    return t.failed == 0 ? 0 : 1;
}

}  // namespace

void add_wast_command(CLI::App& app, CommandResult& result) {
    auto opts = std::make_shared<WastOptions>();
    CLI::App* cmd = app.add_subcommand("wast", "Run a WebAssembly spec test script (.wast or wast2json .json)");
    cmd->add_option("FILE", opts->file, "the .wast script, or wast2json's .json with its .wasm files beside it")
        ->required();
    cmd->add_flag("-v,--verbose", opts->verbose, "name each failure with its line, what was expected and what we got");
    cmd->add_flag("--no-message-check", opts->no_message_check,
                  "accept any trap/error message of the right kind (to sort failures from wording differences)");
    cmd->add_option("--metering", opts->metering,
                    "run on the VM's fuel-metered or interrupt-checked code (endless fuel, no interrupt): "
                    "results must be the same as on plain code")
        ->check(CLI::IsMember({"none", "fuel", "interrupt"}));
    cmd->callback([opts, &result] { result.exit_code = run_wast(*opts); });
}

}  // namespace crush::cli
