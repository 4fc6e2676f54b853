// Copyright Crush authors.
// `exo vfs ls [NAME]` and `exo vfs rm NAME`: see and clean capsules' stored roots under
// $EXO_HOME/vfs (logic in vfs_store.cpp, through the NativeHal). The process environment is
// read only for $EXO_HOME / $HOME, as `exo run` does, to find where roots live.
#include "commands.hpp"
#include "vfs_store.hpp"

#include "capsule/manifest.hpp"
#include "capsule/permissions.hpp"
#include "hal/native_hal.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace crush::cli {
namespace {

std::optional<std::filesystem::path> exo_home() {
    if (const char* home = std::getenv("EXO_HOME"); home && *home) return std::filesystem::path(home);
    if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".exo";
    return std::nullopt;
}

void fail(CommandResult& result, int code, const std::string& message) {
    std::fprintf(stderr, "exo: vfs: %s\n", message.c_str());
    result.exit_code = code;
}

/// $EXO_HOME/vfs held open, or a message.
Result<HostHandle> open_vfs_dir(Hal& hal, std::filesystem::path& out_dir) {
    auto home = exo_home();
    if (!home) return Error{ErrorKind::io, 0, "neither EXO_HOME nor HOME is set; set EXO_HOME to where capsule roots live"};
    out_dir = *home / "vfs";
    return open_host_directory(hal, out_dir);
}

}  // namespace

void add_vfs_command(CLI::App& app, CommandResult& result) {
    CLI::App* vfs = app.add_subcommand("vfs", "See and clean capsules' stored roots ($EXO_HOME/vfs/NAME)");
    vfs->require_subcommand(1);
    auto name = std::make_shared<std::string>();

    CLI::App* ls = vfs->add_subcommand(
        "ls", "List a capsule's stored files with sizes, or every capsule root when NAME is omitted.\n"
              "Usage: exo vfs ls [NAME]");
    ls->add_option("NAME", *name, "The capsule name")->type_name("NAME");
    ls->callback([name, &result] {
        std::shared_ptr<NativeHal> hal = NativeHal::shared();
        std::filesystem::path dir;
        auto vfs_dir = open_vfs_dir(*hal, dir);
        if (name->empty()) {
            if (!vfs_dir) {
                // No roots yet is not an error: nothing has run.
                std::printf("no capsule roots in %s\n", escape_for_terminal(dir.string()).c_str());
                result.exit_code = 0;
                return;
            }
            auto roots = list_vfs_roots(*hal, vfs_dir->fd());
            if (!roots) return fail(result, kExitHostError, roots.error().message);
            if (roots->empty()) std::printf("no capsule roots in %s\n", escape_for_terminal(dir.string()).c_str());
            for (const VfsRootSummary& r : *roots)
                std::printf("%-24s %6llu file%s %10s\n", r.name.c_str(), static_cast<unsigned long long>(r.files),
                            r.files == 1 ? " " : "s", format_listing_size(r.bytes).c_str());
            result.exit_code = 0;
            return;
        }
        if (auto ok = validate_capsule_name(*name); !ok) return fail(result, kExitUsage, ok.error().message);
        auto root = vfs_dir ? open_child_directory(*hal, vfs_dir->fd(), *name) : Result<HostHandle>(vfs_dir.error());
        if (!root)
            return fail(result, kExitUsage,
                        fmt::format("capsule '{}' has no stored root in {}; it is created when the capsule first runs "
                                    "(exo vfs ls lists the roots)",
                                    *name, escape_for_terminal(dir.string())));
        auto entries = list_vfs_tree(*hal, root->fd());
        if (!entries) return fail(result, kExitHostError, entries.error().message);
        if (entries->empty()) std::printf("%s: empty\n", name->c_str());
        std::fputs(format_vfs_listing(*entries).c_str(), stdout);
        result.exit_code = 0;
    });

    auto rm_name = std::make_shared<std::string>();
    CLI::App* rm = vfs->add_subcommand(
        "rm", "Delete a capsule's stored root (its private files); symlinks inside are removed, never followed.\n"
              "Usage: exo vfs rm NAME");
    rm->add_option("NAME", *rm_name, "The capsule name")->type_name("NAME")->required();
    rm->callback([rm_name, &result] {
        if (auto ok = validate_capsule_name(*rm_name); !ok)
            return fail(result, kExitUsage, fmt::format("{}; give the capsule's name, as exo vfs ls shows it", ok.error().message));
        std::shared_ptr<NativeHal> hal = NativeHal::shared();
        std::filesystem::path dir;
        auto vfs_dir = open_vfs_dir(*hal, dir);
        auto st = vfs_dir ? hal->stat_at(vfs_dir->fd(), *rm_name, /*follow=*/false) : HalResult<FileStat>(Errno::noent);
        if (!st)
            return fail(result, kExitUsage,
                        fmt::format("capsule '{}' has no stored root in {}; nothing to delete (exo vfs ls lists the roots)",
                                    *rm_name, escape_for_terminal(dir.string())));
        if (auto removed = remove_vfs_tree(*hal, vfs_dir->fd(), *rm_name); !removed)
            return fail(result, kExitHostError,
                        fmt::format("could not delete capsule '{}''s root: {}; check the permissions of {}", *rm_name,
                                    removed.error().message, escape_for_terminal((dir / *rm_name).string())));
        std::printf("deleted %s\n", escape_for_terminal((dir / *rm_name).string()).c_str());
        result.exit_code = 0;
    });
}

}  // namespace crush::cli
