// Copyright Crush authors.
// `exo check CAPSULE`: validate the manifest and the module, print every problem as
// `FILE[:LINE:COL]: error|warning: message` (logic in check.cpp), exit 0 only without errors
// (with --strict: only without errors or warnings).
#include "capsule_files.hpp"
#include "check.hpp"
#include "commands.hpp"

#include "capsule/permissions.hpp"
#include "hal/native_hal.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace crush::cli {

void add_check_command(CLI::App& app, CommandResult& result) {
    auto target = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "check", "Validate a capsule's manifest and module: TOML errors, unknown keys and permissions, imports\n"
                 "no granted permission satisfies, limits out of range, a missing or invalid module.\n"
                 "Usage: exo check [--strict] CAPSULE   (exit 0 when there is no error; warnings are advice,\n"
                 "unless --strict: then a warning fails the check too, exit 65)");
    cmd->add_option("CAPSULE", *target, "A capsule directory, a Capsule.toml, or a bare .wasm")
        ->type_name("CAPSULE")
        ->required();
    auto strict = std::make_shared<bool>(false);
    cmd->add_flag("--strict", *strict, "Treat warnings as errors: exit 65 when there is any (for CI)");
    cmd->callback([target, strict, &result] {
        std::shared_ptr<NativeHal> hal = NativeHal::shared();
        CheckHost host;
        host.read_file = [hal](const std::filesystem::path& p) -> Result<std::string> {
            // A module is far larger than a manifest; the manifest parser bounds nothing itself.
            return read_host_file(*hal, p, p.extension() == ".toml" ? kMaxManifestFileBytes : kMaxModuleFileBytes);
        };
        host.is_directory = [hal](const std::filesystem::path& p) { return is_host_directory(*hal, p); };
        std::vector<Diagnostic> diagnostics = check_capsule(*target, host);
        size_t errors = 0, warnings = 0;
        for (const Diagnostic& d : diagnostics) {
            std::fprintf(stderr, "%s\n", format_diagnostic(d).c_str());
            (d.severity == Diagnostic::Severity::error ? errors : warnings)++;
        }
        // --strict: a warning fails like an error (CI that wants least privilege enforced).
        const bool failed = errors != 0 || (*strict && warnings != 0);
        if (!failed)
            std::printf("%s: ok%s\n", escape_for_terminal(*target).c_str(),
                        warnings ? fmt::format(" ({} warning{})", warnings, warnings == 1 ? "" : "s").c_str() : "");
        else
            std::fprintf(stderr, "exo: check: %zu error%s, %zu warning%s%s\n", errors, errors == 1 ? "" : "s",
                         warnings, warnings == 1 ? "" : "s", *strict && errors == 0 ? " (--strict)" : "");
        result.exit_code = failed ? kExitLoadError : 0;
    });
}

}  // namespace crush::cli
