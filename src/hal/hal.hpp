// Copyright Crush authors.
// The Hal: everything a capsule can reach on the host, as one abstract interface.
// NativeHal (native_hal.hpp) implements it for Linux and is the only code in the project that
// makes these system calls; tests may substitute a fake (STYLE.md "Put an interface in front of
// the host"). Every operation is noexcept and returns a HalResult (value or WASI Errno).
//
// Paths given to the Hal are host-relative to a directory handle and are NOT sandboxed by the
// Hal itself (except open_beneath): sandboxing is the Vfs's job (src/capsule/vfs.hpp), which
// only ever passes a single component plus the directory handle that holds it.
#pragma once

#include "hal/errno.hpp"
#include "hal/hal_result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crush {

class Hal;

/// A host descriptor number as the Hal sees it (never shown to a guest). A strong type so it
/// cannot be confused with a guest Handle (STYLE.md "Give guest numbers strong types").
enum class HostFd : int {
    invalid = -1,
    /// The host process's working directory (AT_FDCWD). Only for trusted host paths from the
    /// embedder (e.g. creating the Vfs root); never reachable from a guest path.
    host_cwd = -100,
};

/// Move-only owner of one host descriptor (file, directory, socket). Closes it through the Hal
/// that opened it when destroyed, so nothing leaks. The Hal must outlive its handles.
class HostHandle {
public:
    HostHandle() noexcept = default;
    /// Take ownership of `fd`, which `owner` opened.
    HostHandle(Hal& owner, HostFd fd) noexcept : m_owner(&owner), m_fd(fd) {}
    HostHandle(HostHandle&& other) noexcept;
    HostHandle& operator=(HostHandle&& other) noexcept;
    HostHandle(const HostHandle&) = delete;
    HostHandle& operator=(const HostHandle&) = delete;
    ~HostHandle();

    /// The descriptor, for passing to Hal operations; HostFd::invalid when empty.
    [[nodiscard]] HostFd fd() const noexcept { return m_fd; }
    [[nodiscard]] bool valid() const noexcept { return m_fd != HostFd::invalid; }
    explicit operator bool() const noexcept { return valid(); }
    /// The Hal that will close it (nullptr when empty).
    [[nodiscard]] Hal* owner() const noexcept { return m_owner; }
    /// Close now (errors ignored; use Hal::close to see them). Leaves the handle empty.
    void reset() noexcept;
    /// Give up ownership without closing; the caller must close the returned fd.
    [[nodiscard]] HostFd release() noexcept;

private:
    Hal* m_owner = nullptr;
    HostFd m_fd = HostFd::invalid;
};

/// Move-only anonymous memory mapping: reserved address space, committed page by page.
/// Released through its Hal on destruction.
class MemoryRegion {
public:
    MemoryRegion() noexcept = default;
    MemoryRegion(Hal& owner, std::byte* base, size_t size) noexcept : m_owner(&owner), m_base(base), m_size(size) {}
    MemoryRegion(MemoryRegion&& other) noexcept;
    MemoryRegion& operator=(MemoryRegion&& other) noexcept;
    MemoryRegion(const MemoryRegion&) = delete;
    MemoryRegion& operator=(const MemoryRegion&) = delete;
    ~MemoryRegion();

    /// First byte of the reservation (nullptr when empty).
    [[nodiscard]] std::byte* data() const noexcept { return m_base; }
    /// Reserved bytes (a multiple of Hal::page_size()).
    [[nodiscard]] size_t size() const noexcept { return m_size; }
    [[nodiscard]] bool valid() const noexcept { return m_base != nullptr; }
    /// Release now. Leaves the region empty.
    void reset() noexcept;

private:
    Hal* m_owner = nullptr;
    std::byte* m_base = nullptr;
    size_t m_size = 0;
};

/// WASI `filetype` values. https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/typenames.witx
enum class FileType : uint8_t {
    unknown = 0,
    block_device = 1,
    character_device = 2,
    directory = 3,
    regular_file = 4,
    socket_dgram = 5,
    socket_stream = 6,
    symbolic_link = 7,
};

