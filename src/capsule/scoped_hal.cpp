// Copyright Crush authors.
// ScopedHal: see scoped_hal.hpp for the order every operation follows (handle, resolve, gate,
// meter, Hal) and the deliberate choices.
#include "capsule/scoped_hal.hpp"

#include "capsule/meter_disk.hpp"

#include <algorithm>
#include <array>

namespace crush {

namespace {

// Identities of the standard streams, kept in HandleEntry::virtual_path. They can never collide
// with a virtual path (those start with '/'), and they follow the entry through fd_renumber.
constexpr std::string_view kStdinPath = "<stdin>";
constexpr std::string_view kStdoutPath = "<stdout>";
constexpr std::string_view kStderrPath = "<stderr>";
constexpr std::string_view kSocketPath = "<socket>";

bool is_stdin(const HandleEntry& e) noexcept {
    return e.virtual_path == kStdinPath;
}
bool is_stdout(const HandleEntry& e) noexcept {
    return e.virtual_path == kStdoutPath || e.virtual_path == kStderrPath;
}
bool has_virtual_path(const HandleEntry& e) noexcept {
    return !e.virtual_path.empty() && e.virtual_path[0] == '/';
}

/// Rights that make an open need write access on the host. (fd_datasync is not one: it works on a
/// read-only descriptor, and directories carry it.)
constexpr Rights kWriteRights = rights::fd_write | rights::fd_allocate | rights::fd_filestat_set_size;
constexpr Rights kReadRights = rights::fd_read | rights::fd_readdir;

template <typename Slice>
uint64_t total_size(std::span<const Slice> slices) noexcept {
    uint64_t n = 0;
    for (const Slice& s : slices) n += s.size;
    return n;
}

/// Room for a clamped copy of a transfer's slices. Left uninitialized (only what clamp_slices
/// wrote is read): every transfer declares one, and zeroing 16 KiB per call would cost more
/// than the call.
template <typename Slice>
struct SliceStorage {
    SliceStorage() noexcept {}  // NOLINT: deliberately leaves `items` uninitialized
    union {
        std::array<Slice, kHalMaxIoSlices> items;
    };
};

/// The first `limit` bytes of `slices`, copied into `storage` (bounded: at most kHalMaxIoSlices).
template <typename Slice>
std::span<const Slice> clamp_slices(std::span<const Slice> slices, uint64_t limit,
                                    SliceStorage<Slice>& storage) noexcept {
    size_t n = 0;
    for (const Slice& s : slices) {
        if (limit == 0 || n == storage.items.size()) break;
        Slice c = s;
        if (c.size > limit) c.size = static_cast<size_t>(limit);
        limit -= c.size;
        storage.items[n++] = c;
    }
    return {storage.items.data(), n};
}

}  // namespace

HalResult<void> check_beneath(std::string_view path) noexcept {
    if (path.find('\0') != std::string_view::npos) return Errno::inval;
    if (path.size() >= kHalMaxPath) return Errno::nametoolong;
    if (!path.empty() && path.front() == '/') return Errno::notcapable;
    int64_t depth = 0;
    size_t i = 0;
    while (i < path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        std::string_view c = path.substr(i, j - i);
        if (c == "..") {
            if (--depth < 0) return Errno::notcapable;
        } else if (!c.empty() && c != ".") {
            ++depth;
        }
        i = j + 1;
    }
    return {};
}

std::string lexical_path(std::string_view base, std::string_view path) {
    std::string out(base);
    if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
    size_t i = 0;
    while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        std::string_view c = path.substr(i, j - i);
        if (c == "..") {
            size_t cut = out.rfind('/');
            out.resize(cut == 0 ? 1 : cut);
        } else if (!c.empty() && c != ".") {
            if (out.back() != '/') out += '/';
            out.append(c);
        }
        i = j + 1;
    }
    return out;
}

ScopedHal::ScopedHal(std::shared_ptr<Hal> base, ScopedHalConfig config) noexcept
    : m_base(std::move(base)), m_config(std::move(config)), m_meter(m_config.meter) {
    if (!m_meter) m_meter = std::make_shared<Meter>();
    // The grants never change while the capsule lives: answer the unscoped ones (clock, io.*,
    // random, checked on every such host call) from a bit mask.
    for (size_t i = 0; i < kCapabilityCount; ++i)
        if (m_config.permissions.allows(static_cast<Capability>(i))) m_allowed |= 1u << i;
}

ScopedHal::~ScopedHal() {
    // Registry first (it closes host resources through m_base), then the Vfs's held directories.
    m_handles.reset();
    m_vfs.reset();
}

HalResult<std::unique_ptr<ScopedHal>> ScopedHal::create(std::shared_ptr<Hal> base,
                                                        ScopedHalConfig config) noexcept {
    if (!base) return Errno::inval;
    std::unique_ptr<ScopedHal> s(new (std::nothrow) ScopedHal(std::move(base), std::move(config)));
    if (!s) return Errno::nomem;
    CRUSH_HAL_TRY(s->init());
    return s;
}

