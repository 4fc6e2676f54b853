// Copyright Crush authors.
// HandleRegistry: a capsule's virtual handles (the numbers the guest sees as fds) mapped to
// host resources. One per capsule; IDs are per capsule and never reused while it lives.
// Fixed aliases: 0,1,2 = stdio, 3 = the root preopen, 4.. = one preopen per mount; resources
// the capsule opens get IDs from 100 up. Entries are refcounted, so closing a handle while
// another thread is reading through it is safe: the host resource closes when the last user
// lets go. Destroying the registry closes every host resource it holds.
#pragma once

#include "hal/hal.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace crush {

/// A virtual handle: the fd number a guest sees. Never a host fd (STYLE.md strong types).
enum class Handle : uint32_t {
    stdin_ = 0,
    stdout_ = 1,
    stderr_ = 2,
    root = 3,        ///< the root preopen ("/")
    first_mount = 4, ///< mounts are 4, 5, … in manifest order
    first_dynamic = 100,
};

/// What a handle refers to. Values are bits so lookups can accept several kinds.
enum class HandleKind : uint8_t { file = 1, directory = 2, socket = 4, memory = 8 };

/// A set of HandleKind bits, e.g. kind_mask(HandleKind::file) | kind_mask(HandleKind::socket).
using HandleKindMask = uint8_t;
constexpr HandleKindMask kind_mask(HandleKind k) noexcept { return static_cast<HandleKindMask>(k); }
inline constexpr HandleKindMask kAnyKind = 0x0f;

/// WASI `rights` bitmask (uint64). https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/typenames.witx
using Rights = uint64_t;
namespace rights {
inline constexpr Rights fd_datasync = 1ull << 0;
inline constexpr Rights fd_read = 1ull << 1;
inline constexpr Rights fd_seek = 1ull << 2;
inline constexpr Rights fd_fdstat_set_flags = 1ull << 3;
inline constexpr Rights fd_sync = 1ull << 4;
inline constexpr Rights fd_tell = 1ull << 5;
inline constexpr Rights fd_write = 1ull << 6;
inline constexpr Rights fd_advise = 1ull << 7;
inline constexpr Rights fd_allocate = 1ull << 8;
inline constexpr Rights path_create_directory = 1ull << 9;
inline constexpr Rights path_create_file = 1ull << 10;
inline constexpr Rights path_link_source = 1ull << 11;
inline constexpr Rights path_link_target = 1ull << 12;
inline constexpr Rights path_open = 1ull << 13;
inline constexpr Rights fd_readdir = 1ull << 14;
inline constexpr Rights path_readlink = 1ull << 15;
inline constexpr Rights path_rename_source = 1ull << 16;
inline constexpr Rights path_rename_target = 1ull << 17;
inline constexpr Rights path_filestat_get = 1ull << 18;
inline constexpr Rights path_filestat_set_size = 1ull << 19;
inline constexpr Rights path_filestat_set_times = 1ull << 20;
inline constexpr Rights fd_filestat_get = 1ull << 21;
inline constexpr Rights fd_filestat_set_size = 1ull << 22;
inline constexpr Rights fd_filestat_set_times = 1ull << 23;
inline constexpr Rights path_symlink = 1ull << 24;
inline constexpr Rights path_remove_directory = 1ull << 25;
inline constexpr Rights path_unlink_file = 1ull << 26;
inline constexpr Rights poll_fd_readwrite = 1ull << 27;
inline constexpr Rights sock_shutdown = 1ull << 28;
inline constexpr Rights sock_accept = 1ull << 29;
/// Every defined right.
inline constexpr Rights all = (1ull << 30) - 1;
}  // namespace rights

/// The size of one regular file under the capsule's root, shared by every handle the capsule has
/// open on it (the ScopedHal keys them by device and inode), so the disk quota can be checked
/// on each write without an fstat. Exact for everything the capsule does through its handles;
/// a change made by the host (or another capsule) meanwhile is seen at the next open, seek or
/// truncate of the file (those refresh it from the host), so only that change can drift.
struct DiskFile {
    /// Serializes quota check + transfer + accounting on this file, and guards `size`.
    std::mutex mutex;
    uint64_t size = 0;
};

/// Everything needed to create an entry (movable; HandleRegistry::insert takes it).
struct HandleInit {
    HandleKind kind = HandleKind::file;
    HostHandle host;          ///< file, directory, socket (empty for memory)
    MemoryRegion memory;      ///< memory regions only
    Rights base = 0;          ///< rights on this handle
    Rights inheriting = 0;    ///< rights handles opened through this one may get
    FdFlags fd_flags;         ///< WASI fdflags as last set
    std::string virtual_path; ///< the guest path it was opened by ("/" for the root preopen)
    bool preopen = false;     ///< reported by fd_prestat_get (root and mounts)
    bool read_only = false;   ///< lies in a read-only mount (the Vfs said so when it was opened)
    bool never_blocks = false;  ///< a regular file or directory: a transfer never waits on readiness
    /// Set for a regular file whose stored bytes count against the disk quota.
    std::shared_ptr<DiskFile> disk;
};

