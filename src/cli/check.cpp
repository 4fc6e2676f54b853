// Copyright Crush authors.
#include "check.hpp"

#include "inspect.hpp"

#include "capsule/capability_map.hpp"
#include "capsule/limits.hpp"
#include "capsule/permissions.hpp"
#include "capsule/toml_hardened.hpp"
#include "capsule_files.hpp"

#include <crush/wasm.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace crush::cli {
namespace {

using Severity = Diagnostic::Severity;

/// wasm32 linear memory cannot exceed 65536 pages.
constexpr uint64_t kWasm32MaxMemory = uint64_t{1} << 32;

struct Position {
    uint32_t line = 0;
    uint32_t column = 0;
};

Position position_of(const toml::source_region& r) { return {r.begin.line, r.begin.column}; }

/// Split the manifest parser's "FILE:LINE:COL: message" (or "FILE: message") into a diagnostic.
Diagnostic from_manifest_error(const std::string& display, const std::string& message) {
    Diagnostic d{display, 0, 0, Severity::error, message};
    if (message.rfind(display, 0) != 0) return d;
    std::string_view rest = std::string_view(message).substr(display.size());
    auto number = [&rest](uint32_t& out) {
        if (rest.empty() || rest[0] != ':') return false;
        auto [end, ec] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), out);
        if (ec != std::errc{} || end == rest.data() + 1) return false;
        rest.remove_prefix(static_cast<size_t>(end - rest.data()));
        return true;
    };
    std::string_view save = rest;
    uint32_t line = 0, column = 0;
    if (number(line) && number(column)) {
        d.line = line;
        d.column = column;
    } else {
        rest = save;
    }
    if (rest.rfind(": ", 0) == 0) d.message = std::string(rest.substr(2));
    return d;
}

/// A permission to suggest adding so that one of `caps` is granted: the first, with a scope
/// template where one is required.
std::string suggestion_for(Capability c) {
    switch (c) {
    case Capability::net_connect: return "\"net.connect:HOST:PORT\"";
    case Capability::net_listen: return "\"net.listen:PORT\"";
    case Capability::fs_read: return "\"fs.read\" (or scoped: \"fs.read:/data/**\")";
    case Capability::fs_write: return "\"fs.write\" (or scoped: \"fs.write:/out/**\")";
    default: return fmt::format("\"{}\"", to_string(c));
    }
}

class Checker {
public:
    Checker(const std::string& capsule, const CheckHost& host) : m_capsule(capsule), m_host(host) {}

    std::vector<Diagnostic> run();

private:
    void add(Severity s, const std::string& file, Position p, std::string message) {
        m_out.push_back({file, p.line, p.column, s, std::move(message)});
    }
    bool load_manifest_file(const std::filesystem::path& path);
    /// The manifest parser stops at its first error; when the TOML itself is well-formed, also
    /// report every other bad permission string, so one run shows all the typos in allow.
    void report_other_bad_permissions(std::string_view text, const Diagnostic& first);
    bool load_module_file(const std::filesystem::path& path, bool from_manifest);
    void check_imports();
    void check_limits();
    void check_mounts();
    void warn_unused();
    /// Where a permission fix goes: the `allow` key, else [permissions], else the manifest.
    Position permissions_position() const;
    Position limit_position(std::string_view key) const;

    std::string m_capsule;
    const CheckHost& m_host;
    std::vector<Diagnostic> m_out;

    std::optional<Manifest> m_manifest;
    std::string m_manifest_display;
    toml::table m_toml;  ///< the manifest again, for source positions
    std::string m_module_display;
    std::optional<InspectReport> m_module;
    std::vector<Capability> m_granted;  ///< capability of each granted permission (or bare defaults)
};

