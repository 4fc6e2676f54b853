// Copyright Crush authors.
// path_* rules: paths stay beneath their directory handle, O_TRUNC is a write (never truncates
// through a read-only permission or mount), the gate names the resolved virtual path.
#include "wasi_fixture.hpp"

namespace crush::wasi::testing {
namespace {

using namespace crush::wasi::impl;

TEST_F(WasiFixture, AbsoluteAndClimbingPathsAreNotCapable) {
    make({"fs.read", "fs.write"});
    write_file(dir() / "secret.txt", "SECRET");
    uint32_t fd = 0;
    EXPECT_EQ(open(3, "/secret.txt", 0, rights::fd_read, fd), Errno::notcapable);
    EXPECT_EQ(open(3, "../secret.txt", 0, rights::fd_read, fd), Errno::notcapable);
    EXPECT_EQ(open(3, "a/../../secret.txt", 0, rights::fd_read, fd), Errno::notcapable);
    EXPECT_EQ(open(3, "a/./../b/../..", 0, rights::fd_read, fd), Errno::notcapable);
    std::filesystem::create_directory(root() / "a");
    EXPECT_EQ(open(3, "a/../a/./", oflags::directory, rights::fd_readdir, fd), Errno::success);
}

TEST_F(WasiFixture, NulAndOverlongPathsAreRefused) {
    make({"fs.read"});
    write_file(root() / "ok.txt", "ok");
    uint32_t fd = 0;
    EXPECT_EQ(open(3, std::string_view("ok.txt\0../x", 11), 0, rights::fd_read, fd), Errno::inval);
    EXPECT_EQ(open(3, std::string(300, 'a'), 0, rights::fd_read, fd), Errno::nametoolong);
    Call c = call();
    EXPECT_EQ(path_open(c, 3, 0, GuestPtr{65530}, 100, 0, 0, 0, 0, GuestPtr{0}), Errno::fault);
}

TEST_F(WasiFixture, TruncNeverHappensThroughAReadPermission) {
    make({"fs.read"});
    write_file(root() / "f.txt", "keep me");
    uint32_t fd = 0;
    EXPECT_EQ(open(3, "f.txt", oflags::trunc, rights::fd_read, fd), Errno::acces);
    EXPECT_EQ(open(3, "f.txt", oflags::trunc, 0, fd), Errno::acces);
    EXPECT_EQ(read_file(root() / "f.txt"), "keep me");
    EXPECT_NE(diagnostics().find("fs.write"), std::string::npos);
}

TEST_F(WasiFixture, TruncNeverHappensInAReadOnlyMount) {
    std::filesystem::create_directory(dir() / "ro");
    write_file(dir() / "ro" / "f.txt", "keep me");
    make({"fs.read", "fs.write"}, {VfsMount{"/ro", (dir() / "ro").string(), true}});
    uint32_t fd = 0;
    EXPECT_EQ(open(4, "f.txt", oflags::trunc, rights::fd_read, fd), Errno::rofs);
    EXPECT_EQ(open(4, "f.txt", 0, rights::fd_write, fd), Errno::rofs);
    EXPECT_EQ(read_file(dir() / "ro" / "f.txt"), "keep me");
    EXPECT_EQ(open(4, "f.txt", 0, rights::fd_read, fd), Errno::success);
}

TEST_F(WasiFixture, TruncWithWritePermissionTruncates) {
    make({"fs.read", "fs.write"});
    write_file(root() / "f.txt", "old");
    uint32_t fd = 0;
    EXPECT_EQ(open(3, "f.txt", oflags::trunc, 0, fd), Errno::success);
    EXPECT_EQ(read_file(root() / "f.txt"), "");
}

TEST_F(WasiFixture, ScopedWritePermissionUsesTheResolvedPath) {
    std::filesystem::create_directories(root() / "data");
    std::filesystem::create_directories(root() / "etc");
    write_file(root() / "etc" / "conf", "original");
    make({"fs.read", "fs.write:/data"});
    // A symlink inside the allowed scope pointing out of it must not widen the scope.
    std::filesystem::create_symlink("../etc/conf", root() / "data" / "link");
    uint32_t fd = 0;
    EXPECT_EQ(open(3, "data/link", 0, rights::fd_write, fd, lookupflags::symlink_follow), Errno::acces);
    EXPECT_EQ(read_file(root() / "etc" / "conf"), "original");
    EXPECT_NE(diagnostics().find("/etc/conf"), std::string::npos);
    EXPECT_EQ(open(3, "data/new", oflags::creat, rights::fd_write, fd), Errno::success);
    // Hard-linking a file from outside the write scope into it is refused too.
    Call c = call();
    put(1000, "etc/conf");
    put(1100, "data/hl");
    EXPECT_EQ(path_link(c, 3, 0, GuestPtr{1000}, 8, 3, GuestPtr{1100}, 7), Errno::acces);
    EXPECT_FALSE(std::filesystem::exists(root() / "data" / "hl"));
}

TEST_F(WasiFixture, DenialMessagesEscapeControlCharacters) {
    make({"fs.read"});
    uint32_t fd = 0;
    EXPECT_EQ(open(3, "evil\x1b[2J\n.txt", oflags::creat, rights::fd_write, fd), Errno::acces);
    std::string d = diagnostics();
    EXPECT_EQ(d.find('\x1b'), std::string::npos) << d;
    EXPECT_EQ(std::count(d.begin(), d.end(), '\n'), 1) << d;
}

TEST_F(WasiFixture, SymlinkWithAbsoluteTargetIsRefused) {
    make({"fs.read", "fs.write"});
    Call c = call();
    put(1000, "/etc/passwd");
    put(1100, "l");
    EXPECT_EQ(path_symlink(c, GuestPtr{1000}, 11, 3, GuestPtr{1100}, 1), Errno::notcapable);
    put(1000, "../../x");
    EXPECT_EQ(path_symlink(c, GuestPtr{1000}, 7, 3, GuestPtr{1100}, 1), Errno::success);
    EXPECT_EQ(std::filesystem::read_symlink(root() / "l"), "../../x");
}

TEST_F(WasiFixture, ReadlinkTruncatesToTheBuffer) {
    make({"fs.read"});
    std::filesystem::create_symlink("target-name", root() / "l");
    Call c = call();
    put(1000, "l");
    EXPECT_EQ(path_readlink(c, 3, GuestPtr{1000}, 1, GuestPtr{2000}, 6, GuestPtr{300}), Errno::success);
    EXPECT_EQ(get<uint32_t>(300), 6u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(memory.data() + 2000), 6), "target");
}

}  // namespace
}  // namespace crush::wasi::testing
