// Copyright Crush authors.
#include "runtime/host_functions.hpp"

#include "capsule/permissions.hpp"
#include "wasi/wasi.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace crush {
namespace {

constexpr size_t kMaxHostPermissionLength = 64;
/// The runtime's own `exo` host module (src/wasi/exo_functions.def).
constexpr std::string_view kExoModule = "exo";

Error invalid(std::string message) { return Error{ErrorKind::invalid, 0, std::move(message)}; }
Error unlinkable(std::string message) { return Error{ErrorKind::unlinkable, 0, std::move(message)}; }

/// `namespace.action`: [A-Za-z0-9_-] segments joined by '.', at least two, none empty.
bool well_formed_permission(std::string_view p) {
    if (p.empty() || p.size() > kMaxHostPermissionLength || p.find('.') == std::string_view::npos) return false;
    if (p.front() == '.' || p.back() == '.' || p.find("..") != std::string_view::npos) return false;
    return std::all_of(p.begin(), p.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    });
}

Result<void> check_spec(const HostFunctionSpec& spec) {
    const std::string what = fmt::format("host function {}.{}", escape_for_terminal(spec.module),
                                         escape_for_terminal(spec.name));
    if (spec.module.empty() || spec.name.empty()) return invalid(what + ": the module and the name must be non-empty");
    if (spec.module == wasi::kModuleName || spec.module == kExoModule)
        return invalid(fmt::format("{}: the module '{}' belongs to the runtime; pick another module name", what,
                                   spec.module));
    if (!spec.function) return invalid(what + ": no function given");
    if (!well_formed_permission(spec.permission))
        return invalid(fmt::format("{}: permission '{}' must look like 'namespace.action' (letters, digits, '_', '-')",
                                   what, escape_for_terminal(spec.permission)));
    if (capability_from_name(spec.permission))
        return invalid(fmt::format("{}: '{}' is a built-in permission; give the function a permission of its own",
                                   what, spec.permission));
    return {};
}

const HostFunctionSpec* find_spec(const CapsuleOptions& options, const ImportDesc& import) {
    for (const HostFunctionSpec& spec : options.host_functions)
        if (spec.module == import.module && spec.name == import.name) return &spec;
    return nullptr;
}

bool is_host_permission(const CapsuleOptions& options, std::string_view permission) {
    return std::any_of(options.host_functions.begin(), options.host_functions.end(),
                       [&](const HostFunctionSpec& s) { return s.permission == permission; });
}

}  // namespace

bool host_permission_granted(const CapsuleOptions& options, std::string_view permission) noexcept {
    return options.allow_all ||
           std::find(options.permissions.begin(), options.permissions.end(), permission) != options.permissions.end();
}

Result<std::vector<std::string>> check_host_functions(const CapsuleOptions& options, const Module& module) {
    for (size_t i = 0; i < options.host_functions.size(); ++i) {
        const HostFunctionSpec& spec = options.host_functions[i];
        CRUSH_TRY(check_spec(spec));
        for (size_t j = 0; j < i; ++j)
            if (options.host_functions[j].module == spec.module && options.host_functions[j].name == spec.name)
                return invalid(fmt::format("host function {}.{} is registered twice", escape_for_terminal(spec.module),
                                           escape_for_terminal(spec.name)));
    }

    for (const ImportDesc& import : module_imports(module)) {
        const HostFunctionSpec* spec = find_spec(options, import);
        if (!spec) continue;
        const std::string where = fmt::format("{}.{}", escape_for_terminal(import.module), escape_for_terminal(import.name));
        if (import.kind != ExternKind::func)
            return unlinkable(fmt::format("import {}: expected a function, the module imports a {}", where,
                                          to_string(import.kind)));
        if (import.func != spec->type)
            return unlinkable(fmt::format("import {}: type mismatch: the host provides {}, the module imports {}", where,
                                          to_string(spec->type), to_string(import.func)));
        if (!host_permission_granted(options, spec->permission)) {
            const std::string fix = options.has_manifest
                                        ? fmt::format("add \"{}\" to [permissions] allow in Capsule.toml", spec->permission)
                                        : fmt::format("grant \"{}\" to the capsule", spec->permission);
            return unlinkable(fmt::format("capsule '{}' imports {}, which needs permission '{}'; {}",
                                          escape_for_terminal(options.name), where, spec->permission, fix));
        }
    }

    // What is left is for the built-in gate, which rejects anything it does not know.
    std::vector<std::string> builtin;
    for (const std::string& p : options.permissions)
        if (!is_host_permission(options, p)) builtin.push_back(p);
    return builtin;
}

FunctionInst* link_host_function(Store& store, const CapsuleOptions& options, const ImportDesc& import) {
    const HostFunctionSpec* spec = find_spec(options, import);
    // Re-checked here, not only in check_host_functions: linking is where authority is handed out.
    if (!spec || import.kind != ExternKind::func || import.func != spec->type ||
        !host_permission_granted(options, spec->permission))
        return nullptr;
    return store.create_host_function(spec->type, spec->function, spec->module + "." + spec->name);
}

}  // namespace crush
