// Copyright Crush authors.
// NativeHal: Linux system calls, and the one host-errno → WASI-errno conversion.
// Deliberate choices:
// - every descriptor is O_CLOEXEC / SOCK_CLOEXEC / F_DUPFD_CLOEXEC (no leak into children);
// - EINTR is retried everywhere except close(2) (Linux frees the fd even when it fails);
// - nothing is allocated in proportion to a caller-chosen size beyond the kHalMax* limits;
// - O_NOCTTY on every open, so opening a terminal never makes it our controlling tty.
#include "hal/native_hal.hpp"

#include <linux/openat2.h>

#include <arpa/inet.h>
#include <cerrno>
#include <dirent.h>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cstdio>

namespace crush {

Errno from_host_errno(int e) noexcept {
    switch (e) {
    case 0: return Errno::io;  // a failure with no errno: never report success by accident
    case E2BIG: return Errno::toobig;
    case EACCES: return Errno::acces;
    case EADDRINUSE: return Errno::addrinuse;
    case EADDRNOTAVAIL: return Errno::addrnotavail;
    case EAFNOSUPPORT: return Errno::afnosupport;
    case EAGAIN: return Errno::again;  // == EWOULDBLOCK
    case EALREADY: return Errno::already;
    case EBADF: return Errno::badf;
    case EBADMSG: return Errno::badmsg;
    case EBUSY: return Errno::busy;
    case ECANCELED: return Errno::canceled;
    case ECHILD: return Errno::child;
    case ECONNABORTED: return Errno::connaborted;
    case ECONNREFUSED: return Errno::connrefused;
    case ECONNRESET: return Errno::connreset;
    case EDEADLK: return Errno::deadlk;
    case EDESTADDRREQ: return Errno::destaddrreq;
    case EDOM: return Errno::dom;
    case EDQUOT: return Errno::dquot;
    case EEXIST: return Errno::exist;
    case EFAULT: return Errno::fault;
    case EFBIG: return Errno::fbig;
    case EHOSTUNREACH: return Errno::hostunreach;
    case EIDRM: return Errno::idrm;
    case EILSEQ: return Errno::ilseq;
    case EINPROGRESS: return Errno::inprogress;
    case EINTR: return Errno::intr;
    case EINVAL: return Errno::inval;
    case EIO: return Errno::io;
    case EISCONN: return Errno::isconn;
    case EISDIR: return Errno::isdir;
    case ELOOP: return Errno::loop;
    case EMFILE: return Errno::mfile;
    case EMLINK: return Errno::mlink;
    case EMSGSIZE: return Errno::msgsize;
    case EMULTIHOP: return Errno::multihop;
    case ENAMETOOLONG: return Errno::nametoolong;
    case ENETDOWN: return Errno::netdown;
    case ENETRESET: return Errno::netreset;
    case ENETUNREACH: return Errno::netunreach;
    case ENFILE: return Errno::nfile;
    case ENOBUFS: return Errno::nobufs;
    case ENODEV: return Errno::nodev;
    case ENOENT: return Errno::noent;
    case ENOEXEC: return Errno::noexec;
    case ENOLCK: return Errno::nolck;
    case ENOLINK: return Errno::nolink;
    case ENOMEM: return Errno::nomem;
    case ENOMSG: return Errno::nomsg;
    case ENOPROTOOPT: return Errno::noprotoopt;
    case ENOSPC: return Errno::nospc;
    case ENOSYS: return Errno::nosys;
    case ENOTCONN: return Errno::notconn;
    case ENOTDIR: return Errno::notdir;
    case ENOTEMPTY: return Errno::notempty;
    case ENOTRECOVERABLE: return Errno::notrecoverable;
    case ENOTSOCK: return Errno::notsock;
    case ENOTSUP: return Errno::notsup;  // == EOPNOTSUPP on Linux
    case ENOTTY: return Errno::notty;
    case ENXIO: return Errno::nxio;
    case EOVERFLOW: return Errno::overflow;
    case EOWNERDEAD: return Errno::ownerdead;
    case EPERM: return Errno::perm;
    case EPIPE: return Errno::pipe;
    case EPROTO: return Errno::proto;
    case EPROTONOSUPPORT: return Errno::protonosupport;
    case EPROTOTYPE: return Errno::prototype;
    case ERANGE: return Errno::range;
    case EROFS: return Errno::rofs;
    case ESPIPE: return Errno::spipe;
    case ESRCH: return Errno::srch;
    case ESTALE: return Errno::stale;
    case ETIMEDOUT: return Errno::timedout;
    case ETXTBSY: return Errno::txtbsy;
    case EXDEV: return Errno::xdev;
    default: return Errno::io;
    }
}

namespace {

inline int raw(HostFd fd) noexcept { return static_cast<int>(fd); }

Errno last_errno() noexcept { return from_host_errno(errno); }

/// Retry a syscall returning -1/errno on EINTR.
template <typename F>
auto retry(F&& f) noexcept {
    for (;;) {
        auto r = f();
        if (r != -1 || errno != EINTR)
            return r;
    }
}

/// A NUL-terminated copy of a path on the stack: the kernel needs C strings, and a guest path
/// with an embedded NUL must not be silently truncated into a different path.
class PathBuf {
public:
    explicit PathBuf(std::string_view path) noexcept {
        if (path.size() >= kHalMaxPath) {
            m_error = Errno::nametoolong;
            return;
        }
        if (path.find('\0') != std::string_view::npos) {
            m_error = Errno::inval;
            return;
        }
        std::memcpy(m_buf.data(), path.data(), path.size());
        m_buf[path.size()] = '\0';
    }
    [[nodiscard]] Errno error() const noexcept { return m_error; }
    [[nodiscard]] const char* c_str() const noexcept { return m_buf.data(); }

private:
    std::array<char, kHalMaxPath> m_buf;
    Errno m_error = Errno::success;
};

#define CRUSH_PATH(var, sv)             \
    PathBuf var(sv);                    \
    if (var.error() != Errno::success)  \
        return var.error()

FileType file_type_of_mode(mode_t mode) noexcept {
    switch (mode & S_IFMT) {
    case S_IFBLK: return FileType::block_device;
    case S_IFCHR: return FileType::character_device;
    case S_IFDIR: return FileType::directory;
    case S_IFREG: return FileType::regular_file;
    case S_IFSOCK: return FileType::socket_stream;  // refined by fstat on sockets below
    case S_IFLNK: return FileType::symbolic_link;
    default: return FileType::unknown;
    }
}

FileType file_type_of_dtype(unsigned char t) noexcept {
    switch (t) {
    case DT_BLK: return FileType::block_device;
    case DT_CHR: return FileType::character_device;
    case DT_DIR: return FileType::directory;
    case DT_REG: return FileType::regular_file;
    case DT_SOCK: return FileType::socket_stream;
    case DT_LNK: return FileType::symbolic_link;
    default: return FileType::unknown;
    }
}

uint64_t to_ns(const struct timespec& ts) noexcept {
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

FileStat to_file_stat(const struct stat& st) noexcept {
    FileStat s;
    s.dev = st.st_dev;
    s.ino = st.st_ino;
    s.type = file_type_of_mode(st.st_mode);
    s.nlink = st.st_nlink;
    s.size = static_cast<uint64_t>(st.st_size);
    s.atim = to_ns(st.st_atim);
    s.mtim = to_ns(st.st_mtim);
    s.ctim = to_ns(st.st_ctim);
    s.mode = st.st_mode & 07777;
    return s;
}

struct timespec to_timespec(SetTime t) noexcept {
    struct timespec ts{};
    switch (t.kind) {
    case SetTime::Kind::omit: ts.tv_nsec = UTIME_OMIT; break;
    case SetTime::Kind::now: ts.tv_nsec = UTIME_NOW; break;
    case SetTime::Kind::value:
        ts.tv_sec = static_cast<time_t>(t.ns / 1'000'000'000ull);
        ts.tv_nsec = static_cast<long>(t.ns % 1'000'000'000ull);
        break;
    }
    return ts;
}

int open_flags(const OpenOptions& o) noexcept {
    int f = O_CLOEXEC | O_NOCTTY;
    switch (o.access) {
    case OpenOptions::Access::read: f |= O_RDONLY; break;
    case OpenOptions::Access::write: f |= O_WRONLY; break;
    case OpenOptions::Access::read_write: f |= O_RDWR; break;
    }
    if (o.create) f |= O_CREAT;
    if (o.excl) f |= O_EXCL;
    if (o.trunc) f |= O_TRUNC;
    if (o.append) f |= O_APPEND;
    if (o.directory) f |= O_DIRECTORY;
    if (o.nofollow) f |= O_NOFOLLOW;
    if (o.nonblock) f |= O_NONBLOCK;
    if (o.dsync) f |= O_DSYNC;
    if (o.rsync) f |= O_RSYNC;
    if (o.sync) f |= O_SYNC;
    return f;
}

/// Linux truncates on O_RDONLY|O_TRUNC; a read-only open must never modify the file.
bool trunc_without_write(const OpenOptions& o) noexcept {
    return o.trunc && o.access == OpenOptions::Access::read;
}

// ---- socket addresses ----------------------------------------------------------------------

socklen_t to_sockaddr(const SocketAddress& a, sockaddr_storage& out) noexcept {
    std::memset(&out, 0, sizeof out);
    if (a.family == SocketAddress::Family::ipv4) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&out);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(a.port);
        std::memcpy(&sin->sin_addr, a.addr.data(), 4);
        return sizeof(sockaddr_in);
    }
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(a.port);
    std::memcpy(&sin6->sin6_addr, a.addr.data(), 16);
    return sizeof(sockaddr_in6);
}

HalResult<SocketAddress> from_sockaddr(const sockaddr_storage& ss) noexcept {
    SocketAddress a;
    if (ss.ss_family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
        a.family = SocketAddress::Family::ipv4;
        a.port = ntohs(sin->sin_port);
        std::memcpy(a.addr.data(), &sin->sin_addr, 4);
        return a;
    }
    if (ss.ss_family == AF_INET6) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
        a.family = SocketAddress::Family::ipv6;
        a.port = ntohs(sin6->sin6_port);
        std::memcpy(a.addr.data(), &sin6->sin6_addr, 16);
        return a;
    }
    return Errno::afnosupport;
}

/// Copy at most kHalMaxIoSlices slices into a fixed array of iovecs (no allocation).
template <typename Slice>
size_t to_iovecs(std::span<const Slice> slices, std::array<iovec, kHalMaxIoSlices>& out) noexcept {
    const size_t n = std::min(slices.size(), kHalMaxIoSlices);
    for (size_t i = 0; i < n; ++i)
        out[i] = iovec{const_cast<std::byte*>(slices[i].data), slices[i].size};
    return n;
}

HalResult<size_t> size_result(ssize_t n) noexcept {
    if (n < 0)
        return last_errno();
    return static_cast<size_t>(n);
}

bool offset_ok(uint64_t offset) noexcept { return offset <= static_cast<uint64_t>(INT64_MAX); }

clockid_t host_clock(ClockId id, bool& ok) noexcept {
    ok = true;
    switch (id) {
    case ClockId::realtime: return CLOCK_REALTIME;
    case ClockId::monotonic: return CLOCK_MONOTONIC;
    case ClockId::process_cputime: return CLOCK_PROCESS_CPUTIME_ID;
    case ClockId::thread_cputime: return CLOCK_THREAD_CPUTIME_ID;
    }
    ok = false;
    return CLOCK_REALTIME;
}

}  // namespace

// ---- construction ---------------------------------------------------------------------------

NativeHal::NativeHal(int stdin_fd, int stdout_fd, int stderr_fd) noexcept : m_std{stdin_fd, stdout_fd, stderr_fd} {}

std::shared_ptr<NativeHal> NativeHal::shared() noexcept {
    // Deliberately never destroyed: handles may still be closed during static destruction.
    static auto* instance = new std::shared_ptr<NativeHal>(std::make_shared<NativeHal>());
    return *instance;
}

bool NativeHal::has_openat2() noexcept {
    static const bool available = [] {
        struct open_how how{};
        how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
        how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
        const long fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how);
        if (fd < 0)
            return errno != ENOSYS && errno != EPERM;  // EPERM: a seccomp filter refusing it
        ::close(static_cast<int>(fd));
        return true;
    }();
    return available;
}

