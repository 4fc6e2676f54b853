// Copyright Crush authors.
// ScopedHal: one per capsule, the only way a capsule reaches the host. It wraps the base Hal and
// owns the capsule's Vfs (private root + mounts), HandleRegistry (virtual handles), EnvMap,
// Permissions (the gate) and Meter hook. Everything a capsule owns lives here and dies with it.
//
// Every operation speaks virtual handles and virtual paths only, and runs in this order:
//   1. look the handle up (EBADF unknown/closed/wrong kind; ENOTCAPABLE a missing WASI right),
//   2. resolve the path inside the capsule's namespace (Vfs), giving its canonical virtual path,
//   3. the permission gate on that resolved, normalized virtual path (after symlinks, so a link
//      cannot widen a scope) — a denial is EACCES for the guest and one line, printed once, on
//      the diagnostics descriptor naming the permission that would allow it,
//   4. the Meter's admit hook (limits), then the base Hal, acting on the resolved parent
//      directory and final name with no-follow calls (a symlink swapped in meanwhile is never
//      followed), then the Meter's account hook.
//
// Path rules (WASI's): a path is relative to its directory handle and must stay beneath it as
// written — an absolute path or a `..` that climbs above the handle is ENOTCAPABLE. Symlinks are
// interpreted inside the capsule namespace (absolute targets start at the capsule root), so
// nothing ever resolves outside the root or a mount; creating a symlink with an absolute target
// is refused (its meaning would differ between host and capsule).
//
// Deliberate choices: O_TRUNC is a write — it needs fs.write and a writable mount even when the
// guest asked for no write rights (so a read-only open can never truncate); a hard link's source
// needs fs.write too (the link makes the file writable under a new name); fd 0–2 are gated by
// io.input / io.print by identity (they stay gated after fd_renumber); the process CPU clock is
// the capsule thread's, so capsules cannot observe each other.
#pragma once

#include "capsule/env_map.hpp"
#include "capsule/handle_registry.hpp"
#include "capsule/meter.hpp"
#include "capsule/permissions.hpp"
#include "capsule/vfs.hpp"
#include "hal/hal.hpp"

#include <crush/audit.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crush {

/// Everything a ScopedHal is built from.
struct ScopedHalConfig {
    std::string capsule_name;      ///< for denial messages
    std::string root_host_path;    ///< the capsule root (created if missing)
    std::vector<VfsMount> mounts;  ///< preopened at handles 4, 5, … in this order
    Permissions permissions;       ///< the gate
    EnvMap env;                    ///< the capsule's whole environment
    DenialHint hint = DenialHint::manifest;
    /// Where denial messages go (a host descriptor of the embedder's; never closed). nullopt = nowhere.
    std::optional<HostFd> diagnostics;
    /// The Meter hook (nullptr: a counting-only Meter).
    std::shared_ptr<Meter> meter;
    /// Live virtual handles allowed (stdio and preopens included); more → EMFILE.
    size_t max_handles = 1024;
    /// TCP listeners to preopen after the mounts (net.listen ports; each must be allowed).
    std::vector<SocketAddress> listeners;
    Vfs::Options vfs_options;
    /// Told of every gate decision (audit.hpp); nullptr: nothing is recorded (one null check).
    std::shared_ptr<AuditSink> audit;
};

/// What fd_fdstat_get reports.
struct HandleStat {
    FileType type = FileType::unknown;
    FdFlags flags;
    Rights base = 0;
    Rights inheriting = 0;
};

/// A path_open request (WASI oflags, lookupflags, rights, fdflags).
struct OpenRequest {
    bool follow = false;     ///< lookupflags::symlink_follow for the final component
    bool create = false;     ///< oflags::creat
    bool directory = false;  ///< oflags::directory
    bool excl = false;       ///< oflags::excl
    bool trunc = false;      ///< oflags::trunc
    Rights base = 0;         ///< rights wanted on the new handle (limited to the dir's inheriting)
    Rights inheriting = 0;
    FdFlags flags;
};

