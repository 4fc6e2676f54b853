// Copyright Crush authors.
// The wasi_snapshot_preview1 host module, built only on a capsule's ScopedHal.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md
//
// The runtime creates one WasiContext per capsule and, for each import of the module from
// "wasi_snapshot_preview1", asks create_function() for the host function to link. Every function
// is declared once in wasi_functions.def; the implementations are grouped by namespace in
// args_environ.cpp, clock.cpp, fd.cpp, path.cpp, poll.cpp, proc.cpp, random.cpp and sock.cpp.
#pragma once

#include "capsule/env_map.hpp"
#include "capsule/scoped_hal.hpp"

#include <crush/wasm.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crush::wasi {

/// The import module name.
inline constexpr std::string_view kModuleName = "wasi_snapshot_preview1";

/// What the WASI functions of one capsule share: its ScopedHal and its argv.
class WasiContext {
public:
    /// `hal` must outlive the context (and every Store function created with it).
    /// `args` is argv as the guest sees it; each must be free of NUL (else they are cut there).
    WasiContext(ScopedHal& hal, std::vector<std::string> args);

    ScopedHal& hal() noexcept { return m_hal; }
    /// argv laid out for args_get.
    const WasiStringList& args() const noexcept { return m_args; }

private:
    ScopedHal& m_hal;
    WasiStringList m_args;
};

/// The names of every preview1 function, in .def order.
std::span<const std::string_view> function_names() noexcept;

/// The core Wasm type of function `name`, or nullopt when preview1 has no such function.
std::optional<FuncType> function_type(std::string_view name);

/// Create host function `name` in `store`, bound to `ctx` (which must outlive the store's use
/// of it). nullptr when preview1 has no such function.
FunctionInst* create_function(Store& store, WasiContext& ctx, std::string_view name);

/// The `exo` module's name (exo_functions.def): what WASI lacks, e.g. scoped network connect.
inline constexpr std::string_view kExoModuleName = "exo";

/// Create host function `name` of the `exo` module, bound to `ctx`; nullptr when there is none.
FunctionInst* create_exo_function(Store& store, WasiContext& ctx, std::string_view name);

}  // namespace crush::wasi
