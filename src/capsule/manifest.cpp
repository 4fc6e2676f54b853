// Copyright Crush authors.
// Capsule.toml → Manifest. Every rejection names FILE:LINE:COL and the key, and suggests the
// nearest valid key or permission. toml++ reports syntax errors by exception; they are caught
// here and become values like every other error.
#include "capsule/manifest.hpp"

#include "capsule/env_map.hpp"
#include "capsule/guest_path.hpp"
#include "capsule/limits.hpp"
#include "capsule/permissions.hpp"
#include "capsule/toml_hardened.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace crush {
namespace {

constexpr std::array<std::string_view, 6> kTables = {"capsule", "permissions", "env", "limits", "mounts", "audit"};
constexpr std::array<std::string_view, 3> kCapsuleKeys = {"name", "version", "entry"};
constexpr std::array<std::string_view, 1> kPermissionKeys = {"allow"};
constexpr std::array<std::string_view, 6> kLimitKeys = {"fuel", "time", "memory", "handles", "disk", "io"};
constexpr std::array<std::string_view, 3> kMountKeys = {"host", "guest", "read_only"};
constexpr std::array<std::string_view, 2> kAuditKeys = {"file", "trace"};

/// A table's entries in file order. toml++ keeps tables sorted by key; the manifest's meaning
/// (the [env] order) and "the first error is the first one in the file" need source order.
std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(const toml::table& table) {
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (auto&& [key, node] : table) entries.emplace_back(&key, &node);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        const auto& pa = a.first->source().begin;
        const auto& pb = b.first->source().begin;
        return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    return entries;
}

class Parser {
public:
    Parser(std::string_view display_name, std::filesystem::path base_dir,
           std::span<const std::string> extra_permissions = {})
        : m_file(display_name), m_base(std::move(base_dir)), m_extra_permissions(extra_permissions) {}

    Result<Manifest> parse(std::string_view text);

private:
    Error error_at(const toml::source_region& where, std::string message,
                   ErrorKind kind = ErrorKind::invalid) const {
        if (where.begin.line == 0) return Error{kind, 0, fmt::format("{}: {}", m_file, message)};
        return Error{kind, 0,
                     fmt::format("{}:{}:{}: {}", m_file, where.begin.line, where.begin.column, message)};
    }
    Error error_at(const toml::node& node, std::string message) const {
        return error_at(node.source(), std::move(message));
    }

    /// "; did you mean 'x'?" for an unknown key in a table with `keys`; falls back to the
    /// table names (a key typed in the wrong place), or "" when nothing is close.
    static std::string suggestion(std::string_view unknown, std::span<const std::string_view> keys) {
        if (auto near = nearest_word(unknown, keys)) return fmt::format("; did you mean '{}'?", *near);
        if (auto near = nearest_word(unknown, kTables)) return fmt::format("; did you mean '{}'?", *near);
        return fmt::format("; valid keys: {}", fmt::join(keys, ", "));
    }

    Error unknown_key(const toml::key& key, std::string_view table,
                      std::span<const std::string_view> keys) const {
        return error_at(key.source(),
                        fmt::format("unknown key '{}' in [{}]{}", escape_for_terminal(key.str()), table,
                                    suggestion(key.str(), keys)));
    }

    Error wrong_type(const toml::key& key, const toml::node& node, std::string_view table,
                     std::string_view want) const {
        return error_at(node, fmt::format("[{}] {} must be {}", table, escape_for_terminal(key.str()), want));
    }

    Result<void> parse_capsule(const toml::table& table);
    Result<void> parse_permissions(const toml::table& table);
    Result<void> parse_env(const toml::table& table);
    Result<void> parse_limits(const toml::table& table);
    Result<void> parse_audit(const toml::table& table);
    Result<void> parse_mount(const toml::table& table, const toml::node& where);