HalResult<void> ScopedHal::init() noexcept {
    CRUSH_HAL_ASSIGN(m_vfs,
                     Vfs::create(*m_base, m_config.root_host_path, m_config.mounts, m_config.vfs_options));
    m_handles = std::make_unique<HandleRegistry>(m_config.max_handles);
    if (m_meter->meters_disk()) {
        // The quota counts what is already stored: the capsule's earlier runs' files.
        auto stored = stored_bytes(*m_base, m_vfs->domain_dir(0));
        if (stored) m_meter->account_disk(static_cast<int64_t>(*stored));
    }

    // Standard streams: dups, so a capsule closing its fd 1 never closes the embedder's.
    constexpr std::array<std::string_view, 3> names{kStdinPath, kStdoutPath, kStderrPath};
    for (uint32_t i = 0; i < 3; ++i) {
        auto stream = m_base->std_stream(static_cast<StdStream>(i));
        if (!stream) continue;  // a closed host stream: the guest's fd is simply not there (EBADF)
        Rights r = rights::fd_fdstat_set_flags | rights::fd_filestat_get | rights::poll_fd_readwrite;
        r |= i == 0 ? rights::fd_read : rights::fd_write;
        auto st = m_base->fstat(stream->fd());
        if (st && st->type == FileType::regular_file) r |= rights::fd_seek | rights::fd_tell;
        HandleInit init;
        init.never_blocks = st && st->type == FileType::regular_file;
        init.kind = HandleKind::file;
        init.host = std::move(stream).value();
        init.base = r;
        init.inheriting = 0;
        init.virtual_path = std::string(names[i]);
        CRUSH_HAL_TRY(m_handles->insert_at(static_cast<Handle>(i), std::move(init)));
    }

    // Preopens: the root at 3, mounts at 4, 5, …; IDs 3..99 are the alias range.
    const size_t domains = m_vfs->mounts().size() + 1;
    if (domains + m_config.listeners.size() > static_cast<size_t>(Handle::first_dynamic) - 3)
        return Errno::nfile;
    for (size_t d = 0; d < domains; ++d) {
        CRUSH_HAL_ASSIGN(HostHandle dir, m_base->duplicate(m_vfs->domain_dir(d)));
        HandleInit init;
        init.kind = HandleKind::directory;
        init.host = std::move(dir);
        init.base = kDirectoryRights;
        init.inheriting = rights::all;
        init.virtual_path = std::string(m_vfs->domain_guest_path(d));
        init.preopen = true;
        init.never_blocks = true;
        init.read_only = m_vfs->domain_read_only(d);
        CRUSH_HAL_TRY(m_handles->insert_at(static_cast<Handle>(3 + d), std::move(init)));
    }

    // Listening sockets (WASI preview1 can only accept on preopened sockets).
    uint32_t next = static_cast<uint32_t>(3 + domains);
    for (const SocketAddress& addr : m_config.listeners) {
        if (!m_config.permissions.allows_listen(addr.port))
            return deny(Capability::net_listen, std::to_string(addr.port));
        if (m_config.audit) audit(Capability::net_listen, std::to_string(addr.port), true);
        CRUSH_HAL_ASSIGN(HostHandle sock, m_base->tcp_listen(addr, 128));
        HandleInit init;
        init.kind = HandleKind::socket;
        init.host = std::move(sock);
        init.base = rights::sock_accept | rights::poll_fd_readwrite | rights::fd_fdstat_set_flags |
                    rights::fd_filestat_get | rights::sock_shutdown;
        init.inheriting = kSocketRights;
        init.virtual_path = std::string(kSocketPath);
        CRUSH_HAL_TRY(m_handles->insert_at(static_cast<Handle>(next++), std::move(init)));
    }
    return {};
}

// ---- the gate ---------------------------------------------------------------------------------

void ScopedHal::audit(Capability capability, std::string_view target, bool allowed) noexcept {
    if (!m_config.audit) return;
    AuditEvent event;
    auto now = m_base->clock_time(ClockId::realtime);
    event.time_ms = now ? *now / 1000000 : 0;
    event.capsule = m_config.capsule_name;
    event.capability = to_string(capability);
    event.target = target;
    event.allowed = allowed;
    event.result = allowed ? "ok" : to_string(Errno::acces);
    m_config.audit->record(event);
}

Errno ScopedHal::deny(Capability capability, std::string_view subject) noexcept {
    audit(capability, subject, false);
    try {
        std::string text =
            m_denials.report(Denial{m_config.capsule_name, capability, std::string(subject)}, m_config.hint);
        if (!text.empty() && m_config.diagnostics) {
            std::span<const std::byte> rest(reinterpret_cast<const std::byte*>(text.data()), text.size());
            while (!rest.empty()) {
                auto n = m_base->write(*m_config.diagnostics, rest);
                if (!n || *n == 0) break;
                rest = rest.subspan(*n);
            }
        }
    } catch (...) {
        // Out of memory while formatting: the guest still gets its EACCES.
    }
    return Errno::acces;
}

bool ScopedHal::permit(Capability capability) noexcept {
    if (m_allowed & (1u << static_cast<unsigned>(capability))) {
        if (m_config.audit) audit(capability, {}, true);
        return true;
    }
    deny(capability, {});
    return false;
}

bool ScopedHal::permit_path(Capability capability, std::string_view virtual_path) noexcept {
    if (m_config.permissions.allows_path(capability, virtual_path)) {
        if (m_config.audit) {
            // Already recorded by this call's pregate on the same path: one event per decision.
            auto it = std::find_if(m_pregated.begin(), m_pregated.end(), [&](const auto& p) {
                return p.first == capability && p.second == virtual_path;
            });
            if (it != m_pregated.end())
                m_pregated.erase(it);
            else
                audit(capability, virtual_path, true);
        }
        return true;
    }
    deny(capability, virtual_path);
    return false;
}

