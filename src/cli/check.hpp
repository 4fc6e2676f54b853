// Copyright Crush authors.
// `exo check`'s logic, apart from CLI11 and the host so it is unit-testable: validate a
// capsule's manifest and module and list every problem as `FILE[:LINE:COL]: error|warning: …`.
//   - the manifest: TOML syntax, unknown keys, bad permissions, sizes and names (the
//     manifest parser's first error, with its suggestion);
//   - the entry: missing or unreadable;
//   - the module: malformed or invalid (byte offset);
//   - imports: from modules Crush does not provide, or that no granted permission can satisfy
//     (capsule/capability_map.hpp) — an error at the manifest's [permissions] line;
//   - limits out of range (memory below what the module needs at start or above wasm32's
//     4 GiB, zero fuel/handles/time), mounts whose host directory is missing;
//   - warnings: granted permissions the module never asks for (least privilege).
// Clean = no errors; warnings alone still exit 0.
#pragma once

#include "capsule/manifest.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace crush::cli {

/// One problem found by check.
struct Diagnostic {
    enum class Severity : uint8_t { error, warning };
    std::string file;       ///< as displayed (the manifest or module path as the user gave it)
    uint32_t line = 0;      ///< 1-based; 0 = no position (a module, or the whole file)
    uint32_t column = 0;
    Severity severity = Severity::error;
    std::string message;    ///< already escaped for the terminal; says what to do
};

/// "Capsule.toml:6:1: error: …" (no position: "hello.wasm: error: …"), no newline.
std::string format_diagnostic(const Diagnostic& d);

/// What check needs from the host.
struct CheckHost {
    FileReader read_file;                                            ///< whole files
    std::function<bool(const std::filesystem::path&)> is_directory;  ///< following symlinks
};

/// Check CAPSULE (a directory with Capsule.toml, a .toml manifest, or a bare .wasm, as for
/// `exo run`). Diagnostics in the order found: manifest, entry, module, imports, limits, mounts,
/// then warnings.
std::vector<Diagnostic> check_capsule(const std::string& capsule, const CheckHost& host);

/// Whether any diagnostic is an error.
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace crush::cli
