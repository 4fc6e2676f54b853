// Copyright Crush authors.
// The binary decoder: bytes -> Module. https://webassembly.github.io/spec/core/binary/modules.html
//
// Error wording follows the spec suite (binary.wast, binary-leb128.wast, custom.wast, utf8-*.wast,
// global.wast). The reference interpreter reads sections from one stream, so a read that runs
// past a section's end is sometimes reported as "section size mismatch" there; we read each
// section through its own bounded Cursor instead (safer, simpler), which reports "unexpected end
// of section or function" at the section's end (the suite's "unexpected end" is a prefix of it).
// Some malformed modules therefore get a different (still malformed) message than the
// reference; never a different kind. The Cursor classifies integers and lengths cut off by a
// section end as the reference does (leb128.hpp).
//
// Deliberate limits (deviations that keep hostile input cheap), reported as "too many locals":
// at most kMaxFunctionLocals declared locals per function (the JS-API limit every browser
// enforces) and kMaxModuleLocals in the whole module, because Code::locals is expanded.
//
// Hostile counts: no vector is sized from a count read from the binary. Every vector element
// consumes at least one byte, so loops end at the section's end; reservations are capped by the
// remaining byte count.
#include "decoder.hpp"

#include "leb128.hpp"
#include "name_section.hpp"
#include "opcodes.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

