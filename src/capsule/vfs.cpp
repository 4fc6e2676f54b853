// Copyright Crush authors.
// Vfs construction, domains, cwd and the resolver (manual walk + openat2 fast path).
// The operations built on resolve() are in vfs_ops.cpp.
//
// The manual walk (after bytecodealliance/cap-std cap-primitives/src/fs/manually/open.rs):
// - a stack of frames, one per directory on the current virtual path, each holding (or lazily
//   opening) a host directory handle; stack[0] is the capsule root;
// - a worklist of components; each intermediate component is opened with
//   O_DIRECTORY|O_NOFOLLOW relative to the frame on top; a symlink is read and its target's
//   components are pushed onto the worklist (absolute targets reset the stack to the root);
// - `..` pops a frame, and never pops stack[0]: the root behaves like `/`;
// - entering a mount's guest path pushes the mount's held directory instead of opening a name.
// Because every step opens one name relative to a held descriptor and never follows a symlink
// in the kernel, a concurrent rename or symlink swap can change *which* file inside the
// namespace is found, never make the walk leave it.
#include "capsule/vfs.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace crush {

namespace {

/// Split a path into its components, dropping empty ones and every "." but a final one (which
/// means "the directory itself": "a/." walks into a). Keeps "..".
std::vector<std::string> split_components(std::string_view path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string_view::npos)
            j = path.size();
        std::string_view c = path.substr(i, j - i);
        if (!c.empty()) {
            if (!out.empty() && out.back() == ".")
                out.pop_back();
            out.emplace_back(c);
        }
        i = j + 1;
    }
    return out;
}

std::string join_child(std::string_view parent, std::string_view name) {
    std::string out(parent);
    if (out.empty() || out.back() != '/')
        out += '/';
    out += name;
    return out;
}

/// Whether `path` is `prefix` or lies under it (on a component boundary).
bool path_within(std::string_view path, std::string_view prefix) {
    if (prefix == "/")
        return true;
    if (!path.starts_with(prefix))
        return false;
    return path.size() == prefix.size() || path[prefix.size()] == '/';
}

/// Checks shared by every entry point: NUL, total length.
Errno check_path(std::string_view path) {
    if (path.empty())
        return Errno::noent;
    if (path.find('\0') != std::string_view::npos)
        return Errno::inval;
    if (path.size() >= kHalMaxPath)
        return Errno::nametoolong;
    return Errno::success;
}

OpenOptions dir_walk_options() {
    OpenOptions o;
    o.directory = true;
    o.nofollow = true;
    return o;
}

/// A guest mount path is absolute and normalized: "/a/b", no ".", "..", "//", trailing "/".
bool valid_mount_path(std::string_view p) {
    if (p.size() < 2 || p[0] != '/' || p.back() == '/' || p.find('\0') != std::string_view::npos)
        return false;
    for (const auto& c : split_components(p))
        if (c == "..")
            return false;
    return p.find("//") == std::string_view::npos && p.find("/./") == std::string_view::npos &&
           !p.ends_with("/.");
}

/// mkdir -p for a trusted host path from the embedder (plain string prefixes are fine), 0700.
HalResult<void> make_directories(Hal& hal, const std::string& path) noexcept {
    for (size_t i = 1; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') {
            const std::string prefix = path.substr(0, i);
            auto made = hal.mkdir_at(HostFd::host_cwd, prefix, 0700);
            if (!made.ok() && made.error() != Errno::exist) {
                // Some filesystems say acces (not exist) for an existing directory we may not
                // write to, e.g. /home: that is fine as long as it is a directory.
                auto st = hal.stat_at(HostFd::host_cwd, prefix, true);
                if (!st.ok() || st->type != FileType::directory)
                    return made.error();
            }
        }
    }
    return {};
}

}  // namespace

Vfs::Vfs(Hal& hal, Options options) noexcept : m_hal(hal), m_options(options) {}
Vfs::~Vfs() = default;

