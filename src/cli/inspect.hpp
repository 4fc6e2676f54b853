// Copyright Crush authors.
// `exo inspect`'s logic, apart from CLI11 and the host so it is unit-testable: what a module
// imports, exports (with types), defines (memories, tables, globals), its start function and
// custom sections, and the permissions it could ask for (capsule/capability_map.hpp), as text
// or as one JSON object. Built only on include/crush/wasm.hpp.
#pragma once

#include "capsule/permissions.hpp"

#include <crush/result.hpp>
#include <crush/wasm.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace crush::cli {

/// One export with its type written out ("[i32] -> []", "memory 2 pages, max 16", …).
struct InspectedExport {
    ExportDesc desc;
    std::string type;
};

/// Everything `exo inspect` shows about one module.
struct InspectReport {
    std::string file;                       ///< as given (for display)
    size_t size = 0;                        ///< bytes
    std::vector<ImportDesc> imports;
    std::vector<InspectedExport> exports;
    ModuleDefinitions definitions;
    std::vector<std::pair<std::string, size_t>> custom_sections;  ///< name, payload bytes
    std::vector<Capability> permissions;    ///< what its imports could ask for
    std::vector<std::string> unknown_imports;  ///< "module.name" Crush does not provide
    std::optional<Error> validation_error;  ///< decodes but does not validate
    // From the manifest, when CAPSULE was a capsule (not a bare module).
    std::optional<std::string> capsule_name;
    std::vector<std::string> granted;
};

/// Decode `bytes` (and validate them, recording a validation failure in the report). A
/// malformed binary is the error, with its byte offset.
Result<InspectReport> inspect_module(std::span<const uint8_t> bytes, std::string file);

/// The human-readable report (guest-controlled names escaped for the terminal), ending in '\n'.
std::string format_inspect_text(const InspectReport& report);

/// The machine-readable report: one object with keys file, size, valid, validation_error,
/// imports, exports, functions, memories, tables, globals, start, custom_sections,
/// permissions, unknown_imports (and capsule, granted for a capsule).
nlohmann::json inspect_to_json(const InspectReport& report);

/// "funcref 1..10", "2..unbounded pages", "mut i32": a table, memory or global type in one phrase
/// (the kind itself is printed by the caller).
std::string describe_table(const TableType& t);
std::string describe_memory(const MemoryType& m);
std::string describe_global(const GlobalType& g);

/// "malformed module at byte offset 0x1a (26): magic header not detected" for a load error.
std::string describe_module_error(const Error& error);

}  // namespace crush::cli
