// Copyright Crush authors.
// The disk quota as the ScopedHal enforces it from a cached file size (DiskFile) instead of an
// fstat per write: a write that would pass the quota fails with ENOSPC and writes nothing, and
// the accounted bytes always equal what is really stored — for appends, pwrite past the end,
// two handles on one file, truncation through either handle or by an O_TRUNC open, and reads
// and seeks moving the position the next write starts at.
#include "capsule/meter_disk.hpp"
#include "capsule/meter_limits.hpp"
#include "capsule/scoped_hal.hpp"
#include "hal/native_hal.hpp"
#include "hal/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace crush {
namespace {

using test::TempDir;

constexpr uint64_t kQuota = 100;
constexpr Rights kRw = rights::fd_read | rights::fd_write | rights::fd_seek | rights::fd_tell |
                       rights::fd_filestat_set_size | rights::fd_allocate;

struct DiskQuota : ::testing::Test {
    TempDir tmp;
    std::shared_ptr<LimitMeter> meter;
    std::unique_ptr<ScopedHal> hal;

    std::filesystem::path root() const { return tmp.path() / "root"; }

    void make(uint64_t quota = kQuota) {
        std::filesystem::create_directories(root());
        ResolvedLimits limits;
        limits.disk_bytes = quota;
        meter = std::make_shared<LimitMeter>(limits);
        ScopedHalConfig config;
        config.capsule_name = "t";
        config.root_host_path = root().string();
        const std::vector<std::string> allow{"fs.read:/**", "fs.write:/**"};
        auto perms = Permissions::parse(allow);
        ASSERT_TRUE(perms.ok()) << perms.error().message;
        config.permissions = std::move(*perms);
        config.meter = meter;
        auto h = ScopedHal::create(NativeHal::shared(), std::move(config));
        ASSERT_TRUE(h.ok()) << to_string(h.error());
        hal = std::move(*h);
    }

    Handle open(std::string_view path, bool append = false, bool trunc = false) {
        OpenRequest r;
        r.create = true;
        r.trunc = trunc;
        r.base = kRw;
        r.flags.append = append;
        auto h = hal->open(Handle::root, path, r);
        EXPECT_TRUE(h.ok()) << to_string(h.error());
        return h.ok() ? *h : Handle::root;
    }

    static ConstIoSlice slice(std::string_view s) {
        return ConstIoSlice{reinterpret_cast<const std::byte*>(s.data()), s.size()};
    }
    HalResult<size_t> write(Handle h, std::string_view s) {
        ConstIoSlice sl = slice(s);
        return hal->write(h, {&sl, 1});
    }
    HalResult<size_t> pwrite(Handle h, std::string_view s, uint64_t at) {
        ConstIoSlice sl = slice(s);
        return hal->pwrite(h, {&sl, 1}, at);
    }
    HalResult<size_t> read(Handle h, size_t n) {
        m_buf.assign(n, '\0');
        IoSlice sl{reinterpret_cast<std::byte*>(m_buf.data()), n};
        return hal->read(h, {&sl, 1});
    }

