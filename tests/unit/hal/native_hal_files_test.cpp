// Copyright Crush authors.
// NativeHal files and directories, checked against std::filesystem as a second opinion.
#include "hal/native_hal.hpp"
#include "hal/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace crush;
using crush::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::span<const std::byte> bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

struct HalFiles : ::testing::Test {
    NativeHal hal;
    TempDir tmp;
    HostHandle dir;
    void SetUp() override {
        OpenOptions o;
        o.directory = true;
        auto d = hal.open_at(HostFd::host_cwd, tmp.str(), o);
        ASSERT_TRUE(d.ok()) << to_string(d.error());
        dir = std::move(*d);
    }
    HostHandle create(const std::string& name, OpenOptions::Access access = OpenOptions::Access::read_write) {
        OpenOptions o;
        o.access = access;
        o.create = true;
        auto f = hal.open_at(dir.fd(), name, o);
        EXPECT_TRUE(f.ok()) << to_string(f.error());
        return f.ok() ? std::move(*f) : HostHandle();
    }
};

}  // namespace

TEST_F(HalFiles, WriteReadSeekStat) {
    auto f = create("a.txt");
    ASSERT_EQ(*hal.write(f.fd(), bytes("hello world")), 11u);
    EXPECT_EQ(*hal.seek(f.fd(), 0, Whence::cur), 11u);
    EXPECT_EQ(*hal.seek(f.fd(), 6, Whence::set), 6u);
    std::string buf(16, '\0');
    auto n = hal.read(f.fd(), std::as_writable_bytes(std::span(buf.data(), buf.size())));
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(buf.substr(0, *n), "world");
    EXPECT_EQ(hal.seek(f.fd(), -100, Whence::cur).error(), Errno::inval);

    ASSERT_EQ(*hal.pwrite(f.fd(), bytes("J"), 0), 1u);
    n = hal.pread(f.fd(), std::as_writable_bytes(std::span(buf.data(), 5)), 0);
    EXPECT_EQ(buf.substr(0, *n), "Jello");

    auto st = hal.fstat(f.fd());
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->type, FileType::regular_file);
    EXPECT_EQ(st->size, 11u);
    EXPECT_EQ(st->nlink, 1u);
    auto st2 = hal.stat_at(dir.fd(), "a.txt", false);
    EXPECT_EQ(st2->ino, st->ino);

    ASSERT_TRUE(hal.ftruncate(f.fd(), 3).ok());
    EXPECT_EQ(crush::test::read_file(tmp / "a.txt"), "Jel");
    ASSERT_TRUE(hal.fallocate(f.fd(), 0, 100).ok());
    EXPECT_EQ(fs::file_size(tmp / "a.txt"), 100u);
    EXPECT_TRUE(hal.fsync(f.fd()).ok());
    EXPECT_TRUE(hal.fdatasync(f.fd()).ok());
    EXPECT_TRUE(hal.fadvise(f.fd(), 0, 0, Advice::sequential).ok());
    EXPECT_EQ(*hal.bytes_readable(f.fd()), 100u - *hal.seek(f.fd(), 0, Whence::cur));
}

TEST_F(HalFiles, VectoredIo) {
    auto f = create("v.txt");
    std::string a = "abc", b = "defg";
    ConstIoSlice out[] = {{reinterpret_cast<const std::byte*>(a.data()), a.size()},
                          {reinterpret_cast<const std::byte*>(b.data()), b.size()}};
    ASSERT_EQ(*hal.writev(f.fd(), out), 7u);
    ASSERT_EQ(*hal.pwritev(f.fd(), std::span(out, 1), 7), 3u);
    char x[2], y[8];
    IoSlice in[] = {{reinterpret_cast<std::byte*>(x), 2}, {reinterpret_cast<std::byte*>(y), 8}};
    ASSERT_EQ(*hal.preadv(f.fd(), in, 0), 10u);
    EXPECT_EQ(std::string(x, 2) + std::string(y, 8), "abcdefgabc");
    ASSERT_TRUE(hal.seek(f.fd(), 1, Whence::set).ok());
    ASSERT_EQ(*hal.readv(f.fd(), in), 9u);
    EXPECT_EQ(std::string(x, 2), "bc");
}

TEST_F(HalFiles, TruncOnReadOnlyOpenIsRefusedAndLeavesTheFile) {
    crush::test::write_file(tmp / "keep.txt", "precious");
    OpenOptions o;
    o.trunc = true;  // access = read
    EXPECT_EQ(hal.open_at(dir.fd(), "keep.txt", o).error(), Errno::inval);
    EXPECT_EQ(crush::test::read_file(tmp / "keep.txt"), "precious");
}

