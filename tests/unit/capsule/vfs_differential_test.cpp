// Copyright Crush authors.
// Differential test (STYLE.md "generate paths from ./../name tokens"): thousands of random
// paths over a tree full of symlinks, resolved by the openat2 fast path and by the manual walk
// alone. Both must agree exactly (errno, virtual path, final name, domain), and the Debug
// second-opinion check verifies every result lies under the root.
#include "vfs_fixture.hpp"

#include <random>

using namespace crush;
using namespace crush::test;

TEST(VfsDifferential, FastPathAndManualWalkAgree) {
    NativeHal hal;
    TempDir tmp;
    const fs::path root = tmp / "root";
    fs::create_directories(root / "a" / "b");
    fs::create_directories(root / "c");
    write_file(root / "f", "F");
    write_file(root / "a" / "g", "G");
    fs::create_symlink("/a", root / "abs");
    fs::create_symlink("../..", root / "a" / "up");
    fs::create_symlink("b", root / "a" / "rel");
    fs::create_symlink("f", root / "lf");
    fs::create_symlink("loop", root / "loop");
    fs::create_symlink("/missing/x", root / "dangling");
    fs::create_symlink("/a/b/", root / "c" / "slash");
    write_file(tmp / "f", "OUTSIDE");

    Vfs::Options fast_opts, manual_opts;
    fast_opts.fast_path = true;
    manual_opts.fast_path = false;
    fast_opts.second_opinion = manual_opts.second_opinion = true;
    auto fast = Vfs::create(hal, root.string(), {}, fast_opts);
    auto manual = Vfs::create(hal, root.string(), {}, manual_opts);
    ASSERT_TRUE(fast.ok() && manual.ok());

    const std::vector<std::string> tokens = {".", "..", "a", "b", "c", "f", "g", "abs", "up", "rel",
                                             "lf", "loop", "dangling", "slash", "nope", ""};
    std::mt19937 rng(20261128);  // fixed: failures reproduce
    OpenOptions d;
    d.directory = true;
    auto base_dir = (*manual)->open(VfsBase::cwd(), "/a/b", d);
    ASSERT_TRUE(base_dir.ok());
    const VfsBase bases[] = {VfsBase::cwd(), VfsBase{base_dir->handle.fd(), "/a/b"}};
    int agreed_ok = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string path = (rng() % 2) ? "/" : "";
        const int n = 1 + static_cast<int>(rng() % 6);
        for (int k = 0; k < n; ++k) {
            if (k)
                path += "/";
            path += tokens[rng() % tokens.size()];
        }
        if (path.empty())
            path = ".";
        const bool follow = rng() % 2;
        const VfsBase& base = bases[rng() % 2];
        auto x = (*fast)->resolve(base, path, follow);
        auto y = (*manual)->resolve(base, path, follow);
        ASSERT_EQ(x.error(), y.error()) << path << " follow=" << follow;
        if (!x.ok())
            continue;
        ++agreed_ok;
        EXPECT_EQ(x->virtual_path, y->virtual_path) << path;
        EXPECT_EQ(x->name, y->name) << path;
        EXPECT_EQ(x->trailing_slash, y->trailing_slash) << path;
        EXPECT_EQ(x->domain, y->domain) << path;
        // Same host directory.
        EXPECT_EQ(hal.fstat(x->parent.fd())->ino, hal.fstat(y->parent.fd())->ino) << path;
    }
    EXPECT_GT(agreed_ok, 500);
    if (NativeHal::has_openat2()) {
        EXPECT_GT((*fast)->fast_resolutions(), 300u);
    }
}