HalResult<size_t> ScopedHal::io_gate(const HandleEntry& e, IoDirection dir, uint64_t requested) noexcept {
    if (dir == IoDirection::read && is_stdin(e) && !permit(Capability::io_input)) return Errno::acces;
    if (dir == IoDirection::write && is_stdout(e) && !permit(Capability::io_print)) return Errno::acces;
    uint64_t allowed = requested;
    Errno err = m_meter->admit_io(dir, requested, allowed);
    if (err != Errno::success) return err;
    return static_cast<size_t>(std::min(allowed, requested));
}

// ---- descriptors ------------------------------------------------------------------------------

HalResult<size_t> ScopedHal::read(Handle h, std::span<const IoSlice> slices) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_read));
    if (e->kind == HandleKind::directory) return Errno::isdir;
    const uint64_t total = total_size(slices);
    CRUSH_HAL_ASSIGN(size_t allowed, io_gate(*e, IoDirection::read, total));
    SliceStorage<IoSlice> storage;
    if (allowed < total) slices = clamp_slices(slices, allowed, storage);
    CRUSH_HAL_TRY(await_deadline(*e, false));
    if (e->disk) {
        // A quota-metered file keeps its position (for the next write's growth): update it with
        // the transfer, under the entry's lock.
        std::lock_guard lock(e->mutex);
        auto r = m_base->readv(e->host.fd(), slices);
        if (r) {
            e->position += *r;
            m_meter->account_io(IoDirection::read, *r);
        }
        return r;
    }
    auto r = e->kind == HandleKind::socket ? m_base->recv(e->host.fd(), slices, {})
                                           : m_base->readv(e->host.fd(), slices);
    if (r) m_meter->account_io(IoDirection::read, *r);
    return r;
}

HalResult<size_t> ScopedHal::write(Handle h, std::span<const ConstIoSlice> slices) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_write));
    if (e->kind == HandleKind::directory) return Errno::isdir;
    const uint64_t total = total_size(slices);
    CRUSH_HAL_ASSIGN(size_t allowed, io_gate(*e, IoDirection::write, total));
    SliceStorage<ConstIoSlice> storage;
    if (allowed < total) slices = clamp_slices(slices, allowed, storage);
    CRUSH_HAL_TRY(await_deadline(*e, true));
    if (e->disk) return write_metered(*e, slices, std::nullopt);
    auto r = e->kind == HandleKind::socket ? m_base->send(e->host.fd(), slices)
                                           : m_base->writev(e->host.fd(), slices);
    if (r) m_meter->account_io(IoDirection::write, *r);
    return r;
}

HalResult<size_t> ScopedHal::pread(Handle h, std::span<const IoSlice> slices, uint64_t offset) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_read | rights::fd_seek));
    if (e->kind == HandleKind::directory) return Errno::isdir;
    if (e->kind == HandleKind::socket) return Errno::spipe;
    const uint64_t total = total_size(slices);
    CRUSH_HAL_ASSIGN(size_t allowed, io_gate(*e, IoDirection::read, total));
    SliceStorage<IoSlice> storage;
    if (allowed < total) slices = clamp_slices(slices, allowed, storage);
    auto r = m_base->preadv(e->host.fd(), slices, offset);
    if (r) m_meter->account_io(IoDirection::read, *r);
    return r;
}

HalResult<size_t> ScopedHal::pwrite(Handle h, std::span<const ConstIoSlice> slices,
                                    uint64_t offset) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_write | rights::fd_seek));
    if (e->kind == HandleKind::directory) return Errno::isdir;
    if (e->kind == HandleKind::socket) return Errno::spipe;
    const uint64_t total = total_size(slices);
    CRUSH_HAL_ASSIGN(size_t allowed, io_gate(*e, IoDirection::write, total));
    SliceStorage<ConstIoSlice> storage;
    if (allowed < total) slices = clamp_slices(slices, allowed, storage);
    if (e->disk) return write_metered(*e, slices, offset);
    auto r = m_base->pwritev(e->host.fd(), slices, offset);
    if (r) m_meter->account_io(IoDirection::write, *r);
    return r;
}

HalResult<uint64_t> ScopedHal::seek(Handle h, int64_t offset, Whence whence) noexcept {
    // A pure "where am I" (0 from cur) is fd_tell; anything that moves needs fd_seek.
    const bool tell = offset == 0 && whence == Whence::cur;
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind));
    const Rights have = e->base_rights();
    if (tell ? (have & (rights::fd_tell | rights::fd_seek)) == 0 : (have & rights::fd_seek) == 0)
        return Errno::notcapable;
    if (e->kind == HandleKind::socket) return Errno::spipe;
    if (e->kind == HandleKind::directory) return Errno::isdir;
    if (e->disk) return seek_metered(*e, offset, whence);
    return m_base->seek(e->host.fd(), offset, whence);
}