/// File status (WASI `filestat` plus the host mode bits). Times in ns since the Unix epoch.
struct FileStat {
    uint64_t dev = 0;
    uint64_t ino = 0;
    FileType type = FileType::unknown;
    uint64_t nlink = 0;
    uint64_t size = 0;
    uint64_t atim = 0;
    uint64_t mtim = 0;
    uint64_t ctim = 0;
    uint32_t mode = 0;  ///< permission bits (07777)
};

/// One directory entry. `next` is the cookie that continues the listing after this entry
/// (pass it to Hal::read_dir): the WASI `dircookie` scheme, 0 = start of the directory.
struct DirEntry {
    std::string name;
    FileType type = FileType::unknown;
    uint64_t ino = 0;
    uint64_t next = 0;
};

/// How a file is opened (open_at / open_beneath). Mirrors WASI oflags + fdflags.
struct OpenOptions {
    enum class Access : uint8_t { read, write, read_write };
    Access access = Access::read;
    bool create = false;     ///< O_CREAT
    bool excl = false;       ///< O_EXCL (with create)
    bool trunc = false;      ///< O_TRUNC; refused (Errno::inval) unless access includes write
    bool append = false;     ///< O_APPEND
    bool directory = false;  ///< O_DIRECTORY: fail with notdir unless a directory
    bool nofollow = false;   ///< O_NOFOLLOW: a final symlink fails with Errno::loop
    bool nonblock = false;   ///< O_NONBLOCK
    bool dsync = false;      ///< O_DSYNC
    bool rsync = false;      ///< O_RSYNC
    bool sync = false;       ///< O_SYNC
    uint32_t mode = 0666;    ///< permission bits for create (the umask applies)
};

/// How open_beneath resolves (Linux openat2 RESOLVE_*; magic links are always refused).
struct ResolveOptions {
    /// RESOLVE_IN_ROOT: `dir` acts as `/` — absolute symlinks and `..` are clamped to it.
    /// When false, RESOLVE_BENEATH: leaving `dir` fails with Errno::xdev.
    bool in_root = true;
    /// RESOLVE_NO_SYMLINKS: any symlink on the way (or final) fails with Errno::loop.
    bool no_symlinks = false;
};

/// WASI `fdflags` that can be read/changed on an open descriptor.
struct FdFlags {
    bool append = false;
    bool dsync = false;
    bool nonblock = false;
    bool rsync = false;
    bool sync = false;
};

/// A time to set on a file: a value, the current time, or leave unchanged (WASI fstflags).
struct SetTime {
    enum class Kind : uint8_t { omit, now, value };
    Kind kind = Kind::omit;
    uint64_t ns = 0;  ///< ns since the Unix epoch, for Kind::value
    static SetTime omit() noexcept { return {Kind::omit, 0}; }
    static SetTime now() noexcept { return {Kind::now, 0}; }
    static SetTime at(uint64_t ns) noexcept { return {Kind::value, ns}; }
};

/// lseek origin (WASI `whence` values).
enum class Whence : uint8_t { set = 0, cur = 1, end = 2 };

/// posix_fadvise advice (WASI `advice` values).
enum class Advice : uint8_t { normal = 0, sequential = 1, random = 2, willneed = 3, dontneed = 4, noreuse = 5 };

/// A mutable buffer for vectored reads (an iovec). Only the Hal's caller owns the memory.
struct IoSlice {
    std::byte* data = nullptr;
    size_t size = 0;
};
/// A read-only buffer for vectored writes (a ciovec).
struct ConstIoSlice {
    const std::byte* data = nullptr;
    size_t size = 0;
};

/// A numeric IPv4 or IPv6 socket address. No names: resolution happens above the Hal, and the
/// permission check is made on exactly this address.
struct SocketAddress {
    enum class Family : uint8_t { ipv4, ipv6 };
    Family family = Family::ipv4;
    std::array<uint8_t, 16> addr{};  ///< network order; ipv4 uses the first 4 bytes
    uint16_t port = 0;               ///< host order
    bool operator==(const SocketAddress&) const = default;
    /// 127.0.0.1:port
    static SocketAddress loopback_v4(uint16_t port) noexcept {
        SocketAddress a;
        a.addr[0] = 127;
        a.addr[3] = 1;
        a.port = port;
        return a;
    }
};

