// Copyright Crush authors.
// Extra host functions an embedder offers to capsules, each behind a permission of its own.
#pragma once

#include <crush/wasm.hpp>

#include <string>

namespace crush {

/// One extra host function an embedder offers to capsules, e.g.
///
///     options.host_functions.push_back({"env_ext", "lookup", FuncType{{ValType::i32}, {ValType::i32}},
///                                       my_lookup, "custom.lookup"});
///     options.permissions.push_back("custom.lookup");  // the grant
///
/// The guest imports it as `(import "env_ext" "lookup" (func ...))`.
///
/// Permission rule (no ambient authority): the import is linked only when `permission` is
/// granted — listed verbatim in CapsuleOptions::permissions (or in the manifest's
/// `[permissions] allow`, see load_capsule_options), or CapsuleOptions::allow_all is set.
/// A module that imports the function WITHOUT the grant does not load: Capsule::create fails
/// with ErrorKind::unlinkable and a message naming the import and the permission to add. The
/// function is never linked to a stub, because the VM cannot know what "denied" means in an
/// arbitrary embedder signature, and failing at load is clearer than a failure mid-run.
/// A module that does not import it is unaffected whether granted or not.
///
/// Requirements, checked by Capsule::create (ErrorKind::invalid otherwise):
/// - `module` and `name` non-empty; `module` is not `wasi_snapshot_preview1` or `exo` (host
///   functions extend the capsule ABI, they never replace the gated WASI functions);
/// - no two specs with the same module and name;
/// - `function` is set;
/// - `permission` has the form `namespace.action` (ASCII letters, digits, `_`, `-`, at least
///   one `.`, no scope, at most 64 bytes) and is not a built-in permission name (`io.print`,
///   `fs.read`, … — those gate WASI).
/// The importing module's declared type must equal `type` (ErrorKind::unlinkable otherwise).
///
/// The function runs on the capsule's thread with a HostCall giving the Store and the caller's
/// exported memory; it must bounds-check guest pointers itself (Store::memory_data gives the
/// current size). It reports faults through HostOutcome (trap or exit), never by throwing.
struct HostFunctionSpec {
    std::string module;      ///< import module name, e.g. "env_ext"
    std::string name;        ///< import field name, e.g. "lookup"
    FuncType type;           ///< the exact Wasm type the guest must import it with
    HostFunction function;   ///< called with type.params, fills type.results
    std::string permission;  ///< e.g. "custom.lookup": the grant that links the import
};

}  // namespace crush