void NativeHal::close_host(HostFd fd) noexcept {
    if (raw(fd) >= 0)
        ::close(raw(fd));
}

HalResult<void> NativeHal::close(HostHandle&& handle) noexcept {
    if (!handle.valid())
        return Errno::badf;
    if (handle.owner() != this)
        return Errno::inval;
    const int fd = raw(handle.release());
    // No retry on EINTR: Linux has freed the descriptor already.
    if (::close(fd) != 0 && errno != EINTR)
        return last_errno();
    return {};
}

// ---- files ----------------------------------------------------------------------------------

HalResult<HostHandle> NativeHal::open_at(HostFd dir, std::string_view path, const OpenOptions& options) noexcept {
    if (trunc_without_write(options))
        return Errno::inval;
    CRUSH_PATH(p, path);
    const int fd = retry([&] { return ::openat(raw(dir), p.c_str(), open_flags(options), options.mode); });
    if (fd < 0)
        return last_errno();
    return HostHandle(*this, HostFd{fd});
}

HalResult<HostHandle> NativeHal::open_beneath(HostFd dir, std::string_view path, const OpenOptions& options,
                                              const ResolveOptions& resolve) noexcept {
    if (!has_openat2())
        return Errno::nosys;
    if (trunc_without_write(options))
        return Errno::inval;
    CRUSH_PATH(p, path);
    struct open_how how{};
    how.flags = static_cast<uint64_t>(open_flags(options));
    how.mode = (options.create ? options.mode : 0) & 07777;
    how.resolve = RESOLVE_NO_MAGICLINKS | (resolve.in_root ? RESOLVE_IN_ROOT : RESOLVE_BENEATH);
    if (resolve.no_symlinks)
        how.resolve |= RESOLVE_NO_SYMLINKS;
    // EAGAIN: the kernel saw a concurrent rename/mount and refused to guess; try again a few
    // times, then report it (callers fall back to the manual walk).
    for (int attempt = 0; attempt < 8; ++attempt) {
        const long fd = syscall(SYS_openat2, raw(dir), p.c_str(), &how, sizeof how);
        if (fd >= 0)
            return HostHandle(*this, HostFd{static_cast<int>(fd)});
        if (errno == EINTR || errno == EAGAIN)
            continue;
        return errno == ENOSYS ? Errno::nosys : last_errno();
    }
    return Errno::again;
}

