// Copyright Crush authors.
#include "vfs_store.hpp"

#include "capsule/limits.hpp"
#include "capsule/manifest.hpp"
#include "capsule/permissions.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace crush::cli {
namespace {

Error io_error(std::string_view path, Errno e) {
    return Error{ErrorKind::io, 0, fmt::format("{}: {}", escape_for_terminal(path), describe(e))};
}

/// Every name in the held directory except "." and "..", sorted.
Result<std::vector<DirEntry>> read_all(Hal& hal, HostFd dir, std::string_view where) {
    std::vector<DirEntry> out;
    uint64_t cookie = 0;
    while (true) {
        auto batch = hal.read_dir(dir, cookie, kHalMaxDirEntries);
        if (!batch) return io_error(where, batch.error());
        if (batch->empty()) break;
        for (DirEntry& e : *batch) {
            cookie = e.next;
            if (e.name != "." && e.name != "..") out.push_back(std::move(e));
        }
    }
    std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return out;
}

std::string child_path(std::string_view parent, std::string_view name) {
    return parent == "/" ? fmt::format("/{}", name) : fmt::format("{}/{}", parent, name);
}

Result<void> list_into(Hal& hal, HostFd dir, const std::string& where, size_t depth, std::vector<VfsEntry>& out) {
    if (depth > kVfsMaxDepth) return Error{ErrorKind::io, 0, fmt::format("{}: nested deeper than {} directories", escape_for_terminal(where), kVfsMaxDepth)};
    auto names = read_all(hal, dir, where);
    if (!names) return std::move(names).error();
    for (const DirEntry& e : *names) {
        if (out.size() >= kVfsMaxListed)
            return Error{ErrorKind::io, 0, fmt::format("more than {} entries; listing stopped", kVfsMaxListed)};
        VfsEntry v;
        v.path = child_path(where, e.name);
        auto st = hal.stat_at(dir, e.name, /*follow=*/false);
        if (!st) {
            if (st.error() == Errno::noent) continue;  // deleted while we listed
            return io_error(v.path, st.error());
        }
        v.type = st->type;
        if (v.type == FileType::regular_file) v.size = st->size;
        if (v.type == FileType::symbolic_link) {
            auto target = hal.readlink_at(dir, e.name);
            if (target) v.link_target = *target;
        }
        bool is_dir = v.type == FileType::directory;
        std::string path = v.path;  // a copy: `out` reallocates while the child is listed
        out.push_back(std::move(v));
        if (is_dir) {
            auto child = open_child_directory(hal, dir, e.name);
            if (!child) return std::move(child).error();
            CRUSH_TRY(list_into(hal, child->fd(), path, depth + 1, out));
        }
    }
    return {};
}

Result<void> remove_children(Hal& hal, HostFd dir, const std::string& where, size_t depth) {
    if (depth > kVfsMaxDepth) return Error{ErrorKind::io, 0, fmt::format("{}: nested deeper than {} directories", escape_for_terminal(where), kVfsMaxDepth)};
    auto names = read_all(hal, dir, where);
    if (!names) return std::move(names).error();
    for (const DirEntry& e : *names) {
        std::string path = child_path(where, e.name);
        // Try it as a file (or symlink, or anything that is not a directory) first: unlinkat
        // never follows. EISDIR means a real directory (a symlink to one is unlinked above).
        auto unlinked = hal.unlink_at(dir, e.name);
        if (unlinked || unlinked.error() == Errno::noent) continue;
        if (unlinked.error() != Errno::isdir && unlinked.error() != Errno::perm) return io_error(path, unlinked.error());
        auto child = open_child_directory(hal, dir, e.name);
        if (!child) return std::move(child).error();
        CRUSH_TRY(remove_children(hal, child->fd(), path, depth + 1));
        child->reset();
        auto removed = hal.rmdir_at(dir, e.name);
        if (!removed && removed.error() != Errno::noent) return io_error(path, removed.error());
    }
    return {};
}

}  // namespace

Result<HostHandle> open_host_directory(Hal& hal, const std::filesystem::path& dir) {
    OpenOptions o;
    o.directory = true;
    auto h = hal.open_at(HostFd::host_cwd, dir.string(), o);
    if (!h) return Error{ErrorKind::io, 0, fmt::format("{}: {}", escape_for_terminal(dir.string()), describe(h.error()))};
    return std::move(*h);
}

Result<HostHandle> open_child_directory(Hal& hal, HostFd parent, std::string_view name) {
    OpenOptions o;
    o.directory = true;
    o.nofollow = true;  // a symlink is never entered
    auto h = hal.open_at(parent, name, o);
    if (!h) return io_error(name, h.error());
    return std::move(*h);
}

Result<std::vector<VfsEntry>> list_vfs_tree(Hal& hal, HostFd root) {
    std::vector<VfsEntry> out;
    CRUSH_TRY(list_into(hal, root, "/", 0, out));
    return out;
}

Result<void> remove_vfs_tree(Hal& hal, HostFd parent, std::string_view name) {
    auto unlinked = hal.unlink_at(parent, name);  // a symlink or file named like a root: remove it only
    if (unlinked) return {};
    if (unlinked.error() != Errno::isdir && unlinked.error() != Errno::perm) return io_error(name, unlinked.error());
    auto root = open_child_directory(hal, parent, name);
    if (!root) return std::move(root).error();
    CRUSH_TRY(remove_children(hal, root->fd(), "/", 0));
    root->reset();
    auto removed = hal.rmdir_at(parent, name);
    if (!removed) return io_error(name, removed.error());
    return {};
}

Result<std::vector<VfsRootSummary>> list_vfs_roots(Hal& hal, HostFd vfs_dir) {
    auto names = read_all(hal, vfs_dir, "$EXO_HOME/vfs");
    if (!names) return std::move(names).error();
    std::vector<VfsRootSummary> out;
    for (const DirEntry& e : *names) {
        if (!validate_capsule_name(e.name)) continue;
        auto st = hal.stat_at(vfs_dir, e.name, /*follow=*/false);
        if (!st || st->type != FileType::directory) continue;
        auto root = open_child_directory(hal, vfs_dir, e.name);
        if (!root) continue;
        VfsRootSummary s{e.name, 0, 0};
        if (auto tree = list_vfs_tree(hal, root->fd()))
            for (const VfsEntry& v : *tree)
                if (v.type == FileType::regular_file) {
                    s.files++;
                    s.bytes += v.size;
                }
        out.push_back(std::move(s));
    }
    return out;
}

std::string format_listing_size(uint64_t bytes) { return bytes < 1024 ? fmt::format("{} B", bytes) : format_size(bytes); }

std::string format_vfs_listing(const std::vector<VfsEntry>& entries) {
    std::string out;
    for (const VfsEntry& e : entries) {
        switch (e.type) {
        case FileType::directory: out += fmt::format("{:>10}  {}/\n", "-", escape_for_terminal(e.path)); break;
        case FileType::symbolic_link:
            out += fmt::format("{:>10}  {} -> {}\n", "link", escape_for_terminal(e.path), escape_for_terminal(e.link_target));
            break;
        case FileType::regular_file:
            out += fmt::format("{:>10}  {}\n", format_listing_size(e.size), escape_for_terminal(e.path));
            break;
        default: out += fmt::format("{:>10}  {}\n", "other", escape_for_terminal(e.path)); break;
        }
    }
    return out;
}

}  // namespace crush::cli