HalResult<HandleStat> ScopedHal::fdstat(Handle h) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h));
    HandleStat s;
    switch (e->kind) {
        case HandleKind::directory:
            s.type = FileType::directory;
            break;
        case HandleKind::socket:
            s.type = FileType::socket_stream;
            break;
        default: {
            auto st = m_base->fstat(e->host.fd());
            s.type = st ? st->type : FileType::unknown;
        }
    }
    {
        std::lock_guard lock(e->mutex);
        s.flags = e->fd_flags;
    }
    s.base = e->base_rights();
    s.inheriting = e->inheriting_rights();
    return s;
}

HalResult<void> ScopedHal::set_fd_flags(Handle h, FdFlags flags) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_fdstat_set_flags));
    if (flags.append && e->read_only) return Errno::rofs;
    std::lock_guard lock(e->mutex);
    CRUSH_HAL_TRY(m_base->set_fd_flags(e->host.fd(), flags));
    e->fd_flags = flags;
    return {};
}

HalResult<void> ScopedHal::set_rights(Handle h, Rights base, Rights inheriting) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h));
    return e->restrict_rights(base, inheriting);
}

HalResult<FileStat> ScopedHal::filestat(Handle h) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_filestat_get));
    return m_base->fstat(e->host.fd());
}

HalResult<void> ScopedHal::set_size(Handle h, uint64_t size) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_filestat_set_size));
    if (e->kind != HandleKind::file) return Errno::inval;
    if (e->read_only) return Errno::rofs;
    if (!e->disk) return m_base->ftruncate(e->host.fd(), size);
    // Rare: the size is refreshed from the host here (see DiskFile).
    std::lock_guard lock(e->disk->mutex);
    CRUSH_HAL_ASSIGN(FileStat st, m_base->fstat(e->host.fd()));
    e->disk->size = st.size;
    if (size > st.size && !m_meter->admit_disk(size - st.size)) return Errno::nospc;
    CRUSH_HAL_TRY(m_base->ftruncate(e->host.fd(), size));
    m_meter->account_disk(static_cast<int64_t>(size) - static_cast<int64_t>(st.size));
    e->disk->size = size;
    return {};
}

HalResult<void> ScopedHal::set_times(Handle h, SetTime atime, SetTime mtime) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_filestat_set_times));
    if (has_virtual_path(*e)) {
        if (!permit_path(Capability::fs_write, e->virtual_path)) return Errno::acces;
        if (e->read_only) return Errno::rofs;
    }
    return m_base->set_times(e->host.fd(), atime, mtime);
}

HalResult<void> ScopedHal::sync(Handle h) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_sync));
    return m_base->fsync(e->host.fd());
}

HalResult<void> ScopedHal::datasync(Handle h) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_datasync));
    return m_base->fdatasync(e->host.fd());
}

HalResult<void> ScopedHal::advise(Handle h, uint64_t offset, uint64_t length, Advice advice) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_advise));
    if (e->kind == HandleKind::socket) return Errno::spipe;
    return m_base->fadvise(e->host.fd(), offset, length, advice);
}

HalResult<void> ScopedHal::allocate(Handle h, uint64_t offset, uint64_t length) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_allocate));
    if (e->kind != HandleKind::file) return Errno::badf;
    if (e->read_only) return Errno::rofs;
    if (!e->disk) return m_base->fallocate(e->host.fd(), offset, length);
    if (offset > UINT64_MAX - length) return Errno::fbig;
    std::lock_guard lock(e->disk->mutex);
    CRUSH_HAL_ASSIGN(FileStat st, m_base->fstat(e->host.fd()));
    e->disk->size = st.size;
    const uint64_t growth = offset + length > st.size ? offset + length - st.size : 0;
    if (!m_meter->admit_disk(growth)) return Errno::nospc;
    CRUSH_HAL_TRY(m_base->fallocate(e->host.fd(), offset, length));
    m_meter->account_disk(static_cast<int64_t>(growth));
    e->disk->size = st.size + growth;
    return {};
}

HalResult<void> ScopedHal::close(Handle h) noexcept {
    CRUSH_HAL_TRY(m_handles->close(h));
    if (static_cast<uint32_t>(h) >= static_cast<uint32_t>(Handle::first_dynamic)) m_meter->account_handle(-1);
    return {};
}

HalResult<void> ScopedHal::renumber(Handle from, Handle to) noexcept {
    if (from == to) {
        CRUSH_HAL_TRY(m_handles->lookup(from));
        return {};
    }
    CRUSH_HAL_TRY(m_handles->renumber(from, to));
    // `to` keeps its number (now holding from's resource) and `from`'s number is gone: the count
    // of live dynamic numbers drops exactly when `from` was one.
    if (static_cast<uint32_t>(from) >= static_cast<uint32_t>(Handle::first_dynamic))
        m_meter->account_handle(-1);
    return {};
}

HalResult<std::vector<DirEntry>> ScopedHal::read_dir(Handle h, uint64_t cookie, size_t max_entries) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h, kAnyKind, rights::fd_readdir));
    if (e->kind != HandleKind::directory) return Errno::notdir;
    if (!permit_path(Capability::fs_read, e->virtual_path)) return Errno::acces;
    std::lock_guard lock(e->mutex);  // the directory position is shared state
    return m_base->read_dir(e->host.fd(), cookie, max_entries);
}

HalResult<std::string> ScopedHal::preopen_path(Handle h) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h));
    if (!e->preopen || e->kind != HandleKind::directory) return Errno::badf;
    try {
        return std::string(e->virtual_path);
    } catch (...) {
        return Errno::nomem;
    }
}

