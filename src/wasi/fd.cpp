// Copyright Crush authors.
// wasi_snapshot_preview1: the fd_* functions. Each resolves the guest's fd as a virtual handle
// through the ScopedHal (EBADF / ENOTCAPABLE there); data moves directly between the host and
// the guest's own buffers (no host copy sized by the guest), and every output pointer is
// bounds-checked before anything with side effects happens.
#include "wasi/wasi_impl.hpp"

#include <algorithm>
#include <cstring>

namespace crush::wasi::impl {

namespace {

FdFlags to_fd_flags(uint16_t bits) noexcept {
    FdFlags f;
    f.append = bits & fdflags::append;
    f.dsync = bits & fdflags::dsync;
    f.nonblock = bits & fdflags::nonblock;
    f.rsync = bits & fdflags::rsync;
    f.sync = bits & fdflags::sync;
    return f;
}

uint16_t from_fd_flags(const FdFlags& f) noexcept {
    return static_cast<uint16_t>((f.append ? fdflags::append : 0) | (f.dsync ? fdflags::dsync : 0) |
                                 (f.nonblock ? fdflags::nonblock : 0) | (f.rsync ? fdflags::rsync : 0) |
                                 (f.sync ? fdflags::sync : 0));
}

}  // namespace

Filestat to_filestat(const FileStat& st) noexcept {
    Filestat out{};
    out.dev = st.dev;
    out.ino = st.ino;
    out.filetype = static_cast<uint8_t>(st.type);
    out.nlink = st.nlink;
    out.size = st.size;
    out.atim = st.atim;
    out.mtim = st.mtim;
    out.ctim = st.ctim;
    return out;
}

/// WASI fstflags → (atime, mtime). EINVAL for unknown bits or "set and now" on the same time.
HalResult<std::pair<SetTime, SetTime>> to_set_times(uint64_t atim, uint64_t mtim, uint32_t fst) noexcept {
    if (fst & ~uint32_t{fstflags::all}) return Errno::inval;
    if ((fst & fstflags::atim) && (fst & fstflags::atim_now)) return Errno::inval;
    if ((fst & fstflags::mtim) && (fst & fstflags::mtim_now)) return Errno::inval;
    SetTime a = (fst & fstflags::atim_now) ? SetTime::now()
                : (fst & fstflags::atim)   ? SetTime::at(atim)
                                           : SetTime::omit();
    SetTime m = (fst & fstflags::mtim_now) ? SetTime::now()
                : (fst & fstflags::mtim)   ? SetTime::at(mtim)
                                           : SetTime::omit();
    return std::pair{a, m};
}

Errno fd_advise(Call& c, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
    if (advice > static_cast<uint32_t>(Advice::noreuse)) return Errno::inval;
    return c.hal().advise(to_handle(fd), offset, len, static_cast<Advice>(advice)).error();
}

Errno fd_allocate(Call& c, uint32_t fd, uint64_t offset, uint64_t len) {
    return c.hal().allocate(to_handle(fd), offset, len).error();
}

Errno fd_close(Call& c, uint32_t fd) {
    return c.hal().close(to_handle(fd)).error();
}

Errno fd_datasync(Call& c, uint32_t fd) {
    return c.hal().datasync(to_handle(fd)).error();
}

Errno fd_sync(Call& c, uint32_t fd) {
    return c.hal().sync(to_handle(fd)).error();
}

Errno fd_fdstat_get(Call& c, uint32_t fd, GuestPtr out_stat) {
    if (!c.mem.in_bounds(out_stat, sizeof(Fdstat))) return Errno::fault;
    auto s = c.hal().fdstat(to_handle(fd));
    if (!s) return s.error();
    Fdstat out{};
    out.fs_filetype = static_cast<uint8_t>(s->type);
    out.fs_flags = from_fd_flags(s->flags);
    out.fs_rights_base = s->base;
    out.fs_rights_inheriting = s->inheriting;
    return c.mem.write(out_stat, out);
}

Errno fd_fdstat_set_flags(Call& c, uint32_t fd, uint32_t flags) {
    if (flags & ~uint32_t{fdflags::all}) return Errno::inval;
    return c.hal().set_fd_flags(to_handle(fd), to_fd_flags(static_cast<uint16_t>(flags))).error();
}

Errno fd_fdstat_set_rights(Call& c, uint32_t fd, uint64_t base, uint64_t inheriting) {
    return c.hal().set_rights(to_handle(fd), base, inheriting).error();
}

Errno fd_filestat_get(Call& c, uint32_t fd, GuestPtr out_stat) {
    if (!c.mem.in_bounds(out_stat, sizeof(Filestat))) return Errno::fault;
    auto st = c.hal().filestat(to_handle(fd));
    if (!st) return st.error();
    return c.mem.write(out_stat, to_filestat(*st));
}

Errno fd_filestat_set_size(Call& c, uint32_t fd, uint64_t size) {
    if (size > static_cast<uint64_t>(INT64_MAX)) return Errno::fbig;
    return c.hal().set_size(to_handle(fd), size).error();
}

Errno fd_filestat_set_times(Call& c, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
    auto times = to_set_times(atim, mtim, fst_flags);
    if (!times) return times.error();
    return c.hal().set_times(to_handle(fd), times->first, times->second).error();
}

Errno fd_pread(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset, GuestPtr out_nread) {
    if (!c.mem.in_bounds(out_nread, 4)) return Errno::fault;
    Slices s;
    if (Errno e = read_iovecs(c.mem, iovs, iovs_len, s); e != Errno::success) return e;
    if (offset > static_cast<uint64_t>(INT64_MAX)) return Errno::inval;
    auto n = c.hal().pread(to_handle(fd), s.view(), offset);
    if (!n) return n.error();
    return c.mem.write<uint32_t>(out_nread, static_cast<uint32_t>(*n));
}

Errno fd_pwrite(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset,
                GuestPtr out_nwritten) {
    if (!c.mem.in_bounds(out_nwritten, 4)) return Errno::fault;
    ConstSlices s;
    if (Errno e = read_ciovecs(c.mem, iovs, iovs_len, s); e != Errno::success) return e;
    if (offset > static_cast<uint64_t>(INT64_MAX)) return Errno::inval;
    auto n = c.hal().pwrite(to_handle(fd), s.view(), offset);
    if (!n) return n.error();
    return c.mem.write<uint32_t>(out_nwritten, static_cast<uint32_t>(*n));
}

Errno fd_read(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr out_nread) {
    if (!c.mem.in_bounds(out_nread, 4)) return Errno::fault;
    Slices s;
    if (Errno e = read_iovecs(c.mem, iovs, iovs_len, s); e != Errno::success) return e;
    auto n = c.hal().read(to_handle(fd), s.view());
    if (!n) return n.error();
    return c.mem.write<uint32_t>(out_nread, static_cast<uint32_t>(*n));
}

Errno fd_write(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr out_nwritten) {
    if (!c.mem.in_bounds(out_nwritten, 4)) return Errno::fault;
    ConstSlices s;
    if (Errno e = read_ciovecs(c.mem, iovs, iovs_len, s); e != Errno::success) return e;
    auto n = c.hal().write(to_handle(fd), s.view());
    if (!n) return n.error();
    return c.mem.write<uint32_t>(out_nwritten, static_cast<uint32_t>(*n));
}

Errno fd_prestat_get(Call& c, uint32_t fd, GuestPtr out_prestat) {
    if (!c.mem.in_bounds(out_prestat, sizeof(Prestat))) return Errno::fault;
    auto path = c.hal().preopen_path(to_handle(fd));
    if (!path) return path.error();
    Prestat p{};
    p.tag = kPreopentypeDir;
    p.pr_name_len = static_cast<uint32_t>(path->size());
    return c.mem.write(out_prestat, p);
}

Errno fd_prestat_dir_name(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len) {
    auto out = c.mem.bytes(path, path_len);
    if (!out) return Errno::fault;
    auto name = c.hal().preopen_path(to_handle(fd));
    if (!name) return name.error();
    if (name->size() > path_len) return Errno::nametoolong;
    std::memcpy(out->data(), name->data(), name->size());
    return Errno::success;
}

Errno fd_readdir(Call& c, uint32_t fd, GuestPtr buf, uint32_t buf_len, uint64_t cookie, GuestPtr out_used) {
    auto out = c.mem.bytes(buf, buf_len);
    if (!out || !c.mem.in_bounds(out_used, 4)) return Errno::fault;
    // Entries are fetched in bounded batches and serialized straight into the guest buffer; the
    // last entry may be cut short, which tells the guest to call again with a bigger buffer.
    size_t used = 0;
    uint64_t next = cookie;
    bool full = false;
    while (!full) {
        auto batch = c.hal().read_dir(to_handle(fd), next, kReaddirBatch);
        if (!batch) return batch.error();
        if (batch->empty()) break;
        for (const DirEntry& e : *batch) {
            Dirent d{};
            d.d_next = e.next;
            d.d_ino = e.ino;
            d.d_namlen = static_cast<uint32_t>(e.name.size());
            d.d_type = static_cast<uint8_t>(e.type);
            size_t n = std::min(sizeof d, out->size() - used);
            std::memcpy(out->data() + used, &d, n);
            used += n;
            n = std::min(e.name.size(), out->size() - used);
            std::memcpy(out->data() + used, e.name.data(), n);
            used += n;
            next = e.next;
            if (used == out->size()) {
                full = true;
                break;
            }
        }
    }
    return c.mem.write<uint32_t>(out_used, static_cast<uint32_t>(used));
}

Errno fd_renumber(Call& c, uint32_t fd, uint32_t to) {
    return c.hal().renumber(to_handle(fd), to_handle(to)).error();
}

Errno fd_seek(Call& c, uint32_t fd, int64_t offset, uint32_t whence, GuestPtr out_offset) {
    if (whence > static_cast<uint32_t>(Whence::end)) return Errno::inval;
    if (!c.mem.in_bounds(out_offset, 8)) return Errno::fault;
    auto pos = c.hal().seek(to_handle(fd), offset, static_cast<Whence>(whence));
    if (!pos) return pos.error();
    return c.mem.write<uint64_t>(out_offset, *pos);
}

Errno fd_tell(Call& c, uint32_t fd, GuestPtr out_offset) {
    if (!c.mem.in_bounds(out_offset, 8)) return Errno::fault;
    auto pos = c.hal().seek(to_handle(fd), 0, Whence::cur);
    if (!pos) return pos.error();
    return c.mem.write<uint64_t>(out_offset, *pos);
}

}  // namespace crush::wasi::impl
