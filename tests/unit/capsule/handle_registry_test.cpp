// Copyright Crush authors.
#include "capsule/handle_registry.hpp"
#include "hal/native_hal.hpp"
#include "hal/temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace crush;
using crush::test::open_fd_count;
using crush::test::TempDir;

namespace {

struct Registry : ::testing::Test {
    NativeHal hal;
    TempDir tmp;

    HandleInit file(Rights base = rights::fd_read | rights::fd_write, const char* name = "f") {
        OpenOptions o;
        o.access = OpenOptions::Access::read_write;
        o.create = true;
        auto h = hal.open_at(HostFd::host_cwd, tmp.str() + "/" + name, o);
        EXPECT_TRUE(h.ok());
        HandleInit init;
        init.kind = HandleKind::file;
        init.host = std::move(*h);
        init.base = base;
        init.virtual_path = std::string("/") + name;
        return init;
    }
    HandleInit directory() {
        OpenOptions o;
        o.directory = true;
        auto h = hal.open_at(HostFd::host_cwd, tmp.str(), o);
        EXPECT_TRUE(h.ok());
        HandleInit init;
        init.kind = HandleKind::directory;
        init.host = std::move(*h);
        init.base = rights::all;
        init.inheriting = rights::all;
        init.virtual_path = "/";
        init.preopen = true;
        return init;
    }
};

}  // namespace

TEST_F(Registry, IdsStartAt100AndAreNeverReused) {
    HandleRegistry reg;
    auto a = reg.insert(file());
    auto b = reg.insert(file());
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, Handle{100});
    EXPECT_EQ(*b, Handle{101});
    ASSERT_TRUE(reg.close(*a).ok());
    auto c = reg.insert(file());
    EXPECT_EQ(*c, Handle{102});
    EXPECT_EQ(reg.count(), 2u);
}

TEST_F(Registry, FixedAliasesForStdioAndPreopens) {
    HandleRegistry reg;
    ASSERT_TRUE(reg.insert_at(Handle::root, directory()).ok());
    EXPECT_EQ(reg.insert_at(Handle::root, directory()).error(), Errno::exist);
    EXPECT_EQ(reg.insert_at(Handle{100}, directory()).error(), Errno::inval);
    auto e = reg.lookup(Handle::root, kind_mask(HandleKind::directory));
    ASSERT_TRUE(e.ok());
    EXPECT_TRUE((*e)->preopen);
    EXPECT_EQ((*e)->virtual_path, "/");
    EXPECT_EQ(reg.handles(), std::vector<Handle>{Handle::root});
}

TEST_F(Registry, UnknownClosedWrongKindAreBadfMissingRightIsNotcapable) {
    HandleRegistry reg;
    auto h = reg.insert(file(rights::fd_read));
    ASSERT_TRUE(h.ok());
    EXPECT_TRUE(reg.lookup(*h, kind_mask(HandleKind::file), rights::fd_read).ok());
    EXPECT_EQ(reg.lookup(*h, kind_mask(HandleKind::directory)).error(), Errno::badf);
    EXPECT_EQ(reg.lookup(*h, kind_mask(HandleKind::file), rights::fd_write).error(), Errno::notcapable);
    EXPECT_TRUE(reg.lookup(*h, kind_mask(HandleKind::file) | kind_mask(HandleKind::socket)).ok());
    EXPECT_EQ(reg.lookup(Handle{7}).error(), Errno::badf);          // never issued
    EXPECT_EQ(reg.lookup(Handle{0xffffffff}).error(), Errno::badf); // forged
    ASSERT_TRUE(reg.close(*h).ok());
    EXPECT_EQ(reg.lookup(*h).error(), Errno::badf);  // stale
    EXPECT_EQ(reg.close(*h).error(), Errno::badf);   // double close
}

TEST_F(Registry, RightsOnlyShrink) {
    HandleRegistry reg;
    auto h = reg.insert(file(rights::fd_read | rights::fd_write));
    auto e = *reg.lookup(*h);
    EXPECT_EQ(e->restrict_rights(rights::fd_read | rights::fd_seek, 0).error(), Errno::notcapable);
    EXPECT_EQ(e->base_rights(), rights::fd_read | rights::fd_write);
    ASSERT_TRUE(e->restrict_rights(rights::fd_read, 0).ok());
    EXPECT_EQ(reg.lookup(*h, kAnyKind, rights::fd_write).error(), Errno::notcapable);
}

