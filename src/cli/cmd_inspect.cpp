// Copyright Crush authors.
// `exo inspect FILE.wasm|CAPSULE [--json]`: what a module imports, exports and defines, and the
// permissions it could ask for (logic in inspect.cpp). Files are read through the NativeHal.
#include "capsule_files.hpp"
#include "commands.hpp"
#include "inspect.hpp"

#include "capsule/manifest.hpp"
#include "hal/native_hal.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace crush::cli {

void add_inspect_command(CLI::App& app, CommandResult& result) {
    struct Flags {
        std::string target;
        bool json = false;
    };
    auto flags = std::make_shared<Flags>();
    CLI::App* cmd = app.add_subcommand(
        "inspect", "Show a module's imports, exports, memories, tables, globals, custom sections and the\n"
                   "permissions it could ask for. Usage: exo inspect FILE.wasm|CAPSULE [--json]");
    cmd->add_option("FILE", flags->target, "A .wasm file, a capsule directory, or a Capsule.toml")
        ->type_name("FILE.wasm|CAPSULE")
        ->required();
    cmd->add_flag("--json", flags->json, "Print one JSON object instead of text");
    cmd->callback([flags, &result] {
        auto fail = [&result](int code, const std::string& message) {
            std::fprintf(stderr, "exo: inspect: %s\n", message.c_str());
            result.exit_code = code;
        };
        std::shared_ptr<NativeHal> hal = NativeHal::shared();
        CapsuleTarget target = classify_capsule_argument(*hal, flags->target);
        std::optional<Manifest> manifest;
        if (target.manifest) {
            auto m = load_manifest(*target.manifest, [&hal](const std::filesystem::path& p) {
                return read_host_file(*hal, p, kMaxManifestFileBytes);
            });
            if (!m) {
                fail(kExitLoadError, fmt::format("{}; fix the manifest (exo check {} lists every problem)",
                                                 escape_controls(m.error().message), escape_for_terminal(flags->target)));
                return;
            }
            manifest = std::move(*m);
            target.module = manifest->entry;
        }
        auto bytes = read_host_file(*hal, target.module, kMaxModuleFileBytes);
        if (!bytes) {
            fail(kExitLoadError, fmt::format("cannot read '{}': {}; {}", escape_for_terminal(target.module.string()),
                                             bytes.error().message,
                                             manifest ? "build the capsule first, or fix [capsule] entry in the manifest"
                                                      : "check the path"));
            return;
        }
        std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
        auto report = inspect_module(data, target.module.string());
        if (!report) {
            fail(kExitLoadError, fmt::format("{}: {}; is it a WebAssembly binary (wasm32-wasi)?",
                                             escape_for_terminal(target.module.string()), describe_module_error(report.error())));
            return;
        }
        if (manifest) {
            report->capsule_name = manifest->name;
            report->granted = manifest->permissions;
        }
        if (flags->json)
            std::printf("%s\n", inspect_to_json(*report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        else
            std::fputs(format_inspect_text(*report).c_str(), stdout);
        result.exit_code = 0;
    });
}

}  // namespace crush::cli
