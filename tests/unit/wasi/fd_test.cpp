// Copyright Crush authors.
// fd_* rules: guest pointers are checked (EFAULT, nothing written), iovec counts are bounded,
// stdio is gated by io.print/io.input, rights are checked on each call, readdir cookies resume
// exactly, fd_renumber neither crashes nor leaks with guest-chosen numbers.
#include "wasi_fixture.hpp"

#include <algorithm>
#include <set>

namespace crush::wasi::testing {
namespace {

using namespace crush::wasi::impl;

TEST_F(WasiFixture, FdWriteWritesTheGuestBytes) {
    make({"io.print"});
    Call c = call();
    put(100, "hello ");
    put(200, "world\n");
    put_value(0, Iovec{100, 6});
    put_value(8, Iovec{200, 6});
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, 2, GuestPtr{300}), Errno::success);
    EXPECT_EQ(get<uint32_t>(300), 12u);
    EXPECT_EQ(stdout_text(), "hello world\n");
}

TEST_F(WasiFixture, BadIovecIsEfaultAndNothingIsWritten) {
    make({"io.print"});
    Call c = call();
    put(100, "leak");
    put_value(0, Iovec{100, 4});
    put_value(8, Iovec{65530, 100});  // runs past the end of memory
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, 2, GuestPtr{300}), Errno::fault);
    put_value(8, Iovec{0xfffffff0u, 0x20});  // wraps in 32 bits
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, 2, GuestPtr{300}), Errno::fault);
    EXPECT_EQ(fd_write(c, 1, GuestPtr{65532}, 1, GuestPtr{300}), Errno::fault);  // the array itself
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, 1, GuestPtr{65534}), Errno::fault);    // the result pointer
    EXPECT_EQ(stdout_text(), "");
}

TEST_F(WasiFixture, IovecCountIsBounded) {
    make({"io.print"});
    Call c = call();
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, kMaxIovecs + 1, GuestPtr{300}), Errno::inval);
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, 0xffffffffu, GuestPtr{300}), Errno::inval);
    EXPECT_EQ(fd_read(c, 0, GuestPtr{0}, 0x80000000u, GuestPtr{300}), Errno::inval);
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, kMaxIovecs, GuestPtr{60000}), Errno::success);  // all empty
}

TEST_F(WasiFixture, StdoutNeedsIoPrintAndTheDenialIsReportedOnce) {
    make({});
    Call c = call();
    put(100, "x");
    put_value(0, Iovec{100, 1});
    EXPECT_EQ(fd_write(c, 1, GuestPtr{0}, 1, GuestPtr{300}), Errno::acces);
    EXPECT_EQ(fd_write(c, 2, GuestPtr{0}, 1, GuestPtr{300}), Errno::acces);
    EXPECT_EQ(stdout_text(), "");
    std::string diag = diagnostics();
    EXPECT_NE(diag.find("io.print"), std::string::npos) << diag;
    EXPECT_EQ(std::count(diag.begin(), diag.end(), '\n'), 1) << "reported more than once: " << diag;
}

TEST_F(WasiFixture, StdinNeedsIoInput) {
    make({"io.print"});
    Call c = call();
    put_value(0, Iovec{100, 4});
    EXPECT_EQ(fd_read(c, 0, GuestPtr{0}, 1, GuestPtr{300}), Errno::acces);
    EXPECT_NE(diagnostics().find("io.input"), std::string::npos);
}

TEST_F(WasiFixture, ForgedAndStaleHandlesAreEbadf) {
    make({"fs.read", "fs.write"});
    Call c = call();
    uint32_t fd = 0;
    ASSERT_EQ(open(3, "f.txt", oflags::creat, rights::fd_write | rights::fd_read, fd), Errno::success);
    EXPECT_EQ(fd, 100u);
    for (uint32_t forged : {4u, 50u, 99u, 101u, 1000u, 0x7fffffffu, 0xffffffffu})
        EXPECT_EQ(fd_close(c, forged), Errno::badf) << forged;
    EXPECT_EQ(fd_close(c, fd), Errno::success);
    EXPECT_EQ(fd_close(c, fd), Errno::badf);
    EXPECT_EQ(fd_fdstat_get(c, fd, GuestPtr{0}), Errno::badf);
    uint32_t again = 0;
    ASSERT_EQ(open(3, "f.txt", 0, rights::fd_read, again), Errno::success);
    EXPECT_EQ(again, 101u) << "handle numbers are not reused";
}

TEST_F(WasiFixture, RenumberWithGuestChosenNumbers) {
    make({"fs.read", "fs.write"});
    Call c = call();
    uint32_t a = 0, b = 0;
    ASSERT_EQ(open(3, "a.txt", oflags::creat, rights::fd_write, a), Errno::success);
    ASSERT_EQ(open(3, "b.txt", oflags::creat, rights::fd_write, b), Errno::success);
    const size_t live = scoped->handles().count();
    EXPECT_EQ(fd_renumber(c, a, 5000), Errno::badf);
    EXPECT_EQ(fd_renumber(c, 5000, a), Errno::badf);
    EXPECT_EQ(fd_renumber(c, a, 0xffffffffu), Errno::badf);
    EXPECT_EQ(scoped->handles().count(), live);
    EXPECT_EQ(fd_renumber(c, a, b), Errno::success);
    EXPECT_EQ(scoped->handles().count(), live - 1) << "the replaced handle is closed, not leaked";
    put(100, "via b");
    put_value(0, Iovec{100, 5});
    EXPECT_EQ(fd_write(c, b, GuestPtr{0}, 1, GuestPtr{300}), Errno::success);
    EXPECT_EQ(fd_write(c, a, GuestPtr{0}, 1, GuestPtr{300}), Errno::badf);
    EXPECT_EQ(read_file(root() / "a.txt"), "via b");
    EXPECT_EQ(read_file(root() / "b.txt"), "");
    EXPECT_EQ(fd_renumber(c, b, b), Errno::success);
}