// Read a value or propagate the error: `CRUSH_READ(x, c.read_u32());` declares `x`.
#define CRUSH_READ(var, expr)                                  \
    auto var##_result_ = (expr);                               \
    if (!var##_result_.ok()) return std::move(var##_result_).error(); \
    auto var = std::move(*var##_result_)

namespace crush {
namespace {

constexpr uint64_t kMaxFunctionLocals = 50000;
constexpr uint64_t kMaxModuleLocals = uint64_t{1} << 24;

/// https://webassembly.github.io/spec/core/binary/modules.html#sections
enum class SectionId : uint8_t {
    custom = 0, type = 1, import = 2, function = 3, table = 4, memory = 5, global = 6,
    export_ = 7, start = 8, element = 9, code = 10, data = 11, data_count = 12,
};
constexpr uint8_t kMaxSectionId = 12;

/// Position of each non-custom section in the required order (data count sits between the
/// element and code sections).
constexpr std::array<uint8_t, kMaxSectionId + 1> kSectionRank = {
    0,   // custom: anywhere
    1,   // type
    2,   // import
    3,   // function
    4,   // table
    5,   // memory
    6,   // global
    7,   // export
    8,   // start
    9,   // element
    11,  // code
    12,  // data
    10,  // data count
};

Error invalid(size_t offset, std::string message) {
    return Error{ErrorKind::invalid, offset, std::move(message)};
}

/// Reserve for `count` elements of at least `min_bytes` each, capped by what the bytes can hold.
template <class T>
void reserve_bounded(std::vector<T>& v, uint64_t count, const Cursor& c, size_t min_bytes = 1) {
    v.reserve(static_cast<size_t>(std::min<uint64_t>(count, c.remaining() / min_bytes)));
}

class Decoder {
public:
    explicit Decoder(Module& module) : m_m(module) {}

    Result<void> run();

private:
    Result<void> section(SectionId id, Cursor& c);
    Result<void> type_section(Cursor& c);
    Result<void> import_section(Cursor& c);
    Result<void> function_section(Cursor& c);
    Result<void> table_section(Cursor& c);
    Result<void> memory_section(Cursor& c);
    Result<void> global_section(Cursor& c);
    Result<void> export_section(Cursor& c);
    Result<void> start_section(Cursor& c);
    Result<void> element_section(Cursor& c);
    Result<void> code_section(Cursor& c);
    Result<void> data_section(Cursor& c);
    Result<void> data_count_section(Cursor& c);
    Result<void> custom_section(Cursor& c);

    Result<ValType> value_type(Cursor& c);
    Result<ValType> ref_type(Cursor& c);
    Result<Limits> limits(Cursor& c);
    Result<TableType> table_type(Cursor& c);
    Result<GlobalType> global_type(Cursor& c);
    Result<ConstExpr> const_expr(Cursor& c);
    Result<void> skip_immediates(Opcode op, Cursor& c);

    /// Remember the first *invalid* finding; it is reported only if the whole binary decodes
    /// (a malformed binary is malformed, whatever else is wrong with it).
    void defer_invalid(size_t offset, const char* message) {
        if (!m_deferred_invalid) m_deferred_invalid = invalid(offset, message);
    }

    Module& m_m;
    std::optional<Error> m_deferred_invalid;
    uint64_t m_module_locals = 0;
};

// ---------------------------------------------------------------------------------------------
// Module structure

Result<void> Decoder::run() {
    Cursor top(m_m.bytes, 0, kUnexpectedEnd);

    // https://webassembly.github.io/spec/core/binary/modules.html#binary-module
    static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
    static constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
    CRUSH_READ(magic, top.read_bytes(4));
    if (!std::equal(magic.begin(), magic.end(), kMagic)) return malformed(0, "magic header not detected");
    CRUSH_READ(version, top.read_bytes(4));
    if (!std::equal(version.begin(), version.end(), kVersion)) return malformed(4, "unknown binary version");

    uint8_t last_rank = 0;
    while (!top.at_end()) {
        const size_t id_offset = top.offset();
        CRUSH_READ(id_byte, top.read_u8());
        if (id_byte > kMaxSectionId) return malformed(id_offset, "malformed section id");
        const auto id = static_cast<SectionId>(id_byte);
        CRUSH_READ(size, top.read_u32());
        CRUSH_READ(body, top.take(size, kUnexpectedEndOfSection));
        if (id != SectionId::custom) {
            // Each known section at most once, in order; the reference interpreter stops
            // parsing at the first section it does not expect there.
            const uint8_t rank = kSectionRank[id_byte];
            if (rank <= last_rank) return malformed(id_offset, "unexpected content after last section");
            last_rank = rank;
        }
        CRUSH_TRY(section(id, body));
        if (!body.at_end()) return malformed(body.offset(), "section size mismatch");
    }

    if (m_m.functions.size() != m_m.codes.size())
        return malformed(top.offset(), "function and code section have inconsistent lengths");
    if (m_m.data_count && *m_m.data_count != m_m.datas.size())
        return malformed(top.offset(), "data count and data section have inconsistent lengths");
    if (m_deferred_invalid) return *m_deferred_invalid;
    return {};
}

Result<void> Decoder::section(SectionId id, Cursor& c) {
    switch (id) {
        case SectionId::custom: return custom_section(c);
        case SectionId::type: return type_section(c);
        case SectionId::import: return import_section(c);
        case SectionId::function: return function_section(c);
        case SectionId::table: return table_section(c);
        case SectionId::memory: return memory_section(c);
        case SectionId::global: return global_section(c);
        case SectionId::export_: return export_section(c);
        case SectionId::start: return start_section(c);
        case SectionId::element: return element_section(c);
        case SectionId::code: return code_section(c);
        case SectionId::data: return data_section(c);
        case SectionId::data_count: return data_count_section(c);
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Types. https://webassembly.github.io/spec/core/binary/types.html

Result<ValType> Decoder::value_type(Cursor& c) {
    const size_t at = c.offset();
    CRUSH_READ(b, c.read_u8());
    // The reference reads type codes as a 7-bit signed LEB128, so a continuation bit means
    // "integer representation too long" (binary.wast "\e0\7f").
    if (b & 0x80) return malformed(c.offset(), kIntegerTooLong);
    switch (b) {
        case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x70: case 0x6f:
            return static_cast<ValType>(b);
        default: return malformed(at, "malformed value type");
    }
}

Result<ValType> Decoder::ref_type(Cursor& c) {
    const size_t at = c.offset();
    CRUSH_READ(b, c.read_u8());
    if (b & 0x80) return malformed(c.offset(), kIntegerTooLong);
    if (b == 0x70 || b == 0x6f) return static_cast<ValType>(b);
    return malformed(at, "malformed reference type");
}

Result<Limits> Decoder::limits(Cursor& c) {
    CRUSH_READ(flag, c.read_u1());  // 0: min only, 1: min and max
    Limits l;
    CRUSH_READ(min, c.read_u32());
    l.min = min;
    if (flag == 1) {
        CRUSH_READ(max, c.read_u32());
        l.max = max;
    }
    return l;
}

Result<TableType> Decoder::table_type(Cursor& c) {
    CRUSH_READ(elem, ref_type(c));
    CRUSH_READ(lim, limits(c));
    return TableType{elem, lim};
}

Result<GlobalType> Decoder::global_type(Cursor& c) {
    CRUSH_READ(type, value_type(c));
    const size_t at = c.offset();
    CRUSH_READ(mut, c.read_u8());
    if (mut > 1) return malformed(at, "malformed mutability");
    return GlobalType{type, mut == 1};
}

Result<void> Decoder::type_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.types, count, c, 3);
    for (uint32_t i = 0; i < count; ++i) {
        const size_t at = c.offset();
        CRUSH_READ(form, c.read_u8());
        if (form & 0x80) return malformed(c.offset(), kIntegerTooLong);
        if (form != 0x60) return malformed(at, "malformed function type");
        FuncType ft;
        for (auto* list : {&ft.params, &ft.results}) {
            CRUSH_READ(n, c.read_u32());
            reserve_bounded(*list, n, c);
            for (uint32_t k = 0; k < n; ++k) {
                CRUSH_READ(t, value_type(c));
                list->push_back(t);
            }
        }
        m_m.types.push_back(std::move(ft));
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Imports and exports

Result<void> Decoder::import_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.imports, count, c, 4);
    for (uint32_t i = 0; i < count; ++i) {
        Import im;
        im.offset = c.offset();
        CRUSH_READ(module_name, c.read_name());
        CRUSH_READ(field_name, c.read_name());
        im.module = std::move(module_name);
        im.name = std::move(field_name);
        const size_t kind_at = c.offset();
        CRUSH_READ(kind, c.read_u8());
        switch (kind) {
            case 0: {
                CRUSH_READ(type_index, c.read_u32());
                im.kind = ExternKind::func;
                im.func_type = type_index;
                ++m_m.imported_functions;
                break;
            }
            case 1: {
                CRUSH_READ(tt, table_type(c));
                im.kind = ExternKind::table;
                im.table = tt;
                ++m_m.imported_tables;
                break;
            }
            case 2: {
                CRUSH_READ(lim, limits(c));
                im.kind = ExternKind::memory;
                im.memory = MemoryType{lim};
                ++m_m.imported_memories;
                break;
            }
            case 3: {
                CRUSH_READ(gt, global_type(c));
                im.kind = ExternKind::global;
                im.global = gt;
                ++m_m.imported_globals;
                break;
            }
            default: return malformed(kind_at, "malformed import kind");
        }
        m_m.imports.push_back(std::move(im));
    }
    return {};
}

Result<void> Decoder::export_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.exports, count, c, 3);
    for (uint32_t i = 0; i < count; ++i) {
        Export ex;
        ex.offset = c.offset();
        CRUSH_READ(name, c.read_name());
        ex.name = std::move(name);
        const size_t kind_at = c.offset();
        CRUSH_READ(kind, c.read_u8());
        if (kind > 3) return malformed(kind_at, "malformed export kind");
        ex.kind = static_cast<ExternKind>(kind);
        CRUSH_READ(index, c.read_u32());
        ex.index = index;
        m_m.exports.push_back(std::move(ex));
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Functions, tables, memories, globals, start

Result<void> Decoder::function_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.functions, count, c);
    for (uint32_t i = 0; i < count; ++i) {
        CRUSH_READ(type_index, c.read_u32());
        m_m.functions.push_back(type_index);
    }
    return {};
}

Result<void> Decoder::table_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.tables, count, c, 3);
    for (uint32_t i = 0; i < count; ++i) {
        CRUSH_READ(tt, table_type(c));
        m_m.tables.push_back(tt);
    }
    return {};
}

