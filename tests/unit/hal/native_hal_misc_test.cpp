// Copyright Crush authors.
// NativeHal clocks, randomness, memory regions and standard streams.
#include "hal/native_hal.hpp"
#include "hal/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace crush;

TEST(HalClock, AllFourClocks) {
    NativeHal hal;
    for (ClockId c : {ClockId::realtime, ClockId::monotonic, ClockId::process_cputime, ClockId::thread_cputime}) {
        auto t = hal.clock_time(c);
        ASSERT_TRUE(t.ok());
        auto r = hal.clock_resolution(c);
        ASSERT_TRUE(r.ok());
        EXPECT_GT(*r, 0u);
    }
    const uint64_t a = *hal.clock_time(ClockId::monotonic);
    const uint64_t b = *hal.clock_time(ClockId::monotonic);
    EXPECT_LE(a, b);
    EXPECT_GT(*hal.clock_time(ClockId::realtime), 1'600'000'000ull * 1'000'000'000ull);  // after 2020
    EXPECT_EQ(hal.clock_time(static_cast<ClockId>(7)).error(), Errno::inval);
}

TEST(HalRandom, FillsTheWholeBuffer) {
    NativeHal hal;
    std::vector<std::byte> a(1 << 16), b(1 << 16);
    ASSERT_TRUE(hal.random_bytes(a).ok());
    ASSERT_TRUE(hal.random_bytes(b).ok());
    EXPECT_NE(a, b);
    // The tail is filled too (a partial fill would leave the zeros).
    EXPECT_FALSE(std::all_of(a.end() - 64, a.end(), [](std::byte x) { return x == std::byte{0}; }));
    EXPECT_TRUE(hal.random_bytes({}).ok());
}

TEST(HalMemory, ReserveCommitDecommit) {
    NativeHal hal;
    const size_t page = hal.page_size();
    auto r = hal.memory_reserve(64 * page + 1);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->size(), 65 * page);
    ASSERT_TRUE(hal.memory_commit(*r, 0, 2 * page).ok());
    std::memset(r->data(), 0xab, 2 * page);
    EXPECT_EQ(r->data()[2 * page - 1], std::byte{0xab});
    ASSERT_TRUE(hal.memory_decommit(*r, page, page).ok());
    ASSERT_TRUE(hal.memory_commit(*r, page, 1).ok());  // rounds out to the page
    EXPECT_EQ(r->data()[page], std::byte{0});          // contents were dropped
    EXPECT_EQ(r->data()[0], std::byte{0xab});          // the first page kept its bytes
    EXPECT_EQ(hal.memory_commit(*r, 64 * page, 2 * page).error(), Errno::inval);
    EXPECT_EQ(hal.memory_commit(*r, SIZE_MAX, 2).error(), Errno::inval);
    EXPECT_EQ(hal.memory_reserve(0).error(), Errno::inval);
    MemoryRegion moved = std::move(*r);
    EXPECT_FALSE(r->valid());
    EXPECT_TRUE(moved.valid());
}

TEST(HalStdio, StreamsAreDupsOfTheGivenDescriptors) {
    crush::test::TempDir tmp;
    const std::string path = tmp.str() + "/out";
    const int host_out = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_GE(host_out, 0);
    {
        NativeHal hal(0, host_out, 2);
        auto out = hal.std_stream(StdStream::out);
        ASSERT_TRUE(out.ok());
        EXPECT_NE(static_cast<int>(out->fd()), host_out);
        std::string_view s = "to the host";
        ASSERT_TRUE(hal.write(out->fd(), std::as_bytes(std::span(s.data(), s.size()))).ok());
        EXPECT_TRUE(hal.close(std::move(*out)).ok());
        EXPECT_EQ(::fcntl(host_out, F_GETFD), FD_CLOEXEC);  // the host's descriptor is still open
    }
    ::close(host_out);
    EXPECT_EQ(crush::test::read_file(path), "to the host");
}

TEST(HalHygiene, EveryDescriptorIsCloseOnExec) {
    NativeHal hal;
    crush::test::TempDir tmp;
    auto cloexec = [](const HostHandle& h) { return (::fcntl(static_cast<int>(h.fd()), F_GETFD) & FD_CLOEXEC) != 0; };
    OpenOptions create;
    create.create = true;
    create.access = OpenOptions::Access::write;
    auto f = hal.open_at(HostFd::host_cwd, tmp.str() + "/f", create);
    ASSERT_TRUE(f.ok());
    EXPECT_TRUE(cloexec(*f));
    EXPECT_TRUE(cloexec(*hal.duplicate(f->fd())));
    EXPECT_TRUE(cloexec(*hal.std_stream(StdStream::err)));
    if (NativeHal::has_openat2()) {
        OpenOptions d;
        d.directory = true;
        auto dir = hal.open_at(HostFd::host_cwd, tmp.str(), d);
        ASSERT_TRUE(dir.ok());
        EXPECT_TRUE(cloexec(*dir));
        auto beneath = hal.open_beneath(dir->fd(), "f", OpenOptions{}, ResolveOptions{});
        ASSERT_TRUE(beneath.ok());
        EXPECT_TRUE(cloexec(*beneath));
    }
    auto l = hal.tcp_listen(SocketAddress::loopback_v4(0), 1);
    ASSERT_TRUE(l.ok());
    EXPECT_TRUE(cloexec(*l));
    auto c = hal.tcp_connect(*hal.local_address(l->fd()));
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(cloexec(*c));
    auto a = hal.accept(l->fd(), true);
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(cloexec(a->socket));
    EXPECT_TRUE(hal.get_fd_flags(a->socket.fd())->nonblock);
}

TEST(HalHygiene, GuestSizedSliceListsAreClampedNotAllocated) {
    NativeHal hal;
    crush::test::TempDir tmp;
    crush::test::write_file(tmp / "f", std::string(4096, 'z'));
    auto f = hal.open_at(HostFd::host_cwd, tmp.str() + "/f", OpenOptions{});
    ASSERT_TRUE(f.ok());
    // 100k one-byte slices: only kHalMaxIoSlices are used, so the read is short, not an error.
    std::vector<std::byte> buf(100000);
    std::vector<IoSlice> slices(buf.size());
    for (size_t i = 0; i < buf.size(); ++i)
        slices[i] = {&buf[i], 1};
    auto n = hal.readv(f->fd(), slices);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, kHalMaxIoSlices);
    auto all = hal.preadv(f->fd(), slices, 0);
    EXPECT_EQ(*all, kHalMaxIoSlices);
}
