// Copyright Crush authors.
#include "capsule/guest_path.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace crush {
namespace {

using namespace std::string_literals;

std::string normalized(std::string_view path) {
    auto r = normalize_guest_path(path);
    EXPECT_TRUE(r.ok()) << path << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::string("<error>");
}

std::string rejected(std::string_view path) {
    auto r = normalize_guest_path(path);
    EXPECT_FALSE(r.ok()) << path << " was accepted as " << (r.ok() ? *r : "");
    if (r.ok()) return {};
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    return r.error().message;
}

TEST(GuestPath, AlreadyNormalIsUnchanged) {
    EXPECT_EQ(normalized("/input"), "/input");
    EXPECT_EQ(normalized("/a/b/c"), "/a/b/c");
    EXPECT_EQ(normalized("/fs-tests.dir"), "/fs-tests.dir");  // a dot inside a name is a name
    EXPECT_EQ(normalized("/..."), "/...");                    // so is "..." (only ".." is special)
    EXPECT_EQ(normalized("/.hidden"), "/.hidden");
}

TEST(GuestPath, EmptyComponentsAndTrailingSlashesAreDropped) {
    EXPECT_EQ(normalized("/a//b"), "/a/b");
    EXPECT_EQ(normalized("//a"), "/a");
    EXPECT_EQ(normalized("/a/"), "/a");
    EXPECT_EQ(normalized("/a/b///"), "/a/b");
}

TEST(GuestPath, DotComponentsAreDroppedAsPosixReadsThem) {
    EXPECT_EQ(normalized("/a/./b"), "/a/b");
    EXPECT_EQ(normalized("/./a"), "/a");
    EXPECT_EQ(normalized("/a/."), "/a");
    EXPECT_EQ(normalized("/./a/.//./b/."), "/a/b");
}

TEST(GuestPath, DotDotIsRejected) {
    // Never resolved lexically: "/a/../b" would quietly become "/b".
    for (std::string_view path : {"/..", "/../a", "/a/..", "/a/../b", "/a/b/../..", "/./../a"})
        EXPECT_EQ(rejected(path), "must not contain '..'") << path;
}

TEST(GuestPath, RelativeIsRejected) {
    for (std::string_view path : {"", "a", "a/b", "./a", "../a", ".", " /a"})
        EXPECT_EQ(rejected(path), "must be absolute (start with '/')") << path;
}

TEST(GuestPath, RootItselfIsRejected) {
    for (std::string_view path : {"/", "//", "/.", "/./", "/./."})
        EXPECT_EQ(rejected(path), "must name a directory below '/', not '/' itself") << path;
}

TEST(GuestPath, NulIsRejected) {
    EXPECT_EQ(rejected("/a\0b"s), "contains a NUL byte");
    EXPECT_EQ(rejected("\0/a"s), "contains a NUL byte");
}

}  // namespace
}  // namespace crush
