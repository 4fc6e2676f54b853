// Copyright Crush authors.
// The disk quota's starting figure: bytes stored under a capsule's root, counted through the Hal.
#pragma once

#include "hal/hal.hpp"

#include <cstdint>

namespace crush {

/// Sum of the sizes (apparent size, st_size) of the regular files beneath directory `dir`,
/// recursively, never following symlinks (a link's own size is not counted; it stores a few
/// bytes). Subdirectories deeper than `max_depth` are skipped (a hostile tree cannot exhaust
/// descriptors). Entries that vanish or cannot be opened while walking are skipped.
HalResult<uint64_t> stored_bytes(Hal& hal, HostFd dir, unsigned max_depth = 64) noexcept;

}  // namespace crush
