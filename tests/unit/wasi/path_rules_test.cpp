// Copyright Crush authors.
// The ScopedHal's lexical path rules, used before anything reaches the Hal: a WASI path stays
// beneath its directory as written, and the pre-gate sees its normalized virtual path.
#include "capsule/scoped_hal.hpp"

#include <gtest/gtest.h>

namespace crush {
namespace {

TEST(CheckBeneath, RelativePathsThatStayBelowPass) {
    for (const char* p :
         {"a", "a/b", "a/../b", "./a/./b/..", "a//b///", ".", "", "a/b/../../c", "..a", "a/..b"})
        EXPECT_TRUE(check_beneath(p).ok()) << p;
}

TEST(CheckBeneath, AbsoluteOrClimbingPathsAreNotCapable) {
    for (const char* p :
         {"/", "/a", "..", "../a", "a/../..", "a/../../b", "./..", "a/b/../../../c", "a/./../../"})
        EXPECT_EQ(check_beneath(p).error(), Errno::notcapable) << p;
}

TEST(CheckBeneath, NulAndOverlongAreRefused) {
    EXPECT_EQ(check_beneath(std::string_view("a\0b", 3)).error(), Errno::inval);
    EXPECT_EQ(check_beneath(std::string(kHalMaxPath, 'a')).error(), Errno::nametoolong);
}

TEST(LexicalPath, FoldsDotsUnderTheBase) {
    EXPECT_EQ(lexical_path("/", "a/b"), "/a/b");
    EXPECT_EQ(lexical_path("/", ""), "/");
    EXPECT_EQ(lexical_path("/", "."), "/");
    EXPECT_EQ(lexical_path("/data", "x/../y//z/."), "/data/y/z");
    EXPECT_EQ(lexical_path("/data", "x/.."), "/data");
    EXPECT_EQ(lexical_path("/data/sub", ".."), "/data");
    EXPECT_EQ(lexical_path("/ro", "f.txt/"), "/ro/f.txt");
}

}  // namespace
}  // namespace crush
