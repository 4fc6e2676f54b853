// Copyright Crush authors.
// The one normalizer for a mount's guest path (where a host directory appears inside a capsule),
// shared by the manifest's [[mounts]] guest and `exo run --dir HOST::GUEST`, so both accept and
// spell the same paths the same way.
#pragma once

#include <crush/result.hpp>

#include <string>
#include <string_view>

namespace crush {

/// Normalize an absolute guest path the way POSIX reads it, without touching any file system:
///   - it must start with '/' (a relative path is an error: mounts have no working directory);
///   - empty components ("//") and trailing slashes are dropped;
///   - "." components are dropped ("/a/./b" is "/a/b");
///   - a ".." component is an error: resolving it lexically would silently change which mount
///     a path names, and a mount point never needs one;
///   - a NUL byte is an error, and so is "/" itself (the capsule's root is not a mount point).
/// The result is "/a/b": no "." or empty component, no trailing '/'. Errors are
/// ErrorKind::invalid with a message that completes "guest path 'X' …" (no prefix, not escaped).
Result<std::string> normalize_guest_path(std::string_view path);

}  // namespace crush
