// Copyright Crush authors.
// Vfs path mapping, cwd, relative bases and mounts: where virtual paths land on the host.
#include "vfs_fixture.hpp"

#include <sys/stat.h>

using namespace crush;
using namespace crush::test;

using VfsMapping = VfsTest;

TEST_P(VfsMapping, RootIsCreatedPrivateWithItsParents) {
    ASSERT_TRUE(fs::is_directory(root));
    struct stat st;
    ASSERT_EQ(::stat(root.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    // A second Vfs on the same root reuses it.
    EXPECT_TRUE(Vfs::create(hal, root.string()).ok());
}

TEST_P(VfsMapping, AbsolutePathsMapIntoTheRoot) {
    ASSERT_EQ(create("/a.txt", "A"), Errno::success);
    EXPECT_EQ(read_file(root / "a.txt"), "A");
    ASSERT_TRUE(vfs->mkdir(VfsBase::cwd(), "/d").ok());
    ASSERT_EQ(create("/d/f", "F"), Errno::success);
    EXPECT_EQ(read_file(root / "d" / "f"), "F");
    EXPECT_EQ(read("/d/f"), "F");
    EXPECT_EQ(read("/d/../d/./f"), "F");
    EXPECT_EQ(read("//d///f"), "F");
    auto r = vfs->resolve(VfsBase::cwd(), "/d/../d/./f", false);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->virtual_path, "/d/f");
    EXPECT_EQ(r->name, "f");
    EXPECT_EQ(r->domain, 0u);
    EXPECT_FALSE(r->read_only);
    auto st = vfs->stat(VfsBase::cwd(), "/d/f", true);
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->size, 1u);
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "/d/f/", true).error(), Errno::notdir);
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "", true).error(), Errno::noent);
    EXPECT_EQ(vfs->stat(VfsBase::cwd(), "/nope/f", true).error(), Errno::noent);
    // The fast path really answers plain paths when on; the manual walk when off.
    if (GetParam() && NativeHal::has_openat2()) {
        EXPECT_GT(vfs->fast_resolutions(), 0u);
    }
    if (!GetParam()) {
        EXPECT_EQ(vfs->fast_resolutions(), 0u);
    }
    EXPECT_GT(vfs->manual_resolutions(), 0u);
}

TEST_P(VfsMapping, TheRootBehavesLikeSlash) {
    ASSERT_EQ(create("/a.txt", "A"), Errno::success);
    EXPECT_EQ(read("/../../a.txt"), "A");
    EXPECT_EQ(read("../../../../../../a.txt"), "A");
    for (const char* p : {"/", "/..", "/../..", "/.", "..", "."}) {
        auto r = vfs->resolve(VfsBase::cwd(), p, true);
        ASSERT_TRUE(r.ok()) << p;
        EXPECT_EQ(r->virtual_path, "/") << p;
        EXPECT_EQ(r->name, ".") << p;
        EXPECT_EQ(vfs->stat(VfsBase::cwd(), p, true)->type, FileType::directory);
    }
    EXPECT_EQ(vfs->mkdir(VfsBase::cwd(), "/").error(), Errno::exist);
    EXPECT_EQ(vfs->rmdir(VfsBase::cwd(), "/..").error(), Errno::busy);
}

TEST_P(VfsMapping, PerCapsuleWorkingDirectory) {
    EXPECT_EQ(vfs->cwd(), "/");
    ASSERT_TRUE(vfs->mkdir(VfsBase::cwd(), "d").ok());
    ASSERT_TRUE(vfs->mkdir(VfsBase::cwd(), "d/e").ok());
    ASSERT_EQ(create("/d/e/f", "F"), Errno::success);
    ASSERT_TRUE(vfs->chdir("d").ok());
    EXPECT_EQ(vfs->cwd(), "/d");
    EXPECT_EQ(read("e/f"), "F");
    ASSERT_TRUE(vfs->chdir("e/../e/").ok());
    EXPECT_EQ(vfs->cwd(), "/d/e");
    EXPECT_EQ(read("f"), "F");
    ASSERT_EQ(create("g", "G"), Errno::success);
    EXPECT_EQ(read_file(root / "d" / "e" / "g"), "G");
    EXPECT_EQ(vfs->chdir("f").error(), Errno::notdir);
    EXPECT_EQ(vfs->chdir("nope").error(), Errno::noent);
    EXPECT_EQ(vfs->cwd(), "/d/e");
    ASSERT_TRUE(vfs->chdir("../../../../..").ok());
    EXPECT_EQ(vfs->cwd(), "/");
    // chdir through a symlink lands on the target's canonical virtual path.
    ASSERT_TRUE(vfs->symlink("/d/e", VfsBase::cwd(), "/shortcut").ok());
    ASSERT_TRUE(vfs->chdir("/shortcut").ok());
    EXPECT_EQ(vfs->cwd(), "/d/e");

    // A second capsule: same virtual paths, different root, its own cwd.
    TempDir other;
    auto v2 = Vfs::create(hal, other.str() + "/root");
    ASSERT_TRUE(v2.ok());
    EXPECT_EQ((*v2)->cwd(), "/");
    EXPECT_EQ((*v2)->stat(VfsBase::cwd(), "/d/e/f", true).error(), Errno::noent);
}

