// Copyright Crush authors.
// `exo run [OPTIONS] CAPSULE [ARGS...]`: parse flags with CLI11, turn them into CapsuleOptions
// (run_options.cpp), run the capsule through the embedding API, map the report to an exit code.
// Host access here goes through the NativeHal (reading the manifest, telling a directory from a
// file); the process environment is read ONLY for an explicit `--env KEY` and for $EXO_HOME/$HOME
// (where capsule roots live).
#include "commands.hpp"
#include "run_options.hpp"
#include "run_audit.hpp"
#include "run_stats.hpp"

#include "capsule/permissions.hpp"
#include "hal/native_hal.hpp"

#include <crush/capsule.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace crush::cli {
namespace {

/// A manifest is a few hundred bytes; refuse to slurp something huge by mistake.
constexpr size_t kMaxManifestBytes = 1 << 20;

Result<std::string> read_file_through(Hal& hal, const std::filesystem::path& path) {
    OpenOptions open;
    open.access = OpenOptions::Access::read;
    auto file = hal.open_at(HostFd::host_cwd, path.string(), open);
    if (!file) return Error{ErrorKind::io, 0, describe(file.error())};
    std::string text;
    std::array<std::byte, 8192> buffer;
    while (true) {
        auto n = hal.read(file->fd(), buffer);
        if (!n) return Error{ErrorKind::io, 0, describe(n.error())};
        if (*n == 0) break;
        if (text.size() + *n > kMaxManifestBytes)
            return Error{ErrorKind::io, 0,
                         fmt::format("larger than {} bytes; not a manifest", kMaxManifestBytes)};
        text.append(reinterpret_cast<const char*>(buffer.data()), *n);
    }
    return text;
}

void print_error(std::string_view message) {
    std::fprintf(stderr, "exo: %s\n", std::string(message).c_str());
}

}  // namespace