/// One poll_oneoff fd subscription, with its result filled by ScopedHal::poll.
struct PollWait {
    Handle handle = Handle::stdin_;
    bool write = false;  ///< false: wait for readable; true: writable
    // results
    Errno error = Errno::success;  ///< a bad handle/right/permission: reported as this event's error
    bool ready = false;
    bool hangup = false;
    uint64_t nbytes = 0;  ///< bytes readable (read) / writable hint (write)
};

/// The rights a directory handle can usefully hold, and those a file can.
inline constexpr Rights kDirectoryRights =
    rights::path_create_directory | rights::path_create_file | rights::path_link_source |
    rights::path_link_target | rights::path_open | rights::fd_readdir | rights::path_readlink |
    rights::path_rename_source | rights::path_rename_target | rights::path_filestat_get |
    rights::path_filestat_set_size | rights::path_filestat_set_times | rights::fd_filestat_get |
    rights::fd_filestat_set_times | rights::path_symlink | rights::path_remove_directory |
    rights::path_unlink_file | rights::fd_fdstat_set_flags | rights::fd_sync | rights::fd_datasync |
    rights::fd_advise;
inline constexpr Rights kFileRights =
    rights::fd_datasync | rights::fd_read | rights::fd_seek | rights::fd_fdstat_set_flags | rights::fd_sync |
    rights::fd_tell | rights::fd_write | rights::fd_advise | rights::fd_allocate | rights::fd_filestat_get |
    rights::fd_filestat_set_size | rights::fd_filestat_set_times | rights::poll_fd_readwrite;
inline constexpr Rights kSocketRights = rights::fd_read | rights::fd_write | rights::fd_fdstat_set_flags |
                                        rights::fd_filestat_get | rights::poll_fd_readwrite |
                                        rights::sock_shutdown | rights::sock_accept;

class ScopedHal {
public:
    /// Build the capsule's world: the Vfs (root created if missing, mounts opened), stdio at
    /// 0–2 (dups of `base`'s streams), the root preopen at 3, mounts at 4…, listeners after them.
    /// Errors are the Hal's (e.g. noent for a missing mount directory).
    static HalResult<std::unique_ptr<ScopedHal>> create(std::shared_ptr<Hal> base,
                                                        ScopedHalConfig config) noexcept;
    ~ScopedHal();
    ScopedHal(const ScopedHal&) = delete;
    ScopedHal& operator=(const ScopedHal&) = delete;

    // ---- the gate ------------------------------------------------------------------------

    /// Whether an unscoped capability (io.*, clock, random) is held; a denial is reported once.
    bool permit(Capability capability) noexcept;
    /// fs.read / fs.write on a canonical virtual path; a denial is reported once.
    bool permit_path(Capability capability, std::string_view virtual_path) noexcept;

    // ---- descriptors ---------------------------------------------------------------------

    /// fd_read: stdin needs io.input. Sockets use recv. Reads into the guest's buffers directly.
    HalResult<size_t> read(Handle h, std::span<const IoSlice> slices) noexcept;
    /// fd_write: stdout/stderr need io.print. Sockets use send (never SIGPIPE).
    HalResult<size_t> write(Handle h, std::span<const ConstIoSlice> slices) noexcept;
    HalResult<size_t> pread(Handle h, std::span<const IoSlice> slices, uint64_t offset) noexcept;
    HalResult<size_t> pwrite(Handle h, std::span<const ConstIoSlice> slices, uint64_t offset) noexcept;
    /// fd_seek (needs fd_seek; or fd_tell alone when it is a tell: offset 0 from cur).
    HalResult<uint64_t> seek(Handle h, int64_t offset, Whence whence) noexcept;
    HalResult<HandleStat> fdstat(Handle h) noexcept;
    HalResult<void> set_fd_flags(Handle h, FdFlags flags) noexcept;
    /// Rights may only shrink (ENOTCAPABLE when asked to grow).
    HalResult<void> set_rights(Handle h, Rights base, Rights inheriting) noexcept;
    HalResult<FileStat> filestat(Handle h) noexcept;
    HalResult<void> set_size(Handle h, uint64_t size) noexcept;
    HalResult<void> set_times(Handle h, SetTime atime, SetTime mtime) noexcept;
    HalResult<void> sync(Handle h) noexcept;
    HalResult<void> datasync(Handle h) noexcept;
    HalResult<void> advise(Handle h, uint64_t offset, uint64_t length, Advice advice) noexcept;
    HalResult<void> allocate(Handle h, uint64_t offset, uint64_t length) noexcept;
    HalResult<void> close(Handle h) noexcept;
    /// fd_renumber: both must be live; `to`'s old resource is closed (never leaked).
    HalResult<void> renumber(Handle from, Handle to) noexcept;
    /// Up to `max_entries` entries of a directory handle from `cookie` (fd_readdir). Needs
    /// fd_readdir and fs.read on the directory.
    HalResult<std::vector<DirEntry>> read_dir(Handle h, uint64_t cookie, size_t max_entries) noexcept;
    /// The guest path of a preopened directory (fd_prestat_get); EBADF for anything else.
    HalResult<std::string> preopen_path(Handle h) noexcept;