TEST_F(HalFiles, BadPathsAreRefusedBeforeTheKernel) {
    OpenOptions o;
    o.create = true;
    o.access = OpenOptions::Access::write;
    std::string with_nul("ab\0cd", 5);
    EXPECT_EQ(hal.open_at(dir.fd(), with_nul, o).error(), Errno::inval);
    EXPECT_FALSE(fs::exists(tmp / "ab"));
    EXPECT_EQ(hal.open_at(dir.fd(), std::string(5000, 'a'), o).error(), Errno::nametoolong);
    EXPECT_EQ(hal.open_at(dir.fd(), std::string(300, 'a'), o).error(), Errno::nametoolong);
    EXPECT_EQ(hal.mkdir_at(dir.fd(), with_nul, 0700).error(), Errno::inval);
}

TEST_F(HalFiles, OpenFlags) {
    crush::test::write_file(tmp / "f", "12345");
    OpenOptions o;
    o.create = true;
    o.excl = true;
    o.access = OpenOptions::Access::write;
    EXPECT_EQ(hal.open_at(dir.fd(), "f", o).error(), Errno::exist);
    OpenOptions d;
    d.directory = true;
    EXPECT_EQ(hal.open_at(dir.fd(), "f", d).error(), Errno::notdir);
    ASSERT_TRUE(hal.symlink_at("f", dir.fd(), "lnk").ok());
    OpenOptions nf;
    nf.nofollow = true;
    EXPECT_EQ(hal.open_at(dir.fd(), "lnk", nf).error(), Errno::loop);
    EXPECT_TRUE(hal.open_at(dir.fd(), "lnk", OpenOptions{}).ok());

    OpenOptions ap;
    ap.access = OpenOptions::Access::write;
    ap.append = true;
    auto f = hal.open_at(dir.fd(), "f", ap);
    ASSERT_TRUE(f.ok());
    EXPECT_TRUE(hal.get_fd_flags(f->fd())->append);
    ASSERT_TRUE(hal.write(f->fd(), bytes("6")).ok());
    EXPECT_EQ(crush::test::read_file(tmp / "f"), "123456");
    FdFlags fl;
    fl.nonblock = true;
    ASSERT_TRUE(hal.set_fd_flags(f->fd(), fl).ok());
    auto now = hal.get_fd_flags(f->fd());
    EXPECT_TRUE(now->nonblock);
    EXPECT_FALSE(now->append);
    fl.sync = true;
    EXPECT_EQ(hal.set_fd_flags(f->fd(), fl).error(), Errno::notsup);
}

TEST_F(HalFiles, DirectoryOperations) {
    ASSERT_TRUE(hal.mkdir_at(dir.fd(), "d", 0755).ok());
    EXPECT_EQ(hal.mkdir_at(dir.fd(), "d", 0755).error(), Errno::exist);
    EXPECT_TRUE(fs::is_directory(tmp / "d"));
    crush::test::write_file(tmp / "d" / "x", "x");
    EXPECT_EQ(hal.rmdir_at(dir.fd(), "d").error(), Errno::notempty);
    EXPECT_EQ(hal.unlink_at(dir.fd(), "d").error(), Errno::isdir);
    ASSERT_TRUE(hal.rename_at(dir.fd(), "d/x", dir.fd(), "y").ok());
    EXPECT_TRUE(fs::exists(tmp / "y"));
    ASSERT_TRUE(hal.link_at(dir.fd(), "y", dir.fd(), "y2", false).ok());
    EXPECT_EQ(hal.stat_at(dir.fd(), "y", true)->nlink, 2u);
    ASSERT_TRUE(hal.unlink_at(dir.fd(), "y2").ok());
    ASSERT_TRUE(hal.rmdir_at(dir.fd(), "d").ok());
    EXPECT_FALSE(fs::exists(tmp / "d"));

    ASSERT_TRUE(hal.symlink_at("../somewhere/else", dir.fd(), "s").ok());
    EXPECT_EQ(*hal.readlink_at(dir.fd(), "s"), "../somewhere/else");
    EXPECT_EQ(hal.stat_at(dir.fd(), "s", false)->type, FileType::symbolic_link);
    EXPECT_EQ(hal.stat_at(dir.fd(), "s", true).error(), Errno::noent);
    EXPECT_EQ(hal.readlink_at(dir.fd(), "y").error(), Errno::inval);
}

