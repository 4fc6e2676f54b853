// Copyright Crush authors.
// The capsule manifest, Capsule.toml (parsed with toml++):
//
//   [capsule]      name (required; becomes a directory name), version, entry (the .wasm,
//                  relative to the manifest's directory; default "<name>.wasm")
//   [permissions]  allow = ["io.print", "fs.read:/data/**", …]   (see permissions.hpp)
//   [env]          KEY = "value" …  — the capsule's whole environment (strings only)
//   [limits]       fuel = N | "unlimited"; time = "2s" (a unit is required); memory, disk,
//                  io = bytes or "64MiB"; handles = N   (see limits.hpp)
//   [[mounts]]     host = "dir" (relative to the manifest's directory), guest = "/abs",
//                  read_only = false
//   [audit]        file = "audit.jsonl" (relative to the manifest's directory): one JSON line per
//                  capability decision; trace = true: the same on stderr, human-readable
//
// Anything else — an unknown table or key, a value of the wrong type, a bad permission, size or
// name — is an error "FILE:LINE:COL: message" that names the key and suggests the nearest valid
// key or permission.
#pragma once

#include <crush/capsule.hpp>
#include <crush/result.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crush {

/// The longest capsule name accepted.
inline constexpr size_t kMaxCapsuleNameLength = 64;

/// Check a capsule name (it becomes a directory name under $EXO_HOME/vfs): non-empty, at most
/// kMaxCapsuleNameLength bytes, not "." or "..", only [A-Za-z0-9._-] (so no `/`, no `..`
/// component, no NUL, control or space, nothing a shell or terminal interprets), and not
/// starting with '-' or '.' (option look-alikes, hidden directories). The error says which
/// rule failed, with the name escaped.
Result<void> validate_capsule_name(std::string_view name);

/// A capsule name derived from a file stem ("my app.wasm" → "my_app"): characters outside
/// [A-Za-z0-9._-] become '_', leading '.'/'-' become '_', truncated to the maximum length;
/// "capsule" if nothing is left. The result always passes validate_capsule_name.
std::string sanitize_capsule_name(std::string_view stem);

/// A parsed, validated manifest. Paths are resolved against the manifest's directory.
struct Manifest {
    std::string name;                                      ///< validated
    std::string version;                                   ///< free text ("" when absent)
    std::filesystem::path entry;                           ///< the module: base_dir / entry as written
    std::vector<std::string> permissions;                  ///< validated permission strings, in order
    std::vector<std::pair<std::string, std::string>> env;  ///< validated, in file order
    CapsuleLimits limits;                                  ///< unset fields: defaults (limits.hpp)
    std::vector<MountSpec> mounts;   ///< host_path absolute-or-relative-to-base, guest normalized
    std::filesystem::path base_dir;  ///< the manifest's directory
    std::optional<std::filesystem::path> audit_file;  ///< [audit] file, resolved against base_dir
    bool audit_trace = false;                         ///< [audit] trace
};

/// Parse manifest text. `display_name` prefixes error messages ("Capsule.toml:4:1: …");
/// `base_dir` anchors `entry` and relative mount hosts. Errors: ErrorKind::malformed for TOML
/// syntax, ErrorKind::invalid for everything else. Never throws. `extra_permissions` are accepted
/// verbatim in `allow` besides the built-in ones: an embedder's own (host_function.hpp).
Result<Manifest> parse_manifest(std::string_view text, std::string_view display_name,
                                const std::filesystem::path& base_dir = {},
                                std::span<const std::string> extra_permissions = {});

/// Reads a whole file. Supplied by the caller (the CLI backs it by the Hal): this layer makes
/// no system calls.
using FileReader = std::function<Result<std::string>(const std::filesystem::path&)>;

/// Read `path` with `read` and parse it; errors are prefixed with the path as given
/// ("caps/hello/Capsule.toml:4:1: …"); a read failure keeps its ErrorKind::io.
/// `extra_permissions` as for parse_manifest.
Result<Manifest> load_manifest(const std::filesystem::path& path, const FileReader& read,
                               std::span<const std::string> extra_permissions = {});

}  // namespace crush
