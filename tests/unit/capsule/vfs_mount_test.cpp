// Copyright Crush authors.
// Read-only mounts refuse every change; nothing moves or links between domains.
#include "vfs_fixture.hpp"

using namespace crush;
using namespace crush::test;

namespace {

struct VfsMounts : VfsTest {
    fs::path ro_src, rw_src;
    void SetUp() override {
        VfsTest::SetUp();
        ro_src = tmp / "ro_src";
        rw_src = tmp / "rw_src";
        fs::create_directories(ro_src / "sub");
        fs::create_directories(rw_src);
        write_file(ro_src / "f", "RO");
        write_file(ro_src / "sub" / "g", "ROG");
        write_file(root / "rootfile", "ROOT");
        make({{"/ro", ro_src.string(), true}, {"/rw", rw_src.string(), false}});
    }
};

}  // namespace

TEST_P(VfsMounts, ReadOnlyMountRefusesCreateModifyDelete) {
    const auto before = snapshot(ro_src);
    const VfsBase cwd = VfsBase::cwd();
    EXPECT_EQ(read("/ro/f"), "RO");
    EXPECT_EQ(read("/ro/sub/../f"), "RO");
    EXPECT_EQ(create("/ro/new"), Errno::rofs);
    EXPECT_EQ(create("/ro/f"), Errno::rofs);
    for (auto access : {OpenOptions::Access::write, OpenOptions::Access::read_write}) {
        OpenOptions o;
        o.access = access;
        EXPECT_EQ(vfs->open(cwd, "/ro/f", o).error(), Errno::rofs);
    }
    OpenOptions trunc;
    trunc.trunc = true;  // read-only access + trunc: must not truncate
    EXPECT_EQ(vfs->open(cwd, "/ro/f", trunc).error(), Errno::rofs);
    OpenOptions append;
    append.append = true;
    EXPECT_EQ(vfs->open(cwd, "/ro/f", append).error(), Errno::rofs);
    EXPECT_EQ(vfs->mkdir(cwd, "/ro/d").error(), Errno::rofs);
    EXPECT_EQ(vfs->unlink(cwd, "/ro/f").error(), Errno::rofs);
    EXPECT_EQ(vfs->rmdir(cwd, "/ro/sub").error(), Errno::rofs);
    EXPECT_EQ(vfs->rmdir(cwd, "/ro").error(), Errno::rofs);
    EXPECT_EQ(vfs->rename(cwd, "/ro/f", cwd, "/ro/f2").error(), Errno::rofs);
    EXPECT_EQ(vfs->symlink("f", cwd, "/ro/l").error(), Errno::rofs);
    EXPECT_EQ(vfs->link(cwd, "/ro/f", cwd, "/ro/f3").error(), Errno::rofs);
    EXPECT_EQ(vfs->set_times(cwd, "/ro/f", SetTime::now(), SetTime::now(), true).error(), Errno::rofs);
    // Through a directory handle inside the mount, and through the cwd, too.
    OpenOptions d;
    d.directory = true;
    auto sub = vfs->open(cwd, "/ro/sub", d);
    ASSERT_TRUE(sub.ok());
    EXPECT_TRUE(sub->read_only);
    const VfsBase base{sub->handle.fd(), sub->virtual_path};
    EXPECT_EQ(create("new", "x", base), Errno::rofs);
    EXPECT_EQ(vfs->unlink(base, "g").error(), Errno::rofs);
    ASSERT_TRUE(vfs->chdir("/ro/sub").ok());
    EXPECT_EQ(create("new2"), Errno::rofs);
    EXPECT_EQ(read("g"), "ROG");
    EXPECT_EQ(snapshot(ro_src), before);
}

TEST_P(VfsMounts, NothingMovesOrLinksBetweenDomains) {
    const auto ro_before = snapshot(ro_src);
    const VfsBase cwd = VfsBase::cwd();
    // Read-only mount → writable places: the classic hole.
    EXPECT_EQ(vfs->link(cwd, "/ro/f", cwd, "/rw/f").error(), Errno::xdev);
    EXPECT_EQ(vfs->link(cwd, "/ro/f", cwd, "/stolen").error(), Errno::xdev);
    EXPECT_EQ(vfs->rename(cwd, "/ro/f", cwd, "/rw/f").error(), Errno::xdev);
    EXPECT_EQ(vfs->rename(cwd, "/ro/f", cwd, "/stolen").error(), Errno::xdev);
    // And the other way, and between the root and a writable mount.
    EXPECT_EQ(vfs->rename(cwd, "/rootfile", cwd, "/ro/x").error(), Errno::xdev);
    EXPECT_EQ(vfs->rename(cwd, "/rootfile", cwd, "/rw/x").error(), Errno::xdev);
    EXPECT_EQ(vfs->link(cwd, "/rootfile", cwd, "/rw/x").error(), Errno::xdev);
    EXPECT_EQ(vfs->rename(cwd, "/rw", cwd, "/rw2").error(), Errno::xdev);
    EXPECT_FALSE(fs::exists(rw_src / "f"));
    EXPECT_FALSE(fs::exists(root / "stolen"));
    EXPECT_EQ(fs::hard_link_count(ro_src / "f"), 1u);
    // Within the writable mount everything works.
    ASSERT_EQ(create("/rw/a", "A"), Errno::success);
    ASSERT_TRUE(vfs->link(cwd, "/rw/a", cwd, "/rw/b").ok());
    ASSERT_TRUE(vfs->rename(cwd, "/rw/b", cwd, "/rw/c").ok());
    EXPECT_EQ(read_file(rw_src / "c"), "A");
    EXPECT_EQ(snapshot(ro_src), ro_before);
}

TEST_P(VfsMounts, EscapesFromAMountEndInTheNamespace) {
    const auto before = outside_state({ro_src, rw_src});
    fs::create_symlink("../../../../../secret", rw_src / "up");
    fs::create_symlink((tmp / "secret").string(), rw_src / "abs");
    fs::create_symlink("/rootfile", rw_src / "to_root");
    EXPECT_EQ(read("/rw/../rootfile"), "ROOT");
    EXPECT_EQ(read("/rw/../../../rootfile"), "ROOT");
    EXPECT_EQ(read("/rw/up"), "<noent>");  // clamped to /secret in the namespace
    EXPECT_EQ(read("/rw/abs"), "<noent>");
    EXPECT_EQ(read("/rw/to_root"), "ROOT");
    const VfsBase mount_base{vfs->domain_dir(2), "/rw"};
    EXPECT_EQ(read("../../rootfile", mount_base), "ROOT");
    EXPECT_EQ(read("../ro/f", mount_base), "RO");
    // A symlink in the writable root pointing into the read-only mount stays read-only.
    ASSERT_TRUE(vfs->symlink("/ro/f", VfsBase::cwd(), "/to_ro").ok());
    EXPECT_EQ(read("/to_ro"), "RO");
    EXPECT_EQ(create("/to_ro"), Errno::rofs);
    EXPECT_EQ(outside_state({ro_src, rw_src}), before);
}

INSTANTIATE_TEST_SUITE_P(Vfs, VfsMounts, ::testing::Bool(), fast_path_name);