HalResult<std::unique_ptr<Vfs>> Vfs::create(Hal& hal, const std::string& root_host_path, std::vector<VfsMount> mounts,
                                            Options options) noexcept {
    if (root_host_path.empty() || root_host_path.find('\0') != std::string::npos)
        return Errno::inval;
    std::unique_ptr<Vfs> vfs(new (std::nothrow) Vfs(hal, options));
    if (!vfs)
        return Errno::nomem;

    // The root: create it and its parents (0700: a capsule's files are private) if missing.
    // Usually it exists: one open then, not a mkdir per path component (each a failing
    // syscall, a tenth of an in-process capsule set-up).
    OpenOptions dir;
    dir.directory = true;
    HalResult<HostHandle> opened = hal.open_at(HostFd::host_cwd, root_host_path, dir);
    if (!opened.ok() && opened.error() == Errno::noent) {
        CRUSH_HAL_TRY(make_directories(hal, root_host_path));
        opened = hal.open_at(HostFd::host_cwd, root_host_path, dir);
    }
    CRUSH_HAL_ASSIGN(HostHandle root, std::move(opened));
    Domain root_domain;
    root_domain.dir = std::move(root);
    root_domain.guest_path = "/";
    // The root's real host path costs a readlink of /proc/self/fd (as long again as the rest of
    // this function): only the mount-overlap check below and the debug second opinion use it.
    if (!mounts.empty() || options.second_opinion) {
        if (auto real = hal.host_path_of(root_domain.dir.fd()); real.ok())
            root_domain.host_real_path = *real;
    }
    vfs->m_domains.push_back(std::move(root_domain));

    for (size_t i = 0; i < mounts.size(); ++i) {
        const VfsMount& m = mounts[i];
        if (!valid_mount_path(m.guest_path))
            return Errno::inval;
        for (size_t j = 0; j < i; ++j)
            if (mounts[j].guest_path == m.guest_path)
                return Errno::inval;
        CRUSH_HAL_ASSIGN(HostHandle h, hal.open_at(HostFd::host_cwd, m.host_path, dir));
        Domain d;
        d.dir = std::move(h);
        d.guest_path = m.guest_path;
        d.read_only = m.read_only;
        if (auto real = hal.host_path_of(d.dir.fd()); real.ok())
            d.host_real_path = *real;
        // A mount overlapping the capsule root would let a path in one domain reach files of
        // the other, dodging the read-only flag and the cross-domain rename/link check.
        const std::string& rp = vfs->m_domains[0].host_real_path;
        if (!rp.empty() && !d.host_real_path.empty() &&
            (path_within(d.host_real_path, rp) || path_within(rp, d.host_real_path)))
            return Errno::inval;
        vfs->m_domains.push_back(std::move(d));
    }
    vfs->m_mounts = std::move(mounts);

    // Best effort: a directory in the root at each mount point, so listing "/" shows it.
    for (const VfsMount& m : vfs->m_mounts) {
        const std::string parent = m.guest_path.substr(0, m.guest_path.rfind('/'));
        if (vfs->domain_of(parent.empty() ? "/" : parent) != 0)
            continue;  // never write into a mounted host directory
        std::string partial;
        for (const auto& c : split_components(m.guest_path)) {
            const std::string dir_vpath = partial.empty() ? "/" : partial;
            partial = join_child(dir_vpath, c);
            // Resolve the parent as a directory itself ("…/."), then make the child in it.
            auto r = vfs->resolve(VfsBase{}, join_child(dir_vpath, "."), true);
            if (!r.ok() || r->domain != 0 || r->read_only)
                break;
            (void)vfs->m_hal.mkdir_at(r->parent.fd(), c, 0700);
        }
    }
    return vfs;
}

HostFd Vfs::domain_dir(size_t domain) const noexcept {
    return domain < m_domains.size() ? m_domains[domain].dir.fd() : HostFd::invalid;
}

std::string_view Vfs::domain_guest_path(size_t domain) const noexcept {
    return domain < m_domains.size() ? std::string_view(m_domains[domain].guest_path) : std::string_view();
}

bool Vfs::domain_read_only(size_t domain) const noexcept {
    return domain < m_domains.size() && m_domains[domain].read_only;
}