bool Checker::load_manifest_file(const std::filesystem::path& path) {
    m_manifest_display = path.string();
    auto text = m_host.read_file(path);
    if (!text) {
        add(Severity::error, m_manifest_display, {},
            fmt::format("cannot read the manifest: {}; give a capsule directory holding Capsule.toml, a .toml file, "
                        "or a .wasm (exo init NAME creates a capsule)",
                        escape_controls(text.error().message)));
        return false;
    }
    auto manifest = parse_manifest(*text, m_manifest_display, path.parent_path());
    if (!manifest) {
        Diagnostic first = from_manifest_error(m_manifest_display, escape_controls(manifest.error().message));
        m_out.push_back(first);
        report_other_bad_permissions(*text, first);
        return false;
    }
    m_manifest = std::move(*manifest);
    try {
        m_toml = toml::parse(*text, m_manifest_display);
    } catch (const toml::parse_error&) {
        // parse_manifest accepted the same text, so this cannot happen; positions are optional.
    }
    for (const std::string& p : m_manifest->permissions)
        if (auto c = capability_from_name(p.substr(0, p.find(':')))) m_granted.push_back(*c);
    return true;
}

void Checker::report_other_bad_permissions(std::string_view text, const Diagnostic& first) {
    toml::table table;
    try {
        table = toml::parse(text, m_manifest_display);
    } catch (const toml::parse_error&) {
        return;  // a syntax error: the parser's message is all there is
    }
    const toml::array* allow = table.at_path("permissions.allow").as_array();
    if (!allow) return;
    for (const toml::node& item : *allow) {
        auto permission = item.value<std::string>();
        if (!permission) continue;
        auto ok = Permissions::validate(*permission);
        Position where = position_of(item.source());
        if (ok || (where.line == first.line && where.column == first.column)) continue;
        add(Severity::error, m_manifest_display, where,
            fmt::format("[permissions] allow: {}", escape_controls(ok.error().message)));
    }
}

bool Checker::load_module_file(const std::filesystem::path& path, bool from_manifest) {
    m_module_display = path.string();
    auto bytes = m_host.read_file(path);
    if (!bytes) {
        Position where;
        if (from_manifest)
            if (const toml::node* entry = m_toml.at_path("capsule.entry").node()) where = position_of(entry->source());
        add(Severity::error, from_manifest ? m_manifest_display : m_module_display, where,
            fmt::format("cannot read the module '{}': {}; {}", escape_for_terminal(m_module_display),
                        escape_controls(bytes.error().message),
                        from_manifest ? "build the capsule first, or fix [capsule] entry" : "check the path"));
        return false;
    }
    std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
    auto report = inspect_module(data, m_module_display);
    if (!report) {
        add(Severity::error, m_module_display, {},
            fmt::format("{}; rebuild it for wasm32-wasi", describe_module_error(report.error())));
        return false;
    }
    if (report->validation_error)
        add(Severity::error, m_module_display, {},
            fmt::format("{}; rebuild it for wasm32-wasi", describe_module_error(*report->validation_error)));
    m_module = std::move(*report);
    return true;
}

Position Checker::permissions_position() const {
    if (const toml::node* allow = m_toml.at_path("permissions.allow").node()) {
        // The key's own position reads better than the array's '['.
        if (const toml::table* t = m_toml["permissions"].as_table())
            for (auto&& [key, node] : *t)
                if (key.str() == "allow") return position_of(key.source());
        return position_of(allow->source());
    }
    if (const toml::node* p = m_toml.get("permissions")) return position_of(p->source());
    return {};
}

Position Checker::limit_position(std::string_view key) const {
    if (const toml::table* t = m_toml["limits"].as_table())
        for (auto&& [k, node] : *t)
            if (k.str() == key) return position_of(node.source());
    return {};
}