/// One live handle. The identity fields never change after insertion; rights only shrink
/// (atomically); the rest is guarded by `mutex`.
class HandleEntry {
public:
    explicit HandleEntry(HandleInit init) noexcept;

    const HandleKind kind;
    /// The host resource (file/directory/socket). Closed when the last reference goes.
    const HostHandle host;
    /// The memory region (memory kind). Mutable through `mutex` (commit/decommit).
    MemoryRegion memory;
    const std::string virtual_path;
    const bool preopen;
    const bool read_only;
    const bool never_blocks;
    /// The file's shared size record when the disk quota meters it (nullptr otherwise).
    const std::shared_ptr<DiskFile> disk;

    /// Current rights. fd_fdstat_set_rights may only remove bits (see restrict_rights).
    [[nodiscard]] Rights base_rights() const noexcept { return m_base.load(std::memory_order_acquire); }
    [[nodiscard]] Rights inheriting_rights() const noexcept { return m_inheriting.load(std::memory_order_acquire); }
    /// Drop rights: new = old & wanted. Errno::notcapable if `wanted` asks for a right not held
    /// (WASI fd_fdstat_set_rights may not add rights); then nothing changes.
    HalResult<void> restrict_rights(Rights base, Rights inheriting) noexcept;

    /// Guards everything below (and `memory`). Hold it while reading/writing these.
    std::mutex mutex;
    FdFlags fd_flags;
    /// The host descriptor's file position, kept only when `disk` is set (the descriptor is this
    /// entry's alone, so every read, write and seek through it updates this exactly).
    uint64_t position = 0;
    /// fd_readdir state: entries read ahead from the host, starting at `readdir_cookie`.
    uint64_t readdir_cookie = 0;
    std::vector<DirEntry> readdir_buffer;

private:
    std::atomic<Rights> m_base;
    std::atomic<Rights> m_inheriting;
};

/// The registry. Thread-safe (one mutex over the table); entries are shared_ptr so a lookup
/// keeps its entry alive even if another thread closes the handle meanwhile.
class HandleRegistry {
public:
    /// `max_handles`: inserts beyond this many live handles fail with Errno::mfile.
    explicit HandleRegistry(size_t max_handles = 1u << 20) noexcept;
    /// Closes every host resource still registered (unless a lookup still holds its entry,
    /// in which case that holder's release closes it).
    ~HandleRegistry();
    HandleRegistry(const HandleRegistry&) = delete;
    HandleRegistry& operator=(const HandleRegistry&) = delete;

    /// Register a resource under a new ID (100, 101, … never reused). Errno::mfile at the
    /// handle limit (the resource is then closed), Errno::nfile if IDs are exhausted.
    HalResult<Handle> insert(HandleInit init) noexcept;
    /// Register at a fixed alias (stdio 0–2, preopens 3..99). Errno::exist if taken,
    /// Errno::inval for an ID >= 100 (those are only handed out by insert).
    HalResult<void> insert_at(Handle handle, HandleInit init) noexcept;

    /// The entry for `handle` if it is live, its kind is in `kinds` and it holds every right in
    /// `required` (base rights). Errno::badf: unknown, closed or wrong kind. Errno::notcapable:
    /// a missing right.
    HalResult<std::shared_ptr<HandleEntry>> lookup(Handle handle, HandleKindMask kinds = kAnyKind,
                                                   Rights required = 0) const noexcept;

    /// Unregister `handle` (Errno::badf if not live). Its host resource closes when the last
    /// in-flight lookup lets go (immediately if none).
    HalResult<void> close(Handle handle) noexcept;

    /// WASI fd_renumber: `from`'s resource moves to number `to`; `to`'s old resource is closed
    /// (no leak); `from` is no longer live. Both must be live (else Errno::badf). from == to
    /// is a no-op success.
    HalResult<void> renumber(Handle from, Handle to) noexcept;

    /// Live handles now (including stdio and preopens): the Meter's handle count.
    [[nodiscard]] size_t count() const noexcept;
    /// The live handle numbers, ascending (for enumerating preopens, tests).
    [[nodiscard]] std::vector<Handle> handles() const;

private:
    mutable std::mutex m_mutex;
    std::unordered_map<uint32_t, std::shared_ptr<HandleEntry>> m_table;
    uint64_t m_next = static_cast<uint32_t>(Handle::first_dynamic);
    size_t m_max;
};

}  // namespace crush