TEST_F(Registry, RenumberMovesAndClosesTheReplacedResource) {
    const size_t before = open_fd_count();
    HandleRegistry reg;
    auto a = *reg.insert(file(rights::fd_read, "a"));
    auto b = *reg.insert(file(rights::fd_write, "b"));
    EXPECT_EQ(open_fd_count(), before + 2);
    ASSERT_TRUE(reg.renumber(a, b).ok());
    EXPECT_EQ(open_fd_count(), before + 1);  // b's old file was closed, not leaked
    EXPECT_EQ(reg.lookup(a).error(), Errno::badf);
    auto e = reg.lookup(b, kAnyKind, rights::fd_read);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ((*e)->virtual_path, "/a");
    // Guest-chosen numbers: any combination is an errno, never a crash.
    EXPECT_EQ(reg.renumber(b, Handle{12345}).error(), Errno::badf);
    EXPECT_EQ(reg.renumber(Handle{0xffffffff}, b).error(), Errno::badf);
    EXPECT_TRUE(reg.renumber(b, b).ok());
    EXPECT_TRUE(reg.lookup(b).ok());
    EXPECT_EQ(reg.count(), 1u);
}

TEST_F(Registry, HandleLimitGivesMfileAndClosesTheRejectedResource) {
    const size_t before = open_fd_count();
    {
        HandleRegistry reg(2);
        ASSERT_TRUE(reg.insert(file()).ok());
        ASSERT_TRUE(reg.insert(file()).ok());
        EXPECT_EQ(reg.insert(file()).error(), Errno::mfile);
        EXPECT_EQ(open_fd_count(), before + 2);
    }
    EXPECT_EQ(open_fd_count(), before);
}

TEST_F(Registry, DestructionClosesEveryHostResource) {
    const size_t before = open_fd_count();
    {
        HandleRegistry reg;
        ASSERT_TRUE(reg.insert_at(Handle::stdout_, [&] {
            HandleInit i;
            i.kind = HandleKind::file;
            i.host = std::move(*hal.std_stream(StdStream::out));
            return i;
        }()).ok());
        ASSERT_TRUE(reg.insert_at(Handle::root, directory()).ok());
        for (int i = 0; i < 50; ++i)
            ASSERT_TRUE(reg.insert(file()).ok());
        auto l = hal.tcp_listen(SocketAddress::loopback_v4(0), 1);
        ASSERT_TRUE(l.ok());
        HandleInit s;
        s.kind = HandleKind::socket;
        s.host = std::move(*l);
        ASSERT_TRUE(reg.insert(std::move(s)).ok());
        HandleInit m;
        m.kind = HandleKind::memory;
        m.memory = std::move(*hal.memory_reserve(1 << 20));
        ASSERT_TRUE(reg.insert(std::move(m)).ok());
        EXPECT_EQ(open_fd_count(), before + 53);
    }
    EXPECT_EQ(open_fd_count(), before);
}

TEST_F(Registry, CloseRacingReadIsSafe) {
    // One thread keeps looking a handle up and reading through it while another closes and
    // re-creates handles; the refcount keeps every in-flight host fd open until its user is done.
    HandleRegistry reg;
    crush::test::write_file(tmp / "data", "0123456789");
    std::atomic<bool> stop{false};
    std::atomic<uint32_t> current{0};
    auto open_data = [&] {
        HandleInit i;
        i.kind = HandleKind::file;
        i.base = rights::fd_read;
        i.host = std::move(*hal.open_at(HostFd::host_cwd, (tmp / "data").string(), OpenOptions{}));
        return i;
    };
    current = static_cast<uint32_t>(*reg.insert(open_data()));
    std::atomic<int> good_reads{0}, bad_reads{0};
    std::thread reader([&] {
        while (!stop) {
            auto e = reg.lookup(static_cast<Handle>(current.load()), kind_mask(HandleKind::file), rights::fd_read);
            if (!e.ok())
                continue;  // closed meanwhile: a clean EBADF
            char buf[10];
            auto n = hal.pread((*e)->host.fd(), std::as_writable_bytes(std::span(buf)), 0);
            if (n.ok() && *n == 10 && std::string(buf, 10) == "0123456789")
                ++good_reads;
            else
                ++bad_reads;
        }
    });
    for (int i = 0; i < 2000; ++i) {
        const auto old = static_cast<Handle>(current.load());
        current = static_cast<uint32_t>(*reg.insert(open_data()));
        ASSERT_TRUE(reg.close(old).ok());
    }
    stop = true;
    reader.join();
    EXPECT_EQ(bad_reads.load(), 0);
    EXPECT_EQ(reg.count(), 1u);
}