    // ---- paths (relative to a directory handle) -------------------------------------------

    HalResult<Handle> open(Handle dir, std::string_view path, const OpenRequest& request) noexcept;
    HalResult<FileStat> stat(Handle dir, std::string_view path, bool follow) noexcept;
    HalResult<void> set_times(Handle dir, std::string_view path, SetTime atime, SetTime mtime,
                              bool follow) noexcept;
    HalResult<void> mkdir(Handle dir, std::string_view path) noexcept;
    HalResult<void> unlink(Handle dir, std::string_view path) noexcept;
    HalResult<void> rmdir(Handle dir, std::string_view path) noexcept;
    HalResult<void> rename(Handle old_dir, std::string_view old_path, Handle new_dir,
                           std::string_view new_path) noexcept;
    HalResult<void> symlink(std::string_view target, Handle dir, std::string_view path) noexcept;
    HalResult<std::string> readlink(Handle dir, std::string_view path) noexcept;
    HalResult<void> link(Handle old_dir, std::string_view old_path, bool follow, Handle new_dir,
                         std::string_view new_path) noexcept;

    // ---- sockets ---------------------------------------------------------------------------

    HalResult<Handle> accept(Handle listener, FdFlags flags) noexcept;
    /// A TCP connection to exactly `address` (the numeric address that will be connected, never
    /// a name): needs net.connect granting it. The socket becomes a new handle.
    HalResult<Handle> connect(const NetAddress& address) noexcept;
    HalResult<size_t> recv(Handle h, std::span<const IoSlice> slices, RecvFlags flags) noexcept;
    HalResult<size_t> send(Handle h, std::span<const ConstIoSlice> slices) noexcept;
    HalResult<void> shutdown(Handle h, ShutdownHow how) noexcept;

    // ---- readiness, clocks, randomness, environment ------------------------------------------

    /// Wait until one of `waits` is ready or `timeout_ns` passes (nullopt = forever). Per-wait
    /// errors go into the wait's `error` and count as ready. At most kHalMaxPollFds waits.
    /// Returns how many are ready.
    HalResult<size_t> poll(std::span<PollWait> waits, std::optional<uint64_t> timeout_ns) noexcept;
    /// Needs `clock`. The process CPU clock is this capsule's thread's.
    HalResult<uint64_t> clock_time(ClockId clock) noexcept;
    HalResult<uint64_t> clock_resolution(ClockId clock) noexcept;
    /// Sleep without reading the clock (relative poll_oneoff timeouts need no permission).
    HalResult<void> sleep(uint64_t ns) noexcept;
    /// Needs `random`. Fills `buf` directly (callers pass guest memory in bounded chunks).
    HalResult<void> random(std::span<std::byte> buf) noexcept;
    /// The environment the guest may see: entries allowed by env.get (each hidden variable is
    /// reported once as a denial).
    WasiStringList environ() noexcept;

    // ---- introspection ----------------------------------------------------------------------

    [[nodiscard]] Meter& meter() noexcept { return *m_meter; }
    [[nodiscard]] const Permissions& permissions() const noexcept { return m_config.permissions; }
    [[nodiscard]] const EnvMap& env() const noexcept { return m_config.env; }
    [[nodiscard]] Vfs& vfs() noexcept { return *m_vfs; }
    [[nodiscard]] HandleRegistry& handles() noexcept { return *m_handles; }
    [[nodiscard]] const std::string& name() const noexcept { return m_config.capsule_name; }
    /// The base Hal (for the runtime's memory allocation through the Meter; never for guests).
    [[nodiscard]] Hal& base() noexcept { return *m_base; }

private:
    ScopedHal(std::shared_ptr<Hal> base, ScopedHalConfig config) noexcept;
    HalResult<void> init() noexcept;

