// Copyright Crush authors.
// From a parsed manifest to CapsuleOptions: the one mapping shared by load_capsule_options
// (include/crush/embed.hpp) and `exo run` (src/cli/run_options.cpp, which applies its flags on top).
#pragma once

#include "capsule/manifest.hpp"

#include <crush/capsule.hpp>

namespace crush {

/// name, module_path = entry, args = {name}, permissions, env, mounts, limits, has_manifest.
/// Nothing else is touched (vfs_root, exo_home, stdio, host_functions keep their defaults).
CapsuleOptions options_from_manifest(const Manifest& manifest);

}  // namespace crush
