// Copyright Crush authors.
// Every escape attempt we could think of: each must fail (or stay inside the root) without
// reading, creating or changing anything outside. Runs with the openat2 fast path and with
// the manual walk alone.
#include "vfs_fixture.hpp"

using namespace crush;
using namespace crush::test;

using VfsEscape = VfsTest;

TEST_P(VfsEscape, DotDotChainsStopAtTheRoot) {
    const auto before = outside_state();
    // Decoys inside the root where a clamped path lands, so we see *where* it landed.
    fs::create_directories(root / "outside");
    write_file(root / "outside" / "secret", "DECOY");
    write_file(root / "secret", "ROOTSECRET");
    fs::create_directories(root / "a");  // "a/.." needs a to exist, as on POSIX
    EXPECT_EQ(read("missing/../secret"), "<noent>");
    for (const char* p : {"../secret", "../../secret", "../../../../../../../../secret", "/../secret",
                          "/../../../secret", "a/../../secret", "./../.././secret"}) {
        EXPECT_EQ(read(p), "ROOTSECRET") << p;
    }
    EXPECT_EQ(read("../../../../outside/secret"), "DECOY");
    EXPECT_EQ(read("/../../../../../outside/secret"), "DECOY");
    ASSERT_TRUE(vfs->mkdir(VfsBase::cwd(), "/deep").ok());
    ASSERT_TRUE(vfs->chdir("/deep").ok());
    EXPECT_EQ(read("../../../../secret"), "ROOTSECRET");
    EXPECT_EQ(create("../../../../created"), Errno::success);
    EXPECT_TRUE(fs::exists(root / "created"));
    EXPECT_EQ(outside_state(), before);
}

TEST_P(VfsEscape, HostAbsolutePathsAreVirtual) {
    const auto before = outside_state();
    const std::string host_secret = (outside / "secret").string();
    EXPECT_EQ(read(host_secret), "<noent>");
    EXPECT_EQ(read("/etc/passwd"), "<noent>");
    EXPECT_EQ(read("/proc/self/root/etc/passwd"), "<noent>");
    EXPECT_EQ(create(host_secret + "2"), Errno::noent);
    EXPECT_EQ(outside_state(), before);
}

TEST_P(VfsEscape, SymlinksToAbsoluteTargetsOutsideAreInterpretedInside) {
    const auto before = outside_state();
    fs::create_symlink(outside / "secret", root / "abs_host");  // planted by the host
    fs::create_symlink("/etc/passwd", root / "abs_etc");
    fs::create_symlink(outside, root / "abs_dir");
    ASSERT_TRUE(vfs->symlink((outside / "secret").string(), VfsBase::cwd(), "/guest_abs").ok());
    ASSERT_TRUE(vfs->symlink("/proc/self/cwd/secret", VfsBase::cwd(), "/magic").ok());
    for (const char* p : {"abs_host", "abs_etc", "abs_dir/secret", "guest_abs", "magic"})
        EXPECT_EQ(read(p), "<noent>") << p;
    // Creating through them creates inside the root or nothing.
    EXPECT_EQ(create("abs_dir/new"), Errno::noent);
    OpenOptions w;
    w.access = OpenOptions::Access::write;
    w.trunc = true;
    EXPECT_FALSE(vfs->open(VfsBase::cwd(), "abs_host", w).ok());
    // An absolute symlink whose target exists inside is followed there.
    write_file(root / "inside", "IN");
    fs::create_symlink("/inside", root / "abs_in");
    EXPECT_EQ(read("abs_in"), "IN");
    EXPECT_EQ(outside_state(), before);
    EXPECT_EQ(read_file(outside / "secret"), "SECRET");
}