TEST_F(WasiFixture, RightsAreCheckedOnEveryCall) {
    make({"fs.read", "fs.write"});
    Call c = call();
    write_file(root() / "f.txt", "data");
    uint32_t fd = 0;
    ASSERT_EQ(open(3, "f.txt", 0, rights::fd_read | rights::fd_seek, fd), Errno::success);
    put(100, "x");
    put_value(0, Iovec{100, 1});
    EXPECT_EQ(fd_write(c, fd, GuestPtr{0}, 1, GuestPtr{300}), Errno::notcapable);
    EXPECT_EQ(fd_read(c, fd, GuestPtr{0}, 1, GuestPtr{300}), Errno::success);
    EXPECT_EQ(fd_fdstat_set_rights(c, fd, rights::fd_seek, 0), Errno::success);
    EXPECT_EQ(fd_read(c, fd, GuestPtr{0}, 1, GuestPtr{300}), Errno::notcapable);
    EXPECT_EQ(fd_fdstat_set_rights(c, fd, rights::fd_seek | rights::fd_read, 0), Errno::notcapable)
        << "rights can only shrink";
    EXPECT_EQ(fd_seek(c, 3, 0, 0, GuestPtr{300}), Errno::notcapable) << "directories do not seek";
    EXPECT_EQ(fd_read(c, 3, GuestPtr{0}, 1, GuestPtr{300}), Errno::notcapable);
}

TEST_F(WasiFixture, ReaddirResumesFromCookiesWithTinyBuffers) {
    make({"fs.read"});
    Call c = call();
    std::set<std::string> expected{".", ".."};
    for (int i = 0; i < 40; ++i) {
        std::string name = "file-with-a-longish-name-" + std::to_string(i);
        write_file(root() / name, "");
        expected.insert(name);
    }
    std::multiset<std::string> seen;
    uint64_t cookie = 0;
    for (int round = 0; round < 1000; ++round) {
        const uint32_t buf_len = 70;  // fits one entry at most; often cuts it
        ASSERT_EQ(fd_readdir(c, 3, GuestPtr{1000}, buf_len, cookie, GuestPtr{300}), Errno::success);
        const uint32_t used = get<uint32_t>(300);
        uint32_t pos = 0;
        bool progressed = false;
        while (pos + sizeof(Dirent) <= used) {
            Dirent d = get<Dirent>(1000 + pos);
            if (pos + sizeof(Dirent) + d.d_namlen > used) break;  // cut short: ask again from cookie
            seen.insert(std::string(
                reinterpret_cast<const char*>(memory.data() + 1000 + pos + sizeof(Dirent)), d.d_namlen));
            cookie = d.d_next;
            pos += sizeof(Dirent) + d.d_namlen;
            progressed = true;
        }
        if (used < buf_len) break;  // end of directory
        ASSERT_TRUE(progressed) << "buffer too small for one entry";
    }
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
    EXPECT_EQ(seen.size(), expected.size()) << "an entry was returned twice";
}

TEST_F(WasiFixture, ReaddirBufferOutsideMemoryIsEfault) {
    make({"fs.read"});
    Call c = call();
    EXPECT_EQ(fd_readdir(c, 3, GuestPtr{65000}, 0x80000000u, 0, GuestPtr{300}), Errno::fault);
    EXPECT_EQ(fd_readdir(c, 3, GuestPtr{0}, 100, 0, GuestPtr{65535}), Errno::fault);
}

TEST_F(WasiFixture, PrestatNamesThePreopens) {
    std::filesystem::create_directory(dir() / "m");
    make({}, {VfsMount{"/input", (dir() / "m").string(), true}});
    Call c = call();
    EXPECT_EQ(fd_prestat_get(c, 3, GuestPtr{0}), Errno::success);
    EXPECT_EQ(get<Prestat>(0).pr_name_len, 1u);
    EXPECT_EQ(fd_prestat_dir_name(c, 3, GuestPtr{100}, 1), Errno::success);
    EXPECT_EQ(memory[100], '/');
    EXPECT_EQ(fd_prestat_get(c, 4, GuestPtr{0}), Errno::success);
    EXPECT_EQ(get<Prestat>(0).pr_name_len, 6u);
    EXPECT_EQ(fd_prestat_dir_name(c, 4, GuestPtr{100}, 6), Errno::success);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(memory.data() + 100), 6), "/input");
    EXPECT_EQ(fd_prestat_get(c, 5, GuestPtr{0}), Errno::badf);
    EXPECT_EQ(fd_prestat_get(c, 1, GuestPtr{0}), Errno::badf);
    EXPECT_EQ(fd_prestat_dir_name(c, 4, GuestPtr{100}, 3), Errno::nametoolong);
}

}  // namespace
}  // namespace crush::wasi::testing