HalResult<HostHandle> NativeHal::duplicate(HostFd fd) noexcept {
    const int d = ::fcntl(raw(fd), F_DUPFD_CLOEXEC, 0);
    if (d < 0)
        return last_errno();
    return HostHandle(*this, HostFd{d});
}

HalResult<size_t> NativeHal::read(HostFd fd, std::span<std::byte> buf) noexcept {
    return size_result(retry([&] { return ::read(raw(fd), buf.data(), buf.size()); }));
}

HalResult<size_t> NativeHal::write(HostFd fd, std::span<const std::byte> buf) noexcept {
    return size_result(retry([&] { return ::write(raw(fd), buf.data(), buf.size()); }));
}

HalResult<size_t> NativeHal::pread(HostFd fd, std::span<std::byte> buf, uint64_t offset) noexcept {
    if (!offset_ok(offset))
        return Errno::inval;
    return size_result(retry([&] { return ::pread(raw(fd), buf.data(), buf.size(), static_cast<off_t>(offset)); }));
}

HalResult<size_t> NativeHal::pwrite(HostFd fd, std::span<const std::byte> buf, uint64_t offset) noexcept {
    if (!offset_ok(offset))
        return Errno::inval;
    return size_result(retry([&] { return ::pwrite(raw(fd), buf.data(), buf.size(), static_cast<off_t>(offset)); }));
}

