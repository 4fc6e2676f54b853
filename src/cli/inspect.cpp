// Copyright Crush authors.
#include "inspect.hpp"

#include "capsule/capability_map.hpp"

#include <fmt/format.h>

namespace crush::cli {
namespace {

std::string limits_text(const Limits& l) {
    return l.max ? fmt::format("{}..{}", l.min, *l.max) : fmt::format("{}..unbounded", l.min);
}

/// The type of entity `index` in `kind`'s index space (imports first).
std::string export_type(const InspectReport& r, const ExportDesc& e) {
    const ModuleDefinitions& d = r.definitions;
    uint32_t seen = 0;
    for (const ImportDesc& im : r.imports) {
        if (im.kind != e.kind) continue;
        if (seen++ != e.index) continue;
        switch (im.kind) {
        case ExternKind::func: return to_string(im.func);
        case ExternKind::table: return describe_table(im.table);
        case ExternKind::memory: return describe_memory(im.memory);
        case ExternKind::global: return describe_global(im.global);
        }
    }
    auto defined = [&](uint32_t imported, size_t count) -> std::optional<size_t> {
        if (e.index < imported || e.index - imported >= count) return std::nullopt;
        return e.index - imported;
    };
    switch (e.kind) {
    case ExternKind::func:
        if (auto i = defined(d.imported_functions, d.functions.size())) return to_string(d.functions[*i]);
        break;
    case ExternKind::table:
        if (auto i = defined(d.imported_tables, d.tables.size())) return describe_table(d.tables[*i]);
        break;
    case ExternKind::memory:
        if (auto i = defined(d.imported_memories, d.memories.size())) return describe_memory(d.memories[*i]);
        break;
    case ExternKind::global:
        if (auto i = defined(d.imported_globals, d.globals.size())) return describe_global(d.globals[*i]);
        break;
    }
    return "?";  // an out-of-range index: only in a module that does not validate
}

std::string import_type(const ImportDesc& im) {
    switch (im.kind) {
    case ExternKind::func: return to_string(im.func);
    case ExternKind::table: return describe_table(im.table);
    case ExternKind::memory: return describe_memory(im.memory);
    case ExternKind::global: return describe_global(im.global);
    }
    return "?";
}

}  // namespace

std::string describe_table(const TableType& t) { return fmt::format("{} {}", to_string(t.elem), limits_text(t.limits)); }
std::string describe_memory(const MemoryType& m) { return fmt::format("{} pages", limits_text(m.limits)); }
std::string describe_global(const GlobalType& g) { return fmt::format("{}{}", g.mut ? "mut " : "", to_string(g.type)); }

std::string describe_module_error(const Error& error) {
    return fmt::format("{} module at byte offset {:#x} ({}): {}", to_string(error.kind), error.offset, error.offset,
                       escape_controls(error.message));
}

Result<InspectReport> inspect_module(std::span<const uint8_t> bytes, std::string file) {
    auto decoded = decode_module(bytes);
    if (!decoded) return std::move(decoded).error();
    const Module& m = **decoded;
    InspectReport r;
    r.file = std::move(file);
    r.size = bytes.size();
    r.imports = module_imports(m);
    r.definitions = module_definitions(m);
    for (const ExportDesc& e : module_exports(m)) r.exports.push_back({e, {}});
    for (InspectedExport& e : r.exports) e.type = export_type(r, e.desc);
    for (const CustomSection& c : module_custom_sections(m)) r.custom_sections.emplace_back(c.name, c.data.size());

    std::vector<std::pair<std::string_view, std::string_view>> names;
    for (const ImportDesc& im : r.imports) {
        bool known = im.kind == ExternKind::func && find_import_capabilities(im.module, im.name) != nullptr;
        if (!known) r.unknown_imports.push_back(im.module + "." + im.name);
        names.emplace_back(im.module, im.name);
    }
    r.permissions = capabilities_for_imports(names);

    auto loaded = load_module(bytes);
    if (!loaded) r.validation_error = std::move(loaded).error();
    return r;
}

std::string format_inspect_text(const InspectReport& r) {
    std::string out;
    auto line = [&out](std::string_view text) {
        out += text;
        out += '\n';
    };
    line(fmt::format("module: {} ({} bytes)", escape_for_terminal(r.file), r.size));
    if (r.capsule_name) line(fmt::format("capsule: {}", escape_for_terminal(*r.capsule_name)));
    line(r.validation_error ? fmt::format("valid: no ({})", describe_module_error(*r.validation_error)) : "valid: yes");

    line(fmt::format("imports ({}):", r.imports.size()));
    for (const ImportDesc& im : r.imports) {
        std::string needs;
        if (const ImportCapabilities* c = find_import_capabilities(im.module, im.name);
            c && im.kind == ExternKind::func)
            needs = c->any_of.empty() ? "needs no permission"
                                      : "needs " + describe_any_of(effective_capabilities(*c, r.permissions));
        else
            needs = "NOT PROVIDED by Crush";
        line(fmt::format("  {} {}.{} {}  ({})", to_string(im.kind), escape_for_terminal(im.module),
                         escape_for_terminal(im.name), import_type(im), needs));
    }
    line(fmt::format("exports ({}):", r.exports.size()));
    for (const InspectedExport& e : r.exports)
        line(fmt::format("  {} {} {}", to_string(e.desc.kind), escape_for_terminal(e.desc.name), e.type));

    const ModuleDefinitions& d = r.definitions;
    line(fmt::format("functions: {} imported, {} defined", d.imported_functions, d.functions.size()));
    line(fmt::format("memories ({} defined):", d.memories.size()));
    for (size_t i = 0; i < d.memories.size(); i++)
        line(fmt::format("  {}: {}", d.imported_memories + i, describe_memory(d.memories[i])));
    line(fmt::format("tables ({} defined):", d.tables.size()));
    for (size_t i = 0; i < d.tables.size(); i++)
        line(fmt::format("  {}: {}", d.imported_tables + i, describe_table(d.tables[i])));
    line(fmt::format("globals ({} defined):", d.globals.size()));
    for (size_t i = 0; i < d.globals.size(); i++)
        line(fmt::format("  {}: {}", d.imported_globals + i, describe_global(d.globals[i])));
    line(d.start ? fmt::format("start: function {}", *d.start) : "start: none");
    line(fmt::format("custom sections ({}):", r.custom_sections.size()));
    for (const auto& [name, size] : r.custom_sections) line(fmt::format("  {} ({} bytes)", escape_for_terminal(name), size));

    std::string perms;
    for (Capability c : r.permissions) perms += fmt::format("{}{}", perms.empty() ? "" : ", ", to_string(c));
    line(fmt::format("permissions it could ask for: {}", perms.empty() ? "none" : perms));
    if (r.capsule_name) {
        std::string granted;
        for (const std::string& g : r.granted) granted += fmt::format("{}\"{}\"", granted.empty() ? "" : ", ", escape_for_terminal(g));
        line(fmt::format("granted by Capsule.toml: {}", granted.empty() ? "none" : granted));
    }
    if (!r.unknown_imports.empty()) {
        line(fmt::format("imports Crush does not provide ({}): the capsule cannot be linked", r.unknown_imports.size()));
        for (const std::string& u : r.unknown_imports) line("  " + escape_for_terminal(u));
    }
    return out;
}

nlohmann::json inspect_to_json(const InspectReport& r) {
    using nlohmann::json;
    auto limits = [](const Limits& l) {
        json j{{"min", l.min}};
        j["max"] = l.max ? json(*l.max) : json(nullptr);
        return j;
    };
    auto functype = [](const FuncType& t) {
        json params = json::array(), results = json::array();
        for (ValType v : t.params) params.push_back(to_string(v));
        for (ValType v : t.results) results.push_back(to_string(v));
        return json{{"params", params}, {"results", results}};
    };
    auto table = [&](const TableType& t) { return json{{"element", to_string(t.elem)}, {"limits", limits(t.limits)}}; };
    auto memory = [&](const MemoryType& m) { return json{{"limits", limits(m.limits)}}; };
    auto global = [](const GlobalType& g) { return json{{"type", to_string(g.type)}, {"mutable", g.mut}}; };

    json j;
    j["file"] = r.file;
    j["size"] = r.size;
    if (r.capsule_name) {
        j["capsule"] = *r.capsule_name;
        j["granted"] = r.granted;
    }
    j["valid"] = !r.validation_error;
    j["validation_error"] = r.validation_error ? json(describe_module_error(*r.validation_error)) : json(nullptr);
    j["imports"] = json::array();
    for (const ImportDesc& im : r.imports) {
        json e{{"module", im.module}, {"name", im.name}, {"kind", to_string(im.kind)}};
        switch (im.kind) {
        case ExternKind::func: e["type"] = functype(im.func); break;
        case ExternKind::table: e["type"] = table(im.table); break;
        case ExternKind::memory: e["type"] = memory(im.memory); break;
        case ExternKind::global: e["type"] = global(im.global); break;
        }
        const ImportCapabilities* c = im.kind == ExternKind::func ? find_import_capabilities(im.module, im.name) : nullptr;
        e["provided"] = c != nullptr;
        json any = json::array();
        if (c)
            for (Capability cap : effective_capabilities(*c, r.permissions)) any.push_back(to_string(cap));
        e["permissions_any_of"] = any;
        j["imports"].push_back(e);
    }
    j["exports"] = json::array();
    for (const InspectedExport& e : r.exports)
        j["exports"].push_back({{"name", e.desc.name}, {"kind", to_string(e.desc.kind)}, {"index", e.desc.index}, {"type", e.type}});
    const ModuleDefinitions& d = r.definitions;
    j["functions"] = {{"imported", d.imported_functions}, {"defined", d.functions.size()}};
    j["memories"] = json::array();
    for (size_t i = 0; i < d.memories.size(); i++) {
        json m = memory(d.memories[i]);
        m["index"] = d.imported_memories + i;
        j["memories"].push_back(m);
    }
    j["tables"] = json::array();
    for (size_t i = 0; i < d.tables.size(); i++) {
        json t = table(d.tables[i]);
        t["index"] = d.imported_tables + i;
        j["tables"].push_back(t);
    }
    j["globals"] = json::array();
    for (size_t i = 0; i < d.globals.size(); i++) {
        json g = global(d.globals[i]);
        g["index"] = d.imported_globals + i;
        j["globals"].push_back(g);
    }
    j["start"] = d.start ? json(*d.start) : json(nullptr);
    j["custom_sections"] = json::array();
    for (const auto& [name, size] : r.custom_sections) j["custom_sections"].push_back({{"name", name}, {"size", size}});
    j["permissions"] = json::array();
    for (Capability c : r.permissions) j["permissions"].push_back(to_string(c));
    j["unknown_imports"] = r.unknown_imports;
    return j;
}

}  // namespace crush::cli