void Checker::check_imports() {
    std::vector<std::pair<std::string_view, std::string_view>> names;
    for (const ImportDesc& im : m_module->imports) names.emplace_back(im.module, im.name);
    // Unsatisfiable imports grouped by what would satisfy them, in order of first appearance.
    std::vector<std::pair<std::vector<Capability>, std::vector<std::string>>> missing;
    for (const ImportDesc& im : m_module->imports) {
        std::string full = fmt::format("{}.{}", escape_for_terminal(im.module), escape_for_terminal(im.name));
        const ImportCapabilities* row =
            im.kind == ExternKind::func ? find_import_capabilities(im.module, im.name) : nullptr;
        if (!row) {
            std::string why = !is_host_module(im.module)
                                  ? fmt::format("module '{}' is not provided (Crush provides {} and {})",
                                                escape_for_terminal(im.module), kWasiModule, kExoModule)
                              : im.kind != ExternKind::func ? fmt::format("a {} import is not provided", to_string(im.kind))
                                                            : "no such host function";
            add(Severity::error, m_module_display, {},
                fmt::format("imports {}: {}; the capsule cannot be linked: build it for wasm32-wasi "
                            "(wasi_snapshot_preview1)",
                            full, why));
            continue;
        }
        std::vector<Capability> usable = effective_capabilities(*row, m_module->permissions);
        if (usable.empty()) continue;
        bool granted = std::any_of(usable.begin(), usable.end(), [this](Capability c) {
            return std::find(m_granted.begin(), m_granted.end(), c) != m_granted.end();
        });
        if (granted) continue;
        auto it = std::find_if(missing.begin(), missing.end(), [&](const auto& m) { return m.first == usable; });
        if (it == missing.end()) it = missing.insert(missing.end(), {usable, {}});
        it->second.push_back(fmt::format("{} ({})", full, row->why));
    }
    for (const auto& [caps, imports] : missing) {
        std::string list = fmt::format("{}", fmt::join(imports, ", "));
        std::string needs = describe_any_of(caps);
        if (m_manifest)
            add(Severity::error, m_manifest_display, permissions_position(),
                fmt::format("{} imports {}, which {} {}, but [permissions] allow grants none; add {} to allow, or "
                            "the calls will fail with EACCES",
                            escape_for_terminal(m_module_display), list, imports.size() == 1 ? "needs" : "need", needs,
                            suggestion_for(caps.front())));
        else
            add(Severity::error, m_module_display, {},
                fmt::format("imports {}, which {} {}; a bare module gets only io.print and io.input: run it with "
                            "--allow {}, or give it a Capsule.toml",
                            list, imports.size() == 1 ? "needs" : "need", needs, suggestion_for(caps.front())));
    }
}

void Checker::check_limits() {
    const CapsuleLimits& l = m_manifest->limits;
    const std::string& f = m_manifest_display;
    if (l.fuel && *l.fuel == 0)
        add(Severity::error, f, limit_position("fuel"), "[limits] fuel = 0 stops the capsule before its first instruction; raise it or remove it (default: unlimited)");
    if (l.handles && *l.handles == 0)
        add(Severity::error, f, limit_position("handles"), "[limits] handles = 0 leaves the capsule unable to open anything; raise it or remove it (default: 1024)");
    if (l.time_ms && *l.time_ms == 0)
        add(Severity::error, f, limit_position("time"), "[limits] time = 0 interrupts the capsule at once; raise it or remove it (default: unlimited)");
    if (l.memory_bytes && *l.memory_bytes != kUnlimited) {
        if (*l.memory_bytes > kWasm32MaxMemory)
            add(Severity::warning, f, limit_position("memory"),
                fmt::format("[limits] memory = {} is more than a wasm32 module can address (4 GiB); 4GiB is enough",
                            format_size(*l.memory_bytes)));
        if (m_module) {
            // The module's memory 0 (imported or defined) must fit at instantiation.
            std::optional<uint64_t> pages;
            for (const ImportDesc& im : m_module->imports)
                if (!pages && im.kind == ExternKind::memory) pages = im.memory.limits.min;
            if (!pages && !m_module->definitions.memories.empty()) pages = m_module->definitions.memories[0].limits.min;
            uint64_t need = pages.value_or(0) * kPageSize;
            if (need > *l.memory_bytes)
                add(Severity::error, f, limit_position("memory"),
                    fmt::format("[limits] memory = {} is less than the {} the module needs at start ({} pages); "
                                "raise it to at least {}",
                                format_size(*l.memory_bytes), format_size(need), *pages, format_size(need)));
        }
    }
}