TEST_P(VfsEscape, SymlinksToRelativeTargetsOutsideAreClamped) {
    const auto before = outside_state();
    write_file(root / "secret", "ROOTSECRET");
    fs::create_directories(root / "a" / "b");
    fs::create_symlink("../../../../../../secret", root / "a" / "b" / "up");
    fs::create_symlink("../../../../../..", root / "a" / "updir");
    fs::create_symlink("../../../../../outside", root / "outdir");
    EXPECT_EQ(read("a/b/up"), "ROOTSECRET");
    EXPECT_EQ(read("a/updir/secret"), "ROOTSECRET");
    EXPECT_EQ(read("a/updir/../../secret"), "ROOTSECRET");
    EXPECT_EQ(read("outdir/secret"), "<noent>");
    EXPECT_EQ(create("outdir/new"), Errno::noent);
    EXPECT_EQ(create("a/updir/made"), Errno::success);
    EXPECT_TRUE(fs::exists(root / "made"));
    // Chains of relative links.
    fs::create_symlink("a/b/up", root / "chain1");
    fs::create_symlink("chain1", root / "chain2");
    EXPECT_EQ(read("chain2"), "ROOTSECRET");
    EXPECT_EQ(outside_state(), before);
}

TEST_P(VfsEscape, SymlinkLoopsAndTheExpansionLimit) {
    fs::create_symlink("loop_b", root / "loop_a");
    fs::create_symlink("loop_a", root / "loop_b");
    fs::create_symlink("self", root / "self");
    fs::create_symlink("selfdir/x", root / "selfdir");
    EXPECT_EQ(read("loop_a"), "<loop>");
    EXPECT_EQ(read("self"), "<loop>");
    EXPECT_EQ(read("selfdir"), "<loop>");
    EXPECT_EQ(read("loop_a/x"), "<loop>");
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "loop_a", true).error(), Errno::loop);
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "loop_a", false)->type, FileType::symbolic_link);
    EXPECT_EQ(vfs->chdir("loop_a").error(), Errno::loop);
    // A chain of exactly kVfsMaxSymlinks links resolves; one more is a loop.
    write_file(root / "target", "END");
    auto chain = [&](const std::string& prefix, int n) {
        std::string next = "target";
        for (int i = 0; i < n; ++i) {
            const std::string name = prefix + std::to_string(i);
            fs::create_symlink(next, root / name);
            next = name;
        }
        return next;
    };
    EXPECT_EQ(read(chain("ok", kVfsMaxSymlinks)), "END");
    EXPECT_EQ(read(chain("long", kVfsMaxSymlinks + 1)), "<loop>");
}

TEST_P(VfsEscape, TrailingSlashDoesNotSwitchOffNoFollow) {
    const auto before = outside_state();
    fs::create_symlink(outside, root / "out_abs");
    fs::create_symlink("../../../../../../..", root / "out_rel");
    fs::create_directories(root / "realdir");
    fs::create_symlink("realdir", root / "in_link");
    for (const char* p : {"out_abs/", "out_rel/", "in_link/", "in_link//"}) {
        auto r = vfs->resolve(VfsBase::cwd(), p, false);
        ASSERT_TRUE(r.ok()) << p;
        EXPECT_TRUE(r->trailing_slash) << p;
        EXPECT_NE(r->name, ".") << p;  // the link itself, not its target
        OpenOptions nofollow_dir;
        nofollow_dir.directory = true;
        nofollow_dir.nofollow = true;
        auto f = vfs->open(VfsBase::cwd(), p, nofollow_dir);
        EXPECT_FALSE(f.ok()) << p;
        EXPECT_EQ(vfs->stat(VfsBase::cwd(), p, false).error(), Errno::notdir) << p;
    }
    // Following them (explicitly) stays inside.
    auto r = vfs->resolve(VfsBase::cwd(), "out_rel/", true);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->virtual_path, "/");
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "in_link/../in_link/", false).error(), Errno::notdir);
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "in_link/../in_link/", true)->type, FileType::directory);
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "in_link/.", false)->type, FileType::directory);
    EXPECT_EQ(outside_state(), before);
}