/// A connection accepted by Hal::accept.
struct Accepted {
    HostHandle socket;
    SocketAddress peer;
};

/// recv flags (WASI riflags).
struct RecvFlags {
    bool peek = false;     ///< MSG_PEEK
    bool waitall = false;  ///< MSG_WAITALL
};

/// Which direction(s) Hal::shutdown closes (WASI sdflags).
enum class ShutdownHow : uint8_t { read = 1, write = 2, both = 3 };

/// One descriptor watched by Hal::poll. `read`/`write` are the interest; the `*_ready`,
/// `hangup` and `error` fields are filled by poll.
struct PollFd {
    HostFd fd = HostFd::invalid;
    bool read = false;
    bool write = false;
    bool read_ready = false;
    bool write_ready = false;
    bool hangup = false;
    bool error = false;  ///< includes an invalid descriptor (POLLNVAL)
};

/// WASI clock ids.
enum class ClockId : uint32_t { realtime = 0, monotonic = 1, process_cputime = 2, thread_cputime = 3 };

/// The host streams a capsule's fds 0–2 are connected to.
enum class StdStream : uint8_t { in = 0, out = 1, err = 2 };

/// The abstract host. Implementations must be thread-safe: every method may be called
/// concurrently (on different descriptors; read_dir/seek on the same fd race as on POSIX).
/// Limits that protect the host (the Hal never allocates in proportion to a caller's size
/// beyond these):
inline constexpr size_t kHalMaxIoSlices = 1024;       ///< readv/writev/send/recv use at most this many slices
inline constexpr size_t kHalMaxPath = 4096;           ///< bytes in a path (incl. NUL): longer → nametoolong
inline constexpr size_t kHalMaxName = 255;            ///< bytes in one component: longer → nametoolong
inline constexpr size_t kHalMaxDirEntries = 4096;     ///< read_dir returns at most this many entries
inline constexpr size_t kHalMaxPollFds = 4096;        ///< poll watches at most this many (more → inval)

class Hal {
public:
    virtual ~Hal() = default;

    // ---- files and directories (paths are relative to `dir`; see the file comment) -------

    /// openat(dir, path, options | O_CLOEXEC). A path with a NUL byte → inval; too long →
    /// nametoolong; trunc without write access → inval (never truncate a read-only open).
    virtual HalResult<HostHandle> open_at(HostFd dir, std::string_view path, const OpenOptions& options) noexcept = 0;
    /// Open `path` resolved by the kernel so it never leaves `dir` (openat2 with
    /// RESOLVE_IN_ROOT or RESOLVE_BENEATH, always RESOLVE_NO_MAGICLINKS). Errno::nosys when the
    /// kernel (or this Hal) cannot: callers then fall back to a manual walk.
    virtual HalResult<HostHandle> open_beneath(HostFd dir, std::string_view path, const OpenOptions& options,
                                               const ResolveOptions& resolve) noexcept = 0;
    /// A second descriptor for the same open file (F_DUPFD_CLOEXEC).
    virtual HalResult<HostHandle> duplicate(HostFd fd) noexcept = 0;
    /// Close and report the error close(2) gives (the descriptor is gone either way).
    virtual HalResult<void> close(HostHandle&& handle) noexcept = 0;