TEST_F(HalFiles, SetTimes) {
    auto f = create("t");
    ASSERT_TRUE(hal.set_times(f.fd(), SetTime::at(1'000'000'000ull * 1000 + 5), SetTime::at(2'000'000'000ull)).ok());
    auto st = hal.fstat(f.fd());
    EXPECT_EQ(st->atim, 1'000'000'000ull * 1000 + 5);
    EXPECT_EQ(st->mtim, 2'000'000'000ull);
    ASSERT_TRUE(hal.set_times_at(dir.fd(), "t", SetTime::omit(), SetTime::now(), false).ok());
    auto st2 = hal.fstat(f.fd());
    EXPECT_EQ(st2->atim, st->atim);
    EXPECT_GT(st2->mtim, st->mtim);
}

TEST_F(HalFiles, ReadDirCookiesResumeOneEntryAtATime) {
    std::set<std::string> expected = {".", ".."};
    for (int i = 0; i < 40; ++i) {
        crush::test::write_file(tmp / ("file" + std::to_string(i)), "");
        expected.insert("file" + std::to_string(i));
    }
    fs::create_directory(tmp / "sub");
    expected.insert("sub");

    std::set<std::string> seen;
    uint64_t cookie = 0;
    for (int guard = 0; guard < 1000; ++guard) {
        auto batch = hal.read_dir(dir.fd(), cookie, 1);
        ASSERT_TRUE(batch.ok()) << to_string(batch.error());
        if (batch->empty())
            break;
        ASSERT_EQ(batch->size(), 1u);
        const DirEntry& e = batch->front();
        EXPECT_TRUE(seen.insert(e.name).second) << "duplicate " << e.name;
        if (e.name == "sub") {
            EXPECT_EQ(e.type, FileType::directory);
        } else if (e.name.starts_with("file")) {
            EXPECT_EQ(e.type, FileType::regular_file);
        }
        cookie = e.next;
    }
    EXPECT_EQ(seen, expected);

    // A whole listing in one call equals the incremental one; restarting at 0 works.
    auto all = hal.read_dir(dir.fd(), 0, 1000);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), expected.size());
    // Guest-chosen counts are clamped, not allocated.
    EXPECT_TRUE(hal.read_dir(dir.fd(), 0, SIZE_MAX).ok());
}

TEST_F(HalFiles, OpenBeneathStaysInside) {
    if (!NativeHal::has_openat2())
        GTEST_SKIP() << "no openat2 on this kernel";
    fs::create_directory(tmp / "root");
    fs::create_directory(tmp / "root" / "sub");
    crush::test::write_file(tmp / "secret", "outside");
    crush::test::write_file(tmp / "root" / "secret", "inside");
    fs::create_symlink("/secret", tmp / "root" / "abs");
    fs::create_symlink("../../secret", tmp / "root" / "sub" / "rel");
    OpenOptions d;
    d.directory = true;
    auto root = hal.open_at(dir.fd(), "root", d);
    ASSERT_TRUE(root.ok());
    auto read_all = [&](HostHandle& h) {
        std::string buf(64, '\0');
        auto n = hal.read(h.fd(), std::as_writable_bytes(std::span(buf.data(), buf.size())));
        return buf.substr(0, n.ok() ? *n : 0);
    };
    for (const char* p : {"../secret", "/secret", "abs", "sub/rel", "sub/../../../secret"}) {
        auto f = hal.open_beneath(root->fd(), p, OpenOptions{}, ResolveOptions{});
        ASSERT_TRUE(f.ok()) << p << ": " << to_string(f.error());
        EXPECT_EQ(read_all(*f), "inside") << p;
    }
    ResolveOptions beneath;
    beneath.in_root = false;
    EXPECT_EQ(hal.open_beneath(root->fd(), "../secret", OpenOptions{}, beneath).error(), Errno::xdev);
    ResolveOptions nosym;
    nosym.no_symlinks = true;
    EXPECT_EQ(hal.open_beneath(root->fd(), "abs", OpenOptions{}, nosym).error(), Errno::loop);
}

TEST_F(HalFiles, HandlesCloseOnDestructionAndCloseReportsErrors) {
    const size_t before = crush::test::open_fd_count();
    {
        std::vector<HostHandle> hs;
        for (int i = 0; i < 20; ++i)
            hs.push_back(create("c" + std::to_string(i)));
        auto dup = hal.duplicate(hs[0].fd());
        ASSERT_TRUE(dup.ok());
        hs.push_back(std::move(*dup));
        EXPECT_EQ(crush::test::open_fd_count(), before + 21);
        HostHandle moved = std::move(hs[1]);
        EXPECT_FALSE(hs[1].valid());
        EXPECT_TRUE(hal.close(std::move(moved)).ok());
        EXPECT_EQ(crush::test::open_fd_count(), before + 20);
    }
    EXPECT_EQ(crush::test::open_fd_count(), before);
    EXPECT_EQ(hal.close(HostHandle()).error(), Errno::badf);
}