    std::string m_file;
    std::filesystem::path m_base;
    std::span<const std::string> m_extra_permissions;  ///< the embedder's own, accepted verbatim
    Manifest m_manifest;
};

Result<Manifest> Parser::parse(std::string_view text) {
    toml::table root;
    try {
        root = toml::parse(text, m_file);
    } catch (const toml::parse_error& e) {
        return error_at(e.source(), fmt::format("TOML syntax error: {}", escape_controls(e.description())),
                        ErrorKind::malformed);
    }
    m_manifest.base_dir = m_base;

    const toml::table* capsule = nullptr;
    for (auto [key_ptr, node_ptr] : in_file_order(root)) {
        const toml::key& key = *key_ptr;
        const toml::node& node = *node_ptr;
        std::string_view k = key.str();
        if (k == "capsule" || k == "permissions" || k == "env" || k == "limits" || k == "audit") {
            const toml::table* t = node.as_table();
            if (!t) return error_at(key.source(), fmt::format("'{}' must be a table: write [{}]", k, k));
            if (k == "capsule") {
                capsule = t;
                CRUSH_TRY(parse_capsule(*t));
            } else if (k == "permissions")
                CRUSH_TRY(parse_permissions(*t));
            else if (k == "env")
                CRUSH_TRY(parse_env(*t));
            else if (k == "audit")
                CRUSH_TRY(parse_audit(*t));
            else
                CRUSH_TRY(parse_limits(*t));
        } else if (k == "mounts") {
            const toml::array* mounts = node.as_array();
            if (!mounts)
                return error_at(key.source(), "'mounts' must be an array of tables: write [[mounts]]");
            for (const toml::node& m : *mounts) {
                const toml::table* t = m.as_table();
                if (!t) return error_at(m, "each entry of 'mounts' must be a table: write [[mounts]]");
                CRUSH_TRY(parse_mount(*t, m));
            }
        } else {
            std::string shown = escape_for_terminal(k);
            if (node.is_table() || node.is_array_of_tables()) {
                auto near = nearest_word(k, kTables);
                return error_at(key.source(), fmt::format("unknown table [{}]{}", shown,
                                                          near ? fmt::format("; did you mean [{}]?", *near)
                                                               : fmt::format("; valid tables: [{}]",
                                                                             fmt::join(kTables, "], ["))));
            }
            // A key outside any table: most often a [capsule] key written above its header.
            for (auto [keys, table] :
                 {std::pair{std::span<const std::string_view>(kCapsuleKeys), "capsule"},
                  std::pair{std::span<const std::string_view>(kPermissionKeys), "permissions"},
                  std::pair{std::span<const std::string_view>(kLimitKeys), "limits"}}) {
                if (auto near = nearest_word(k, keys))
                    return error_at(key.source(),
                                    fmt::format("unknown top-level key '{}'; did you mean '{}' in [{}]?",
                                                shown, *near, table));
            }
            return error_at(key.source(),
                            fmt::format("unknown top-level key '{}'; keys belong in a table: [{}]", shown,
                                        fmt::join(kTables, "], [")));
        }
    }
    if (!capsule)
        return Error{ErrorKind::invalid, 0, fmt::format("{}: missing [capsule] table with a name", m_file)};
    return std::move(m_manifest);
}

Result<void> Parser::parse_capsule(const toml::table& table) {
    const toml::node* entry = nullptr;
    bool has_name = false;
    for (auto [key_ptr, node_ptr] : in_file_order(table)) {
        const toml::key& key = *key_ptr;
        const toml::node& node = *node_ptr;
        std::string_view k = key.str();
        if (k == "name") {
            auto name = node.value<std::string>();
            if (!name || !node.is_string()) return wrong_type(key, node, "capsule", "a string");
            if (auto ok = validate_capsule_name(*name); !ok)
                return error_at(node, fmt::format("[capsule] name: {}", ok.error().message));
            m_manifest.name = std::move(*name);
            has_name = true;
        } else if (k == "version") {
            if (!node.is_string()) return wrong_type(key, node, "capsule", "a string");
            m_manifest.version = *node.value<std::string>();
        } else if (k == "entry") {
            if (!node.is_string()) return wrong_type(key, node, "capsule", "a string (the .wasm file)");
            entry = &node;
        } else {
            return unknown_key(key, "capsule", kCapsuleKeys);
        }
    }
    if (!has_name) return error_at(table.source(), "missing key 'name' in [capsule]");
    std::string entry_text = entry ? *entry->value<std::string>() : m_manifest.name + ".wasm";
    if (entry_text.empty() || entry_text.find('\0') != std::string::npos)
        return error_at(*entry, "[capsule] entry must be a non-empty path without NUL bytes");
    m_manifest.entry = m_base / std::filesystem::path(entry_text);
    return {};
}

Result<void> Parser::parse_permissions(const toml::table& table) {
    for (auto [key_ptr, node_ptr] : in_file_order(table)) {
        const toml::key& key = *key_ptr;
        const toml::node& node = *node_ptr;
        if (key.str() != "allow") return unknown_key(key, "permissions", kPermissionKeys);
        const toml::array* list = node.as_array();
        if (!list)
            return wrong_type(key, node, "permissions", "an array of strings, e.g. allow = [\"io.print\"]");
        for (const toml::node& item : *list) {
            auto text = item.value<std::string>();
            if (!item.is_string() || !text)
                return error_at(item, "[permissions] allow: each permission must be a string");
            const bool extra = std::find(m_extra_permissions.begin(), m_extra_permissions.end(), *text) !=
                               m_extra_permissions.end();
            if (auto ok = extra ? Result<void>{} : Permissions::validate(*text); !ok)
                return error_at(item, fmt::format("[permissions] allow: {}", ok.error().message));
            m_manifest.permissions.push_back(std::move(*text));
        }
    }
    return {};
}

Result<void> Parser::parse_env(const toml::table& table) {
    for (auto [key_ptr, node_ptr] : in_file_order(table)) {
        const toml::key& key = *key_ptr;
        const toml::node& node = *node_ptr;
        std::string_view k = key.str();
        if (auto ok = validate_env_key(k); !ok)
            return error_at(key.source(), fmt::format("[env]: {}", ok.error().message));
        if (!node.is_string())
            return error_at(node, fmt::format("[env] {} must be a string (write {} = \"...\")",
                                              escape_for_terminal(k), escape_for_terminal(k)));
        std::string value = *node.value<std::string>();
        if (auto ok = validate_env_value(value); !ok)
            return error_at(node, fmt::format("[env] {}: {}", escape_for_terminal(k), ok.error().message));
        m_manifest.env.emplace_back(std::string(k), std::move(value));
    }
    return {};
}

Result<void> Parser::parse_limits(const toml::table& table) {
    for (auto [key_ptr, node_ptr] : in_file_order(table)) {
        const toml::key& key = *key_ptr;
        const toml::node& node = *node_ptr;
        std::string_view k = key.str();
        std::optional<uint64_t>* slot = nullptr;
        enum class Kind { count, size, duration } kind = Kind::count;
        if (k == "fuel")
            slot = &m_manifest.limits.fuel;
        else if (k == "handles")
            slot = &m_manifest.limits.handles;
        else if (k == "time")
            slot = &m_manifest.limits.time_ms, kind = Kind::duration;
        else if (k == "memory")
            slot = &m_manifest.limits.memory_bytes, kind = Kind::size;
        else if (k == "disk")
            slot = &m_manifest.limits.disk_bytes, kind = Kind::size;
        else if (k == "io")
            slot = &m_manifest.limits.io_bytes, kind = Kind::size;
        else
            return unknown_key(key, "limits", kLimitKeys);

        Result<uint64_t> value = Error{};
        if (node.is_integer()) {
            int64_t n = *node.value<int64_t>();
            if (n < 0) return error_at(node, fmt::format("[limits] {} must not be negative", k));
            if (kind == Kind::duration)
                return error_at(
                    node, fmt::format("[limits] time needs a unit: write time = \"{}s\" or \"{}ms\"", n, n));
            value = static_cast<uint64_t>(n);
        } else if (node.is_string()) {
            std::string text = *node.value<std::string>();
            value = kind == Kind::count  ? parse_count(text)
                    : kind == Kind::size ? parse_size(text)
                                         : parse_duration_ms(text);
            if (!value) return error_at(node, fmt::format("[limits] {}: {}", k, value.error().message));
        } else {
            return wrong_type(key, node, "limits",
                              kind == Kind::duration ? "a duration string such as \"2s\""
                              : kind == Kind::size   ? "a size such as \"64MiB\" or a number of bytes"
                                                     : "a whole number");
        }
        *slot = *value;
    }
    return {};
}

Result<void> Parser::parse_audit(const toml::table& table) {
    for (auto [key_ptr, node_ptr] : in_file_order(table)) {
        const toml::key& key = *key_ptr;
        const toml::node& node = *node_ptr;
        if (key.str() == "file") {
            if (!node.is_string() || node.value<std::string>()->empty())
                return wrong_type(key, node, "audit", "a file name, e.g. file = \"audit.jsonl\"");
            std::filesystem::path file(*node.value<std::string>());
            m_manifest.audit_file = file.is_absolute() ? file : m_base / file;
        } else if (key.str() == "trace") {
            if (!node.is_boolean()) return wrong_type(key, node, "audit", "true or false");
            m_manifest.audit_trace = *node.value<bool>();
        } else {
            return unknown_key(key, "audit", kAuditKeys);
        }
    }
    return {};
}

Result<void> Parser::parse_mount(const toml::table& table, const toml::node& where) {
    MountSpec mount;
    bool has_host = false, has_guest = false;
    for (auto [key_ptr, node_ptr] : in_file_order(table)) {
        const toml::key& key = *key_ptr;
        const toml::node& node = *node_ptr;
        std::string_view k = key.str();
        if (k == "host") {
            if (!node.is_string()) return wrong_type(key, node, "[mounts]", "a string (a host directory)");
            std::string host = *node.value<std::string>();
            if (host.empty() || host.find('\0') != std::string::npos)
                return error_at(node, "[[mounts]] host must be a non-empty path without NUL bytes");
            mount.host_path =
                std::filesystem::path(host).is_absolute() ? std::filesystem::path(host) : m_base / host;
            has_host = true;
        } else if (k == "guest") {
            if (!node.is_string())
                return wrong_type(key, node, "[mounts]", "a string (an absolute virtual path)");
            std::string guest = *node.value<std::string>();
            auto normalized = normalize_guest_path(guest);
            if (!normalized)
                return error_at(node, fmt::format("[[mounts]] guest '{}' {}", escape_for_terminal(guest),
                                                  normalized.error().message));
            mount.guest_path = std::move(*normalized);
            has_guest = true;
        } else if (k == "read_only") {
            if (!node.is_boolean()) return wrong_type(key, node, "[mounts]", "true or false");
            mount.read_only = *node.value<bool>();
        } else {
            return error_at(key.source(), fmt::format("unknown key '{}' in [[mounts]]{}",
                                                      escape_for_terminal(k), suggestion(k, kMountKeys)));
        }
    }
    if (!has_host) return error_at(where, "[[mounts]] entry is missing 'host' (the host directory)");
    if (!has_guest)
        return error_at(where,
                        "[[mounts]] entry is missing 'guest' (where the capsule sees it, e.g. \"/input\")");
    for (const MountSpec& other : m_manifest.mounts)
        if (other.guest_path == mount.guest_path)
            return error_at(where, fmt::format("[[mounts]] guest path '{}' is mounted twice",
                                               escape_for_terminal(mount.guest_path)));
    m_manifest.mounts.push_back(std::move(mount));
    return {};
}

}  // namespace

