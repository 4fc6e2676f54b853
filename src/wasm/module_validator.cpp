// Copyright Crush authors.
// Validation of everything outside function bodies: limits, imports, globals and their
// constant expressions, exports, start, element and data segments.
// https://webassembly.github.io/spec/core/valid/modules.html
#include "validator.hpp"

#include <unordered_set>

namespace crush {
namespace {

Error invalid(size_t offset, std::string message) { return Error{ErrorKind::invalid, offset, std::move(message)}; }
Error unknown(size_t offset, const char* what, uint64_t index) {
    return invalid(offset, std::string(what) + " " + std::to_string(index));
}

/// https://webassembly.github.io/spec/core/valid/types.html#limits
Result<void> check_limits(const Limits& l, uint64_t range, const char* range_message, size_t offset) {
    if (l.min > range || (l.max && *l.max > range)) return invalid(offset, range_message);
    if (l.max && l.min > *l.max) return invalid(offset, "size minimum must not be greater than maximum");
    return {};
}

Result<void> check_memory_type(const MemoryType& t, size_t offset) {
    return check_limits(t.limits, 65536, "memory size must be at most 65536 pages (4GiB)", offset);
}
Result<void> check_table_type(const TableType& t, size_t offset) {
    return check_limits(t.limits, 0xffffffffull, "table size", offset);
}

/// https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
/// Per Wasm 2.0, global.get may only name imported, immutable globals.
Result<void> check_const(const ValidationContext& ctx, const ConstExpr& e, ValType expected) {
    std::vector<ValType> stack;
    for (const ConstInstr& in : e.instrs) {
        switch (in.opcode) {
        case 0x41: stack.push_back(ValType::i32); break;
        case 0x42: stack.push_back(ValType::i64); break;
        case 0x43: stack.push_back(ValType::f32); break;
        case 0x44: stack.push_back(ValType::f64); break;
        case 0xd0: stack.push_back(in.ref_type); break;
        case 0xd2:
            if (in.imm >= ctx.func_types.size()) return unknown(in.offset, "unknown function", in.imm);
            stack.push_back(ValType::funcref);
            break;
        case 0x23: {
            if (in.imm >= ctx.module.imported_globals) return unknown(in.offset, "unknown global", in.imm);
            const GlobalType& g = ctx.globals[in.imm];
            if (g.mut) return invalid(in.offset, "constant expression required");
            stack.push_back(g.type);
            break;
        }
        default: return invalid(in.offset, "constant expression required");
        }
    }
    if (stack.size() != 1 || stack[0] != expected) return invalid(e.offset, "type mismatch");
    return {};
}

void collect_refs(const ConstExpr& e, std::vector<bool>& refs) {
    for (const ConstInstr& in : e.instrs)
        if (in.opcode == 0xd2 && in.imm < refs.size()) refs[in.imm] = true;
}

}  // namespace

Result<void> validate_module_fields(const Module& m, ValidationContext& ctx) {
    const uint32_t ntypes = static_cast<uint32_t>(m.types.size());
    for (const Import& im : m.imports) {
        switch (im.kind) {
        case ExternKind::func:
            if (im.func_type >= ntypes) return unknown(im.offset, "unknown type", im.func_type);
            ctx.func_types.push_back(im.func_type);
            break;
        case ExternKind::table:
            CRUSH_TRY(check_table_type(im.table, im.offset));
            ctx.tables.push_back(im.table);
            break;
        case ExternKind::memory:
            CRUSH_TRY(check_memory_type(im.memory, im.offset));
            ctx.memories.push_back(im.memory);
            break;
        case ExternKind::global: ctx.globals.push_back(im.global); break;
        }
    }
    for (size_t i = 0; i < m.functions.size(); ++i) {
        if (m.functions[i] >= ntypes)
            return unknown(i < m.codes.size() ? m.codes[i].body_offset : 0, "unknown type", m.functions[i]);
        ctx.func_types.push_back(m.functions[i]);
    }
    for (const TableType& t : m.tables) {
        CRUSH_TRY(check_table_type(t, 0));
        ctx.tables.push_back(t);
    }
    for (const MemoryType& t : m.memories) {
        CRUSH_TRY(check_memory_type(t, 0));
        ctx.memories.push_back(t);
    }
    if (ctx.memories.size() > 1) return invalid(0, "multiple memories");

    // C.refs: function indices named outside function bodies (globals, elements, exports).
    ctx.refs.assign(ctx.func_types.size(), false);
    for (const Global& g : m.globals) collect_refs(g.init, ctx.refs);
    for (const ElementSegment& e : m.elements)
        for (const ConstExpr& c : e.init) collect_refs(c, ctx.refs);
    for (const Export& e : m.exports)
        if (e.kind == ExternKind::func && e.index < ctx.refs.size()) ctx.refs[e.index] = true;

    for (const Global& g : m.globals) {
        CRUSH_TRY(check_const(ctx, g.init, g.type.type));
        ctx.globals.push_back(g.type);
    }

    std::unordered_set<std::string_view> names;
    for (const Export& e : m.exports) {
        size_t limit = 0;
        const char* what = "";
        switch (e.kind) {
        case ExternKind::func: limit = ctx.func_types.size(); what = "unknown function"; break;
        case ExternKind::table: limit = ctx.tables.size(); what = "unknown table"; break;
        case ExternKind::memory: limit = ctx.memories.size(); what = "unknown memory"; break;
        case ExternKind::global: limit = ctx.globals.size(); what = "unknown global"; break;
        }
        if (e.index >= limit) return unknown(e.offset, what, e.index);
        if (!names.insert(e.name).second) return invalid(e.offset, "duplicate export name");
    }

    if (m.start) {
        if (*m.start >= ctx.func_types.size()) return unknown(0, "unknown function", *m.start);
        const FuncType& t = m.types[ctx.func_types[*m.start]];
        if (!t.params.empty() || !t.results.empty()) return invalid(0, "start function");
    }

    for (const ElementSegment& e : m.elements) {
        if (e.mode == ElementSegment::Mode::active) {
            if (e.table >= ctx.tables.size()) return unknown(e.offset_in_binary, "unknown table", e.table);
            if (ctx.tables[e.table].elem != e.type) return invalid(e.offset_in_binary, "type mismatch");
            CRUSH_TRY(check_const(ctx, e.offset, ValType::i32));
        }
        for (const ConstExpr& c : e.init) CRUSH_TRY(check_const(ctx, c, e.type));
    }
    for (const DataSegment& d : m.datas) {
        if (d.mode == DataSegment::Mode::active) {
            if (d.memory >= ctx.memories.size()) return unknown(d.offset_in_binary, "unknown memory", d.memory);
            CRUSH_TRY(check_const(ctx, d.offset, ValType::i32));
        }
    }
    return {};
}

}  // namespace crush