size_t Vfs::domain_of(std::string_view virtual_path) const noexcept {
    size_t best = 0, best_len = 0;
    for (size_t i = 1; i < m_domains.size(); ++i) {
        const std::string& g = m_domains[i].guest_path;
        if (g.size() > best_len && path_within(virtual_path, g)) {
            best = i;
            best_len = g.size();
        }
    }
    return best;
}

std::string Vfs::cwd() const {
    std::lock_guard lock(m_cwd_mutex);
    return m_cwd;
}

HalResult<void> Vfs::chdir(std::string_view path) noexcept {
    CRUSH_HAL_ASSIGN(VfsResolved r, resolve(VfsBase::cwd(), path, true));
    CRUSH_HAL_ASSIGN(FileStat st, m_hal.stat_at(r.parent.fd(), r.name, false));
    if (st.type != FileType::directory)
        return Errno::notdir;
    std::lock_guard lock(m_cwd_mutex);
    m_cwd = std::move(r.virtual_path);
    return {};
}

// ---- resolution -----------------------------------------------------------------------------

namespace {

/// One directory on the current virtual path.
struct Frame {
    std::string vpath;  ///< canonical virtual path of this directory
    HostHandle owned;   ///< the handle when this walk opened it
    HostFd fd = HostFd::invalid;  ///< owned.fd() or a borrowed descriptor (domain roots, the base); invalid = not opened yet
    size_t domain = 0;
};

}  // namespace

HalResult<VfsResolved> Vfs::resolve(const VfsBase& base, std::string_view path, bool follow_final) noexcept {
    if (const Errno e = check_path(path); e != Errno::success)
        return e;
    if (base.dir == HostFd::invalid && base.virtual_path.empty() && path[0] != '/') {
        // Relative to the cwd: the cwd is a virtual path, so this is the absolute path cwd/path.
        std::string abs = join_child(cwd(), path);
        if (abs.size() >= kHalMaxPath)
            return Errno::nametoolong;
        return resolve(VfsBase{HostFd::invalid, "/"}, abs, follow_final);
    }
    HalResult<VfsResolved> r = Errno::nosys;
    bool fallback = true;
    if (m_options.fast_path)
        r = resolve_fast(base, path, follow_final, &fallback);
    if (fallback) {
        r = resolve_manual(base, path, follow_final);
        m_manual_count.fetch_add(1, std::memory_order_relaxed);
    } else {
        m_fast_count.fetch_add(1, std::memory_order_relaxed);
    }
    if (r.ok() && m_options.second_opinion)
        second_opinion(*r);
    return r;
}

