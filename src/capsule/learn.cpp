// Copyright Crush authors.
#include "capsule/learn.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace crush {
namespace {

/// "/a/b/c" → "/a/b"; "/a" → "/"; "/" → "/".
std::string parent_of(std::string_view path) {
    size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || slash == 0) return "/";
    return std::string(path.substr(0, slash));
}

/// Whether `path` is `dir` or lies below it (component boundary).
bool is_under(std::string_view path, std::string_view dir) {
    if (dir == "/") return path.size() > 1;
    return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

std::string join(std::string_view dir, std::string_view tail) {
    return dir == "/" ? fmt::format("/{}", tail) : fmt::format("{}/{}", dir, tail);
}

/// The fs scopes covering `paths` (canonical virtual paths), collapsed as learn.hpp says.
std::vector<std::string> collapse_paths(const std::set<std::string>& paths) {
    std::map<std::string, std::set<std::string>> by_dir;
    for (const std::string& p : paths)
        if (p != "/") by_dir[parent_of(p)].insert(p);

    // Directories with many direct entries become D/*.
    std::set<std::string> star_dirs;
    for (const auto& [dir, entries] : by_dir)
        if (entries.size() >= kLearnCollapseFiles) star_dirs.insert(dir);

    // A star directory with used paths deeper below it becomes D/** (the outermost one wins).
    std::set<std::string> deep_dirs;
    for (const std::string& dir : star_dirs) {
        bool deeper = std::any_of(paths.begin(), paths.end(),
                                  [&](const std::string& p) { return is_under(parent_of(p), dir) && p != dir; });
        if (deeper) deep_dirs.insert(dir);
    }
    std::set<std::string> outer_deep;
    for (const std::string& d : deep_dirs)
        if (std::none_of(deep_dirs.begin(), deep_dirs.end(),
                         [&](const std::string& o) { return o != d && is_under(d, o); }))
            outer_deep.insert(d);

    std::set<std::string> scopes;
    for (const std::string& p : paths) {
        // Below a D/** (D itself included: `/**` component matches zero components).
        auto deep = std::find_if(outer_deep.begin(), outer_deep.end(),
                                 [&](const std::string& d) { return p == d || is_under(p, d); });
        if (deep != outer_deep.end()) {
            scopes.insert(join(*deep, "**"));
            continue;
        }
        const std::string parent = parent_of(p);
        if (p != "/" && star_dirs.count(parent)) {
            scopes.insert(join(parent, "*"));
            continue;
        }
        scopes.insert(p);
    }
    return {scopes.begin(), scopes.end()};
}

}  // namespace

std::vector<std::string> learn_permissions(std::span<const AuditRecord> records) {
    std::set<std::string> bare;                           // io.print, clock, …
    std::map<std::string, std::set<std::string>> scoped;  // capability → targets
    for (const AuditRecord& r : records) {
        if (r.target.empty())
            bare.insert(r.capability);
        else
            scoped[r.capability].insert(r.target);
    }
    std::vector<std::string> allow(bare.begin(), bare.end());
    for (const auto& [capability, targets] : scoped) {
        if (capability == "fs.read" || capability == "fs.write") {
            for (const std::string& scope : collapse_paths(targets))
                allow.push_back(fmt::format("{}:{}", capability, scope));
        } else {
            for (const std::string& t : targets) allow.push_back(fmt::format("{}:{}", capability, t));
        }
    }
    std::sort(allow.begin(), allow.end());
    return allow;
}

std::string learned_manifest_text(std::string_view capsule_name, std::span<const std::string> allow) {
    std::string text = fmt::format(
        "# Learned by `exo run --learn` from one run of capsule '{}'.\n"
        "# The permissions that run used, no more. Review them, then copy what you accept into\n"
        "# [permissions] allow in Capsule.toml (exo never edits it for you).\n"
        "[permissions]\n"
        "allow = [\n",
        // The name is validated ([A-Za-z0-9._-]): safe inside a comment.
        capsule_name);
    for (const std::string& p : allow) {
        // A JSON string is a valid TOML basic string for these (no raw control characters).
        text += fmt::format("    {},\n", nlohmann::json(p).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
    }
    text += "]\n";
    return text;
}

}  // namespace crush
