// Copyright Crush authors.
// `exo vfs`'s logic: list and delete capsules' stored roots under $EXO_HOME/vfs, through the Hal
// only (NativeHal stays the only code making system calls). Every step works on directory
// handles it holds, opening each child with O_NOFOLLOW|O_DIRECTORY and deleting with
// unlinkat relative to its parent: a symlink a capsule planted (even one swapped in while we
// walk) is removed or listed as a link, never followed, so nothing outside
// $EXO_HOME/vfs/NAME is ever read or deleted.
#pragma once

#include "hal/hal.hpp"

#include <crush/result.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crush::cli {

/// Deepest directory nesting walked (a capsule could build deeper trees; we stop with an error
/// rather than recurse without bound).
inline constexpr size_t kVfsMaxDepth = 256;
/// Most entries listed by one `exo vfs ls`.
inline constexpr size_t kVfsMaxListed = 100000;

/// One entry of a stored root.
struct VfsEntry {
    std::string path;         ///< virtual path as the capsule sees it ("/data/x.txt")
    FileType type = FileType::unknown;
    uint64_t size = 0;        ///< bytes (files); 0 for directories
    std::string link_target;  ///< symlinks: their contents, verbatim (not followed)
};

/// One capsule root under $EXO_HOME/vfs.
struct VfsRootSummary {
    std::string name;
    uint64_t files = 0;
    uint64_t bytes = 0;       ///< sum of regular files' sizes
};

/// Every entry under the directory `root` (held open), depth first, names sorted.
/// Errors: ErrorKind::io with the Hal's message and the virtual path.
Result<std::vector<VfsEntry>> list_vfs_tree(Hal& hal, HostFd root);

/// Delete `name` inside the held directory `parent`, recursively, never following a symlink
/// (a symlink is unlinked itself). Errors: ErrorKind::io naming the virtual path that failed.
Result<void> remove_vfs_tree(Hal& hal, HostFd parent, std::string_view name);

/// Open `dir` (a trusted host path, e.g. $EXO_HOME/vfs) as a directory handle.
Result<HostHandle> open_host_directory(Hal& hal, const std::filesystem::path& dir);

/// Open the child directory `name` of the held `parent` without following a symlink.
Result<HostHandle> open_child_directory(Hal& hal, HostFd parent, std::string_view name);

/// The capsule roots under the held `vfs_dir` (directories with valid capsule names), sorted,
/// with their file counts and sizes.
Result<std::vector<VfsRootSummary>> list_vfs_roots(Hal& hal, HostFd vfs_dir);

/// "1.5 KiB"-style size for listings ("512 B" under 1 KiB).
std::string format_listing_size(uint64_t bytes);

/// The text `exo vfs ls NAME` prints for `entries` (one line each, "SIZE  PATH", directories
/// with a trailing '/', symlinks "PATH -> TARGET"), names escaped for the terminal.
std::string format_vfs_listing(const std::vector<VfsEntry>& entries);

}  // namespace crush::cli