// ---- paths --------------------------------------------------------------------------------

HalResult<std::shared_ptr<HandleEntry>> ScopedHal::dir_for(Handle dir, std::string_view path,
                                                           Rights required) noexcept {
    m_pregated.clear();  // a new path call: nothing of an earlier one is pending
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(dir));
    if (e->kind != HandleKind::directory) return Errno::notdir;
    if ((e->base_rights() & required) != required) return Errno::notcapable;
    CRUSH_HAL_TRY(check_beneath(path));
    return e;
}

bool ScopedHal::pregate(Capability capability, const HandleEntry& dir, std::string_view path) noexcept {
    try {
        std::string lexical = lexical_path(dir.virtual_path, path);
        if (!permit_path(capability, lexical)) return false;
        if (m_config.audit) m_pregated.emplace_back(capability, std::move(lexical));
        return true;
    } catch (...) {
        return false;
    }
}

HalResult<VfsResolved> ScopedHal::resolve(const HandleEntry& dir, std::string_view path,
                                          bool follow) noexcept {
    return m_vfs->resolve(VfsBase{dir.host.fd(), dir.virtual_path}, path, follow);
}

HalResult<Handle> ScopedHal::open(Handle dir, std::string_view path, const OpenRequest& req) noexcept {
    Rights needed = rights::path_open;
    if (req.create) needed |= rights::path_create_file;
    if (req.trunc) needed |= rights::path_filestat_set_size;
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, needed));

    // Access mode from the rights asked for; O_TRUNC and O_APPEND are writes whatever the rights.
    const Rights base = req.base & d->inheriting_rights();
    const Rights inheriting = req.inheriting & d->inheriting_rights();
    // For an O_DIRECTORY open only fd_write asks for write access (directories legitimately
    // carry fd_datasync and friends in their rights; fd_write on one is EISDIR).
    const Rights write_rights = req.directory ? rights::fd_write : kWriteRights;
    const bool write = (base & write_rights) != 0 || req.trunc || req.flags.append;
    const bool read = (base & kReadRights) != 0 || !write;
    const bool modifies = write || req.create;
    const bool reads = read && (!req.create || (base & kReadRights));
    if (modifies && !pregate(Capability::fs_write, *d, path)) return Errno::acces;
    if (reads && !pregate(Capability::fs_read, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, req.follow));
    if (modifies && !permit_path(Capability::fs_write, r.virtual_path)) return Errno::acces;
    if (reads && !permit_path(Capability::fs_read, r.virtual_path)) return Errno::acces;
    if (modifies && r.read_only) return Errno::rofs;

    OpenOptions o;
    o.access =
        write ? (read && (base & kReadRights) ? OpenOptions::Access::read_write : OpenOptions::Access::write)
              : OpenOptions::Access::read;
    o.create = req.create;
    o.excl = req.excl;
    o.trunc = req.trunc;
    o.append = req.flags.append;
    o.directory = req.directory || r.trailing_slash;
    o.nofollow = true;  // a final symlink was expanded by resolve() if follow was asked
    o.nonblock = req.flags.nonblock;
    o.dsync = req.flags.dsync;
    o.rsync = req.flags.rsync;
    o.sync = req.flags.sync;
    o.mode = 0666;
    if (req.create && r.trailing_slash) return Errno::isdir;

    Errno admitted = m_meter->admit_handle();
    if (admitted != Errno::success) return admitted;
    const uint64_t truncated = req.trunc ? stored_size(r) : 0;
    CRUSH_HAL_ASSIGN(HostHandle host, m_base->open_at(r.parent.fd(), r.name, o));
    if (truncated) m_meter->account_disk(-static_cast<int64_t>(truncated));
    CRUSH_HAL_ASSIGN(FileStat st, m_base->fstat(host.fd()));

    HandleInit init;
    const bool is_dir = st.type == FileType::directory;
    init.kind = is_dir ? HandleKind::directory : HandleKind::file;
    init.host = std::move(host);
    init.base = base & (is_dir ? kDirectoryRights : kFileRights);
    init.inheriting = is_dir ? inheriting : 0;
    init.fd_flags = req.flags;
    try {
        init.virtual_path = r.virtual_path;
    } catch (...) {
        return Errno::nomem;
    }
    init.read_only = r.read_only;
    init.never_blocks = is_dir || st.type == FileType::regular_file;
    if (st.type == FileType::regular_file && m_meter->meters_disk() && r.domain == 0) {
        init.disk = disk_file(st);
        if (!init.disk) return Errno::nomem;
    }
    CRUSH_HAL_ASSIGN(Handle h, m_handles->insert(std::move(init)));
    m_meter->account_handle(+1);
    return h;
}

HalResult<FileStat> ScopedHal::stat(Handle dir, std::string_view path, bool follow) noexcept {
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, rights::path_filestat_get));
    if (!pregate(Capability::fs_read, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, follow));
    if (!permit_path(Capability::fs_read, r.virtual_path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(FileStat st, m_base->stat_at(r.parent.fd(), r.name, false));
    if (r.trailing_slash && st.type != FileType::directory) return Errno::notdir;
    return st;
}

HalResult<void> ScopedHal::set_times(Handle dir, std::string_view path, SetTime atime, SetTime mtime,
                                     bool follow) noexcept {
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, rights::path_filestat_set_times));
    if (!pregate(Capability::fs_write, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, follow));
    if (!permit_path(Capability::fs_write, r.virtual_path)) return Errno::acces;
    if (r.read_only) return Errno::rofs;
    return m_base->set_times_at(r.parent.fd(), r.name, atime, mtime, false);
}