TEST_P(VfsMapping, RelativeToADirectoryHandle) {
    fs::create_directories(root / "a" / "b");
    write_file(root / "a" / "b" / "f", "F");
    write_file(root / "top", "TOP");
    OpenOptions d;
    d.directory = true;
    auto dir = vfs->open(VfsBase::cwd(), "/a/b", d);
    ASSERT_TRUE(dir.ok());
    EXPECT_EQ(dir->type, FileType::directory);
    EXPECT_EQ(dir->virtual_path, "/a/b");
    const VfsBase base{dir->handle.fd(), dir->virtual_path};
    EXPECT_EQ(read("f", base), "F");
    EXPECT_EQ(read("../../top", base), "TOP");
    EXPECT_EQ(read("../../../../top", base), "TOP");
    EXPECT_EQ(read("/top", base), "TOP");
    auto r = vfs->resolve(base, "../x", false);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->virtual_path, "/a/x");
    // The handle keeps meaning its directory after the directory is renamed.
    fs::rename(root / "a" / "b", root / "a" / "c");
    EXPECT_EQ(read("f", base), "F");
}

TEST_P(VfsMapping, MountsGraftHostDirectories) {
    fs::create_directories(tmp / "data_src");
    write_file(tmp / "data_src" / "in", "DATA");
    make({{"/mnt/data", (tmp / "data_src").string(), false}});
    EXPECT_TRUE(fs::is_directory(root / "mnt" / "data"));  // mount point shown in the root
    EXPECT_EQ(read("/mnt/data/in"), "DATA");
    ASSERT_EQ(create("/mnt/data/out", "OUT"), Errno::success);
    EXPECT_EQ(read_file(tmp / "data_src" / "out"), "OUT");
    EXPECT_FALSE(fs::exists(root / "mnt" / "data" / "out"));
    auto r = vfs->resolve(VfsBase::cwd(), "/mnt/data", true);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->domain, 1u);
    EXPECT_EQ(r->name, ".");
    EXPECT_EQ(vfs->domain_of("/mnt/data/x/y"), 1u);
    EXPECT_EQ(vfs->domain_of("/mnt/database"), 0u);
    // `..` from inside the mount walks the virtual namespace, not the host.
    write_file(root / "mnt" / "rootfile", "ROOTFILE");
    EXPECT_EQ(read("/mnt/data/../rootfile"), "ROOTFILE");
    EXPECT_EQ(read("/mnt/data/../../mnt/data/in"), "DATA");
    const VfsBase mount_base{vfs->domain_dir(1), "/mnt/data"};
    EXPECT_EQ(read("in", mount_base), "DATA");
    EXPECT_EQ(read("../rootfile", mount_base), "ROOTFILE");
    ASSERT_TRUE(vfs->chdir("/mnt/data").ok());
    EXPECT_EQ(read("in"), "DATA");
    // A mount point cannot be removed or renamed.
    EXPECT_EQ(vfs->rmdir(VfsBase::cwd(), "/mnt/data").error(), Errno::busy);
    EXPECT_EQ(vfs->rename(VfsBase::cwd(), "/mnt/data", VfsBase::cwd(), "/elsewhere").error(), Errno::xdev);
}

TEST_P(VfsMapping, BadMountsAreRefused) {
    fs::create_directories(tmp / "m");
    for (const char* g : {"/", "relative", "/a/../b", "/a/", "/a//b", "/a/./b"}) {
        auto v = Vfs::create(hal, root.string(), {{g, (tmp / "m").string(), false}});
        EXPECT_EQ(v.error(), Errno::inval) << g;
    }
    auto dup = Vfs::create(hal, root.string(), {{"/a", (tmp / "m").string(), false}, {"/a", (tmp / "m").string(), true}});
    EXPECT_EQ(dup.error(), Errno::inval);
    EXPECT_EQ(Vfs::create(hal, root.string(), {{"/a", (tmp / "missing").string(), false}}).error(), Errno::noent);
    // Overlapping the capsule root would dodge the domain checks.
    fs::create_directories(root / "inner");
    EXPECT_EQ(Vfs::create(hal, root.string(), {{"/a", (root / "inner").string(), true}}).error(), Errno::inval);
    EXPECT_EQ(Vfs::create(hal, root.string(), {{"/a", tmp.str(), true}}).error(), Errno::inval);
}

INSTANTIATE_TEST_SUITE_P(Vfs, VfsMapping, ::testing::Bool(), fast_path_name);