HalResult<VfsResolved> Vfs::resolve_manual(const VfsBase& base, std::string_view path, bool follow_final) noexcept {
    try {
        std::vector<Frame> stack;
        auto push_root = [&] {
            stack.clear();
            Frame f;
            f.vpath = "/";
            f.fd = m_domains[0].dir.fd();
            stack.push_back(std::move(f));
        };
        // If `vpath` is a mount point, push a frame holding the mount's directory and say so.
        auto push_if_mount = [&](const std::string& vpath) {
            for (size_t i = 1; i < m_domains.size(); ++i) {
                if (m_domains[i].guest_path == vpath) {
                    Frame f;
                    f.vpath = vpath;
                    f.fd = m_domains[i].dir.fd();
                    f.domain = i;
                    stack.push_back(std::move(f));
                    return true;
                }
            }
            return false;
        };
        // Open every not-yet-opened frame up to the top, from the nearest opened ancestor.
        auto materialize = [&]() -> HalResult<void> {
            size_t first = stack.size() - 1;
            while (stack[first].fd == HostFd::invalid)
                --first;  // stack[0] (the root) and mount frames are always opened
            for (size_t k = first + 1; k < stack.size(); ++k) {
                const std::string name = stack[k].vpath.substr(stack[k].vpath.rfind('/') + 1);
                CRUSH_HAL_ASSIGN(stack[k].owned, m_hal.open_at(stack[k - 1].fd, name, dir_walk_options()));
                stack[k].fd = stack[k].owned.fd();
            }
            return {};
        };

        push_root();
        if (path[0] != '/') {
            // Relative to `base`: frames for its ancestors (opened lazily, only if `..` climbs
            // to them), and the base's own descriptor on top.
            const std::string_view bpath = base.virtual_path.empty() ? std::string_view("/") : base.virtual_path;
            for (const auto& c : split_components(bpath)) {
                if (c == ".." || c == ".")
                    return Errno::inval;  // a base path is canonical
                const std::string vpath = join_child(stack.back().vpath, c);
                if (!push_if_mount(vpath)) {
                    Frame f;
                    f.vpath = vpath;
                    f.domain = stack.back().domain;
                    stack.push_back(std::move(f));
                }
            }
            if (base.dir != HostFd::invalid)
                stack.back().fd = base.dir;
        }

        // The worklist, next component at the back. A "." survives only as the very last
        // component, where it means "the directory itself" ("a/." walks into a).
        std::vector<std::string> pending = split_components(path);
        std::reverse(pending.begin(), pending.end());
        bool trailing_slash = path.back() == '/';
        int expansions = 0;
        auto expand = [&](const std::string& target, bool is_final) -> HalResult<void> {
            if (++expansions > kVfsMaxSymlinks)
                return Errno::loop;
            if (target.empty())
                return Errno::noent;
            if (target[0] == '/')
                push_root();  // absolute targets are inside the namespace
            if (is_final && target.back() == '/')
                trailing_slash = true;
            auto comps = split_components(target);
            for (auto it = comps.rbegin(); it != comps.rend(); ++it)
                pending.push_back(std::move(*it));
            return {};
        };

        std::string final_name;  // stays empty when the path names a directory itself
        while (!pending.empty()) {
            std::string comp = std::move(pending.back());
            pending.pop_back();
            const bool is_last = pending.empty();
            if (comp.size() > kHalMaxName)
                return Errno::nametoolong;
            if (comp == ".")
                continue;
            if (comp == "..") {
                if (stack.size() > 1)
                    stack.pop_back();  // never above the root: `/..` is `/`
                continue;
            }
            const std::string child_vpath = join_child(stack.back().vpath, comp);
            if (push_if_mount(child_vpath))
                continue;  // a mount point is always the mount's own directory
            CRUSH_HAL_TRY(materialize());
            if (is_last) {
                if (follow_final) {
                    auto link = m_hal.readlink_at(stack.back().fd, comp);
                    if (link.ok()) {
                        CRUSH_HAL_TRY(expand(*link, true));
                        continue;
                    }
                    // inval: not a symlink; noent: does not exist (yet). Either way it is final.
                    if (link.error() != Errno::inval && link.error() != Errno::noent)
                        return link.error();
                }
                final_name = std::move(comp);
                break;
            }
            auto opened = m_hal.open_at(stack.back().fd, comp, dir_walk_options());
            if (opened.ok()) {
                Frame f;
                f.vpath = child_vpath;
                f.owned = std::move(*opened);
                f.fd = f.owned.fd();
                f.domain = stack.back().domain;
                stack.push_back(std::move(f));
                continue;
            }
            if (opened.error() != Errno::loop && opened.error() != Errno::notdir)
                return opened.error();
            // O_NOFOLLOW refused a symlink (or it is not a directory): expand it one level.
            auto link = m_hal.readlink_at(stack.back().fd, comp);
            if (!link.ok())
                return Errno::notdir;
            CRUSH_HAL_TRY(expand(*link, false));
        }

        CRUSH_HAL_TRY(materialize());
        Frame& top = stack.back();
        VfsResolved out;
        if (top.owned.valid()) {
            out.parent = std::move(top.owned);
        } else {
            CRUSH_HAL_ASSIGN(out.parent, m_hal.duplicate(top.fd));  // borrowed: the caller gets its own
        }
        if (final_name.empty()) {
            out.name = ".";
            out.virtual_path = top.vpath;
            out.trailing_slash = true;
        } else {
            out.virtual_path = join_child(top.vpath, final_name);
            out.name = std::move(final_name);
            out.trailing_slash = trailing_slash;
        }
        out.domain = top.domain;
        out.read_only = m_domains[top.domain].read_only;
        return out;
    } catch (...) {
        return Errno::nomem;  // a std::string/vector allocation failed
    }
}

