// Copyright Crush authors.
// wasi_snapshot_preview1: the path_* functions. A path is guest bytes (pointer + length,
// bounds-checked; a NUL byte inside is EINVAL in the Vfs) relative to a directory handle; the
// ScopedHal resolves it inside the capsule's namespace and gates it on the resolved path.
#include "wasi/wasi_impl.hpp"

#include <algorithm>
#include <cstring>

namespace crush::wasi::impl {

namespace {

std::optional<std::string_view> guest_path(Call& c, GuestPtr path, uint32_t len) noexcept {
    return c.mem.string(path, len);
}

}  // namespace

Errno path_create_directory(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len) {
    auto p = guest_path(c, path, path_len);
    if (!p) return Errno::fault;
    return c.hal().mkdir(to_handle(fd), *p).error();
}

Errno path_filestat_get(Call& c, uint32_t fd, uint32_t flags, GuestPtr path, uint32_t path_len,
                        GuestPtr out_stat) {
    auto p = guest_path(c, path, path_len);
    if (!p || !c.mem.in_bounds(out_stat, sizeof(Filestat))) return Errno::fault;
    auto st = c.hal().stat(to_handle(fd), *p, flags & lookupflags::symlink_follow);
    if (!st) return st.error();
    return c.mem.write(out_stat, to_filestat(*st));
}

Errno path_filestat_set_times(Call& c, uint32_t fd, uint32_t flags, GuestPtr path, uint32_t path_len,
                              uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
    auto p = guest_path(c, path, path_len);
    if (!p) return Errno::fault;
    auto times = to_set_times(atim, mtim, fst_flags);
    if (!times) return times.error();
    return c.hal()
        .set_times(to_handle(fd), *p, times->first, times->second, flags & lookupflags::symlink_follow)
        .error();
}

Errno path_link(Call& c, uint32_t old_fd, uint32_t old_flags, GuestPtr old_path, uint32_t old_len,
                uint32_t new_fd, GuestPtr new_path, uint32_t new_len) {
    auto op = guest_path(c, old_path, old_len);
    auto np = guest_path(c, new_path, new_len);
    if (!op || !np) return Errno::fault;
    return c.hal()
        .link(to_handle(old_fd), *op, old_flags & lookupflags::symlink_follow, to_handle(new_fd), *np)
        .error();
}

Errno path_open(Call& c, uint32_t fd, uint32_t dirflags, GuestPtr path, uint32_t path_len, uint32_t oflags,
                uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, GuestPtr out_fd) {
    auto p = guest_path(c, path, path_len);
    if (!p || !c.mem.in_bounds(out_fd, 4)) return Errno::fault;
    if (oflags & ~uint32_t{oflags::all}) return Errno::inval;
    if (fdflags & ~uint32_t{fdflags::all}) return Errno::inval;
    OpenRequest req;
    req.follow = dirflags & lookupflags::symlink_follow;
    req.create = oflags & oflags::creat;
    req.directory = oflags & oflags::directory;
    req.excl = oflags & oflags::excl;
    req.trunc = oflags & oflags::trunc;
    req.base = rights_base;
    req.inheriting = rights_inheriting;
    req.flags.append = fdflags & fdflags::append;
    req.flags.dsync = fdflags & fdflags::dsync;
    req.flags.nonblock = fdflags & fdflags::nonblock;
    req.flags.rsync = fdflags & fdflags::rsync;
    req.flags.sync = fdflags & fdflags::sync;
    auto h = c.hal().open(to_handle(fd), *p, req);
    if (!h) return h.error();
    return c.mem.write<uint32_t>(out_fd, static_cast<uint32_t>(*h));
}

Errno path_readlink(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len, GuestPtr buf, uint32_t buf_len,
                    GuestPtr out_used) {
    auto p = guest_path(c, path, path_len);
    auto out = c.mem.bytes(buf, buf_len);
    if (!p || !out || !c.mem.in_bounds(out_used, 4)) return Errno::fault;
    auto target = c.hal().readlink(to_handle(fd), *p);
    if (!target) return target.error();
    // Truncated to the buffer, as readlink(2) does.
    const size_t n = std::min<size_t>(target->size(), buf_len);
    std::memcpy(out->data(), target->data(), n);
    return c.mem.write<uint32_t>(out_used, static_cast<uint32_t>(n));
}

Errno path_remove_directory(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len) {
    auto p = guest_path(c, path, path_len);
    if (!p) return Errno::fault;
    return c.hal().rmdir(to_handle(fd), *p).error();
}

Errno path_rename(Call& c, uint32_t fd, GuestPtr old_path, uint32_t old_len, uint32_t new_fd,
                  GuestPtr new_path, uint32_t new_len) {
    auto op = guest_path(c, old_path, old_len);
    auto np = guest_path(c, new_path, new_len);
    if (!op || !np) return Errno::fault;
    return c.hal().rename(to_handle(fd), *op, to_handle(new_fd), *np).error();
}

Errno path_symlink(Call& c, GuestPtr old_path, uint32_t old_len, uint32_t fd, GuestPtr new_path,
                   uint32_t new_len) {
    auto target = guest_path(c, old_path, old_len);
    auto np = guest_path(c, new_path, new_len);
    if (!target || !np) return Errno::fault;
    return c.hal().symlink(*target, to_handle(fd), *np).error();
}

Errno path_unlink_file(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len) {
    auto p = guest_path(c, path, path_len);
    if (!p) return Errno::fault;
    return c.hal().unlink(to_handle(fd), *p).error();
}

}  // namespace crush::wasi::impl
