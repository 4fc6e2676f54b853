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