void add_run_command(CLI::App& app, CommandResult& result) {
    auto flags = std::make_shared<RunFlags>();
    auto stats = std::make_shared<std::string>();  // --stats: "", "text" or "json"
    CLI::App* run = app.add_subcommand(
        "run",
        "Run a capsule: a directory holding Capsule.toml, a Capsule.toml, or a bare .wasm.\n"
        "Usage: exo run [OPTIONS] CAPSULE [ARGS...]  (everything after CAPSULE goes to the guest)");
    // Everything from the first positional on (CAPSULE and the guest's ARGS, even ones that look
    // like exo options) is left untouched in remaining().
    run->prefix_command();

    run->add_option("--allow", flags->allow, "Grant a permission (repeatable), e.g. fs.read:/data/**")
        ->type_name("PERM")
        ->allow_extra_args(false);  // one value per flag: never swallow CAPSULE
    run->add_flag("--allow-all", flags->allow_all,
                  "Grant every permission, confined to the capsule's root and mounts");
    run->add_option("--dir", flags->dirs,
                    "Mount a host directory at GUEST (default: same name); :ro = read-only")
        ->type_name("HOST[::GUEST][:ro]")
        ->allow_extra_args(false);  // one value per flag: never swallow CAPSULE
    run->add_option("--env", flags->env, "Set a variable, or pass one host variable explicitly")
        ->type_name("KEY[=VALUE]")
        ->allow_extra_args(false);  // one value per flag: never swallow CAPSULE
    run->add_option("--name", flags->name, "Override the capsule name")->type_name("NAME");
    run->add_option("--vfs-root", flags->vfs_root,
                    "Use DIR as the capsule's root instead of $EXO_HOME/vfs/<name>")
        ->type_name("DIR");
    run->add_option("--manifest", flags->manifest, "Read the manifest from FILE")->type_name("FILE");
    run->add_option("--listen", flags->listen,
                    "Preopen a listening socket on 127.0.0.1:PORT (needs net.listen)")
        ->type_name("PORT")
        ->allow_extra_args(false);
    run->add_option("--audit", flags->audit, "Append one JSON line per capability decision to FILE")
        ->type_name("FILE")
        ->allow_extra_args(false);
    run->add_flag("--trace", flags->trace, "Print each capability decision to stderr");
    run->add_flag("--learn", flags->learn,
                  "Grant everything (confined, like --allow-all) and write the permissions the run used "
                  "to Capsule.learned.toml next to the manifest");
    run->add_option("--fuel", flags->fuel, "Limit executed instructions")->type_name("N");
    run->add_option("--timeout", flags->timeout, "Limit wall-clock time, e.g. 2s, 500ms, 1m")
        ->type_name("DURATION");
    run->add_option("--max-memory", flags->max_memory, "Limit memory, e.g. 64MiB")->type_name("SIZE");
    run->add_option("--max-handles", flags->max_handles, "Limit open handles")->type_name("N");
    run->add_option("--max-disk", flags->max_disk, "Limit bytes stored under the capsule's root")
        ->type_name("SIZE");
    run->add_option("--max-io", flags->max_io, "Limit bytes read plus written")->type_name("SIZE");
    // A flag (never a separate-word value, which would swallow CAPSULE): --stats or --stats=json.
    run->add_flag("--stats{text}", *stats,
                  "After the run, print each resource's use against its limit to stderr (=json: as JSON)");

    run->callback([run, flags, stats, &result] {
        std::vector<std::string> rest = run->remaining();
        if (rest.empty()) {
            print_error(
                "run: missing CAPSULE (a directory with Capsule.toml, or a .wasm); see exo run --help");
            result.exit_code = kExitUsage;
            return;
        }
        if (rest[0].size() > 1 && rest[0][0] == '-') {
            print_error(
                fmt::format("run: unknown option '{}'; see exo run --help", escape_for_terminal(rest[0])));
            result.exit_code = kExitUsage;
            return;
        }
        if (!stats->empty() && *stats != "text" && *stats != "json") {
            print_error(fmt::format("run: --stats takes no value or =json, not '{}'", escape_for_terminal(*stats)));
            result.exit_code = kExitUsage;
            return;
        }
        flags->capsule = rest[0];
        flags->args.assign(rest.begin() + 1, rest.end());

        std::shared_ptr<NativeHal> hal = NativeHal::shared();
        RunHost host;
        host.getenv = [](std::string_view name) -> std::optional<std::string> {
            // The one place exo reads its own environment: an explicit `--env NAME`.
            const char* value = std::getenv(std::string(name).c_str());
            if (!value) return std::nullopt;
            return std::string(value);
        };
        host.exo_home = []() -> std::optional<std::filesystem::path> {
            // Where capsule roots live: $EXO_HOME, else ~/.exo (DESIGN.md). Read here because the
            // runtime never reads the host environment.
            if (const char* exo_home = std::getenv("EXO_HOME"); exo_home && *exo_home)
                return std::filesystem::path(exo_home);
            if (const char* home = std::getenv("HOME"); home && *home)
                return std::filesystem::path(home) / ".exo";
            return std::nullopt;
        };
        host.read_file = [hal](const std::filesystem::path& path) { return read_file_through(*hal, path); };
        host.is_directory = [hal](const std::filesystem::path& path) {
            auto st = hal->stat_at(HostFd::host_cwd, path.string(), /*follow=*/true);
            return st.ok() && st->type == FileType::directory;
        };

        RunSetup setup = build_run_options(*flags, host);
        if (!setup.ok()) {
            print_error(setup.message);
            result.exit_code = setup.exit_code;
            return;
        }
        std::string name = setup.options->name;
        auto audit = make_run_audit(setup, *hal, hal, static_cast<HostFd>(setup.options->diagnostics_fd));
        if (!audit) {
            print_error(audit.error().message);
            result.exit_code = kExitLoadError;
            return;
        }
        setup.options->audit = audit->sink;
        auto capsule = Capsule::create(std::move(*setup.options));
        if (!capsule) {
            print_error(escape_controls(capsule.error().message));
            result.exit_code = kExitLoadError;
            return;
        }
        CapsuleReport report = (*capsule)->run();
        if (audit->recorder && report.outcome != CapsuleReport::Outcome::load_error) {
            auto learned = write_learned(setup, name, *audit->recorder, *hal);
            std::fputs(learned ? learned->c_str() : fmt::format("exo: {}\n", learned.error().message).c_str(), stderr);
        }
        std::string message = describe_outcome(report, name);
        if (!message.empty()) std::fputs(message.c_str(), stderr);
        if (*stats == "json")
            std::fprintf(stderr, "%s\n",
                         stats_to_json(report, name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        else if (*stats == "text")
            std::fputs(stats_to_text(report, name).c_str(), stderr);
        result.exit_code = exit_code_for(report);
    });
}

}  // namespace crush::cli
