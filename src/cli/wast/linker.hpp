// Copyright Crush authors.
// The script's module registry (`register` and the `spectest` host module) and import
// resolution. Imports are matched here, with the spec's rules, before Store::instantiate (which
// checks again), so `assert_unlinkable` sees the reference interpreter's messages.
// https://webassembly.github.io/spec/core/exec/modules.html#import-matching
#pragma once

#include <crush/result.hpp>
#include <crush/wasm.hpp>

#include <map>
#include <string>
#include <vector>

namespace crush::cli::wast {

/// The exports of one registered module, by name.
using ExportMap = std::map<std::string, Extern, std::less<>>;

/// Limits subtyping: `actual` (the provided object's current limits) matches `expected` (the
/// import's) when it is at least as large and at most as growable.
/// https://webassembly.github.io/spec/core/valid/types.html#limits (import matching)
bool limits_match(const Limits& actual, const Limits& expected) noexcept;

/// Whether the external value `ext` can satisfy `import`: same kind, and matching type.
bool extern_matches(const Store& store, const Extern& ext, const ImportDesc& import);

/// The registered modules a script can import from, by module name.
class Linker {
public:
    /// Make `exports` importable under `module_name` (replacing an earlier registration).
    void define(std::string module_name, ExportMap exports);

    /// Register every export of `instance` under `module_name`.
    void register_instance(const Store& store, Instance* instance, std::string module_name);

    /// One Extern per import of `module`, in order. Errors (kind unlinkable): "unknown import"
    /// when no registered module exports that name, "incompatible import type" when the kind
    /// or type does not match; the message then names the import.
    Result<std::vector<Extern>> resolve(const Store& store, const Module& module) const;

private:
    std::map<std::string, ExportMap, std::less<>> m_modules;
};

}  // namespace crush::cli::wast
