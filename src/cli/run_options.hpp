// Copyright Crush authors.
// `exo run`: from command-line flags (and the manifest they point to) to crush::CapsuleOptions,
// and from a CapsuleReport to exo's exit code and messages. Kept apart from CLI11 and from the
// host so it is unit-testable: everything it needs from the host comes in through RunHost.
#pragma once

#include "capsule/env_map.hpp"
#include "capsule/manifest.hpp"

#include <crush/capsule.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crush::cli {

/// What `exo run` was given, uninterpreted.
struct RunFlags {
    std::string capsule;                     ///< a directory with Capsule.toml, a Capsule.toml, or a .wasm
    std::vector<std::string> args;           ///< for the guest, untouched (argv[1..])
    std::vector<std::string> allow;          ///< --allow PERM
    bool allow_all = false;                  ///< --allow-all
    std::vector<std::string> dirs;           ///< --dir HOST[::GUEST][:ro|:rw]
    std::vector<std::string> env;            ///< --env KEY=VALUE | --env KEY
    std::optional<std::string> name;         ///< --name
    std::optional<std::string> vfs_root;     ///< --vfs-root
    std::optional<std::string> manifest;     ///< --manifest FILE
    std::vector<std::string> listen;         ///< --listen PORT: preopened 127.0.0.1:PORT listeners
    std::optional<std::string> fuel;         ///< --fuel N
    std::optional<std::string> timeout;      ///< --timeout 2s
    std::optional<std::string> max_memory;   ///< --max-memory 64MiB
    std::optional<std::string> max_handles;  ///< --max-handles N
    std::optional<std::string> max_disk;     ///< --max-disk 10MiB
    std::optional<std::string> max_io;       ///< --max-io 100MiB
    std::optional<std::string> audit;        ///< --audit FILE: JSON lines of capability decisions
    bool trace = false;                      ///< --trace: the same, human-readable, on stderr
    bool learn = false;                      ///< --learn: grant all (confined), write the list used
};

/// The host access building the options needs. The CLI backs these with the NativeHal (files)
/// and the process environment (ONLY for an explicit `--env KEY`); tests use fakes.
struct RunHost {
    HostEnvLookup getenv;  ///< for `--env KEY`
    FileReader read_file;  ///< reads a manifest
    std::function<bool(const std::filesystem::path&)> is_directory;
    /// $EXO_HOME, else $HOME/.exo; nullopt when neither is set. (The CLI's other, documented
    /// read of its environment: where capsule roots live.)
    std::function<std::optional<std::filesystem::path>()> exo_home;
};

/// The outcome of interpreting the flags: options to run, or an exit code and message.
struct RunSetup {
    std::optional<CapsuleOptions> options;  ///< set on success
    bool has_manifest = false;              ///< permissions came from a Capsule.toml
    int exit_code = 0;                      ///< kExitUsage or kExitLoadError on failure
    std::string message;                    ///< one line, no "exo: " prefix, on failure
    std::optional<std::filesystem::path> audit_file;  ///< --audit, else [audit] file
    bool trace = false;                               ///< --trace or [audit] trace
    /// With --learn: where the learned list goes (Capsule.learned.toml next to the manifest, or
    /// NAME.learned.toml next to a bare module).
    std::optional<std::filesystem::path> learn_output;
    bool ok() const noexcept { return options.has_value(); }
};

/// Parse one `--dir` value: `HOST` (mounted at the same path, made absolute: `data` → `/data`),
/// `HOST::GUEST`, either with a `:ro` (read-only) or `:rw` suffix. After that rule the guest
/// path goes through normalize_guest_path (capsule/guest_path.hpp), as a manifest's does:
/// `.` and empty components dropped; `..` and `/` itself refused.
Result<MountSpec> parse_dir_flag(std::string_view value);

/// Build the options for `flags`: a manifest through options_from_manifest (the mapping
/// load_capsule_options uses), then the flags on top of it, flags winning:
/// - CAPSULE a directory → its Capsule.toml; a `*.toml` file → that manifest; otherwise a bare
///   module: no manifest, name from the file stem (sanitized), permissions io.print + io.input.
/// - `--manifest FILE` replaces the manifest (with a bare module, the module stays CAPSULE).
/// - permissions: the manifest's, then each `--allow` (validated: a bad one is a usage error
///   with the nearest suggestion); `--allow-all` sets allow_all.
/// - env: the manifest's [env], then each `--env` in order (later wins).
/// - mounts: the manifest's, then each `--dir`; limits: the manifest's, overridden by flags.
/// - args: argv[0] = the capsule name, then `flags.args`.
/// - has_manifest: whether a manifest was read (denials then point at it, else at --allow);
///   exo_home from host.exo_home (an error when it is unknown and --vfs-root is not given);
///   listen_ports from `--listen` (each still needs net.listen).
/// - audit_file/trace: `--audit`/`--trace`, else the manifest's [audit]; `--learn` sets
///   allow_all (confined to the root and mounts, as --allow-all) and learn_output.
/// Errors: a bad flag value → kExitUsage; a missing/invalid manifest → kExitLoadError.
RunSetup build_run_options(const RunFlags& flags, const RunHost& host);

/// exo's exit code for a finished run (README "Exit codes"): the guest's own code when it
/// exited (a code above 255 — which the shell would truncate, maybe to 0 — becomes 1), kExitTrap,
/// kExitLimit, or kExitLoadError.
int exit_code_for(const CapsuleReport& report) noexcept;

/// What exo prints on stderr about the outcome ("" for a normal exit): for a trap, the message
/// and the backtrace (one frame a line); for a limit, which one; for a load error, the error.
/// Every line starts with "exo: " or two spaces and ends with '\n'; guest-controlled text
/// (function names) is escaped.
std::string describe_outcome(const CapsuleReport& report, std::string_view capsule_name);

}  // namespace crush::cli