    /// read(2) once into `buf` (a short read is not an error; 0 = end of file).
    virtual HalResult<size_t> read(HostFd fd, std::span<std::byte> buf) noexcept = 0;
    /// write(2) once. On a socket whose peer closed this raises SIGPIPE like write(2): use
    /// send() for sockets.
    virtual HalResult<size_t> write(HostFd fd, std::span<const std::byte> buf) noexcept = 0;
    virtual HalResult<size_t> pread(HostFd fd, std::span<std::byte> buf, uint64_t offset) noexcept = 0;
    virtual HalResult<size_t> pwrite(HostFd fd, std::span<const std::byte> buf, uint64_t offset) noexcept = 0;
    /// readv(2) over at most kHalMaxIoSlices slices (extra slices are ignored: a short read).
    virtual HalResult<size_t> readv(HostFd fd, std::span<const IoSlice> slices) noexcept = 0;
    virtual HalResult<size_t> writev(HostFd fd, std::span<const ConstIoSlice> slices) noexcept = 0;
    virtual HalResult<size_t> preadv(HostFd fd, std::span<const IoSlice> slices, uint64_t offset) noexcept = 0;
    virtual HalResult<size_t> pwritev(HostFd fd, std::span<const ConstIoSlice> slices, uint64_t offset) noexcept = 0;
    /// lseek; returns the new offset. An offset that would be negative → inval.
    virtual HalResult<uint64_t> seek(HostFd fd, int64_t offset, Whence whence) noexcept = 0;

    virtual HalResult<FileStat> fstat(HostFd fd) noexcept = 0;
    /// fstatat(dir, path); follow = false uses AT_SYMLINK_NOFOLLOW (stat the link itself).
    virtual HalResult<FileStat> stat_at(HostFd dir, std::string_view path, bool follow) noexcept = 0;

    /// Up to `max_entries` (clamped to kHalMaxDirEntries) entries of directory `dir` starting
    /// at `cookie` (0 = the beginning; else a DirEntry::next from an earlier call on the same
    /// directory). Includes "." and "..". Empty = end of directory. Moves the fd's position.
    virtual HalResult<std::vector<DirEntry>> read_dir(HostFd dir, uint64_t cookie, size_t max_entries) noexcept = 0;

    virtual HalResult<void> mkdir_at(HostFd dir, std::string_view path, uint32_t mode) noexcept = 0;
    /// unlinkat without AT_REMOVEDIR: a directory → isdir (Linux EISDIR mapped as-is).
    virtual HalResult<void> unlink_at(HostFd dir, std::string_view path) noexcept = 0;
    /// unlinkat with AT_REMOVEDIR.
    virtual HalResult<void> rmdir_at(HostFd dir, std::string_view path) noexcept = 0;
    virtual HalResult<void> rename_at(HostFd old_dir, std::string_view old_path, HostFd new_dir,
                                      std::string_view new_path) noexcept = 0;
    /// Create symlink `path` (in `dir`) whose contents are `target` (stored verbatim).
    virtual HalResult<void> symlink_at(std::string_view target, HostFd dir, std::string_view path) noexcept = 0;
    /// The symlink's contents (at most kHalMaxPath - 1 bytes, else nametoolong).
    virtual HalResult<std::string> readlink_at(HostFd dir, std::string_view path) noexcept = 0;
    /// linkat; follow = AT_SYMLINK_FOLLOW on the old path (the Vfs always passes false).
    virtual HalResult<void> link_at(HostFd old_dir, std::string_view old_path, HostFd new_dir,
                                    std::string_view new_path, bool follow) noexcept = 0;

    virtual HalResult<void> ftruncate(HostFd fd, uint64_t size) noexcept = 0;
    /// posix_fallocate.
    virtual HalResult<void> fallocate(HostFd fd, uint64_t offset, uint64_t length) noexcept = 0;
    virtual HalResult<void> set_times(HostFd fd, SetTime atime, SetTime mtime) noexcept = 0;
    /// utimensat; follow = false uses AT_SYMLINK_NOFOLLOW.
    virtual HalResult<void> set_times_at(HostFd dir, std::string_view path, SetTime atime, SetTime mtime,
                                         bool follow) noexcept = 0;
    virtual HalResult<void> fsync(HostFd fd) noexcept = 0;
    virtual HalResult<void> fdatasync(HostFd fd) noexcept = 0;
    virtual HalResult<void> fadvise(HostFd fd, uint64_t offset, uint64_t length, Advice advice) noexcept = 0;
    virtual HalResult<FdFlags> get_fd_flags(HostFd fd) noexcept = 0;
    /// Only append and nonblock can change on Linux; changing a sync flag → notsup.
    virtual HalResult<void> set_fd_flags(HostFd fd, FdFlags flags) noexcept = 0;
    /// Bytes readable without blocking (FIONREAD), for poll_oneoff's nbytes.
    virtual HalResult<uint64_t> bytes_readable(HostFd fd) noexcept = 0;
    /// The host path of an open descriptor (/proc/self/fd). Diagnostics and the Vfs's debug
    /// second-opinion check only: never give it to a guest.
    virtual HalResult<std::string> host_path_of(HostFd fd) noexcept = 0;