Result<void> validate_capsule_name(std::string_view name) {
    auto bad = [&](std::string_view why) {
        return Error{ErrorKind::invalid, 0,
                     fmt::format("bad capsule name '{}': {}", escape_for_terminal(name), why)};
    };
    if (name.empty()) return bad("it is empty");
    if (name.size() > kMaxCapsuleNameLength)
        return bad(fmt::format("it is longer than {} characters", kMaxCapsuleNameLength));
    if (name == "." || name == "..") return bad("'.' and '..' are not names");
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (c == '/' || c == '\\') return bad("it contains a path separator; a name becomes one directory");
        if (u < 0x20 || u == 0x7f) return bad("it contains a control character");
        if (!(std::isalnum(u) || c == '.' || c == '_' || c == '-'))
            return bad("use only letters, digits, '.', '_' and '-'");
    }
    if (name[0] == '-' || name[0] == '.') return bad("it must not start with '-' or '.'");
    return {};
}

std::string sanitize_capsule_name(std::string_view stem) {
    std::string out;
    for (char c : stem.substr(0, kMaxCapsuleNameLength)) {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x80 && (std::isalnum(u) || c == '.' || c == '_' || c == '-')) ? c : '_';
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '-')) out[0] = '_';
    // Every character is now in [A-Za-z0-9._-], the first is not '.' or '-', and the length
    // is bounded: the result passes validate_capsule_name.
    if (out.empty()) return "capsule";
    return out;
}

Result<Manifest> parse_manifest(std::string_view text, std::string_view display_name,
                                const std::filesystem::path& base_dir,
                                std::span<const std::string> extra_permissions) {
    Parser parser(display_name, base_dir, extra_permissions);
    return parser.parse(text);
}

Result<Manifest> load_manifest(const std::filesystem::path& path, const FileReader& read,
                               std::span<const std::string> extra_permissions) {
    if (!read) return Error{ErrorKind::io, 0, fmt::format("{}: no file reader", path.string())};
    auto text = read(path);
    if (!text) {
        Error e = std::move(text).error();
        e.kind = ErrorKind::io;
        e.message = fmt::format("{}: {}", path.string(), e.message);
        return e;
    }
    return parse_manifest(*text, path.string(), path.parent_path(), extra_permissions);
}

}  // namespace crush
