// Copyright Crush authors.
// `exo init NAME [--lang c|cpp]`: a new capsule folder NAME/ with Capsule.toml, a source file and
// build.sh (logic in init.cpp, files written through the NativeHal).
#include "commands.hpp"
#include "init.hpp"

#include "capsule/manifest.hpp"
#include "capsule/permissions.hpp"
#include "hal/native_hal.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace crush::cli {

void add_init_command(CLI::App& app, CommandResult& result) {
    struct Flags {
        std::string name;
        std::string lang = "c";
    };
    auto flags = std::make_shared<Flags>();
    CLI::App* cmd = app.add_subcommand(
        "init", "Create a new capsule folder NAME/ (Capsule.toml, src/main.c or .cpp, build.sh).\n"
                "Usage: exo init NAME [--lang c|cpp]; then ./NAME/build.sh && exo run NAME");
    cmd->add_option("NAME", flags->name, "The capsule's name, also its folder: letters, digits, . _ -")
        ->type_name("NAME")
        ->required();
    cmd->add_option("--lang", flags->lang, "Source language: c (default) or cpp")->type_name("c|cpp");
    cmd->callback([flags, &result] {
        if (flags->lang != "c" && flags->lang != "cpp") {
            std::fprintf(stderr, "exo: init: --lang: unknown language '%s'; use --lang c or --lang cpp\n",
                         escape_for_terminal(flags->lang).c_str());
            result.exit_code = kExitUsage;
            return;
        }
        InitLang lang = flags->lang == "cpp" ? InitLang::cpp : InitLang::c;
        if (auto ok = validate_capsule_name(flags->name); !ok) {
            std::fprintf(stderr, "exo: init: %s; for example: exo init my-capsule\n", ok.error().message.c_str());
            result.exit_code = kExitUsage;
            return;
        }
        std::shared_ptr<NativeHal> hal = NativeHal::shared();
        auto files = init_files(flags->name, lang);
        if (auto written = write_capsule_files(*hal, flags->name, files); !written) {
            std::fprintf(stderr, "exo: init: %s\n", written.error().message.c_str());
            // Refusing to overwrite is the user's call to make (usage); anything else is the host.
            result.exit_code = written.error().kind == ErrorKind::invalid ? kExitUsage : kExitHostError;
            return;
        }
        std::printf("created capsule '%s':\n", flags->name.c_str());
        for (const InitFile& f : files) std::printf("  %s/%s\n", flags->name.c_str(), f.path.c_str());
        std::printf("next: ./%s/build.sh && exo run %s\n", flags->name.c_str(), flags->name.c_str());
        result.exit_code = 0;
    });
}

}  // namespace crush::cli
