// Copyright Crush authors.
// exo vfs's walk and delete through the NativeHal: listing shows planted symlinks as links, and
// deleting a root removes them without following them out of it.
#include "vfs_store.hpp"

#include "hal/native_hal.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace crush::cli {
namespace {

namespace fs = std::filesystem;

class VfsStore : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("crush-vfs-store-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "vfs" / "cap" / "a" / "b");
        fs::create_directories(m_dir / "victim");
        std::ofstream(m_dir / "victim" / "secret") << "keep";
        std::ofstream(m_dir / "vfs" / "cap" / "a" / "b" / "f.txt") << "12345";
        fs::create_directory_symlink(m_dir / "victim", m_dir / "vfs" / "cap" / "to-victim");
        fs::create_symlink(m_dir / "victim" / "secret", m_dir / "vfs" / "cap" / "a" / "secret-link");
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path m_dir;
    std::shared_ptr<NativeHal> m_hal = NativeHal::shared();
};

TEST_F(VfsStore, ListsFilesSizesAndLinksWithoutFollowing) {
    auto vfs = open_host_directory(*m_hal, m_dir / "vfs");
    ASSERT_TRUE(vfs) << vfs.error().message;
    auto root = open_child_directory(*m_hal, vfs->fd(), "cap");
    ASSERT_TRUE(root) << root.error().message;
    auto entries = list_vfs_tree(*m_hal, root->fd());
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), 5u);
    EXPECT_EQ((*entries)[2].path, "/a/b/f.txt");
    EXPECT_EQ((*entries)[2].size, 5u);
    EXPECT_EQ((*entries)[3].path, "/a/secret-link");
    EXPECT_EQ((*entries)[3].type, FileType::symbolic_link);
    EXPECT_EQ((*entries)[4].path, "/to-victim");
    EXPECT_EQ((*entries)[4].link_target, (m_dir / "victim").string());
    auto roots = list_vfs_roots(*m_hal, vfs->fd());
    ASSERT_TRUE(roots);
    ASSERT_EQ(roots->size(), 1u);
    EXPECT_EQ((*roots)[0].files, 1u);
    EXPECT_EQ((*roots)[0].bytes, 5u);
}

TEST_F(VfsStore, RemoveNeverFollowsSymlinks) {
    auto vfs = open_host_directory(*m_hal, m_dir / "vfs");
    ASSERT_TRUE(vfs);
    auto removed = remove_vfs_tree(*m_hal, vfs->fd(), "cap");
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_FALSE(fs::exists(m_dir / "vfs" / "cap"));
    EXPECT_TRUE(fs::exists(m_dir / "victim" / "secret"));
    // A root that is itself a symlink: only the link is removed.
    fs::create_directory_symlink(m_dir / "victim", m_dir / "vfs" / "linked");
    ASSERT_TRUE(remove_vfs_tree(*m_hal, vfs->fd(), "linked"));
    EXPECT_TRUE(fs::exists(m_dir / "victim" / "secret"));
    EXPECT_FALSE(remove_vfs_tree(*m_hal, vfs->fd(), "missing"));
}

}  // namespace
}  // namespace crush::cli
