// Copyright Crush authors.
// Linking and instantiation: import matching, allocation, segment initialisation, start.
// https://webassembly.github.io/spec/core/exec/modules.html#instantiation
#include "runtime.hpp"
#include "validator.hpp"

namespace crush {
namespace {

Error unlinkable(const char* message) { return Error{ErrorKind::unlinkable, 0, message}; }

/// https://webassembly.github.io/spec/core/valid/types.html#import-subtyping (limits)
bool limits_match(uint64_t actual_min, std::optional<uint32_t> actual_max, const Limits& expected) {
    if (actual_min < expected.min) return false;
    if (expected.max) {
        if (!actual_max || *actual_max > *expected.max) return false;
    }
    return true;
}

/// Evaluate a validated constant expression.
uint64_t eval_const(const ConstExpr& e, const Instance& inst) {
    uint64_t v = 0;
    for (const ConstInstr& in : e.instrs) {
        switch (in.opcode) {
        case 0x23: v = inst.globals[in.imm]->value; break;
        case 0xd0: v = 0; break;
        case 0xd2: v = reinterpret_cast<uint64_t>(inst.funcs[in.imm]); break;
        case 0x41: v = static_cast<uint32_t>(in.imm); break;
        default: v = in.imm; break;
        }
    }
    return v;
}

}  // namespace

Result<Instance*> Store::instantiate(std::shared_ptr<const Module> module, std::span<const Extern> imports) {
    const Module& m = *module;
    if (!m.compiled) return Error{ErrorKind::invalid, 0, "module was not validated"};
    if (imports.size() != m.imports.size()) return unlinkable("unknown import");

    Impl& s = *m_impl;
    auto owned = std::make_unique<Instance>();
    Instance& inst = *owned;
    inst.module = module;

    // Imports: kind and type must match. https://webassembly.github.io/spec/core/exec/modules.html#import-matching
    for (size_t i = 0; i < imports.size(); ++i) {
        const Import& im = m.imports[i];
        const Extern& ex = imports[i];
        if (ex.kind != im.kind || ex.ptr == nullptr) return unlinkable("incompatible import type");
        switch (im.kind) {
        case ExternKind::func: {
            FunctionInst* f = ex.as_func();
            if (*f->type != m.types[im.func_type]) return unlinkable("incompatible import type");
            inst.funcs.push_back(f);
            break;
        }
        case ExternKind::table: {
            TableInst* t = ex.as_table();
            if (t->type.elem != im.table.elem || !limits_match(t->elems.size(), t->type.limits.max, im.table.limits))
                return unlinkable("incompatible import type");
            inst.tables.push_back(t);
            break;
        }
        case ExternKind::memory: {
            MemoryInst* mem = ex.as_memory();
            if (!limits_match(mem->size / kPageSize, mem->type.limits.max, im.memory.limits))
                return unlinkable("incompatible import type");
            inst.memories.push_back(mem);
            break;
        }
        case ExternKind::global: {
            GlobalInst* g = ex.as_global();
            if (g->type != im.global) return unlinkable("incompatible import type");
            inst.globals.push_back(g);
            break;
        }
        }
    }

    const CompiledCode& code = code_variant(m, s.instrumentation());
    inst.code = &code;
    for (const FuncType& t : m.types) inst.type_ids.push_back(s.intern(t));

    for (size_t i = 0; i < m.functions.size(); ++i) {
        auto f = std::make_unique<FunctionInst>();
        f->type = &m.types[m.functions[i]];
        f->type_id = inst.type_ids[m.functions[i]];
        f->instance = &inst;
        f->index = m.imported_functions + static_cast<uint32_t>(i);
        f->code = &code.funcs[i];
        inst.funcs.push_back(f.get());
        s.funcs.push_back(std::move(f));
    }
    for (const TableType& t : m.tables) {
        TableInst* ti = create_table(t);
        if (!ti) return Error{ErrorKind::uninstantiable, 0, "table allocation refused"};
        inst.tables.push_back(ti);
    }
    for (const MemoryType& t : m.memories) {
        MemoryInst* mi = create_memory(t);
        if (!mi) return Error{ErrorKind::uninstantiable, 0, "memory allocation refused"};
        inst.memories.push_back(mi);
    }
    for (const Global& g : m.globals) {
        // Validation guarantees global.get names imported globals only, already in place.
        inst.globals.push_back(create_global(g.type, Value{g.type.type, eval_const(g.init, inst)}));
    }
    for (const Export& e : m.exports)
        if (e.kind == ExternKind::memory && e.name == "memory") inst.exported_memory = inst.memories[e.index];

    inst.elems.resize(m.elements.size());
    for (size_t i = 0; i < m.elements.size(); ++i) {
        for (const ConstExpr& c : m.elements[i].init)
            inst.elems[i].push_back(reinterpret_cast<void*>(eval_const(c, inst)));
    }
    inst.data_dropped.assign(m.datas.size(), false);

    s.instances.push_back(std::move(owned));

    // Segment initialisation in order, each as table.init/memory.init then drop; a trap stops
    // instantiation with the effects so far kept (Wasm 2.0).
    for (size_t i = 0; i < m.elements.size(); ++i) {
        const ElementSegment& seg = m.elements[i];
        if (seg.mode == ElementSegment::Mode::active) {
            TableInst* t = inst.tables[seg.table];
            const uint64_t dst = static_cast<uint32_t>(eval_const(seg.offset, inst));
            const uint64_t n = inst.elems[i].size();
            if (dst + n > t->elems.size())
                return Error{ErrorKind::uninstantiable, seg.offset_in_binary, trap_message(TrapKind::table_out_of_bounds)};
            for (uint64_t k = 0; k < n; ++k) t->elems[dst + k] = inst.elems[i][k];
        }
        if (seg.mode != ElementSegment::Mode::passive) inst.elems[i].clear();
    }
    for (size_t i = 0; i < m.datas.size(); ++i) {
        const DataSegment& seg = m.datas[i];
        if (seg.mode != DataSegment::Mode::active) continue;
        MemoryInst* mem = inst.memories[seg.memory];
        const uint64_t dst = static_cast<uint32_t>(eval_const(seg.offset, inst));
        if (dst + seg.data_size > mem->size)
            return Error{ErrorKind::uninstantiable, seg.offset_in_binary, trap_message(TrapKind::memory_out_of_bounds)};
        if (seg.data_size) std::memcpy(mem->data + dst, m.bytes.data() + seg.data_offset, seg.data_size);
        inst.data_dropped[i] = true;
    }

    if (m.start) {
        ExecResult r = s.invoke(inst.funcs[*m.start], {});
        if (r.status == ExecResult::Status::trap)
            return Error{ErrorKind::uninstantiable, 0, r.trap.message};
        if (r.status == ExecResult::Status::exit)
            return Error{ErrorKind::uninstantiable, 0, "exit " + std::to_string(r.exit_code)};
    }
    return &inst;
}

}  // namespace crush