    Errno deny(Capability capability, std::string_view subject) noexcept;
    /// Tell the audit sink (if any) of one decision.
    void audit(Capability capability, std::string_view target, bool allowed) noexcept;
    /// Look up a directory handle with `required` rights and check `path` stays beneath it.
    HalResult<std::shared_ptr<HandleEntry>> dir_for(Handle dir, std::string_view path,
                                                    Rights required) noexcept;
    HalResult<VfsResolved> resolve(const HandleEntry& dir, std::string_view path, bool follow) noexcept;
    /// The gate before resolution, on the lexically normalized path (nothing reaches the Hal
    /// for a path the capsule may not touch; resolution errors cannot probe it either). The
    /// resolved path is gated again afterwards (symlinks).
    bool pregate(Capability capability, const HandleEntry& dir, std::string_view path) noexcept;
    HalResult<size_t> io_gate(const HandleEntry& e, IoDirection dir, uint64_t requested) noexcept;

    // ---- limits (meter_scoped.cpp) ----
    /// `timeout_ns` shortened to the Meter's deadline (nullopt: forever, unless a deadline is set).
    std::optional<uint64_t> bound_timeout(std::optional<uint64_t> timeout_ns) noexcept;
    /// Before a possibly blocking transfer on `e`: with a deadline set, wait (at most until it)
    /// for readiness; EINTR when time is up first (the run is being ended by the watchdog).
    HalResult<void> await_deadline(HandleEntry& e, bool write) noexcept;
    /// The shared size record of the regular file `st` (one per device and inode while any
    /// handle has it open; refreshed to st.size). nullptr when out of memory.
    std::shared_ptr<DiskFile> disk_file(const FileStat& st) noexcept;
    /// write/pwrite (`at`) on a quota-metered file: admit the growth from the cached size and
    /// position, transfer, account.
    HalResult<size_t> write_metered(HandleEntry& e, std::span<const ConstIoSlice> slices,
                                    std::optional<uint64_t> at) noexcept;
    /// seek on a quota-metered file: keeps the cached position, refreshes the size.
    HalResult<uint64_t> seek_metered(HandleEntry& e, int64_t offset, Whence whence) noexcept;
    /// Size of the regular file `name` in `parent` when it lies on the metered root (0 otherwise).
    uint64_t stored_size(const VfsResolved& r) noexcept;

    // Declared first: destroyed last, after everything that closes through it.
    std::shared_ptr<Hal> m_base;
    ScopedHalConfig m_config;
    std::shared_ptr<Meter> m_meter;
    DenialLog m_denials;
    /// Bit i: Permissions::allows(Capability i) (fixed at construction, like the grants).
    uint32_t m_allowed = 0;
    std::unique_ptr<Vfs> m_vfs;
    std::unique_ptr<HandleRegistry> m_handles;
    /// Size records of the quota-metered files open now, by (device, inode).
    std::map<std::pair<uint64_t, uint64_t>, std::weak_ptr<DiskFile>> m_disk_files;
    size_t m_disk_files_sweep = 64;
    /// Audit only: (capability, path) allowed by pregate in the current path call, so the gate
    /// on the resolved path does not record the same decision twice (cleared by dir_for).
    std::vector<std::pair<Capability, std::string>> m_pregated;
};

/// Check a relative WASI path stays beneath its directory as written: not absolute, and no
/// `..` climbs above the start (ENOTCAPABLE); no NUL byte (EINVAL); shorter than kHalMaxPath
/// (ENAMETOOLONG). Symlinks are the Vfs's business.
HalResult<void> check_beneath(std::string_view path) noexcept;

/// `path` (relative, already check_beneath'd) appended to the canonical virtual path `base`,
/// with `.`/`..`/empty components folded lexically: the path as written, for the pre-gate.
std::string lexical_path(std::string_view base, std::string_view path);

}  // namespace crush
