// Copyright Crush authors.
// Host-side file access for the tool commands (inspect, check, init, vfs), through the Hal so
// NativeHal stays the only code making system calls (DESIGN.md), and the rule that turns a
// CAPSULE argument into a manifest and a module, shared by inspect and check.
#pragma once

#include "hal/hal.hpp"

#include <crush/result.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crush::cli {

/// The most a tool command reads of a manifest.
inline constexpr size_t kMaxManifestFileBytes = size_t{1} << 20;
/// The most a tool command reads of a module (a wasm32 module larger than this is not a capsule).
inline constexpr size_t kMaxModuleFileBytes = size_t{512} << 20;

/// Read the whole host file `path` (relative to the working directory) through `hal`.
/// Errors (ErrorKind::io): the Hal's errno described, or "larger than N bytes".
Result<std::string> read_host_file(Hal& hal, const std::filesystem::path& path, size_t max_bytes);

/// Whether `path` is a directory (following symlinks: the user named it).
bool is_host_directory(Hal& hal, const std::filesystem::path& path);

/// What CAPSULE names: a directory holding Capsule.toml, a `.toml` manifest, or a bare module.
struct CapsuleTarget {
    std::optional<std::filesystem::path> manifest;  ///< set unless CAPSULE is a bare module
    std::filesystem::path module;                   ///< the bare module (manifest: from its entry)
};

/// Apply the `exo run` rule for CAPSULE (without reading anything but a directory check).
CapsuleTarget classify_capsule_argument(Hal& hal, const std::string& capsule);

}  // namespace crush::cli
