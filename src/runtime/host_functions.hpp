// Copyright Crush authors.
// Embedder host functions behind permissions (include/crush/host_function.hpp): validating the
// specs, checking a module's imports against the grants, and linking them into a Store.
// Capsule::create and Capsule::run call these; the rules live here, in one place.
#pragma once

#include <crush/capsule.hpp>
#include <crush/result.hpp>
#include <crush/wasm.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crush {

/// Whether `permission` is granted to the capsule as an embedder permission: listed verbatim in
/// options.permissions, or options.allow_all.
bool host_permission_granted(const CapsuleOptions& options, std::string_view permission) noexcept;

/// Check options.host_functions (the rules in host_function.hpp: ErrorKind::invalid) and every
/// import of `module` that names one (type mismatch or missing grant: ErrorKind::unlinkable,
/// the message names the import and the permission). On success, returns options.permissions
/// without the embedder permissions — the list the built-in gate (Permissions::parse) gets.
Result<std::vector<std::string>> check_host_functions(const CapsuleOptions& options, const Module& module);

/// The host function that satisfies `import`, created in `store`, or nullptr when no spec names
/// it, its kind or type differ, or its permission is not granted (the caller reports the import
/// as unlinkable).
FunctionInst* link_host_function(Store& store, const CapsuleOptions& options, const ImportDesc& import);

}  // namespace crush
