// Copyright Crush authors.
// NativeHal: the Hal for Linux. The ONLY code in the project that makes file, socket, clock,
// random and memory system calls. Host errno is converted to WASI Errno here, exactly once.
// Every descriptor is opened O_CLOEXEC; EINTR is retried; caller sizes are clamped
// (kHalMax* in hal.hpp) so the host never allocates without bound.
#pragma once

#include "hal/hal.hpp"

#include <memory>

namespace crush {

/// The one conversion from a host errno value to WASI Errno (unknown values → Errno::io).
Errno from_host_errno(int host_errno) noexcept;

class NativeHal final : public Hal {
public:
    /// `stdin_fd`/`stdout_fd`/`stderr_fd`: the host descriptors a capsule's stdio uses
    /// (std_stream dups them). They are borrowed: NativeHal never closes them.
    NativeHal(int stdin_fd = 0, int stdout_fd = 1, int stderr_fd = 2) noexcept;
    ~NativeHal() override = default;

    /// A process-wide instance on the process's own stdio (for embedders that pass no Hal).
    static std::shared_ptr<NativeHal> shared() noexcept;

    /// Whether openat2 works on this kernel (probed once; false under seccomp/old kernels).
    static bool has_openat2() noexcept;

    HalResult<HostHandle> open_at(HostFd dir, std::string_view path, const OpenOptions& options) noexcept override;
    HalResult<HostHandle> open_beneath(HostFd dir, std::string_view path, const OpenOptions& options,
                                       const ResolveOptions& resolve) noexcept override;
    HalResult<HostHandle> duplicate(HostFd fd) noexcept override;
    HalResult<void> close(HostHandle&& handle) noexcept override;

    HalResult<size_t> read(HostFd fd, std::span<std::byte> buf) noexcept override;
    HalResult<size_t> write(HostFd fd, std::span<const std::byte> buf) noexcept override;
    HalResult<size_t> pread(HostFd fd, std::span<std::byte> buf, uint64_t offset) noexcept override;
    HalResult<size_t> pwrite(HostFd fd, std::span<const std::byte> buf, uint64_t offset) noexcept override;
    HalResult<size_t> readv(HostFd fd, std::span<const IoSlice> slices) noexcept override;
    HalResult<size_t> writev(HostFd fd, std::span<const ConstIoSlice> slices) noexcept override;
    HalResult<size_t> preadv(HostFd fd, std::span<const IoSlice> slices, uint64_t offset) noexcept override;
    HalResult<size_t> pwritev(HostFd fd, std::span<const ConstIoSlice> slices, uint64_t offset) noexcept override;
    HalResult<uint64_t> seek(HostFd fd, int64_t offset, Whence whence) noexcept override;

    HalResult<FileStat> fstat(HostFd fd) noexcept override;
    HalResult<FileStat> stat_at(HostFd dir, std::string_view path, bool follow) noexcept override;
    HalResult<std::vector<DirEntry>> read_dir(HostFd dir, uint64_t cookie, size_t max_entries) noexcept override;

    HalResult<void> mkdir_at(HostFd dir, std::string_view path, uint32_t mode) noexcept override;
    HalResult<void> unlink_at(HostFd dir, std::string_view path) noexcept override;
    HalResult<void> rmdir_at(HostFd dir, std::string_view path) noexcept override;
    HalResult<void> rename_at(HostFd old_dir, std::string_view old_path, HostFd new_dir,
                              std::string_view new_path) noexcept override;
    HalResult<void> symlink_at(std::string_view target, HostFd dir, std::string_view path) noexcept override;
    HalResult<std::string> readlink_at(HostFd dir, std::string_view path) noexcept override;
    HalResult<void> link_at(HostFd old_dir, std::string_view old_path, HostFd new_dir, std::string_view new_path,
                            bool follow) noexcept override;

    HalResult<void> ftruncate(HostFd fd, uint64_t size) noexcept override;
    HalResult<void> fallocate(HostFd fd, uint64_t offset, uint64_t length) noexcept override;
    HalResult<void> set_times(HostFd fd, SetTime atime, SetTime mtime) noexcept override;
    HalResult<void> set_times_at(HostFd dir, std::string_view path, SetTime atime, SetTime mtime,
                                 bool follow) noexcept override;
    HalResult<void> fsync(HostFd fd) noexcept override;
    HalResult<void> fdatasync(HostFd fd) noexcept override;
    HalResult<void> fadvise(HostFd fd, uint64_t offset, uint64_t length, Advice advice) noexcept override;
    HalResult<FdFlags> get_fd_flags(HostFd fd) noexcept override;
    HalResult<void> set_fd_flags(HostFd fd, FdFlags flags) noexcept override;
    HalResult<uint64_t> bytes_readable(HostFd fd) noexcept override;
    HalResult<std::string> host_path_of(HostFd fd) noexcept override;

    HalResult<HostHandle> tcp_connect(const SocketAddress& address) noexcept override;
    HalResult<HostHandle> tcp_listen(const SocketAddress& address, int backlog) noexcept override;
    HalResult<Accepted> accept(HostFd listener, bool nonblock) noexcept override;
    HalResult<size_t> send(HostFd socket, std::span<const ConstIoSlice> slices) noexcept override;
    HalResult<size_t> recv(HostFd socket, std::span<const IoSlice> slices, RecvFlags flags) noexcept override;
    HalResult<void> shutdown(HostFd socket, ShutdownHow how) noexcept override;
    HalResult<SocketAddress> local_address(HostFd socket) noexcept override;
    HalResult<SocketAddress> peer_address(HostFd socket) noexcept override;

    HalResult<size_t> poll(std::span<PollFd> fds, std::optional<uint64_t> timeout_ns) noexcept override;

    HalResult<uint64_t> clock_time(ClockId clock) noexcept override;
    HalResult<uint64_t> clock_resolution(ClockId clock) noexcept override;
    HalResult<void> random_bytes(std::span<std::byte> buf) noexcept override;

    size_t page_size() const noexcept override;
    HalResult<MemoryRegion> memory_reserve(size_t bytes) noexcept override;
    HalResult<void> memory_commit(MemoryRegion& region, size_t offset, size_t length) noexcept override;
    HalResult<void> memory_decommit(MemoryRegion& region, size_t offset, size_t length) noexcept override;

    HalResult<HostHandle> std_stream(StdStream which) noexcept override;

protected:
    void close_host(HostFd fd) noexcept override;
    void release_memory(std::byte* base, size_t size) noexcept override;

private:
    int m_std[3];
};

}  // namespace crush