HalResult<VfsResolved> Vfs::resolve_fast(const VfsBase& base, std::string_view path, bool follow_final,
                                         bool* out_fallback) noexcept {
    // openat2 with RESOLVE_NO_SYMLINKS opens the parent exactly as the manual walk would, as
    // long as no mount can be crossed: with no symlinks, `..` is lexical and RESOLVE_IN_ROOT
    // clamps it at the root like the namespace does. Any symlink, `..` above a relative base
    // (RESOLVE_BENEATH → xdev), error or unusual shape → the manual walk decides.
    *out_fallback = true;
    try {
        if (!m_mounts.empty())
            return Errno::nosys;
        std::string_view p = path;
        const bool trailing = p.size() > 1 && p.back() == '/';
        while (p.size() > 1 && p.back() == '/')
            p.remove_suffix(1);
        const size_t slash = p.rfind('/');
        const std::string_view name = slash == std::string_view::npos ? p : p.substr(slash + 1);
        if (name.empty() || name == "." || name == ".." || name.size() > kHalMaxName)
            return Errno::nosys;
        const std::string parent_path(slash == std::string_view::npos ? std::string_view(".") : p.substr(0, slash + 1));

        HostFd start = m_domains[0].dir.fd();
        ResolveOptions how;
        how.no_symlinks = true;
        std::string_view bpath = "/";
        if (path[0] != '/') {
            if (base.dir == HostFd::invalid)
                return Errno::nosys;
            start = base.dir;
            how.in_root = false;  // RESOLVE_BENEATH: `..` above the base is the walk's job
            bpath = base.virtual_path.empty() ? std::string_view("/") : base.virtual_path;
        }
        OpenOptions dir;
        dir.directory = true;
        auto parent = m_hal.open_beneath(start, parent_path, dir, how);
        if (!parent.ok())
            return Errno::nosys;
        if (follow_final) {
            auto link = m_hal.readlink_at(parent->fd(), name);
            if (link.ok() || (link.error() != Errno::inval && link.error() != Errno::noent))
                return Errno::nosys;  // a final symlink: the walk expands it inside the namespace
        }
        // No symlinks were crossed, so the lexical normal form is the virtual path.
        std::vector<std::string> parts;
        for (auto& c : split_components(std::string(bpath) + "/" + parent_path)) {
            if (c == "..") {
                if (!parts.empty())
                    parts.pop_back();
            } else if (c != ".") {
                parts.push_back(std::move(c));
            }
        }
        std::string vparent = "/";
        for (const auto& c : parts)
            vparent = join_child(vparent, c);

        VfsResolved out;
        out.parent = std::move(*parent);
        out.name = std::string(name);
        out.virtual_path = join_child(vparent, name);
        out.domain = 0;
        out.read_only = m_domains[0].read_only;
        out.trailing_slash = trailing;
        *out_fallback = false;
        return out;
    } catch (...) {
        return Errno::nosys;
    }
}

void Vfs::second_opinion(const VfsResolved& r) noexcept {
    // STYLE.md racy_asserts: ask the kernel where the parent really is and check it lies under
    // its domain's host directory. Racy by nature (a concurrent rename inside the root can
    // only move it elsewhere inside), so it can have false negatives, never false positives.
    const std::string& root = m_domains[r.domain].host_real_path;
    if (root.empty())
        return;
    auto where = m_hal.host_path_of(r.parent.fd());
    if (!where.ok() || where->ends_with(" (deleted)"))
        return;
    if (!path_within(*where, root)) {
        std::fprintf(stderr, "crush: Vfs second opinion failed: resolved %s to a directory outside its root\n",
                     r.virtual_path.c_str());
        std::abort();
    }
}

}  // namespace crush
