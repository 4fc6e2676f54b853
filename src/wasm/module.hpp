// Copyright Crush authors.
// The decoded module: the decoder's output, the validator/compiler's input. Immutable once
// load_module returns it (STYLE.md "Descriptions apart from live objects").
// https://webassembly.github.io/spec/core/syntax/modules.html
#pragma once

#include <crush/wasm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace crush {

struct CompiledModule;  // the compiler's output (compiled.hpp); owned by Module

/// One instruction of a constant expression.
/// https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
struct ConstInstr {
    uint8_t opcode = 0;   ///< single-byte opcode (0x41 i32.const … 0xd0 ref.null, 0xd2 ref.func, 0x23 global.get)
    uint64_t imm = 0;     ///< constant bits (floats as bits), or the index for global.get/ref.func
    ValType ref_type = ValType::funcref;  ///< for ref.null
    size_t offset = 0;    ///< byte offset of the opcode in the binary
};

/// A constant expression, without its closing `end`.
struct ConstExpr {
    std::vector<ConstInstr> instrs;
    size_t offset = 0;  ///< byte offset of the first instruction
};

/// https://webassembly.github.io/spec/core/syntax/modules.html#imports
struct Import {
    std::string module;
    std::string name;
    ExternKind kind = ExternKind::func;
    uint32_t func_type = 0;  ///< kind == func: index into Module::types
    TableType table;
    MemoryType memory;
    GlobalType global;
    size_t offset = 0;
};

/// https://webassembly.github.io/spec/core/syntax/modules.html#globals
struct Global {
    GlobalType type;
    ConstExpr init;
};

/// https://webassembly.github.io/spec/core/syntax/modules.html#exports
struct Export {
    std::string name;
    ExternKind kind = ExternKind::func;
    uint32_t index = 0;
    size_t offset = 0;
};

/// https://webassembly.github.io/spec/core/syntax/modules.html#element-segments
struct ElementSegment {
    enum class Mode : uint8_t { active, passive, declarative };
    Mode mode = Mode::active;
    uint32_t table = 0;     ///< active only
    ConstExpr offset;       ///< active only
    ValType type = ValType::funcref;
    std::vector<ConstExpr> init;  ///< function-index forms are decoded as `ref.func i`
    size_t offset_in_binary = 0;
};

/// https://webassembly.github.io/spec/core/syntax/modules.html#data-segments
struct DataSegment {
    enum class Mode : uint8_t { active, passive };
    Mode mode = Mode::active;
    uint32_t memory = 0;    ///< active only
    ConstExpr offset;       ///< active only
    size_t data_offset = 0; ///< bytes live in Module::bytes[data_offset, data_offset + data_size)
    size_t data_size = 0;
    size_t offset_in_binary = 0;
};

/// A function body as decoded: locals expanded, instructions left as bytes for the
/// validator/compiler (which walk them exactly once).
/// https://webassembly.github.io/spec/core/binary/modules.html#code-section
struct Code {
    std::vector<ValType> locals;  ///< declared locals only (params are in the type)
    size_t body_offset = 0;       ///< first instruction byte in Module::bytes
    size_t body_size = 0;         ///< up to and including the final `end`
};

struct CustomSectionDesc {
    std::string name;
    size_t data_offset = 0;
    size_t data_size = 0;
};

class Module {
public:
    Module();
    ~Module();
    Module(Module&&) noexcept;
    Module& operator=(Module&&) noexcept;

    std::vector<uint8_t> bytes;  ///< the module's own copy of the binary

    std::vector<FuncType> types;
    std::vector<Import> imports;
    std::vector<uint32_t> functions;  ///< type index of each *defined* function
    std::vector<TableType> tables;    ///< defined tables
    std::vector<MemoryType> memories; ///< defined memories
    std::vector<Global> globals;      ///< defined globals
    std::vector<Export> exports;
    std::optional<uint32_t> start;
    std::vector<ElementSegment> elements;
    std::optional<uint32_t> data_count;
    std::vector<Code> codes;          ///< one per defined function
    std::vector<DataSegment> datas;
    std::vector<CustomSectionDesc> customs;

    // From the `name` custom section, when present and well-formed (a malformed name section is
    // ignored, as the spec allows).
    std::string module_name;
    std::unordered_map<uint32_t, std::string> function_names;

    // Counts of imported entities, filled by the decoder: index spaces are imports first.
    uint32_t imported_functions = 0;
    uint32_t imported_tables = 0;
    uint32_t imported_memories = 0;
    uint32_t imported_globals = 0;

    /// Type of any function in the function index space (imports first).
    const FuncType& func_type(uint32_t func_index) const;
    uint32_t total_functions() const { return imported_functions + static_cast<uint32_t>(functions.size()); }
    uint32_t total_tables() const { return imported_tables + static_cast<uint32_t>(tables.size()); }
    uint32_t total_memories() const { return imported_memories + static_cast<uint32_t>(memories.size()); }
    uint32_t total_globals() const { return imported_globals + static_cast<uint32_t>(globals.size()); }

    /// Filled by validate+compile; nullptr for a decode-only module.
    std::unique_ptr<CompiledModule> compiled;
};

}  // namespace crush