HalResult<void> ScopedHal::mkdir(Handle dir, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, rights::path_create_directory));
    if (!pregate(Capability::fs_write, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, false));
    if (!permit_path(Capability::fs_write, r.virtual_path)) return Errno::acces;
    if (r.read_only) return Errno::rofs;
    if (r.name == ".") return Errno::exist;
    return m_base->mkdir_at(r.parent.fd(), r.name, 0777);
}

HalResult<void> ScopedHal::unlink(Handle dir, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, rights::path_unlink_file));
    if (!pregate(Capability::fs_write, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, false));
    if (!permit_path(Capability::fs_write, r.virtual_path)) return Errno::acces;
    if (r.read_only) return Errno::rofs;
    if (r.name == ".") return Errno::isdir;
    if (r.trailing_slash) {
        // "name/" only ever names a directory, which unlink refuses; never follow the name.
        CRUSH_HAL_ASSIGN(FileStat st, m_base->stat_at(r.parent.fd(), r.name, false));
        return st.type == FileType::directory ? Errno::isdir : Errno::notdir;
    }
    const uint64_t freed = stored_size(r);
    CRUSH_HAL_TRY(m_base->unlink_at(r.parent.fd(), r.name));
    if (freed) m_meter->account_disk(-static_cast<int64_t>(freed));
    return {};
}

HalResult<void> ScopedHal::rmdir(Handle dir, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, rights::path_remove_directory));
    if (!pregate(Capability::fs_write, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, false));
    if (!permit_path(Capability::fs_write, r.virtual_path)) return Errno::acces;
    if (r.read_only) return Errno::rofs;
    if (r.name == ".") return r.virtual_path == "/" ? Errno::busy : Errno::inval;
    return m_base->rmdir_at(r.parent.fd(), r.name);
}

HalResult<void> ScopedHal::rename(Handle old_dir, std::string_view old_path, Handle new_dir,
                                  std::string_view new_path) noexcept {
    CRUSH_HAL_ASSIGN(auto od, dir_for(old_dir, old_path, rights::path_rename_source));
    CRUSH_HAL_ASSIGN(auto nd, dir_for(new_dir, new_path, rights::path_rename_target));
    if (!pregate(Capability::fs_write, *od, old_path) || !pregate(Capability::fs_write, *nd, new_path))
        return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved ro, resolve(*od, old_path, false));
    CRUSH_HAL_ASSIGN(VfsResolved rn, resolve(*nd, new_path, false));
    if (!permit_path(Capability::fs_write, ro.virtual_path)) return Errno::acces;
    if (!permit_path(Capability::fs_write, rn.virtual_path)) return Errno::acces;
    if (ro.read_only || rn.read_only) return Errno::rofs;
    if (ro.domain != rn.domain) return Errno::xdev;
    if (ro.name == "." || rn.name == ".") return Errno::busy;
    if (ro.trailing_slash || rn.trailing_slash) {
        // A trailing '/' asserts a directory; check it on the name itself (never following it).
        CRUSH_HAL_ASSIGN(FileStat st, m_base->stat_at(ro.parent.fd(), ro.name, false));
        if (st.type != FileType::directory) return Errno::notdir;
    }
    // A file renamed over is freed (renaming a name onto itself frees nothing).
    const uint64_t replaced = ro.virtual_path == rn.virtual_path ? 0 : stored_size(rn);
    CRUSH_HAL_TRY(m_base->rename_at(ro.parent.fd(), ro.name, rn.parent.fd(), rn.name));
    if (replaced) m_meter->account_disk(-static_cast<int64_t>(replaced));
    return {};
}

HalResult<void> ScopedHal::symlink(std::string_view target, Handle dir, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, rights::path_symlink));
    if (target.empty()) return Errno::noent;
    if (target.find('\0') != std::string_view::npos) return Errno::inval;
    // An absolute target would mean one thing to the host and another inside the capsule.
    if (target.front() == '/') return Errno::notcapable;
    if (!pregate(Capability::fs_write, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, false));
    if (!permit_path(Capability::fs_write, r.virtual_path)) return Errno::acces;
    if (r.read_only) return Errno::rofs;
    if (r.name == ".") return Errno::exist;
    if (r.trailing_slash) {
        auto st = m_base->stat_at(r.parent.fd(), r.name, false);
        return st ? Errno::exist : Errno::noent;
    }
    return m_base->symlink_at(target, r.parent.fd(), r.name);
}

HalResult<std::string> ScopedHal::readlink(Handle dir, std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(auto d, dir_for(dir, path, rights::path_readlink));
    if (!pregate(Capability::fs_read, *d, path)) return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(*d, path, false));
    if (!permit_path(Capability::fs_read, r.virtual_path)) return Errno::acces;
    if (r.name == ".") return Errno::inval;
    return m_base->readlink_at(r.parent.fd(), r.name);
}

