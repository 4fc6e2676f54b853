// Copyright Crush authors.
// Resolution racing a capsule thread that swaps symlinks and renames directories. No timing
// assumptions: the attacker loops until told to stop, the victim loops a fixed number of
// times, and every single outcome is checked — whatever the interleaving, nothing outside the
// root may be read or created.
#include "vfs_fixture.hpp"

#include <atomic>
#include <set>
#include <thread>

using namespace crush;
using namespace crush::test;

using VfsRace = VfsTest;

namespace {
constexpr int kIterations = 400;
}

TEST_P(VfsRace, SymlinkSwappedDuringResolution) {
    fs::create_directories(root / "inside_dir");
    write_file(root / "inside_dir" / "secret", "INSIDE");
    const auto before = outside_state();
    // Targets the attacker alternates between: one inside, three that would leave the root on
    // the host (absolute host path, relative climb, host root).
    const std::vector<std::string> targets = {"inside_dir", outside.string(), "../../../outside", "/"};
    const std::vector<std::string> final_targets = {"inside_dir/secret", (outside / "secret").string(),
                                                    "../../../outside/secret"};
    std::atomic<bool> stop{false};
    std::atomic<unsigned> attacker_cycles{0};
    std::thread attacker([&] {
        for (unsigned i = 0; !stop; ++i, ++attacker_cycles) {
            const std::string tmp_name = "tmp" + std::to_string(i % 2);
            (void)vfs->unlink(VfsBase::cwd(), "/" + tmp_name);
            (void)vfs->symlink(targets[i % targets.size()], VfsBase::cwd(), "/" + tmp_name);
            (void)vfs->rename(VfsBase::cwd(), "/" + tmp_name, VfsBase::cwd(), "/sw");  // atomic swap
            (void)vfs->unlink(VfsBase::cwd(), "/" + tmp_name + "f");
            (void)vfs->symlink(final_targets[i % final_targets.size()], VfsBase::cwd(), "/" + tmp_name + "f");
            (void)vfs->rename(VfsBase::cwd(), "/" + tmp_name + "f", VfsBase::cwd(), "/swf");
        }
    });
    const uint64_t secret_ino = hal.stat_at(HostFd::host_cwd, (outside / "secret").string(), false)->ino;
    std::set<std::string> seen;
    // Run at least kIterations, and on until the attacker has cycled as often and the inside
    // target was observed: on a loaded machine the attacker thread may get no CPU for the first
    // few hundred rounds. The hard cap only guards against a scheduler that never runs it.
    for (int i = 0; i < kIterations || attacker_cycles < kIterations || seen.count("INSIDE") == 0; ++i) {
        if (i >= 200 * kIterations) break;
        const std::string a = read("/sw/secret");
        const std::string b = read("/swf");
        const std::string c = read("sw/../sw/secret");
        EXPECT_NE(a, "SECRET");
        EXPECT_NE(b, "SECRET");
        EXPECT_NE(c, "SECRET");
        seen.insert(a);
        seen.insert(b);
        (void)create("/sw/created" + std::to_string(i % 4));
        (void)vfs->mkdir(VfsBase::cwd(), "/sw/dir" + std::to_string(i % 4));
        auto st = vfs->stat(VfsBase::cwd(), "/swf", true);
        if (st.ok()) {
            EXPECT_NE(st->ino, secret_ino);  // never the outside file's metadata either
        }
    }
    stop = true;
    attacker.join();
    EXPECT_EQ(outside_state(), before);
    EXPECT_EQ(read_file(outside / "secret"), "SECRET");
    // The race was real: both the inside target and a refused one were observed.
    EXPECT_TRUE(seen.count("INSIDE") == 1) << "attacker never pointed inside?";
}

TEST_P(VfsRace, DirectoryRenamedWhileWalkingDotDot) {
    // The attacker moves a/b/c up to the root and back while the victim climbs out of it with
    // `..`. With a string-joining resolver or openat("..") this reaches the host parent; with
    // the fd stack `..` is always the virtual parent.
    fs::create_directories(root / "a" / "b" / "c" / "d");
    write_file(root / "secret", "ROOT");
    write_file(tmp / "home" / "vfs" / "secret", "SECRET");
    write_file(tmp / "home" / "secret", "SECRET");
    const auto before = outside_state();
    OpenOptions d;
    d.directory = true;
    auto base_dir = vfs->open(VfsBase::cwd(), "/a/b/c/d", d);
    ASSERT_TRUE(base_dir.ok());
    std::atomic<bool> stop{false};
    std::thread attacker([&] {
        while (!stop) {
            (void)vfs->rename(VfsBase::cwd(), "/a/b/c", VfsBase::cwd(), "/c");
            (void)vfs->rename(VfsBase::cwd(), "/c", VfsBase::cwd(), "/a/b/c");
        }
    });
    const VfsBase base{base_dir->handle.fd(), base_dir->virtual_path};
    for (int i = 0; i < kIterations; ++i) {
        for (const std::string& r : {read("/a/b/c/d/../../../../secret"), read("../../../../../../secret", base),
                                     read("../../../../secret", base)}) {
            EXPECT_NE(r, "SECRET");
            EXPECT_TRUE(r == "ROOT" || r == "<noent>") << r;
        }
        (void)create("../../../../../made", "x", base);
    }
    stop = true;
    attacker.join();
    EXPECT_EQ(outside_state(), before);
}

INSTANTIATE_TEST_SUITE_P(Vfs, VfsRace, ::testing::Bool(), fast_path_name);
