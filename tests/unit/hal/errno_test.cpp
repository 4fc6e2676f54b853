// Copyright Crush authors.
#include "hal/errno.hpp"
#include "hal/hal_result.hpp"
#include "hal/native_hal.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

using namespace crush;

TEST(Errno, WitxValues) {
    EXPECT_EQ(static_cast<int>(Errno::success), 0);
    EXPECT_EQ(static_cast<int>(Errno::toobig), 1);
    EXPECT_EQ(static_cast<int>(Errno::badf), 8);
    EXPECT_EQ(static_cast<int>(Errno::inval), 28);
    EXPECT_EQ(static_cast<int>(Errno::noent), 44);
    EXPECT_EQ(static_cast<int>(Errno::rofs), 69);
    EXPECT_EQ(static_cast<int>(Errno::notcapable), 76);
    EXPECT_EQ(kErrnoCount, 77);
}

TEST(Errno, ToStringUsesWitxNames) {
    EXPECT_STREQ(to_string(Errno::toobig), "2big");
    EXPECT_STREQ(to_string(Errno::acces), "acces");
    EXPECT_STREQ(to_string(Errno::notcapable), "notcapable");
    EXPECT_STREQ(to_string(static_cast<Errno>(200)), "unknown");
    EXPECT_STREQ(describe(Errno::badf), "Bad file descriptor");
}

TEST(Errno, FromHostErrnoConvertsOnce) {
    EXPECT_EQ(from_host_errno(ENOENT), Errno::noent);
    EXPECT_EQ(from_host_errno(EWOULDBLOCK), Errno::again);
    EXPECT_EQ(from_host_errno(EOPNOTSUPP), Errno::notsup);
    EXPECT_EQ(from_host_errno(ELOOP), Errno::loop);
    EXPECT_EQ(from_host_errno(EXDEV), Errno::xdev);
    EXPECT_EQ(from_host_errno(ENAMETOOLONG), Errno::nametoolong);
    // Never a success for a failure, even with a missing or exotic errno.
    EXPECT_EQ(from_host_errno(0), Errno::io);
    EXPECT_EQ(from_host_errno(ECHRNG), Errno::io);
}

namespace {
HalResult<int> half(int x) {
    if (x % 2 != 0)
        return Errno::inval;
    return x / 2;
}
HalResult<int> quarter(int x) {
    CRUSH_HAL_ASSIGN(int h, half(x));
    CRUSH_HAL_ASSIGN(int q, half(h));
    return q;
}
HalResult<void> check_even(int x) {
    CRUSH_HAL_TRY(half(x));
    return {};
}
}  // namespace

TEST(HalResult, ValueOrErrnoAndPropagation) {
    EXPECT_EQ(*quarter(8), 2);
    EXPECT_EQ(quarter(6).error(), Errno::inval);
    EXPECT_TRUE(check_even(4).ok());
    EXPECT_EQ(check_even(3).error(), Errno::inval);
    HalResult<std::string> s = std::string("x");
    EXPECT_EQ(s.error(), Errno::success);
    EXPECT_EQ(*s, "x");
}