Result<void> Decoder::memory_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.memories, count, c, 2);
    for (uint32_t i = 0; i < count; ++i) {
        CRUSH_READ(lim, limits(c));
        m_m.memories.push_back(MemoryType{lim});
    }
    return {};
}

Result<void> Decoder::global_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.globals, count, c, 4);
    for (uint32_t i = 0; i < count; ++i) {
        CRUSH_READ(gt, global_type(c));
        CRUSH_READ(init, const_expr(c));
        m_m.globals.push_back(Global{gt, std::move(init)});
    }
    return {};
}

Result<void> Decoder::start_section(Cursor& c) {
    CRUSH_READ(index, c.read_u32());
    m_m.start = index;
    return {};
}

// ---------------------------------------------------------------------------------------------
// Constant expressions. https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
//
// The reference interpreter decodes a constant expression with its full instruction decoder and
// leaves constness to validation. So: an unknown opcode is malformed ("illegal opcode"); a
// known but non-constant instruction is *invalid* ("constant expression required"), deferred
// until the rest of the binary has decoded, its immediates skipped so decoding can go on.

Result<ConstExpr> Decoder::const_expr(Cursor& c) {
    ConstExpr e;
    e.offset = c.offset();
    uint32_t depth = 0;  // nesting of block/loop/if inside a (non-constant) expression
    for (;;) {
        ConstInstr in;
        in.offset = c.offset();
        CRUSH_READ(op, c.read_u8());
        in.opcode = op;
        switch (op) {
            case 0x0b:  // end
                if (depth == 0) return e;
                --depth;
                continue;
            case 0x41: {  // i32.const
                CRUSH_READ(v, c.read_s32());
                in.imm = static_cast<uint32_t>(v);
                break;
            }
            case 0x42: {  // i64.const
                CRUSH_READ(v, c.read_s64());
                in.imm = static_cast<uint64_t>(v);
                break;
            }
            case 0x43: {  // f32.const
                CRUSH_READ(v, c.read_f32_bits());
                in.imm = v;
                break;
            }
            case 0x44: {  // f64.const
                CRUSH_READ(v, c.read_f64_bits());
                in.imm = v;
                break;
            }
            case 0xd0: {  // ref.null t
                CRUSH_READ(t, ref_type(c));
                in.ref_type = t;
                break;
            }
            case 0xd2:    // ref.func x
            case 0x23: {  // global.get x
                CRUSH_READ(index, c.read_u32());
                in.imm = index;
                break;
            }
            case 0x05:  // else: ends the instruction sequence, which must end with `end`
                if (depth == 0) return malformed(in.offset, "END opcode expected");
                continue;
            default: {
                std::optional<Opcode> known;
                if (op == 0xfc) {
                    CRUSH_READ(sub, c.read_u32());
                    known = opcode_from_fc(sub);
                } else {
                    known = opcode_from_byte(op);
                }
                if (!known) return malformed(in.offset, "illegal opcode");
                defer_invalid(in.offset, "constant expression required");
                if (*known == Opcode::block || *known == Opcode::loop || *known == Opcode::if_) ++depth;
                CRUSH_TRY(skip_immediates(*known, c));
                continue;
            }
        }
        if (depth == 0) e.instrs.push_back(in);
    }
}

