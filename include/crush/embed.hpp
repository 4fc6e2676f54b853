// Copyright Crush authors.
// The embedding API in one include: capsules (capsule.hpp), embedder host functions
// (host_function.hpp), the VM types (wasm.hpp), and loading a capsule from disk.
//
//     auto options = crush::load_capsule_options("caps/hello", {lookup_spec});
//     if (!options) { /* options.error().message says what and where */ }
//     options->exo_home = "/var/lib/myapp/exo";        // where capsule roots live
//     options->limits.fuel = 10'000'000;
//     auto capsule = crush::Capsule::create(std::move(*options));
//     crush::CapsuleReport report = (*capsule)->run();
#pragma once

#include <crush/capsule.hpp>
#include <crush/host_function.hpp>
#include <crush/result.hpp>
#include <crush/wasm.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace crush {

/// The file name looked for when load_capsule_options is given a directory.
inline constexpr const char* kManifestFileName = "Capsule.toml";

/// Build CapsuleOptions from a capsule on disk, the way `exo run CAPSULE` does.
/// `path`: a directory holding Capsule.toml, or a manifest file (any name).
/// Sets name, module_path (the manifest's `entry`, resolved against the manifest's directory),
/// args = {name}, permissions, env, mounts, limits and has_manifest = true. Leaves vfs_root and
/// exo_home unset (the embedder decides where capsule roots live: set one before
/// Capsule::create), stdio at 0/1/2, host_functions empty.
/// `host_permissions`: embedder permissions the manifest may list in `[permissions] allow`
/// besides the built-in ones (normally the `permission` of each HostFunctionSpec to be added);
/// any other unknown permission is an error, as in `exo run`.
/// Errors: ErrorKind::io when the manifest cannot be read; ErrorKind::malformed (TOML syntax)
/// or ErrorKind::invalid with "FILE:LINE:COL: message". The file is read through the Hal.
Result<CapsuleOptions> load_capsule_options(const std::filesystem::path& path,
                                            std::span<const std::string> host_permissions = {});

/// Same, offering `host_functions`: their permissions are accepted in the manifest and the
/// specs are moved into the returned options' host_functions.
Result<CapsuleOptions> load_capsule_options(const std::filesystem::path& path,
                                            std::vector<HostFunctionSpec> host_functions);

}  // namespace crush