void Checker::check_mounts() {
    const toml::array* mounts = m_toml["mounts"].as_array();
    for (size_t i = 0; i < m_manifest->mounts.size(); i++) {
        const MountSpec& m = m_manifest->mounts[i];
        if (m_host.is_directory(m.host_path)) continue;
        Position where;
        if (mounts && i < mounts->size())
            if (const toml::node* host = (*mounts)[i].as_table() ? (*mounts)[i].as_table()->get("host") : nullptr)
                where = position_of(host->source());
        add(Severity::error, m_manifest_display, where,
            fmt::format("[[mounts]] host '{}' is not a directory; create it or fix the path (relative paths start at "
                        "the manifest's directory)",
                        escape_for_terminal(m.host_path.string())));
    }
}

void Checker::warn_unused() {
    const toml::array* allow = m_toml.at_path("permissions.allow").as_array();
    for (size_t i = 0; i < m_manifest->permissions.size(); i++) {
        const std::string& p = m_manifest->permissions[i];
        auto c = capability_from_name(p.substr(0, p.find(':')));
        if (!c) continue;  // an embedder's own permission: not ours to judge
        if (std::find(m_module->permissions.begin(), m_module->permissions.end(), *c) != m_module->permissions.end())
            continue;
        Position where = allow && i < allow->size() ? position_of((*allow)[i].source()) : permissions_position();
        add(Severity::warning, m_manifest_display, where,
            fmt::format("\"{}\" is granted but {} never asks for {} (no import uses it); remove it (least privilege)",
                        escape_for_terminal(p), escape_for_terminal(m_module_display), to_string(*c)));
    }
}

std::vector<Diagnostic> Checker::run() {
    CapsuleTarget target;
    std::filesystem::path p(m_capsule);
    if (m_host.is_directory(p)) target.manifest = p / "Capsule.toml";
    else if (p.extension() == ".toml") target.manifest = p;
    else target.module = p;

    if (target.manifest) {
        if (!load_manifest_file(*target.manifest)) return std::move(m_out);
        target.module = m_manifest->entry;
    } else {
        m_granted = {Capability::io_print, Capability::io_input};  // what `exo run x.wasm` grants
    }
    bool module_ok = load_module_file(target.module, target.manifest.has_value());
    if (module_ok) check_imports();
    if (m_manifest) {
        check_limits();
        check_mounts();
        if (module_ok) warn_unused();
    }
    // Per file, in source order (as a compiler would); files in the order first reported.
    std::vector<std::string> files;
    for (const Diagnostic& d : m_out)
        if (std::find(files.begin(), files.end(), d.file) == files.end()) files.push_back(d.file);
    std::stable_sort(m_out.begin(), m_out.end(), [&files](const Diagnostic& a, const Diagnostic& b) {
        auto fa = std::find(files.begin(), files.end(), a.file), fb = std::find(files.begin(), files.end(), b.file);
        if (fa != fb) return fa < fb;
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return std::move(m_out);
}

}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
    const char* sev = d.severity == Severity::error ? "error" : "warning";
    if (d.line == 0) return fmt::format("{}: {}: {}", escape_for_terminal(d.file), sev, d.message);
    return fmt::format("{}:{}:{}: {}: {}", escape_for_terminal(d.file), d.line, d.column, sev, d.message);
}

std::vector<Diagnostic> check_capsule(const std::string& capsule, const CheckHost& host) {
    return Checker(capsule, host).run();
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
}

}  // namespace crush::cli
