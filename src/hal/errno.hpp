// Copyright Crush authors.
// WASI preview1 errno: the only error vocabulary of the Hal and everything above it.
// Host errno is converted exactly once, in NativeHal (STYLE.md "Convert host errno exactly once").
#pragma once

#include <cstdint>

namespace crush {

/// WASI preview1 `errno`, witx names and values (`2big` is spelled `toobig`: an identifier
/// cannot start with a digit). No other name clashes with a C++ keyword.
/// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/typenames.witx
enum class Errno : uint16_t {
    success = 0,
    toobig = 1,
    acces = 2,
    addrinuse = 3,
    addrnotavail = 4,
    afnosupport = 5,
    again = 6,
    already = 7,
    badf = 8,
    badmsg = 9,
    busy = 10,
    canceled = 11,
    child = 12,
    connaborted = 13,
    connrefused = 14,
    connreset = 15,
    deadlk = 16,
    destaddrreq = 17,
    dom = 18,
    dquot = 19,
    exist = 20,
    fault = 21,
    fbig = 22,
    hostunreach = 23,
    idrm = 24,
    ilseq = 25,
    inprogress = 26,
    intr = 27,
    inval = 28,
    io = 29,
    isconn = 30,
    isdir = 31,
    loop = 32,
    mfile = 33,
    mlink = 34,
    msgsize = 35,
    multihop = 36,
    nametoolong = 37,
    netdown = 38,
    netreset = 39,
    netunreach = 40,
    nfile = 41,
    nobufs = 42,
    nodev = 43,
    noent = 44,
    noexec = 45,
    nolck = 46,
    nolink = 47,
    nomem = 48,
    nomsg = 49,
    noprotoopt = 50,
    nospc = 51,
    nosys = 52,
    notconn = 53,
    notdir = 54,
    notempty = 55,
    notrecoverable = 56,
    notsock = 57,
    notsup = 58,
    notty = 59,
    nxio = 60,
    overflow = 61,
    ownerdead = 62,
    perm = 63,
    pipe = 64,
    proto = 65,
    protonosupport = 66,
    prototype = 67,
    range = 68,
    rofs = 69,
    spipe = 70,
    srch = 71,
    stale = 72,
    timedout = 73,
    txtbsy = 74,
    xdev = 75,
    notcapable = 76,
};

/// Number of defined Errno values (notcapable + 1).
inline constexpr uint16_t kErrnoCount = 77;

/// The witx name ("badf", "2big" for toobig); "unknown" for a value outside the enum.
const char* to_string(Errno e) noexcept;

/// A short human description ("Bad file descriptor"), for runtime messages.
const char* describe(Errno e) noexcept;

}  // namespace crush
