// Copyright Crush authors.
// Internal to src/wasi: the per-call view every WASI function gets, and the declaration of each
// function with its typed parameters. Parameter types map one-to-one onto the core signature in
// wasi_functions.def (4-byte types are i32, 8-byte types i64) and wasi.cpp checks that at compile
// time. Flag and enum parameters narrower than 32 bits arrive as uint32_t and are validated by
// the function (bits outside the type → EINVAL).
//
// Two channels (STYLE.md): a function returns the Errno the guest sees; only proc_exit returns a
// HostOutcome, the channel the runtime acts on.
#pragma once

#include "capsule/scoped_hal.hpp"
#include "wasi/guest_memory.hpp"
#include "wasi/wasi.hpp"
#include "wasi/wasi_types.hpp"

#include <crush/wasm.hpp>

#include <array>
#include <cstdint>
#include <utility>

namespace crush::wasi {

/// What one host call works with: the capsule's context and the caller's memory.
struct Call {
    WasiContext& ctx;
    GuestMemory mem;

    ScopedHal& hal() noexcept { return ctx.hal(); }
};

/// Host buffers are never sized by a guest value: transfers that could be large are done in
/// pieces of at most this many bytes (random_get) or entries (fd_readdir).
inline constexpr uint32_t kChunkBytes = 64 * 1024;
inline constexpr size_t kReaddirBatch = 128;

/// The guest's fd number as a virtual handle (any u32 is acceptable: the registry rejects
/// unknown ones with EBADF).
inline Handle to_handle(uint32_t fd) noexcept {
    return static_cast<Handle>(fd);
}

/// Guest buffers (an iovec array resolved against guest memory) as Hal slices. The storage is
/// left uninitialized (only items[0, count) is ever read): value-initializing 1024 slices would
/// zero 16 KiB on every fd_read/fd_write, more than the rest of the call costs.
template <typename Slice>
struct SliceArray {
    SliceArray() noexcept {}  // NOLINT: deliberately leaves `items` uninitialized
    union {
        std::array<Slice, kMaxIovecs> items;
    };
    size_t count = 0;
    std::span<const Slice> view() const noexcept { return {items.data(), count}; }
};
using Slices = SliceArray<IoSlice>;
using ConstSlices = SliceArray<ConstIoSlice>;
/// Resolve `count` iovecs at `iovs`: EINVAL over kMaxIovecs, EFAULT out of bounds.
Errno read_iovecs(const GuestMemory& mem, GuestPtr iovs, uint32_t count, Slices& out) noexcept;
Errno read_ciovecs(const GuestMemory& mem, GuestPtr iovs, uint32_t count, ConstSlices& out) noexcept;

/// Call preview1 function `name` as the VM would (core-typed args, results), against `mem`.
/// For tests and fuzzers: the same adapter the registered host function uses. An unknown name
/// is a host trap outcome.
HostOutcome invoke(WasiContext& ctx, GuestMemory mem, std::string_view name, std::span<const Value> args,
                   std::span<Value> results);

namespace impl {
// Shared conversions (fd.cpp).
Filestat to_filestat(const FileStat& st) noexcept;
/// WASI fstflags → (atime, mtime). EINVAL for unknown bits or "set and now" on the same time.
HalResult<std::pair<SetTime, SetTime>> to_set_times(uint64_t atim, uint64_t mtim, uint32_t fst) noexcept;

// args_environ.cpp
Errno args_get(Call& c, GuestPtr argv, GuestPtr argv_buf);
Errno args_sizes_get(Call& c, GuestPtr out_argc, GuestPtr out_buf_size);
Errno environ_get(Call& c, GuestPtr environ, GuestPtr environ_buf);
Errno environ_sizes_get(Call& c, GuestPtr out_count, GuestPtr out_buf_size);
// clock.cpp
Errno clock_res_get(Call& c, uint32_t id, GuestPtr out_resolution);
Errno clock_time_get(Call& c, uint32_t id, uint64_t precision, GuestPtr out_time);
// fd.cpp
Errno fd_advise(Call& c, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
Errno fd_allocate(Call& c, uint32_t fd, uint64_t offset, uint64_t len);
Errno fd_close(Call& c, uint32_t fd);
Errno fd_datasync(Call& c, uint32_t fd);
Errno fd_fdstat_get(Call& c, uint32_t fd, GuestPtr out_stat);
Errno fd_fdstat_set_flags(Call& c, uint32_t fd, uint32_t flags);
Errno fd_fdstat_set_rights(Call& c, uint32_t fd, uint64_t base, uint64_t inheriting);
Errno fd_filestat_get(Call& c, uint32_t fd, GuestPtr out_stat);
Errno fd_filestat_set_size(Call& c, uint32_t fd, uint64_t size);
Errno fd_filestat_set_times(Call& c, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags);
Errno fd_pread(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset, GuestPtr out_nread);
Errno fd_prestat_get(Call& c, uint32_t fd, GuestPtr out_prestat);
Errno fd_prestat_dir_name(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len);
Errno fd_pwrite(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset,
                GuestPtr out_nwritten);
Errno fd_read(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr out_nread);
Errno fd_readdir(Call& c, uint32_t fd, GuestPtr buf, uint32_t buf_len, uint64_t cookie, GuestPtr out_used);
Errno fd_renumber(Call& c, uint32_t fd, uint32_t to);
Errno fd_seek(Call& c, uint32_t fd, int64_t offset, uint32_t whence, GuestPtr out_offset);
Errno fd_sync(Call& c, uint32_t fd);
Errno fd_tell(Call& c, uint32_t fd, GuestPtr out_offset);
Errno fd_write(Call& c, uint32_t fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr out_nwritten);
// path.cpp
Errno path_create_directory(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len);
Errno path_filestat_get(Call& c, uint32_t fd, uint32_t flags, GuestPtr path, uint32_t path_len,
                        GuestPtr out_stat);
Errno path_filestat_set_times(Call& c, uint32_t fd, uint32_t flags, GuestPtr path, uint32_t path_len,
                              uint64_t atim, uint64_t mtim, uint32_t fst_flags);
Errno path_link(Call& c, uint32_t old_fd, uint32_t old_flags, GuestPtr old_path, uint32_t old_len,
                uint32_t new_fd, GuestPtr new_path, uint32_t new_len);
Errno path_open(Call& c, uint32_t fd, uint32_t dirflags, GuestPtr path, uint32_t path_len, uint32_t oflags,
                uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, GuestPtr out_fd);
Errno path_readlink(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len, GuestPtr buf, uint32_t buf_len,
                    GuestPtr out_used);
Errno path_remove_directory(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len);
Errno path_rename(Call& c, uint32_t fd, GuestPtr old_path, uint32_t old_len, uint32_t new_fd,
                  GuestPtr new_path, uint32_t new_len);
Errno path_symlink(Call& c, GuestPtr old_path, uint32_t old_len, uint32_t fd, GuestPtr new_path,
                   uint32_t new_len);
Errno path_unlink_file(Call& c, uint32_t fd, GuestPtr path, uint32_t path_len);
// poll.cpp
Errno poll_oneoff(Call& c, GuestPtr in, GuestPtr out, uint32_t nsubscriptions, GuestPtr out_nevents);
Errno sched_yield(Call& c);
// proc.cpp
HostOutcome proc_exit(Call& c, uint32_t code);
Errno proc_raise(Call& c, uint32_t sig);
// random.cpp
Errno random_get(Call& c, GuestPtr buf, uint32_t buf_len);
// sock.cpp
Errno sock_accept(Call& c, uint32_t fd, uint32_t flags, GuestPtr out_fd);
Errno sock_recv(Call& c, uint32_t fd, GuestPtr ri_data, uint32_t ri_data_len, uint32_t ri_flags,
                GuestPtr out_len, GuestPtr out_flags);
Errno sock_send(Call& c, uint32_t fd, GuestPtr si_data, uint32_t si_data_len, uint32_t si_flags,
                GuestPtr out_len);
Errno sock_shutdown(Call& c, uint32_t fd, uint32_t how);
namespace exo {
// exo_module.cpp
Errno sock_connect(Call& c, GuestPtr addr, uint32_t addr_len, uint32_t port, GuestPtr out_fd);
}  // namespace exo
}  // namespace impl

}  // namespace crush::wasi
