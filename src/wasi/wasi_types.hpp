// Copyright Crush authors.
// The wasi_snapshot_preview1 ABI: flag bits, enumerations and the in-memory layout of every
// struct the host writes into or reads from guest memory. Layouts are pinned with static_assert
// (size, alignment, offsets) against the witx-calculated values in wasi-libc's <wasi/api.h>.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md
//
// Structs are copied to and from guest memory with memcpy, so the host must be little-endian
// like Wasm; explicit padding members keep every byte defined (no host stack bytes leak).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "capsule/handle_registry.hpp"
#include "hal/hal.hpp"

namespace crush::wasi {

static_assert(std::endian::native == std::endian::little, "WASI structs are copied as little-endian");

// Rights bits are crush::rights (capsule/handle_registry.hpp: the registry stores them); the
// filetype, whence, advice and clockid values are the Hal's FileType, Whence, Advice and ClockId
// (hal/hal.hpp), which carry the WASI numbering. Checked here so the ABI is pinned in one place.
static_assert(rights::fd_read == (1ull << 1) && rights::sock_accept == (1ull << 29) &&
              rights::all == (1ull << 30) - 1);
static_assert(static_cast<uint8_t>(FileType::symbolic_link) == 7 &&
              static_cast<uint8_t>(FileType::directory) == 3);
static_assert(static_cast<uint8_t>(Whence::end) == 2 && static_cast<uint8_t>(Advice::noreuse) == 5);
static_assert(static_cast<uint32_t>(ClockId::thread_cputime) == 3);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fdflags
namespace fdflags {
inline constexpr uint16_t append = 1 << 0;
inline constexpr uint16_t dsync = 1 << 1;
inline constexpr uint16_t nonblock = 1 << 2;
inline constexpr uint16_t rsync = 1 << 3;
inline constexpr uint16_t sync = 1 << 4;
inline constexpr uint16_t all = (1 << 5) - 1;
}  // namespace fdflags

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#oflags
namespace oflags {
inline constexpr uint16_t creat = 1 << 0;
inline constexpr uint16_t directory = 1 << 1;
inline constexpr uint16_t excl = 1 << 2;
inline constexpr uint16_t trunc = 1 << 3;
inline constexpr uint16_t all = (1 << 4) - 1;
}  // namespace oflags

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#lookupflags
namespace lookupflags {
inline constexpr uint32_t symlink_follow = 1 << 0;
}

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fstflags
namespace fstflags {
inline constexpr uint16_t atim = 1 << 0;
inline constexpr uint16_t atim_now = 1 << 1;
inline constexpr uint16_t mtim = 1 << 2;
inline constexpr uint16_t mtim_now = 1 << 3;
inline constexpr uint16_t all = (1 << 4) - 1;
}  // namespace fstflags

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#eventtype
enum class Eventtype : uint8_t { clock = 0, fd_read = 1, fd_write = 2 };

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#eventrwflags
inline constexpr uint16_t kEventrwflagsFdReadwriteHangup = 1 << 0;

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#subclockflags
inline constexpr uint16_t kSubclockflagsAbstime = 1 << 0;

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#riflags
namespace riflags {
inline constexpr uint16_t recv_peek = 1 << 0;
inline constexpr uint16_t recv_waitall = 1 << 1;
}  // namespace riflags

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#roflags
inline constexpr uint16_t kRoflagsRecvDataTruncated = 1 << 0;

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#sdflags
namespace sdflags {
inline constexpr uint8_t rd = 1 << 0;
inline constexpr uint8_t wr = 1 << 1;
}  // namespace sdflags

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#preopentype
inline constexpr uint8_t kPreopentypeDir = 0;

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#iovec (and ciovec)
struct Iovec {
    uint32_t buf;
    uint32_t buf_len;
};
static_assert(sizeof(Iovec) == 8 && alignof(Iovec) == 4);
static_assert(offsetof(Iovec, buf) == 0 && offsetof(Iovec, buf_len) == 4);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#dirent
/// Followed in the buffer by d_namlen bytes of name (not NUL-terminated).
struct Dirent {
    uint64_t d_next;
    uint64_t d_ino;
    uint32_t d_namlen;
    uint8_t d_type;
    uint8_t pad[3];
};
static_assert(sizeof(Dirent) == 24 && alignof(Dirent) == 8);
static_assert(offsetof(Dirent, d_next) == 0 && offsetof(Dirent, d_ino) == 8);
static_assert(offsetof(Dirent, d_namlen) == 16 && offsetof(Dirent, d_type) == 20);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fdstat
struct Fdstat {
    uint8_t fs_filetype;
    uint8_t pad0;
    uint16_t fs_flags;
    uint32_t pad1;
    uint64_t fs_rights_base;
    uint64_t fs_rights_inheriting;
};
static_assert(sizeof(Fdstat) == 24 && alignof(Fdstat) == 8);
static_assert(offsetof(Fdstat, fs_filetype) == 0 && offsetof(Fdstat, fs_flags) == 2);
static_assert(offsetof(Fdstat, fs_rights_base) == 8 && offsetof(Fdstat, fs_rights_inheriting) == 16);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#filestat
struct Filestat {
    uint64_t dev;
    uint64_t ino;
    uint8_t filetype;
    uint8_t pad[7];
    uint64_t nlink;
    uint64_t size;
    uint64_t atim;
    uint64_t mtim;
    uint64_t ctim;
};
static_assert(sizeof(Filestat) == 64 && alignof(Filestat) == 8);
static_assert(offsetof(Filestat, dev) == 0 && offsetof(Filestat, ino) == 8);
static_assert(offsetof(Filestat, filetype) == 16 && offsetof(Filestat, nlink) == 24);
static_assert(offsetof(Filestat, size) == 32 && offsetof(Filestat, atim) == 40);
static_assert(offsetof(Filestat, mtim) == 48 && offsetof(Filestat, ctim) == 56);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#prestat
/// A tagged union whose only variant is `dir`.
struct Prestat {
    uint8_t tag;
    uint8_t pad[3];
    uint32_t pr_name_len;
};
static_assert(sizeof(Prestat) == 8 && alignof(Prestat) == 4);
static_assert(offsetof(Prestat, tag) == 0 && offsetof(Prestat, pr_name_len) == 4);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#event_fd_readwrite
struct EventFdReadwrite {
    uint64_t nbytes;
    uint16_t flags;
    uint8_t pad[6];
};
static_assert(sizeof(EventFdReadwrite) == 16 && alignof(EventFdReadwrite) == 8);
static_assert(offsetof(EventFdReadwrite, nbytes) == 0 && offsetof(EventFdReadwrite, flags) == 8);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#event
struct Event {
    uint64_t userdata;
    uint16_t error;
    uint8_t type;
    uint8_t pad[5];
    EventFdReadwrite fd_readwrite;
};
static_assert(sizeof(Event) == 32 && alignof(Event) == 8);
static_assert(offsetof(Event, userdata) == 0 && offsetof(Event, error) == 8);
static_assert(offsetof(Event, type) == 10 && offsetof(Event, fd_readwrite) == 16);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#subscription_clock
struct SubscriptionClock {
    uint32_t id;
    uint32_t pad0;
    uint64_t timeout;
    uint64_t precision;
    uint16_t flags;
    uint8_t pad1[6];
};
static_assert(sizeof(SubscriptionClock) == 32 && alignof(SubscriptionClock) == 8);
static_assert(offsetof(SubscriptionClock, id) == 0 && offsetof(SubscriptionClock, timeout) == 8);
static_assert(offsetof(SubscriptionClock, precision) == 16 && offsetof(SubscriptionClock, flags) == 24);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#subscription_fd_readwrite
struct SubscriptionFdReadwrite {
    uint32_t file_descriptor;
};
static_assert(sizeof(SubscriptionFdReadwrite) == 4 && alignof(SubscriptionFdReadwrite) == 4);

/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#subscription
/// `tag` is an Eventtype selecting the union member.
struct Subscription {
    uint64_t userdata;
    uint8_t tag;
    uint8_t pad[7];
    union {
        SubscriptionClock clock;
        SubscriptionFdReadwrite fd_readwrite;
    } u;
};
static_assert(sizeof(Subscription) == 48 && alignof(Subscription) == 8);
static_assert(offsetof(Subscription, userdata) == 0 && offsetof(Subscription, tag) == 8);
static_assert(offsetof(Subscription, u) == 16);

}  // namespace crush::wasi