    // ---- TCP sockets ----------------------------------------------------------------------

    /// A blocking TCP connect to exactly `address`.
    virtual HalResult<HostHandle> tcp_connect(const SocketAddress& address) noexcept = 0;
    /// A listening TCP socket bound to `address` (port 0 = ephemeral; SO_REUSEADDR set).
    virtual HalResult<HostHandle> tcp_listen(const SocketAddress& address, int backlog) noexcept = 0;
    /// accept4(SOCK_CLOEXEC, plus SOCK_NONBLOCK when `nonblock`).
    virtual HalResult<Accepted> accept(HostFd listener, bool nonblock) noexcept = 0;
    /// sendmsg with MSG_NOSIGNAL (a closed peer gives Errno::pipe, never SIGPIPE).
    virtual HalResult<size_t> send(HostFd socket, std::span<const ConstIoSlice> slices) noexcept = 0;
    virtual HalResult<size_t> recv(HostFd socket, std::span<const IoSlice> slices, RecvFlags flags) noexcept = 0;
    virtual HalResult<void> shutdown(HostFd socket, ShutdownHow how) noexcept = 0;
    /// getsockname.
    virtual HalResult<SocketAddress> local_address(HostFd socket) noexcept = 0;
    /// getpeername.
    virtual HalResult<SocketAddress> peer_address(HostFd socket) noexcept = 0;

    // ---- readiness ------------------------------------------------------------------------

    /// Wait until one of `fds` is ready or `timeout_ns` passes (nullopt = forever; 0 = just
    /// check). Fills the result fields of each PollFd; returns how many have any set. No fds
    /// and a timeout = sleep. More than kHalMaxPollFds → inval.
    virtual HalResult<size_t> poll(std::span<PollFd> fds, std::optional<uint64_t> timeout_ns) noexcept = 0;

    // ---- clocks and randomness -------------------------------------------------------------

    /// Current time of `clock` in ns.
    virtual HalResult<uint64_t> clock_time(ClockId clock) noexcept = 0;
    /// Resolution of `clock` in ns.
    virtual HalResult<uint64_t> clock_resolution(ClockId clock) noexcept = 0;
    /// Fill `buf` with cryptographically secure random bytes (getrandom).
    virtual HalResult<void> random_bytes(std::span<std::byte> buf) noexcept = 0;

    // ---- memory ---------------------------------------------------------------------------

    /// The host page size.
    virtual size_t page_size() const noexcept = 0;
    /// Reserve `bytes` (rounded up to pages) of address space, inaccessible until committed.
    virtual HalResult<MemoryRegion> memory_reserve(size_t bytes) noexcept = 0;
    /// Make [offset, offset+length) of `region` readable and writable (zero-filled on first
    /// touch). offset/length are rounded out to pages; outside the region → inval.
    virtual HalResult<void> memory_commit(MemoryRegion& region, size_t offset, size_t length) noexcept = 0;
    /// Make the range inaccessible again and give its pages back.
    virtual HalResult<void> memory_decommit(MemoryRegion& region, size_t offset, size_t length) noexcept = 0;

    // ---- standard streams -----------------------------------------------------------------

    /// A new descriptor (a dup) for the host stream given to this Hal at construction, so a
    /// capsule closing its fd 1 never closes the host's.
    virtual HalResult<HostHandle> std_stream(StdStream which) noexcept = 0;

protected:
    friend class HostHandle;
    friend class MemoryRegion;
    /// Close a descriptor this Hal opened (HostHandle's destructor). Errors are ignored.
    virtual void close_host(HostFd fd) noexcept = 0;
    /// Unmap a region this Hal reserved (MemoryRegion's destructor).
    virtual void release_memory(std::byte* base, size_t size) noexcept = 0;
};

}  // namespace crush