// The vectored calls take the plain syscall for one slice (the common case: a libc read/write
// of one buffer): no iovec array to build and none for the kernel to copy in.

HalResult<size_t> NativeHal::readv(HostFd fd, std::span<const IoSlice> slices) noexcept {
    if (slices.size() == 1) return NativeHal::read(fd, {slices[0].data, slices[0].size});
    std::array<iovec, kHalMaxIoSlices> iov;
    const size_t n = to_iovecs(slices, iov);
    return size_result(retry([&] { return ::readv(raw(fd), iov.data(), static_cast<int>(n)); }));
}

HalResult<size_t> NativeHal::writev(HostFd fd, std::span<const ConstIoSlice> slices) noexcept {
    if (slices.size() == 1) return NativeHal::write(fd, {slices[0].data, slices[0].size});
    std::array<iovec, kHalMaxIoSlices> iov;
    const size_t n = to_iovecs(slices, iov);
    return size_result(retry([&] { return ::writev(raw(fd), iov.data(), static_cast<int>(n)); }));
}

HalResult<size_t> NativeHal::preadv(HostFd fd, std::span<const IoSlice> slices, uint64_t offset) noexcept {
    if (slices.size() == 1) return NativeHal::pread(fd, {slices[0].data, slices[0].size}, offset);
    if (!offset_ok(offset))
        return Errno::inval;
    std::array<iovec, kHalMaxIoSlices> iov;
    const size_t n = to_iovecs(slices, iov);
    return size_result(
        retry([&] { return ::preadv(raw(fd), iov.data(), static_cast<int>(n), static_cast<off_t>(offset)); }));
}

HalResult<size_t> NativeHal::pwritev(HostFd fd, std::span<const ConstIoSlice> slices, uint64_t offset) noexcept {
    if (slices.size() == 1) return NativeHal::pwrite(fd, {slices[0].data, slices[0].size}, offset);
    if (!offset_ok(offset))
        return Errno::inval;
    std::array<iovec, kHalMaxIoSlices> iov;
    const size_t n = to_iovecs(slices, iov);
    return size_result(
        retry([&] { return ::pwritev(raw(fd), iov.data(), static_cast<int>(n), static_cast<off_t>(offset)); }));
}

