// Copyright Crush authors.
// Which permission each host import can use: the ONE table shared by `exo inspect` (the
// permissions a module could ask for), `exo check` (imports the manifest cannot satisfy) and
// `exo run --learn`. It describes what the gate in ScopedHal checks for each call, so a change
// to the gate is a change here. Every function of src/wasi/wasi_functions.def and
// src/wasi/exo_functions.def has exactly one row (tests/unit/cli/capability_map_test.cpp
// checks that against the .def lists).
#pragma once

#include "capsule/permissions.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace crush {

/// The module names a capsule may import from.
inline constexpr std::string_view kWasiModule = "wasi_snapshot_preview1";
inline constexpr std::string_view kExoModule = "exo";

/// One host function and the capabilities that can make it succeed.
struct ImportCapabilities {
    std::string_view module;                ///< kWasiModule or kExoModule
    std::string_view name;                  ///< the witx / exo_functions.def name
    std::span<const Capability> any_of;     ///< any ONE of these lets it work; empty = always works
    std::string_view why;                   ///< what it does with them, for messages ("opens files")
    /// Works on handles the guest already holds (fd_read, fd_write, sock_recv…): its fs.* and
    /// net.* capabilities matter only if the module can open such a handle (path_open,
    /// sock_accept, exo.sock_connect). Its io.* capabilities (stdio) always matter.
    bool on_open_handles = false;
};

/// Every row, WASI first, in .def order.
std::span<const ImportCapabilities> import_capability_table() noexcept;

/// The row for `module`.`name`, or nullptr when no such host function exists.
const ImportCapabilities* find_import_capabilities(std::string_view module, std::string_view name) noexcept;

/// Whether `module` is one Crush provides (kWasiModule or kExoModule).
bool is_host_module(std::string_view module) noexcept;

/// The distinct capabilities a module importing `imports` (module, name pairs) could use, in
/// Capability order: every capability of the rows that open or act directly, plus, for
/// on_open_handles rows, io.* and those of their capabilities the module can open handles for
/// (fd_write alone — a C "hello" — could only ever use io.print). Unknown imports are ignored
/// (callers report them).
std::vector<Capability> capabilities_for_imports(
    std::span<const std::pair<std::string_view, std::string_view>> imports);

/// The capabilities that could make `row` succeed in a module whose capabilities_for_imports()
/// are `module_capabilities`: row.any_of, minus the fs.*/net.* of an on_open_handles row that
/// the module cannot open handles for. Empty for a row that needs nothing.
std::vector<Capability> effective_capabilities(const ImportCapabilities& row,
                                               std::span<const Capability> module_capabilities);

/// "fs.read or fs.write", "clock", "" for an empty list.
std::string describe_any_of(std::span<const Capability> capabilities);

}  // namespace crush
