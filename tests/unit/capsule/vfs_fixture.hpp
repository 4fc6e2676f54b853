// Copyright Crush authors.
// Shared set-up for the Vfs tests: a temp dir holding the capsule root ("root", created by the
// Vfs), a directory outside it with a secret, and optional mounts. Parameterized on the fast
// path so every test runs against both the openat2 path and the manual walk.
#pragma once

#include "capsule/vfs.hpp"
#include "hal/native_hal.hpp"
#include "hal/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

namespace crush::test {

namespace fs = std::filesystem;

/// Everything under `dir` (relative path → type + contents), skipping the `skip` subtrees.
inline std::map<std::string, std::string> snapshot(const fs::path& dir, const std::vector<fs::path>& skip = {}) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it) {
        const fs::path p = it->path();
        bool skipped = false;
        for (const auto& s : skip)
            if (p == s) {
                it.disable_recursion_pending();
                skipped = true;
            }
        if (skipped)
            continue;
        std::string v;
        if (it->is_symlink())
            v = "link:" + fs::read_symlink(p).string();
        else if (it->is_directory())
            v = "dir";
        else
            v = "file:" + read_file(p) + ":" + std::to_string(fs::hard_link_count(p));
        out[fs::relative(p, dir).string()] = v;
    }
    return out;
}

struct VfsTest : ::testing::TestWithParam<bool> {
    NativeHal hal;
    TempDir tmp;
    fs::path root;
    fs::path outside;
    std::unique_ptr<Vfs> vfs;

    void SetUp() override {
        root = tmp / "home" / "vfs" / "cap";  // parents are created by the Vfs
        outside = tmp / "outside";
        fs::create_directories(outside);
        write_file(outside / "secret", "SECRET");
        write_file(tmp / "secret", "SECRET");
        make({});
    }

    void make(std::vector<VfsMount> mounts) {
        vfs.reset();
        Vfs::Options o;
        o.fast_path = GetParam();
        o.second_opinion = true;
        auto v = Vfs::create(hal, root.string(), std::move(mounts), o);
        ASSERT_TRUE(v.ok()) << to_string(v.error());
        vfs = std::move(*v);
    }

    /// What lies outside the root (and outside `also_skip`), to prove nothing changed there.
    std::map<std::string, std::string> outside_state(const std::vector<fs::path>& also_skip = {}) {
        std::vector<fs::path> skip = also_skip;
        skip.push_back(root);
        return snapshot(tmp.path(), skip);
    }

    /// Read a file through the Vfs ("" if it cannot be opened).
    std::string read(std::string_view path, VfsBase base = VfsBase::cwd(), bool follow = true) {
        OpenOptions o;
        o.nofollow = !follow;
        auto f = vfs->open(base, path, o);
        if (!f.ok())
            return "<" + std::string(to_string(f.error())) + ">";
        std::string buf(256, '\0');
        auto n = hal.read(f->handle.fd(), std::as_writable_bytes(std::span(buf.data(), buf.size())));
        return buf.substr(0, n.ok() ? *n : 0);
    }

    Errno create(std::string_view path, std::string_view contents = "x", VfsBase base = VfsBase::cwd()) {
        OpenOptions o;
        o.access = OpenOptions::Access::write;
        o.create = true;
        o.trunc = true;
        auto f = vfs->open(base, path, o);
        if (!f.ok())
            return f.error();
        auto n = hal.write(f->handle.fd(), std::as_bytes(std::span(contents.data(), contents.size())));
        return n.error();
    }
};

inline std::string fast_path_name(const ::testing::TestParamInfo<bool>& info) {
    return info.param ? "openat2" : "manual";
}

}  // namespace crush::test
