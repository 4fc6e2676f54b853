// Copyright Crush authors.
#include "wast/linker.hpp"

#include <fmt/format.h>

namespace crush::cli::wast {

bool limits_match(const Limits& actual, const Limits& expected) noexcept {
    if (actual.min < expected.min)
        return false;
    if (!expected.max)
        return true;
    return actual.max && *actual.max <= *expected.max;
}

bool extern_matches(const Store& store, const Extern& ext, const ImportDesc& import) {
    if (ext.kind != import.kind || ext.ptr == nullptr)
        return false;
    switch (import.kind) {
    case ExternKind::func:
        return store.function_type(ext.as_func()) == import.func;
    case ExternKind::table: {
        TableType t = store.table_type(ext.as_table());
        return t.elem == import.table.elem && limits_match(t.limits, import.table.limits);
    }
    case ExternKind::memory:
        return limits_match(store.memory_type(ext.as_memory()).limits, import.memory.limits);
    case ExternKind::global:
        return store.global_type(ext.as_global()) == import.global;
    }
    return false;
}

void Linker::define(std::string module_name, ExportMap exports) {
    m_modules[std::move(module_name)] = std::move(exports);
}

void Linker::register_instance(const Store& store, Instance* instance, std::string module_name) {
    ExportMap exports;
    for (const ExportDesc& e : module_exports(store.instance_module(instance)))
        if (auto ext = store.get_export(instance, e.name))
            exports.emplace(e.name, *ext);
    define(std::move(module_name), std::move(exports));
}

Result<std::vector<Extern>> Linker::resolve(const Store& store, const Module& module) const {
    std::vector<Extern> externs;
    for (const ImportDesc& import : module_imports(module)) {
        auto m = m_modules.find(import.module);
        const Extern* found = nullptr;
        if (m != m_modules.end()) {
            auto e = m->second.find(import.name);
            if (e != m->second.end())
                found = &e->second;
        }
        if (!found)
            return Error{ErrorKind::unlinkable, 0,
                         fmt::format("unknown import \"{}\" \"{}\"", import.module, import.name)};
        if (!extern_matches(store, *found, import))
            return Error{ErrorKind::unlinkable, 0,
                         fmt::format("incompatible import type for \"{}\" \"{}\" (expected {})", import.module,
                                     import.name, to_string(import.kind))};
        externs.push_back(*found);
    }
    return externs;
}

}  // namespace crush::cli::wast