HalResult<uint64_t> NativeHal::seek(HostFd fd, int64_t offset, Whence whence) noexcept {
    int w = SEEK_SET;
    switch (whence) {
    case Whence::set: w = SEEK_SET; break;
    case Whence::cur: w = SEEK_CUR; break;
    case Whence::end: w = SEEK_END; break;
    default: return Errno::inval;
    }
    const off_t r = ::lseek(raw(fd), static_cast<off_t>(offset), w);
    if (r < 0)
        return last_errno();
    return static_cast<uint64_t>(r);
}

HalResult<FileStat> NativeHal::fstat(HostFd fd) noexcept {
    struct stat st;
    if (::fstat(raw(fd), &st) != 0)
        return last_errno();
    FileStat s = to_file_stat(st);
    if (s.type == FileType::socket_stream) {
        int type = 0;
        socklen_t len = sizeof type;
        if (::getsockopt(raw(fd), SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
            s.type = FileType::socket_dgram;
    }
    return s;
}

HalResult<FileStat> NativeHal::stat_at(HostFd dir, std::string_view path, bool follow) noexcept {
    CRUSH_PATH(p, path);
    struct stat st;
    if (::fstatat(raw(dir), p.c_str(), &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
        return last_errno();
    return to_file_stat(st);
}

HalResult<std::vector<DirEntry>> NativeHal::read_dir(HostFd dir, uint64_t cookie, size_t max_entries) noexcept {
    max_entries = std::min(max_entries, kHalMaxDirEntries);
    if (!offset_ok(cookie))
        return Errno::inval;
    // Cookies are the kernel's d_off values, which lseek on a directory accepts (seekdir).
    if (::lseek(raw(dir), static_cast<off_t>(cookie), SEEK_SET) < 0)
        return last_errno();
    std::vector<DirEntry> out;
    alignas(8) std::array<char, 16384> buf;
    while (out.size() < max_entries) {
        const long n = retry([&] { return syscall(SYS_getdents64, raw(dir), buf.data(), buf.size()); });
        if (n < 0)
            return last_errno();
        if (n == 0)
            break;
        for (long pos = 0; pos < n && out.size() < max_entries;) {
            struct Dirent64 {
                uint64_t d_ino;
                int64_t d_off;
                unsigned short d_reclen;
                unsigned char d_type;
                char d_name[1];
            };
            const auto* d = reinterpret_cast<const Dirent64*>(buf.data() + pos);
            DirEntry e;
            e.name = d->d_name;
            e.ino = d->d_ino;
            e.next = static_cast<uint64_t>(d->d_off);
            e.type = file_type_of_dtype(d->d_type);
            if (d->d_type == DT_UNKNOWN) {
                struct stat st;
                if (::fstatat(raw(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                    e.type = file_type_of_mode(st.st_mode);
            }
            out.push_back(std::move(e));
            pos += d->d_reclen;
        }
        if (out.size() >= max_entries && !out.empty()) {
            // Leave the position right after the last returned entry.
            ::lseek(raw(dir), static_cast<off_t>(out.back().next), SEEK_SET);
        }
    }
    return out;
}

HalResult<void> NativeHal::mkdir_at(HostFd dir, std::string_view path, uint32_t mode) noexcept {
    CRUSH_PATH(p, path);
    if (::mkdirat(raw(dir), p.c_str(), mode & 07777) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::unlink_at(HostFd dir, std::string_view path) noexcept {
    CRUSH_PATH(p, path);
    if (::unlinkat(raw(dir), p.c_str(), 0) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::rmdir_at(HostFd dir, std::string_view path) noexcept {
    CRUSH_PATH(p, path);
    if (::unlinkat(raw(dir), p.c_str(), AT_REMOVEDIR) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::rename_at(HostFd old_dir, std::string_view old_path, HostFd new_dir,
                                     std::string_view new_path) noexcept {
    CRUSH_PATH(a, old_path);
    CRUSH_PATH(b, new_path);
    if (::renameat(raw(old_dir), a.c_str(), raw(new_dir), b.c_str()) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::symlink_at(std::string_view target, HostFd dir, std::string_view path) noexcept {
    CRUSH_PATH(t, target);
    CRUSH_PATH(p, path);
    if (::symlinkat(t.c_str(), raw(dir), p.c_str()) != 0)
        return last_errno();
    return {};
}

HalResult<std::string> NativeHal::readlink_at(HostFd dir, std::string_view path) noexcept {
    CRUSH_PATH(p, path);
    std::array<char, kHalMaxPath> buf;
    const ssize_t n = ::readlinkat(raw(dir), p.c_str(), buf.data(), buf.size());
    if (n < 0)
        return last_errno();
    if (static_cast<size_t>(n) >= buf.size())
        return Errno::nametoolong;
    return std::string(buf.data(), static_cast<size_t>(n));
}

HalResult<void> NativeHal::link_at(HostFd old_dir, std::string_view old_path, HostFd new_dir,
                                   std::string_view new_path, bool follow) noexcept {
    CRUSH_PATH(a, old_path);
    CRUSH_PATH(b, new_path);
    if (::linkat(raw(old_dir), a.c_str(), raw(new_dir), b.c_str(), follow ? AT_SYMLINK_FOLLOW : 0) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::ftruncate(HostFd fd, uint64_t size) noexcept {
    if (!offset_ok(size))
        return Errno::fbig;
    if (retry([&] { return ::ftruncate(raw(fd), static_cast<off_t>(size)); }) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::fallocate(HostFd fd, uint64_t offset, uint64_t length) noexcept {
    if (!offset_ok(offset) || !offset_ok(length) || offset + length > static_cast<uint64_t>(INT64_MAX))
        return Errno::fbig;
    int r;
    do {
        r = ::posix_fallocate(raw(fd), static_cast<off_t>(offset), static_cast<off_t>(length));
    } while (r == EINTR);
    if (r != 0)
        return from_host_errno(r);
    return {};
}

HalResult<void> NativeHal::set_times(HostFd fd, SetTime atime, SetTime mtime) noexcept {
    const struct timespec ts[2] = {to_timespec(atime), to_timespec(mtime)};
    if (::futimens(raw(fd), ts) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::set_times_at(HostFd dir, std::string_view path, SetTime atime, SetTime mtime,
                                        bool follow) noexcept {
    CRUSH_PATH(p, path);
    const struct timespec ts[2] = {to_timespec(atime), to_timespec(mtime)};
    if (::utimensat(raw(dir), p.c_str(), ts, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::fsync(HostFd fd) noexcept {
    if (retry([&] { return ::fsync(raw(fd)); }) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::fdatasync(HostFd fd) noexcept {
    if (retry([&] { return ::fdatasync(raw(fd)); }) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::fadvise(HostFd fd, uint64_t offset, uint64_t length, Advice advice) noexcept {
    int a = POSIX_FADV_NORMAL;
    switch (advice) {
    case Advice::normal: a = POSIX_FADV_NORMAL; break;
    case Advice::sequential: a = POSIX_FADV_SEQUENTIAL; break;
    case Advice::random: a = POSIX_FADV_RANDOM; break;
    case Advice::willneed: a = POSIX_FADV_WILLNEED; break;
    case Advice::dontneed: a = POSIX_FADV_DONTNEED; break;
    case Advice::noreuse: a = POSIX_FADV_NOREUSE; break;
    default: return Errno::inval;
    }
    if (!offset_ok(offset) || !offset_ok(length))
        return Errno::inval;
    const int r = ::posix_fadvise(raw(fd), static_cast<off_t>(offset), static_cast<off_t>(length), a);
    if (r != 0)
        return from_host_errno(r);
    return {};
}

HalResult<FdFlags> NativeHal::get_fd_flags(HostFd fd) noexcept {
    const int fl = ::fcntl(raw(fd), F_GETFL);
    if (fl < 0)
        return last_errno();
    FdFlags f;
    f.append = (fl & O_APPEND) != 0;
    f.nonblock = (fl & O_NONBLOCK) != 0;
    f.sync = (fl & O_SYNC) == O_SYNC;
    f.dsync = (fl & O_DSYNC) != 0;
    f.rsync = (fl & O_RSYNC) == O_RSYNC;  // Linux: O_RSYNC == O_SYNC
    return f;
}

HalResult<void> NativeHal::set_fd_flags(HostFd fd, FdFlags flags) noexcept {
    const int fl = ::fcntl(raw(fd), F_GETFL);
    if (fl < 0)
        return last_errno();
    const bool sync = (fl & O_SYNC) == O_SYNC;
    const bool dsync = (fl & O_DSYNC) != 0;
    // F_SETFL silently ignores the sync flags on Linux; say so instead of pretending.
    if (flags.sync != sync || flags.dsync != dsync || flags.rsync != sync)
        return Errno::notsup;
    int nfl = fl & ~(O_APPEND | O_NONBLOCK);
    if (flags.append) nfl |= O_APPEND;
    if (flags.nonblock) nfl |= O_NONBLOCK;
    if (::fcntl(raw(fd), F_SETFL, nfl) != 0)
        return last_errno();
    return {};
}

HalResult<uint64_t> NativeHal::bytes_readable(HostFd fd) noexcept {
    int n = 0;
    if (::ioctl(raw(fd), FIONREAD, &n) != 0)
        return last_errno();
    return static_cast<uint64_t>(n < 0 ? 0 : n);
}

HalResult<std::string> NativeHal::host_path_of(HostFd fd) noexcept {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", raw(fd));
    std::array<char, kHalMaxPath> buf;
    const ssize_t n = ::readlink(link, buf.data(), buf.size());
    if (n < 0)
        return last_errno();
    if (static_cast<size_t>(n) >= buf.size())
        return Errno::nametoolong;
    return std::string(buf.data(), static_cast<size_t>(n));
}

// ---- sockets --------------------------------------------------------------------------------

HalResult<HostHandle> NativeHal::tcp_connect(const SocketAddress& address) noexcept {
    sockaddr_storage ss;
    const socklen_t len = to_sockaddr(address, ss);
    const int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return last_errno();
    HostHandle h(*this, HostFd{fd});
    if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
        if (errno != EINTR)
            return last_errno();
        // Interrupted: the connection continues in the background; wait for it, then ask.
        struct pollfd p{fd, POLLOUT, 0};
        if (retry([&] { return ::poll(&p, 1, -1); }) < 0)
            return last_errno();
        int err = 0;
        socklen_t elen = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
            return last_errno();
        if (err != 0)
            return from_host_errno(err);
    }
    return h;
}

HalResult<HostHandle> NativeHal::tcp_listen(const SocketAddress& address, int backlog) noexcept {
    sockaddr_storage ss;
    const socklen_t len = to_sockaddr(address, ss);
    const int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return last_errno();
    HostHandle h(*this, HostFd{fd});
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0)
        return last_errno();
    if (::listen(fd, std::clamp(backlog, 1, SOMAXCONN)) != 0)
        return last_errno();
    return h;
}

HalResult<Accepted> NativeHal::accept(HostFd listener, bool nonblock) noexcept {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const int fd = retry([&] {
        return ::accept4(raw(listener), reinterpret_cast<sockaddr*>(&ss), &len,
                         SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0));
    });
    if (fd < 0)
        return last_errno();
    Accepted a{HostHandle(*this, HostFd{fd}), {}};
    if (auto peer = from_sockaddr(ss); peer.ok())
        a.peer = *peer;
    return a;
}

HalResult<size_t> NativeHal::send(HostFd socket, std::span<const ConstIoSlice> slices) noexcept {
    std::array<iovec, kHalMaxIoSlices> iov;
    msghdr msg{};
    msg.msg_iov = iov.data();
    msg.msg_iovlen = to_iovecs(slices, iov);
    return size_result(retry([&] { return ::sendmsg(raw(socket), &msg, MSG_NOSIGNAL); }));
}

HalResult<size_t> NativeHal::recv(HostFd socket, std::span<const IoSlice> slices, RecvFlags flags) noexcept {
    std::array<iovec, kHalMaxIoSlices> iov;
    msghdr msg{};
    msg.msg_iov = iov.data();
    msg.msg_iovlen = to_iovecs(slices, iov);
    const int f = (flags.peek ? MSG_PEEK : 0) | (flags.waitall ? MSG_WAITALL : 0);
    return size_result(retry([&] { return ::recvmsg(raw(socket), &msg, f); }));
}

HalResult<void> NativeHal::shutdown(HostFd socket, ShutdownHow how) noexcept {
    int h = SHUT_RDWR;
    switch (how) {
    case ShutdownHow::read: h = SHUT_RD; break;
    case ShutdownHow::write: h = SHUT_WR; break;
    case ShutdownHow::both: h = SHUT_RDWR; break;
    default: return Errno::inval;
    }
    if (::shutdown(raw(socket), h) != 0)
        return last_errno();
    return {};
}

HalResult<SocketAddress> NativeHal::local_address(HostFd socket) noexcept {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(raw(socket), reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return last_errno();
    return from_sockaddr(ss);
}

HalResult<SocketAddress> NativeHal::peer_address(HostFd socket) noexcept {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(raw(socket), reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return last_errno();
    return from_sockaddr(ss);
}

// ---- readiness ------------------------------------------------------------------------------

HalResult<size_t> NativeHal::poll(std::span<PollFd> fds, std::optional<uint64_t> timeout_ns) noexcept {
    if (fds.size() > kHalMaxPollFds)
        return Errno::inval;
    std::vector<pollfd> p(fds.size());
    for (size_t i = 0; i < fds.size(); ++i) {
        p[i].fd = raw(fds[i].fd);
        p[i].events = static_cast<short>((fds[i].read ? POLLIN : 0) | (fds[i].write ? POLLOUT : 0));
    }
    struct timespec deadline{};
    if (timeout_ns) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        const uint64_t total = to_ns(deadline) + std::min<uint64_t>(*timeout_ns, uint64_t{1} << 62);
        deadline.tv_sec = static_cast<time_t>(total / 1'000'000'000ull);
        deadline.tv_nsec = static_cast<long>(total % 1'000'000'000ull);
    }
    int n;
    for (;;) {
        struct timespec remaining{};
        struct timespec* tp = nullptr;
        if (timeout_ns) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            const uint64_t d = to_ns(deadline), t = to_ns(now);
            const uint64_t left = d > t ? d - t : 0;
            remaining.tv_sec = static_cast<time_t>(left / 1'000'000'000ull);
            remaining.tv_nsec = static_cast<long>(left % 1'000'000'000ull);
            tp = &remaining;
        }
        n = ::ppoll(p.data(), p.size(), tp, nullptr);
        if (n >= 0 || errno != EINTR)
            break;
    }
    if (n < 0)
        return last_errno();
    for (size_t i = 0; i < fds.size(); ++i) {
        const short r = p[i].revents;
        fds[i].read_ready = (r & (POLLIN | POLLPRI)) != 0;
        fds[i].write_ready = (r & POLLOUT) != 0;
        fds[i].hangup = (r & POLLHUP) != 0;
        fds[i].error = (r & (POLLERR | POLLNVAL)) != 0;
    }
    return static_cast<size_t>(n);
}

// ---- clocks and randomness ------------------------------------------------------------------

HalResult<uint64_t> NativeHal::clock_time(ClockId clock) noexcept {
    bool ok;
    const clockid_t id = host_clock(clock, ok);
    if (!ok)
        return Errno::inval;
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return last_errno();
    return to_ns(ts);
}

HalResult<uint64_t> NativeHal::clock_resolution(ClockId clock) noexcept {
    bool ok;
    const clockid_t id = host_clock(clock, ok);
    if (!ok)
        return Errno::inval;
    struct timespec ts;
    if (clock_getres(id, &ts) != 0)
        return last_errno();
    return to_ns(ts);
}

HalResult<void> NativeHal::random_bytes(std::span<std::byte> buf) noexcept {
    size_t done = 0;
    while (done < buf.size()) {
        // getrandom returns at most 32 MiB per call; loop until the caller's buffer is full.
        const ssize_t n = ::getrandom(buf.data() + done, buf.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return last_errno();
        }
        done += static_cast<size_t>(n);
    }
    return {};
}

// ---- memory ---------------------------------------------------------------------------------

size_t NativeHal::page_size() const noexcept {
    static const size_t size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

HalResult<MemoryRegion> NativeHal::memory_reserve(size_t bytes) noexcept {
    const size_t page = page_size();
    if (bytes == 0 || bytes > (SIZE_MAX - page))
        return Errno::inval;
    const size_t size = (bytes + page - 1) / page * page;
    void* p = ::mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return last_errno();
    return MemoryRegion(*this, static_cast<std::byte*>(p), size);
}

namespace {
/// Round [offset, offset+length) out to pages; false if it leaves the region.
bool page_range(const MemoryRegion& r, size_t page, size_t offset, size_t length, size_t& out_begin,
                size_t& out_len) noexcept {
    if (!r.valid() || offset > r.size() || length > r.size() - offset)
        return false;
    out_begin = offset / page * page;
    const size_t end = (offset + length + page - 1) / page * page;
    out_len = std::min(end, r.size()) - out_begin;
    return true;
}
}  // namespace

HalResult<void> NativeHal::memory_commit(MemoryRegion& region, size_t offset, size_t length) noexcept {
    size_t begin, len;
    if (!page_range(region, page_size(), offset, length, begin, len))
        return Errno::inval;
    if (len == 0)
        return {};
    if (::mprotect(region.data() + begin, len, PROT_READ | PROT_WRITE) != 0)
        return last_errno();
    return {};
}

HalResult<void> NativeHal::memory_decommit(MemoryRegion& region, size_t offset, size_t length) noexcept {
    size_t begin, len;
    if (!page_range(region, page_size(), offset, length, begin, len))
        return Errno::inval;
    if (len == 0)
        return {};
    // Mapping fresh PROT_NONE pages over the range both drops the contents and the access.
    void* p = ::mmap(region.data() + begin, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                     -1, 0);
    if (p == MAP_FAILED)
        return last_errno();
    return {};
}

void NativeHal::release_memory(std::byte* base, size_t size) noexcept { ::munmap(base, size); }

// ---- standard streams -----------------------------------------------------------------------

HalResult<HostHandle> NativeHal::std_stream(StdStream which) noexcept {
    const auto i = static_cast<size_t>(which);
    if (i > 2)
        return Errno::inval;
    return duplicate(HostFd{m_std[i]});
}

}  // namespace crush