TEST_P(VfsEscape, NulBytesAndOverlongNamesAreRefused) {
    const auto before = outside_state();
    write_file(root / "a", "A");
    const std::string nul("a\0/../../../secret", 18);
    EXPECT_EQ(read(nul), "<inval>");
    EXPECT_EQ(create(std::string("x\0y", 3)), Errno::inval);
    EXPECT_FALSE(fs::exists(root / "x"));
    EXPECT_EQ(vfs->symlink(std::string("/a\0b", 4), VfsBase::cwd(), "l").error(), Errno::inval);
    EXPECT_EQ(read(std::string(256, 'n')), "<nametoolong>");
    EXPECT_EQ(create(std::string(256, 'n')), Errno::nametoolong);
    fs::create_directories(root / "d");
    EXPECT_EQ(read("/d/" + std::string(300, 'n') + "/x"), "<nametoolong>");
    EXPECT_EQ(read(std::string(5000, '/') + "a"), "<nametoolong>");
    std::string many_dots;
    for (int i = 0; i < 1300; ++i)
        many_dots += "../";
    EXPECT_EQ(read(many_dots + "a"), "A");  // long but legal
    EXPECT_EQ(create(std::string(255, 'k')), Errno::success);
    EXPECT_EQ(outside_state(), before);
}

TEST_P(VfsEscape, HardLinksNeverReachOutside) {
    const auto before = outside_state();
    fs::create_symlink(outside / "secret", root / "abs_host");
    fs::create_symlink("../../../../../../secret", root / "rel_up");
    // The source can only be named inside; names that look outside are clamped or missing.
    EXPECT_EQ(vfs->link(VfsBase::cwd(), "/../../secret", VfsBase::cwd(), "/l1").error(), Errno::noent);
    EXPECT_EQ(vfs->link(VfsBase::cwd(), (outside / "secret").string(), VfsBase::cwd(), "/l2").error(), Errno::noent);
    // A symlink source is linked as the symlink itself (linkat without FOLLOW).
    ASSERT_TRUE(vfs->link(VfsBase::cwd(), "abs_host", VfsBase::cwd(), "/l3").ok());
    EXPECT_TRUE(fs::is_symlink(root / "l3"));
    EXPECT_EQ(read("l3"), "<noent>");
    ASSERT_TRUE(vfs->link(VfsBase::cwd(), "rel_up", VfsBase::cwd(), "/l4").ok());
    EXPECT_TRUE(fs::is_symlink(root / "l4"));
    EXPECT_EQ(fs::hard_link_count(outside / "secret"), 1u);
    EXPECT_EQ(vfs->link(VfsBase::cwd(), "/", VfsBase::cwd(), "/rootlink").error(), Errno::perm);
    // The target side cannot be outside either.
    write_file(root / "mine", "M");
    ASSERT_TRUE(vfs->link(VfsBase::cwd(), "mine", VfsBase::cwd(), "../../../../outside_link").ok());
    EXPECT_TRUE(fs::exists(root / "outside_link"));
    EXPECT_EQ(outside_state(), before);
}

TEST_P(VfsEscape, RenameAndSymlinkCreationStayInside) {
    const auto before = outside_state();
    write_file(root / "f", "F");
    ASSERT_TRUE(vfs->rename(VfsBase::cwd(), "f", VfsBase::cwd(), "../../../../g").ok());
    EXPECT_TRUE(fs::exists(root / "g"));
    fs::create_symlink(outside, root / "out");
    EXPECT_EQ(vfs->rename(VfsBase::cwd(), "g", VfsBase::cwd(), "out/g").error(), Errno::noent);
    // Renaming the symlink itself is fine and changes nothing outside.
    ASSERT_TRUE(vfs->rename(VfsBase::cwd(), "out", VfsBase::cwd(), "out2").ok());
    EXPECT_EQ(vfs->rename(VfsBase::cwd(), "/", VfsBase::cwd(), "x").error(), Errno::busy);
    ASSERT_TRUE(vfs->symlink("../../../../..", VfsBase::cwd(), "../../../evil").ok());
    EXPECT_TRUE(fs::is_symlink(root / "evil"));
    EXPECT_EQ(create("evil/escaped"), Errno::success);
    EXPECT_TRUE(fs::exists(root / "escaped"));
    EXPECT_EQ(vfs->unlink(VfsBase::cwd(), "../../outside/secret").error(), Errno::noent);
    EXPECT_EQ(vfs->unlink(VfsBase::cwd(), "out2/secret").error(), Errno::noent);
    EXPECT_EQ(outside_state(), before);
}

INSTANTIATE_TEST_SUITE_P(Vfs, VfsEscape, ::testing::Bool(), fast_path_name);
