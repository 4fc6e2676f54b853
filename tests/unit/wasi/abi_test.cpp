// Copyright Crush authors.
// The preview1 function list: complete (every import wasi-libc can make is provided) and with
// the witx core signatures. Struct layouts are pinned by static_asserts in wasi_types.hpp; a
// few are re-checked here against bytes so a layout mistake shows up as a failing test too.
#include "wasi/wasi.hpp"
#include "wasi/wasi_types.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

namespace crush::wasi {
namespace {

std::string sig(const FuncType& t) {
    std::string s;
    for (ValType v : t.params) s += v == ValType::i64 ? 'I' : 'i';
    s += "->";
    for (ValType v : t.results) s += v == ValType::i64 ? 'I' : 'i';
    return s;
}

TEST(WasiAbi, EveryPreview1FunctionIsThere) {
    // https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/wasi_snapshot_preview1.witx
    const char* all[] = {"args_get",
                         "args_sizes_get",
                         "environ_get",
                         "environ_sizes_get",
                         "clock_res_get",
                         "clock_time_get",
                         "fd_advise",
                         "fd_allocate",
                         "fd_close",
                         "fd_datasync",
                         "fd_fdstat_get",
                         "fd_fdstat_set_flags",
                         "fd_fdstat_set_rights",
                         "fd_filestat_get",
                         "fd_filestat_set_size",
                         "fd_filestat_set_times",
                         "fd_pread",
                         "fd_prestat_get",
                         "fd_prestat_dir_name",
                         "fd_pwrite",
                         "fd_read",
                         "fd_readdir",
                         "fd_renumber",
                         "fd_seek",
                         "fd_sync",
                         "fd_tell",
                         "fd_write",
                         "path_create_directory",
                         "path_filestat_get",
                         "path_filestat_set_times",
                         "path_link",
                         "path_open",
                         "path_readlink",
                         "path_remove_directory",
                         "path_rename",
                         "path_symlink",
                         "path_unlink_file",
                         "poll_oneoff",
                         "proc_exit",
                         "proc_raise",
                         "sched_yield",
                         "random_get",
                         "sock_accept",
                         "sock_recv",
                         "sock_send",
                         "sock_shutdown"};
    EXPECT_EQ(function_names().size(), std::size(all));
    for (const char* name : all) EXPECT_TRUE(function_type(name).has_value()) << name;
    EXPECT_FALSE(function_type("fd_nonsense").has_value());
}

TEST(WasiAbi, SignaturesFollowWitx) {
    EXPECT_EQ(sig(*function_type("path_open")), "iiiiiIIii->i");
    EXPECT_EQ(sig(*function_type("fd_seek")), "iIii->i");
    EXPECT_EQ(sig(*function_type("clock_time_get")), "iIi->i");
    EXPECT_EQ(sig(*function_type("fd_readdir")), "iiiIi->i");
    EXPECT_EQ(sig(*function_type("path_filestat_set_times")), "iiiiIIi->i");
    EXPECT_EQ(sig(*function_type("proc_exit")), "i->");
    EXPECT_EQ(sig(*function_type("sched_yield")), "->i");
    EXPECT_EQ(sig(*function_type("sock_recv")), "iiiiii->i");
}

TEST(WasiAbi, StructBytesMatchTheSpec) {
    Filestat st{};
    st.filetype = 4;
    st.size = 0x0102030405060708ull;
    uint8_t raw[64];
    std::memcpy(raw, &st, sizeof raw);
    EXPECT_EQ(raw[16], 4);
    EXPECT_EQ(raw[32], 0x08);
    EXPECT_EQ(raw[39], 0x01);

    Event ev{};
    ev.error = 8;
    ev.type = 1;
    ev.fd_readwrite.nbytes = 5;
    ev.fd_readwrite.flags = 1;
    uint8_t e[32];
    std::memcpy(e, &ev, sizeof e);
    EXPECT_EQ(e[8], 8);
    EXPECT_EQ(e[10], 1);
    EXPECT_EQ(e[16], 5);
    EXPECT_EQ(e[24], 1);

    Subscription s{};
    uint8_t sb[48] = {};
    sb[8] = 0;                       // tag: clock
    sb[24] = 0x10;                   // timeout low byte (u + 8)
    sb[40] = kSubclockflagsAbstime;  // flags (u + 24)
    std::memcpy(&s, sb, sizeof sb);
    EXPECT_EQ(s.u.clock.timeout, 0x10u);
    EXPECT_EQ(s.u.clock.flags, kSubclockflagsAbstime);
}

}  // namespace
}  // namespace crush::wasi