    uint64_t host_size(std::string_view name) const { return std::filesystem::file_size(root() / name); }
    /// What is really stored under the root, counted on the host.
    uint64_t stored() const {
        auto n = stored_bytes(*NativeHal::shared(), hal->vfs().domain_dir(0));
        return n ? *n : ~uint64_t{0};
    }

private:
    std::string m_buf;
};

std::string bytes(size_t n, char c = 'x') { return std::string(n, c); }

/// The call's result, or all ones when it failed (so a failure fails the test cleanly).
template <typename T>
T val(const HalResult<T>& r) {
    return r.ok() ? *r : static_cast<T>(-1);
}

/// The call's errno (success when it worked), so a wrong success fails the test cleanly.
template <typename T>
Errno err(const HalResult<T>& r) {
    return r.ok() ? Errno::success : r.error();
}

TEST_F(DiskQuota, WriteOverTheQuotaFailsWithNospcAndWritesNothing) {
    make();
    Handle h = open("f");
    ASSERT_EQ(val(write(h, bytes(60))), 60u);
    EXPECT_EQ(err(write(h, bytes(50))), Errno::nospc);
    EXPECT_EQ(host_size("f"), 60u);  // nothing partial
    EXPECT_EQ(meter->disk_bytes(), 60u);
    ASSERT_EQ(val(write(h, bytes(40))), 40u);  // exactly up to the quota
    EXPECT_EQ(err(write(h, "y")), Errno::nospc);
    EXPECT_EQ(host_size("f"), 100u);
    EXPECT_EQ(meter->disk_bytes(), stored());
    EXPECT_EQ(meter->hits(), std::vector<std::string>{kLimitDisk});
}

TEST_F(DiskQuota, OverwritingInPlaceNeedsNoQuota) {
    make();
    Handle h = open("f");
    ASSERT_EQ(val(write(h, bytes(100))), 100u);
    ASSERT_EQ(val(hal->seek(h, 0, Whence::set)), 0u);
    EXPECT_EQ(val(write(h, bytes(100, 'y'))), 100u);
    EXPECT_EQ(err(write(h, "z")), Errno::nospc);
    EXPECT_EQ(meter->disk_bytes(), 100u);
    EXPECT_EQ(meter->disk_bytes(), stored());
}

TEST_F(DiskQuota, AppendsGrowFromTheEndWhereverThePositionIs) {
    make();
    Handle h = open("f", /*append=*/true);
    ASSERT_EQ(val(write(h, bytes(40))), 40u);
    ASSERT_EQ(val(hal->seek(h, 0, Whence::set)), 0u);
    ASSERT_EQ(val(write(h, bytes(40))), 40u);  // appended, not overwritten
    EXPECT_EQ(host_size("f"), 80u);
    EXPECT_EQ(meter->disk_bytes(), 80u);
    // pwrite on an O_APPEND descriptor appends too (Linux): 30 more bytes do not fit.
    EXPECT_EQ(err(pwrite(h, bytes(30), 0)), Errno::nospc);
    EXPECT_EQ(host_size("f"), 80u);
    ASSERT_EQ(val(pwrite(h, bytes(20), 0)), 20u);
    EXPECT_EQ(host_size("f"), 100u);
    EXPECT_EQ(meter->disk_bytes(), stored());
}

TEST_F(DiskQuota, PwriteBeyondTheEndCountsTheHole) {
    make();
    Handle h = open("f");
    ASSERT_EQ(val(pwrite(h, bytes(10), 90)), 10u);  // size 100: the hole counts (apparent size)
    EXPECT_EQ(meter->disk_bytes(), 100u);
    EXPECT_EQ(err(pwrite(h, "y", 100)), Errno::nospc);
    ASSERT_EQ(val(pwrite(h, bytes(50), 0)), 50u);  // inside the file: no growth
    // pwrite did not move the position: a write lands at 0, inside the file.
    ASSERT_EQ(val(write(h, bytes(10))), 10u);
    EXPECT_EQ(val(hal->seek(h, 0, Whence::cur)), 10u);
    EXPECT_EQ(host_size("f"), 100u);
    EXPECT_EQ(meter->disk_bytes(), stored());
}

TEST_F(DiskQuota, PwriteOffsetOverflowIsFbig) {
    make();
    Handle h = open("f");
    EXPECT_EQ(err(pwrite(h, bytes(10), UINT64_MAX - 5)), Errno::fbig);
    EXPECT_EQ(meter->disk_bytes(), 0u);
}

TEST_F(DiskQuota, ReadsMoveThePositionTheNextWriteStartsAt) {
    std::filesystem::create_directories(root());
    test::write_file(root() / "f", bytes(50));
    make();
    EXPECT_EQ(meter->disk_bytes(), 50u);  // counted at start
    Handle h = open("f");
    ASSERT_EQ(val(read(h, 30)), 30u);
    ASSERT_EQ(val(write(h, bytes(40))), 40u);  // 30..70: grows by 20
    EXPECT_EQ(host_size("f"), 70u);
    EXPECT_EQ(meter->disk_bytes(), 70u);
    ASSERT_EQ(val(hal->seek(h, -10, Whence::end)), 60u);
    EXPECT_EQ(err(write(h, bytes(41))), Errno::nospc);  // 60..101
    ASSERT_EQ(val(write(h, bytes(40))), 40u);           // 60..100
    EXPECT_EQ(meter->disk_bytes(), stored());
}

TEST_F(DiskQuota, TwoHandlesOnOneFileShareItsSize) {
    make();
    Handle a = open("f");
    Handle b = open("f");
    ASSERT_EQ(val(write(a, bytes(80))), 80u);
    // b is at 0: overwriting a's bytes grows nothing.
    ASSERT_EQ(val(write(b, bytes(80, 'b'))), 80u);
    EXPECT_EQ(meter->disk_bytes(), 80u);
    // b at 80 writing 30 would reach 110.
    EXPECT_EQ(err(write(b, bytes(30))), Errno::nospc);
    // a truncates; b (at 80) writing 10 now grows the file by 90, not by 10.
    ASSERT_TRUE(hal->set_size(a, 0).ok());
    EXPECT_EQ(meter->disk_bytes(), 0u);
    ASSERT_EQ(val(write(b, bytes(10))), 10u);
    EXPECT_EQ(host_size("f"), 90u);
    EXPECT_EQ(meter->disk_bytes(), 90u);
    EXPECT_EQ(err(write(a, bytes(21))), Errno::nospc);  // a is at 80: 80..101
    EXPECT_EQ(meter->disk_bytes(), stored());
}

TEST_F(DiskQuota, AnOTruncOpenRefreshesOtherHandles) {
    make();
    Handle a = open("f");
    ASSERT_EQ(val(write(a, bytes(60))), 60u);
    Handle b = open("f", false, /*trunc=*/true);
    EXPECT_EQ(meter->disk_bytes(), 0u);
    // a is still at 60: 50 more bytes make the file 110 long, over the quota.
    EXPECT_EQ(err(write(a, bytes(50))), Errno::nospc);
    EXPECT_EQ(host_size("f"), 0u);
    ASSERT_EQ(val(write(a, bytes(40))), 40u);  // 60..100 (a hole before)
    EXPECT_EQ(meter->disk_bytes(), 100u);
    EXPECT_EQ(val(write(b, bytes(100))), 100u);  // in place
    EXPECT_EQ(meter->disk_bytes(), stored());
}

TEST_F(DiskQuota, TruncateAndAllocateKeepTheCacheExact) {
    make();
    Handle h = open("f");
    EXPECT_EQ(err(hal->set_size(h, 101)), Errno::nospc);
    ASSERT_TRUE(hal->set_size(h, 70).ok());
    EXPECT_EQ(meter->disk_bytes(), 70u);
    EXPECT_EQ(err(pwrite(h, bytes(31), 70)), Errno::nospc);
    ASSERT_TRUE(hal->set_size(h, 20).ok());
    ASSERT_EQ(val(pwrite(h, bytes(80), 20)), 80u);
    EXPECT_EQ(meter->disk_bytes(), 100u);
    ASSERT_TRUE(hal->set_size(h, 50).ok());
    auto alloc = hal->allocate(h, 0, 90);
    if (alloc.ok()) {  // fallocate is unsupported on some filesystems
        EXPECT_EQ(host_size("f"), 90u);
        EXPECT_EQ(err(pwrite(h, bytes(11), 90)), Errno::nospc);
    }
    EXPECT_EQ(meter->disk_bytes(), stored());
}

TEST_F(DiskQuota, HostChangesAreSeenAtTheNextSeek) {
    make();
    Handle h = open("f");
    ASSERT_EQ(val(write(h, bytes(10))), 10u);
    std::filesystem::resize_file(root() / "f", 0);  // the host truncates behind the capsule's back
    ASSERT_EQ(val(hal->seek(h, 85, Whence::set)), 85u);
    // From the refreshed size (0), 85..95 grows the file by 95, more than the 90 bytes left
    // (the 10 accounted earlier stay counted: the host's change is not the capsule's).
    EXPECT_EQ(err(write(h, bytes(10))), Errno::nospc);
    EXPECT_EQ(host_size("f"), 0u);
}

TEST_F(DiskQuota, ReopeningAfterEveryHandleClosedStartsFromTheHostSize) {
    make();
    Handle h = open("f");
    ASSERT_EQ(val(write(h, bytes(10))), 10u);
    ASSERT_TRUE(hal->close(h).ok());
    // Reopening after every handle closed starts from the host's size again.
    Handle again = open("f", /*append=*/true);
    ASSERT_EQ(val(write(again, bytes(90))), 90u);
    EXPECT_EQ(err(write(again, "y")), Errno::nospc);
    EXPECT_EQ(meter->disk_bytes(), stored());
}

}  // namespace
}  // namespace crush
