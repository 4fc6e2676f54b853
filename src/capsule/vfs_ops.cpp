// Copyright Crush authors.
// Vfs operations: resolve the path to (parent, name), check the domain's rules, then act on the
// name with a no-follow host call. Final symlinks the caller wanted followed were already
// expanded inside the namespace by resolve(); if one appears at the name afterwards, somebody
// swapped it in concurrently, and the no-follow call refuses it (Errno::loop) instead of letting
// the kernel follow it out of the root.
#include "capsule/vfs.hpp"

namespace crush {

namespace {

/// How many times an open retries when a symlink is swapped in between resolve and open.
constexpr int kSwapRetries = 3;

bool open_writes(const OpenOptions& o) noexcept {
    return o.access != OpenOptions::Access::read || o.create || o.trunc || o.append;
}

}  // namespace

HalResult<VfsOpened> Vfs::open(const VfsBase& base, std::string_view path, const OpenOptions& options) noexcept {
    const bool follow = !options.nofollow;
    for (int attempt = 0;; ++attempt) {
        CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, follow));
        if (r.read_only && open_writes(options))
            return Errno::rofs;
        OpenOptions host = options;
        host.nofollow = true;
        host.directory = options.directory || r.trailing_slash;
        auto h = m_hal.open_at(r.parent.fd(), r.name, host);
        if (!h.ok()) {
            if (h.error() == Errno::loop && follow && attempt < kSwapRetries)
                continue;  // a symlink appeared after resolve: resolve again, inside the namespace
            return h.error();
        }
        CRUSH_HAL_ASSIGN(FileStat st, m_hal.fstat(h->fd()));
        VfsOpened out;
        out.handle = std::move(*h);
        out.virtual_path = std::move(r.virtual_path);
        out.type = st.type;
        out.read_only = r.read_only;
        return out;
    }
}

HalResult<FileStat> Vfs::stat(const VfsBase& base, std::string_view path, bool follow) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, follow));
    CRUSH_HAL_ASSIGN(FileStat st, m_hal.stat_at(r.parent.fd(), r.name, false));
    if (r.trailing_slash && st.type != FileType::directory)
        return Errno::notdir;
    return st;
}

HalResult<void> Vfs::mkdir(const VfsBase& base, std::string_view path, uint32_t mode) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, false));
    if (r.read_only)
        return Errno::rofs;
    if (r.name == ".")
        return Errno::exist;  // "/", "a/..", a mount point: it is there already
    return m_hal.mkdir_at(r.parent.fd(), r.name, mode);
}

HalResult<void> Vfs::unlink(const VfsBase& base, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, false));
    if (r.read_only)
        return Errno::rofs;
    if (r.name == ".")
        return Errno::isdir;
    if (r.trailing_slash) {
        // "file/" names no file; "dir/" is a directory. Either way unlink refuses.
        CRUSH_HAL_ASSIGN(FileStat st, m_hal.stat_at(r.parent.fd(), r.name, false));
        return st.type == FileType::directory ? Errno::isdir : Errno::notdir;
    }
    return m_hal.unlink_at(r.parent.fd(), r.name);
}

HalResult<void> Vfs::rmdir(const VfsBase& base, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, false));
    if (r.read_only)
        return Errno::rofs;
    if (r.name == ".")
        return r.virtual_path == "/" || domain_of(r.virtual_path) != 0 ? Errno::busy : Errno::inval;
    return m_hal.rmdir_at(r.parent.fd(), r.name);
}

HalResult<void> Vfs::rename(const VfsBase& old_base, std::string_view old_path, const VfsBase& new_base,
                            std::string_view new_path) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved from, resolve(old_base, old_path, false));
    CRUSH_HAL_ASSIGN(VfsResolved to, resolve(new_base, new_path, false));
    if (from.domain != to.domain)
        return Errno::xdev;  // never move a file between the root and a mount, or two mounts
    if (from.read_only || to.read_only)
        return Errno::rofs;
    if (from.name == "." || to.name == ".")
        return Errno::busy;  // the root, a mount point or "x/..": not renameable
    if (from.trailing_slash || to.trailing_slash) {
        CRUSH_HAL_ASSIGN(FileStat st, m_hal.stat_at(from.parent.fd(), from.name, false));
        if (st.type != FileType::directory)
            return Errno::notdir;
    }
    return m_hal.rename_at(from.parent.fd(), from.name, to.parent.fd(), to.name);
}

HalResult<void> Vfs::symlink(std::string_view target, const VfsBase& base, std::string_view path) noexcept {
    if (target.empty())
        return Errno::noent;
    if (target.find('\0') != std::string_view::npos)
        return Errno::inval;
    if (target.size() >= kHalMaxPath)
        return Errno::nametoolong;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, false));
    if (r.read_only)
        return Errno::rofs;
    if (r.name == ".")
        return Errno::exist;
    return m_hal.symlink_at(target, r.parent.fd(), r.name);
}

HalResult<std::string> Vfs::readlink(const VfsBase& base, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, false));
    if (r.name == ".")
        return Errno::inval;
    return m_hal.readlink_at(r.parent.fd(), r.name);
}

HalResult<void> Vfs::link(const VfsBase& old_base, std::string_view old_path, const VfsBase& new_base,
                          std::string_view new_path) noexcept {
    // The source is resolved without following its final symlink and linked with linkat(0), so
    // the new name always refers to an inode that already had a name inside the same domain.
    CRUSH_HAL_ASSIGN(VfsResolved from, resolve(old_base, old_path, false));
    CRUSH_HAL_ASSIGN(VfsResolved to, resolve(new_base, new_path, false));
    if (from.domain != to.domain)
        return Errno::xdev;  // e.g. a read-only mount's file linked into the writable root
    if (from.read_only || to.read_only)
        return Errno::rofs;
    if (from.name == ".")
        return Errno::perm;  // no hard links to directories
    if (to.name == ".")
        return Errno::exist;
    if (from.trailing_slash)
        return Errno::notdir;
    return m_hal.link_at(from.parent.fd(), from.name, to.parent.fd(), to.name, false);
}

HalResult<void> Vfs::set_times(const VfsBase& base, std::string_view path, SetTime atime, SetTime mtime,
                               bool follow) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(base, path, follow));
    if (r.read_only)
        return Errno::rofs;
    return m_hal.set_times_at(r.parent.fd(), r.name, atime, mtime, false);
}

}  // namespace crush