HalResult<void> ScopedHal::link(Handle old_dir, std::string_view old_path, bool follow, Handle new_dir,
                                std::string_view new_path) noexcept {
    CRUSH_HAL_ASSIGN(auto od, dir_for(old_dir, old_path, rights::path_link_source));
    CRUSH_HAL_ASSIGN(auto nd, dir_for(new_dir, new_path, rights::path_link_target));
    if (!pregate(Capability::fs_write, *od, old_path) || !pregate(Capability::fs_write, *nd, new_path))
        return Errno::acces;
    CRUSH_HAL_ASSIGN(VfsResolved ro, resolve(*od, old_path, follow));
    CRUSH_HAL_ASSIGN(VfsResolved rn, resolve(*nd, new_path, false));
    // The new name makes the file writable under it: the source needs fs.write as well.
    if (!permit_path(Capability::fs_write, ro.virtual_path)) return Errno::acces;
    if (!permit_path(Capability::fs_write, rn.virtual_path)) return Errno::acces;
    if (ro.read_only || rn.read_only) return Errno::rofs;
    if (ro.domain != rn.domain) return Errno::xdev;
    if (ro.name == "." || ro.trailing_slash) return Errno::perm;  // directories cannot be linked
    if (rn.name == ".") return Errno::exist;
    if (rn.trailing_slash) {
        auto st = m_base->stat_at(rn.parent.fd(), rn.name, false);
        return st ? Errno::exist : Errno::noent;
    }
    // Stored bytes are counted per name (as the start-up walk counts them).
    const uint64_t added = stored_size(ro);
    if (!m_meter->admit_disk(added)) return Errno::nospc;
    CRUSH_HAL_TRY(m_base->link_at(ro.parent.fd(), ro.name, rn.parent.fd(), rn.name, false));
    if (added) m_meter->account_disk(static_cast<int64_t>(added));
    return {};
}

// ---- sockets --------------------------------------------------------------------------------

HalResult<Handle> ScopedHal::accept(Handle listener, FdFlags flags) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(listener));
    if (e->kind != HandleKind::socket) return Errno::notsock;
    if ((e->base_rights() & rights::sock_accept) == 0) return Errno::notcapable;
    Errno admitted = m_meter->admit_handle();
    if (admitted != Errno::success) return admitted;
    CRUSH_HAL_TRY(await_deadline(*e, false));
    CRUSH_HAL_ASSIGN(Accepted a, m_base->accept(e->host.fd(), flags.nonblock));
    HandleInit init;
    init.kind = HandleKind::socket;
    init.host = std::move(a.socket);
    init.base = (rights::fd_read | rights::fd_write | rights::poll_fd_readwrite | rights::sock_shutdown |
                 rights::fd_fdstat_set_flags | rights::fd_filestat_get) &
                e->inheriting_rights();
    init.fd_flags.nonblock = flags.nonblock;
    init.virtual_path = std::string(kSocketPath);
    CRUSH_HAL_ASSIGN(Handle h, m_handles->insert(std::move(init)));
    m_meter->account_handle(+1);
    return h;
}

HalResult<Handle> ScopedHal::connect(const NetAddress& address) noexcept {
    if (!m_config.permissions.allows_connect(address)) {
        try {
            return deny(Capability::net_connect, to_string(address));
        } catch (...) {
            return Errno::acces;
        }
    }
    if (m_config.audit) {
        try {
            audit(Capability::net_connect, to_string(address), true);
        } catch (...) {
        }
    }
    Errno admitted = m_meter->admit_handle();
    if (admitted != Errno::success) return admitted;
    SocketAddress sa;
    sa.family = address.ip.family == IpAddress::Family::v4 ? SocketAddress::Family::ipv4
                                                           : SocketAddress::Family::ipv6;
    sa.addr = address.ip.bytes;
    sa.port = address.port;
    CRUSH_HAL_ASSIGN(HostHandle sock, m_base->tcp_connect(sa));
    HandleInit init;
    init.kind = HandleKind::socket;
    init.host = std::move(sock);
    init.base = kSocketRights & ~rights::sock_accept;
    init.virtual_path = std::string(kSocketPath);
    CRUSH_HAL_ASSIGN(Handle h, m_handles->insert(std::move(init)));
    m_meter->account_handle(+1);
    return h;
}

HalResult<size_t> ScopedHal::recv(Handle h, std::span<const IoSlice> slices, RecvFlags flags) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h));
    if (e->kind != HandleKind::socket) return Errno::notsock;
    if ((e->base_rights() & rights::fd_read) == 0) return Errno::notcapable;
    const uint64_t total = total_size(slices);
    CRUSH_HAL_ASSIGN(size_t allowed, io_gate(*e, IoDirection::read, total));
    SliceStorage<IoSlice> storage;
    if (allowed < total) slices = clamp_slices(slices, allowed, storage);
    CRUSH_HAL_TRY(await_deadline(*e, false));
    auto r = m_base->recv(e->host.fd(), slices, flags);
    if (r) m_meter->account_io(IoDirection::read, *r);
    return r;
}