/// Skip the immediates of a (non-constant) instruction, checking their encoding as the
/// reference decoder would.
Result<void> Decoder::skip_immediates(Opcode op, Cursor& c) {
    auto u32 = [&c]() -> Result<void> {
        auto r = c.read_u32();
        if (!r) return std::move(r).error();
        return {};
    };
    auto byte = [&c]() -> Result<void> {
        auto r = c.read_u8();
        if (!r) return std::move(r).error();
        return {};
    };
    switch (opcode_imm(op)) {
        case ImmKind::none: return {};
        case ImmKind::block_type: {
            CRUSH_READ(bt, c.read_s33());
            (void)bt;
            return {};
        }
        case ImmKind::label:
        case ImmKind::func:
        case ImmKind::local:
        case ImmKind::global:
        case ImmKind::table:
        case ImmKind::elem:
        case ImmKind::data:
            return u32();
        case ImmKind::br_table: {
            CRUSH_READ(n, c.read_u32());
            for (uint32_t i = 0; i < n; ++i) CRUSH_TRY(u32());  // bounded by the bytes
            return u32();
        }
        case ImmKind::call_indirect:
        case ImmKind::elem_table:
        case ImmKind::table_table:
        case ImmKind::memarg:
            CRUSH_TRY(u32());
            return u32();
        case ImmKind::ref_type: {
            CRUSH_READ(t, ref_type(c));
            (void)t;
            return {};
        }
        case ImmKind::select_types: {
            CRUSH_READ(n, c.read_u32());
            for (uint32_t i = 0; i < n; ++i) {
                CRUSH_READ(t, value_type(c));
                (void)t;
            }
            return {};
        }
        case ImmKind::memory: return byte();
        case ImmKind::data_memory:
            CRUSH_TRY(u32());
            return byte();
        case ImmKind::memory_memory:
            CRUSH_TRY(byte());
            return byte();
        case ImmKind::i32: {
            CRUSH_READ(v, c.read_s32());
            (void)v;
            return {};
        }
        case ImmKind::i64: {
            CRUSH_READ(v, c.read_s64());
            (void)v;
            return {};
        }
        case ImmKind::f32: return c.skip(4);
        case ImmKind::f64: return c.skip(8);
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Element segments. https://webassembly.github.io/spec/core/binary/modules.html#element-section
//
//   flags  mode         table       offset  element form
//   0      active       0           expr    vec(funcidx)          (funcref)
//   1      passive      -           -       elemkind vec(funcidx)
//   2      active       tableidx    expr    elemkind vec(funcidx)
//   3      declarative  -           -       elemkind vec(funcidx)
//   4      active       0           expr    vec(expr)             (funcref)
//   5      passive      -           -       reftype vec(expr)
//   6      active       tableidx    expr    reftype vec(expr)
//   7      declarative  -           -       reftype vec(expr)

Result<void> Decoder::element_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.elements, count, c, 3);
    for (uint32_t i = 0; i < count; ++i) {
        ElementSegment seg;
        seg.offset_in_binary = c.offset();
        CRUSH_READ(flags, c.read_u32());
        if (flags > 7) return malformed(seg.offset_in_binary, "malformed elements segment kind");
        const bool passive_or_declarative = flags & 1;
        const bool explicit_table = flags & 2;
        const bool uses_exprs = flags & 4;
        if (passive_or_declarative) {
            seg.mode = explicit_table ? ElementSegment::Mode::declarative : ElementSegment::Mode::passive;
        } else {
            seg.mode = ElementSegment::Mode::active;
            if (explicit_table) {
                CRUSH_READ(table, c.read_u32());
                seg.table = table;
            }
            CRUSH_READ(offset, const_expr(c));
            seg.offset = std::move(offset);
        }
        // The element type: implicit funcref for flags 0 and 4, else elemkind or reftype.
        if (passive_or_declarative || explicit_table) {
            if (uses_exprs) {
                CRUSH_READ(t, ref_type(c));
                seg.type = t;
            } else {
                const size_t at = c.offset();
                CRUSH_READ(kind, c.read_u8());
                if (kind != 0x00) return malformed(at, "malformed element kind");
                seg.type = ValType::funcref;
            }
        }
        CRUSH_READ(n, c.read_u32());
        reserve_bounded(seg.init, n, c);
        for (uint32_t k = 0; k < n; ++k) {
            if (uses_exprs) {
                CRUSH_READ(expr, const_expr(c));
                seg.init.push_back(std::move(expr));
            } else {
                // A function index: stored as the equivalent `ref.func x`.
                ConstExpr expr;
                expr.offset = c.offset();
                CRUSH_READ(index, c.read_u32());
                expr.instrs.push_back(ConstInstr{0xd2, index, ValType::funcref, expr.offset});
                seg.init.push_back(std::move(expr));
            }
        }
        m_m.elements.push_back(std::move(seg));
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Code. https://webassembly.github.io/spec/core/binary/modules.html#code-section

Result<void> Decoder::code_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.codes, count, c, 2);
    for (uint32_t i = 0; i < count; ++i) {
        CRUSH_READ(size, c.read_u32());
        CRUSH_READ(body, c.take(size, kUnexpectedEndOfSection));
        Code code;
        // Locals come compressed as (count, type) runs; the total is checked before expanding.
        CRUSH_READ(runs, body.read_u32());
        std::vector<std::pair<uint32_t, ValType>> decls;
        reserve_bounded(decls, runs, body, 2);
        uint64_t total = 0;
        for (uint32_t k = 0; k < runs; ++k) {
            const size_t at = body.offset();
            CRUSH_READ(n, body.read_u32());
            total += n;
            if (total > kMaxFunctionLocals) return malformed(at, "too many locals");
            CRUSH_READ(t, value_type(body));
            decls.emplace_back(n, t);
        }
        m_module_locals += total;
        if (m_module_locals > kMaxModuleLocals) return malformed(body.offset(), "too many locals");
        code.locals.reserve(static_cast<size_t>(total));
        for (auto [n, t] : decls) code.locals.insert(code.locals.end(), n, t);
        code.body_offset = body.offset();
        code.body_size = body.remaining();
        m_m.codes.push_back(std::move(code));
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Data. https://webassembly.github.io/spec/core/binary/modules.html#data-section
//   0: active memory 0, expr, bytes   1: passive, bytes   2: active memidx, expr, bytes

Result<void> Decoder::data_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    reserve_bounded(m_m.datas, count, c, 2);
    for (uint32_t i = 0; i < count; ++i) {
        DataSegment seg;
        seg.offset_in_binary = c.offset();
        CRUSH_READ(flags, c.read_u32());
        if (flags > 2) return malformed(seg.offset_in_binary, "malformed data segment kind");
        if (flags == 1) {
            seg.mode = DataSegment::Mode::passive;
        } else {
            seg.mode = DataSegment::Mode::active;
            if (flags == 2) {
                CRUSH_READ(memory, c.read_u32());
                seg.memory = memory;
            }
            CRUSH_READ(offset, const_expr(c));
            seg.offset = std::move(offset);
        }
        CRUSH_READ(size, c.read_u32());
        seg.data_offset = c.offset();
        CRUSH_READ(bytes, c.read_bytes(size));
        seg.data_size = bytes.size();
        m_m.datas.push_back(std::move(seg));
    }
    return {};
}

Result<void> Decoder::data_count_section(Cursor& c) {
    CRUSH_READ(count, c.read_u32());
    m_m.data_count = count;
    return {};
}

// ---------------------------------------------------------------------------------------------
// Custom sections: kept (name + payload location); the `name` section is parsed, and ignored
// when malformed. https://webassembly.github.io/spec/core/binary/modules.html#custom-section

Result<void> Decoder::custom_section(Cursor& c) {
    CRUSH_READ(name, c.read_name());
    CustomSectionDesc desc;
    desc.name = std::move(name);
    desc.data_offset = c.offset();
    desc.data_size = c.remaining();
    CRUSH_TRY(c.skip(c.remaining()));
    if (desc.name == "name") {
        std::span<const uint8_t> contents(m_m.bytes.data() + desc.data_offset, desc.data_size);
        (void)parse_name_section(contents, desc.data_offset, m_m);
    }
    m_m.customs.push_back(std::move(desc));
    return {};
}

}  // namespace

Result<Module> decode(std::vector<uint8_t>&& bytes) {
    Module m;
    m.bytes = std::move(bytes);  // offsets below index the Module's own copy
    Decoder d(m);
    CRUSH_TRY(d.run());
    return Result<Module>(std::move(m));
}

Result<Module> decode(std::span<const uint8_t> bytes) { return decode(std::vector<uint8_t>(bytes.begin(), bytes.end())); }

}  // namespace crush

#undef CRUSH_READ
