// Copyright Crush authors.
// Module lifetime and the loading entry points of include/crush/wasm.hpp.
#include "module.hpp"

#include "compiled.hpp"
#include "decoder.hpp"
#include "validator.hpp"

namespace crush {

Module::Module() = default;
Module::~Module() = default;
Module::Module(Module&&) noexcept = default;
Module& Module::operator=(Module&&) noexcept = default;

const FuncType& Module::func_type(uint32_t func_index) const {
    if (func_index < imported_functions) {
        uint32_t n = 0;
        for (const Import& im : imports) {
            if (im.kind != ExternKind::func) continue;
            if (n++ == func_index) return types[im.func_type];
        }
    }
    return types[functions[func_index - imported_functions]];
}

Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes) {
    Result<Module> m = decode(bytes);
    if (!m.ok()) return std::move(m).error();
    return std::shared_ptr<const Module>(std::make_shared<Module>(std::move(m).value()));
}

Result<std::shared_ptr<const Module>> load_module(std::span<const uint8_t> bytes) {
    return load_module(std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

Result<std::shared_ptr<const Module>> load_module(std::vector<uint8_t>&& bytes) {
    Result<Module> m = decode(std::move(bytes));
    if (!m.ok()) return std::move(m).error();
    auto module = std::make_shared<Module>(std::move(m).value());
    CRUSH_TRY(validate_and_compile(*module));
    return std::shared_ptr<const Module>(std::move(module));
}

std::vector<ImportDesc> module_imports(const Module& m) {
    std::vector<ImportDesc> out;
    for (const Import& im : m.imports) {
        ImportDesc d;
        d.module = im.module;
        d.name = im.name;
        d.kind = im.kind;
        if (im.kind == ExternKind::func && im.func_type < m.types.size()) d.func = m.types[im.func_type];
        d.table = im.table;
        d.memory = im.memory;
        d.global = im.global;
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<ExportDesc> module_exports(const Module& m) {
    std::vector<ExportDesc> out;
    for (const Export& e : m.exports) out.push_back({e.name, e.kind, e.index});
    return out;
}

std::vector<CustomSection> module_custom_sections(const Module& m) {
    std::vector<CustomSection> out;
    for (const CustomSectionDesc& c : m.customs)
        out.push_back({c.name, std::span<const uint8_t>(m.bytes).subspan(c.data_offset, c.data_size)});
    return out;
}

std::optional<std::string> module_function_name(const Module& m, uint32_t func_index) {
    auto it = m.function_names.find(func_index);
    if (it == m.function_names.end()) return std::nullopt;
    return it->second;
}

ModuleDefinitions module_definitions(const Module& m) {
    ModuleDefinitions d;
    for (uint32_t type_index : m.functions)
        d.functions.push_back(type_index < m.types.size() ? m.types[type_index] : FuncType{});
    d.tables = m.tables;
    d.memories = m.memories;
    for (const Global& g : m.globals) d.globals.push_back(g.type);
    d.start = m.start;
    d.imported_functions = m.imported_functions;
    d.imported_tables = m.imported_tables;
    d.imported_memories = m.imported_memories;
    d.imported_globals = m.imported_globals;
    return d;
}

}  // namespace crush