HalResult<size_t> ScopedHal::send(Handle h, std::span<const ConstIoSlice> slices) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h));
    if (e->kind != HandleKind::socket) return Errno::notsock;
    if ((e->base_rights() & rights::fd_write) == 0) return Errno::notcapable;
    const uint64_t total = total_size(slices);
    CRUSH_HAL_ASSIGN(size_t allowed, io_gate(*e, IoDirection::write, total));
    SliceStorage<ConstIoSlice> storage;
    if (allowed < total) slices = clamp_slices(slices, allowed, storage);
    CRUSH_HAL_TRY(await_deadline(*e, true));
    auto r = m_base->send(e->host.fd(), slices);
    if (r) m_meter->account_io(IoDirection::write, *r);
    return r;
}

HalResult<void> ScopedHal::shutdown(Handle h, ShutdownHow how) noexcept {
    CRUSH_HAL_ASSIGN(auto e, m_handles->lookup(h));
    if (e->kind != HandleKind::socket) return Errno::notsock;
    if ((e->base_rights() & rights::sock_shutdown) == 0) return Errno::notcapable;
    return m_base->shutdown(e->host.fd(), how);
}

// ---- readiness, clocks, randomness, environment ------------------------------------------------

HalResult<size_t> ScopedHal::poll(std::span<PollWait> waits, std::optional<uint64_t> timeout_ns) noexcept {
    if (waits.size() > kHalMaxPollFds) return Errno::inval;
    // The poll set is held for as long as the wait lasts: it counts against the memory limit.
    const uint64_t held_bytes =
        waits.size() * (sizeof(PollFd) + sizeof(size_t) + sizeof(std::shared_ptr<HandleEntry>));
    if (!m_meter->admit_host_bytes(held_bytes)) return Errno::nomem;
    struct Release {
        Meter& meter;
        uint64_t bytes;
        ~Release() { meter.release_host_bytes(bytes); }
    } release{*m_meter, held_bytes};
    std::vector<PollFd> fds;
    std::vector<size_t> index;                       // fds[i] watches waits[index[i]]
    std::vector<std::shared_ptr<HandleEntry>> held;  // keep entries (and host fds) alive while polling
    try {
        fds.reserve(waits.size());
        index.reserve(waits.size());
        held.reserve(waits.size());
    } catch (...) {
        return Errno::nomem;
    }
    size_t ready = 0;
    for (size_t i = 0; i < waits.size(); ++i) {
        PollWait& w = waits[i];
        w.ready = w.hangup = false;
        w.nbytes = 0;
        w.error = Errno::success;
        auto e = m_handles->lookup(w.handle, kAnyKind, rights::poll_fd_readwrite);
        if (!e) {
            w.error = e.error();
        } else if ((*e)->kind == HandleKind::directory) {
            w.error = Errno::isdir;  // a directory is not a stream
        } else if (!w.write && is_stdin(**e) && !permit(Capability::io_input)) {
            w.error = Errno::acces;
        } else if (w.write && is_stdout(**e) && !permit(Capability::io_print)) {
            w.error = Errno::acces;
        }
        if (w.error != Errno::success) {
            w.ready = true;
            ++ready;
            continue;
        }
        PollFd p;
        p.fd = (*e)->host.fd();
        p.read = !w.write;
        p.write = w.write;
        fds.push_back(p);
        index.push_back(i);
        held.push_back(std::move(*e));
    }
    // Per-subscription errors are events already: don't wait.
    // A deadline (time limit) bounds every wait: a sleeping capsule still ends on time.
    std::optional<uint64_t> timeout = ready > 0 ? std::optional<uint64_t>(0) : bound_timeout(timeout_ns);
    CRUSH_HAL_TRY(m_base->poll(fds, timeout));
    for (size_t k = 0; k < fds.size(); ++k) {
        PollWait& w = waits[index[k]];
        const PollFd& p = fds[k];
        if (p.error) {
            w.error = Errno::badf;
        } else if (!(w.write ? p.write_ready : p.read_ready) && !p.hangup) {
            continue;
        }
        w.ready = true;
        w.hangup = p.hangup;
        if (!w.write && w.error == Errno::success) {
            auto n = m_base->bytes_readable(p.fd);
            if (n) w.nbytes = *n;
        }
        ++ready;
    }
    return ready;
}

HalResult<uint64_t> ScopedHal::clock_time(ClockId clock) noexcept {
    if (!permit(Capability::clock)) return Errno::acces;
    // The capsule runs on one thread: the process's CPU clock would show every capsule's work.
    if (clock == ClockId::process_cputime) clock = ClockId::thread_cputime;
    return m_base->clock_time(clock);
}

HalResult<uint64_t> ScopedHal::clock_resolution(ClockId clock) noexcept {
    if (!permit(Capability::clock)) return Errno::acces;
    if (clock == ClockId::process_cputime) clock = ClockId::thread_cputime;
    return m_base->clock_resolution(clock);
}

HalResult<void> ScopedHal::sleep(uint64_t ns) noexcept {
    CRUSH_HAL_TRY(m_base->poll({}, bound_timeout(ns)));
    return {};
}

HalResult<void> ScopedHal::random(std::span<std::byte> buf) noexcept {
    if (!permit(Capability::random)) return Errno::acces;
    return m_base->random_bytes(buf);
}

WasiStringList ScopedHal::environ() noexcept {
    try {
        return m_config.env.wasi_environ([this](std::string_view key) {
            if (m_config.permissions.allows_env(key)) {
                audit(Capability::env_get, key, true);
                return true;
            }
            deny(Capability::env_get, key);
            return false;
        });
    } catch (...) {
        return {};
    }
}

}  // namespace crush
