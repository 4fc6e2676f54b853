// Copyright Crush authors.
// One pass per function body, two collaborators (STYLE.md "Validate and compile in one pass"):
// for each instruction the FunctionValidator checks it, then the Emitter writes internal code
// (compiled.hpp). Code that validation proves unreachable (after br, return, unreachable…) is
// not emitted; the validator's stack heights give every branch its fixed stack adjustment.
//
// Slot addressing: beside the validator's operand stack the compiler keeps a stack of *sources*
// (Src): a value computed into its canonical slot, or a deferred `local.get x` or constant that
// costs no instruction until something needs it in a slot. Operators read their sources'
// slots (constants as immediates where a form exists) and write the slot of the height they
// push; `op; local.set x` retargets that write to x. Deferred sources are materialized where
// the canonical layout matters: before a write to a local they read (the local.set hazard), at
// block/loop/if entry (so no deferred source lives below a label), at block ends and on branches
// for the values carried, for call arguments and for operands of the rare stack-form ops.
// Fuel counts Wasm instructions here, not emitted ones: a deferred local.get still costs 1.
#include "code_reader.hpp"
#include "compiled.hpp"
#include "validator.hpp"

#include <climits>

namespace crush {
namespace {

constexpr size_t kNone = SIZE_MAX;

/// Where an operand stack value is, at compile time: in its canonical stack slot (computed
/// there), or still deferred: a `local.get x` not yet copied, a constant not yet written.
struct Src {
    enum Kind : uint8_t { stack, local, konst };
    Kind kind = stack;
    uint64_t value = 0;  ///< local index or constant bits
};

/// Compiler state for one control frame, parallel to the validator's CtrlFrame.
struct Label {
    bool dead = false;          ///< entered from unreachable code: nothing inside is emitted
    bool is_loop = false;
    size_t loop_target = 0;     ///< word index of a loop's first instruction
    /// The forward branches to this label's end, chained through their own target words
    /// (Emitter::forward): kNone or the last one's position. No allocation per label.
    size_t fixups = kNone;
    size_t else_fixup = kNone;  ///< an if's br_unless target, patched at else or end
};

class Emitter {
public:
    Emitter(CompiledCode& out, const void* const* handlers) : m_out(out), m_handlers(handlers) {}

    /// Start an instruction. The first of a block takes over the block's head (compiled.hpp):
    /// its handler word is then the head's, and the words after it read as usual.
    void op(Op o) {
        m_last_op = o;
        m_dst_pos = kNone;
        if (m_head_open) {
            m_head_open = false;
            m_last_pos = m_head_kind == Head::check ? m_head_pos : m_head_pos + 1;
            m_head_op_pos = m_last_pos;
            if (m_head_kind == Head::check) put(0);
            set_handler(m_last_pos, o);
            return;
        }
        m_last_pos = here();
        put(word(o));
    }
    CRUSH_HOT_INLINE void imm(uint64_t v) { put(v); }
    /// The destination slot of the instruction being emitted (retarget() may change it).
    CRUSH_HOT_INLINE void dst(uint64_t slot) {
        m_dst_pos = here();
        imm(slot);
    }
    size_t here() const { return m_size; }
    /// Where a branch to the current position must go: onto a block head no instruction has
    /// taken yet, so the branch pays the block's charge too.
    size_t target_here() const { return m_head_open && m_head_kind != Head::check ? m_head_pos : here(); }
    /// A word holding a code index, converted to a pointer once all code is emitted.
    void target(size_t word_index) {
        m_pc_words.push_back(here());
        imm(word_index);
    }
    /// A target word to be patched later: added to the chain `fixups` (kNone when empty),
    /// each word holding the previous one's position until patch_all() resolves them.
    void forward(size_t& fixups) {
        const size_t pos = here();
        target(fixups);
        fixups = pos;
    }
    void patch(size_t pos, size_t word_index) { m_out.code[pos] = word_index; }
    /// Resolve a chain built by forward() to `word_index`.
    void patch_all(size_t fixups, size_t word_index) {
        while (fixups != kNone) {
            const size_t next = m_out.code[fixups];
            m_out.code[fixups] = word_index;
            fixups = next;
        }
    }

    /// The next instruction is a branch target: nothing may be fused across it.
    void bind() {
        m_last_pos = kNone;
        m_dst_pos = kNone;
    }

    /// When the instruction just emitted wrote slot `from`, make it write `to` instead
    /// (`op; local.set x` computes straight into x). Returns false when it did not.
    bool retarget(uint64_t from, uint64_t to) {
        if (m_dst_pos == kNone || m_out.code[m_dst_pos] != from) return false;
        m_out.code[m_dst_pos] = to;
        return true;
    }

    /// Fuse a conditional branch (`br_if`, or an `if`'s `br_unless` when `unless`) on the value
    /// in slot `cond` into the comparison just emitted, when that computed it: `cmp; br_if`
    /// becomes `br_if_cmp a b`, `i32.eqz; br_if` becomes `br_unless a`. On true the branch is
    /// written up to its target word, which the caller emits.
    bool fuse_branch(bool unless, uint64_t cond) {
        if (m_last_pos == kNone || m_dst_pos != m_last_pos + 1 || m_out.code[m_dst_pos] != cond) return false;
        auto& c = m_out.code;
        if (m_last_op == Op::i32_eqz) {  // i32_eqz dst a -> br_x a
            set_handler(m_last_pos, unless ? Op::br_if : Op::br_unless);
            c[m_last_pos + 1] = c[m_last_pos + 2];
            --m_size;
        } else {  // cmp dst a b -> br_x_cmp a b
            const Op fused = fused_branch(m_last_op, unless);
            if (fused == Op::count_) return false;
            set_handler(m_last_pos, fused);
            c[m_last_pos + 1] = c[m_last_pos + 2];
            c[m_last_pos + 2] = c[m_last_pos + 3];
            --m_size;
        }
        bind();
        return true;
    }

    /// Start a basic block (the function's entry, a loop header, a conditional branch's
    /// fall-through, an else, an end that branches reach): in fuel code a charge whose amount
    /// grows with each instruction; at a loop header (`loop_header`) an interrupt check as well.
    /// A block still empty when the next one starts shares its head: both begin at the same
    /// instruction.
    void begin_block(bool loop_header = false) {
        bind();
        const Instrumentation how = m_out.instrumentation;
        if (how == Instrumentation::none) return;
        if (how == Instrumentation::interrupt) {
            if (!loop_header) return;
            if (m_handlers) open_head(Head::check, here());
            else put(word(Op::interrupt_check));
            return;
        }
        const Head kind = loop_header ? Head::check_charge : Head::charge;
        if (m_head_open && m_head_kind != Head::check) {
            if (kind == Head::check_charge) m_head_kind = kind;  // the shared head checks too
            m_out.code[m_head_pos] = word(m_head_kind == Head::charge ? Op::fuel : Op::fuel_check);
            return;
        }
        const size_t pos = here();
        put(word(kind == Head::charge ? Op::fuel : Op::fuel_check));
        m_fuel_pos = here();
        imm(0);
        if (m_handlers) open_head(kind, pos);
    }
    /// One more Wasm instruction in the current block (deferred ones cost fuel too).
    void count() {
        if (m_fuel_pos != kNone) ++m_out.code[m_fuel_pos];
    }
    void end_function() {
        m_fuel_pos = kNone;
        m_head_open = false;
    }

    /// Turn code indexes into pointers (the code vector no longer changes).
    void finish() {
        m_out.code.resize(m_size);  // a shrink: the data stays where it is
        for (size_t pos : m_pc_words)
            m_out.code[pos] = reinterpret_cast<CodeWord>(m_out.code.data() + m_out.code[pos]);
        for (CompiledFunction& f : m_out.funcs) f.code = m_out.code.data() + f.entry;
    }

    /// The immediate-operand form of integer binary operator `o` (binops.def), if any.
    static Op imm_form(Op o) {
        switch (o) {
#define CRUSH_BINOP(name, conv, expr) case Op::name: return Op::name##_i;
#include "binops.def"
#undef CRUSH_BINOP
        default: return Op::count_;
        }
    }

    /// The immediate-value form of store `o` (memops.def).
    static Op store_imm_form(Op o) {
        switch (o) {
#define CRUSH_LOAD(name, ctype, conv)
#define CRUSH_STORE(name, ctype) case Op::name: return Op::name##_i;
#include "memops.def"
#undef CRUSH_LOAD
#undef CRUSH_STORE
        default: return o;
        }
    }

private:
    CompiledCode& m_out;
    const void* const* m_handlers;
    /// The code emitted so far is m_out.code[0, m_size): the vector is sized ahead
    /// (compile_functions) and only grows, so emitting a word is a store (finish() trims it).
    size_t m_size = 0;

    CRUSH_HOT_INLINE void put(CodeWord w) {
        if (m_size == m_out.code.size()) [[unlikely]] grow();
        m_out.code[m_size++] = w;
    }
    [[gnu::noinline]] void grow() { m_out.code.resize(m_out.code.size() * 2 + 64); }

    CodeWord word(Op o) const { return head_word(Head::none, o); }
    CodeWord head_word(Head h, Op o) const {
        const auto i = static_cast<uint16_t>(o);
        if (!m_handlers) return i;
        return reinterpret_cast<CodeWord>(m_handlers[static_cast<size_t>(h) * kOpCount + i]);
    }
    void open_head(Head kind, size_t pos) {
        m_head_open = true;
        m_head_kind = kind;
        m_head_pos = pos;
        m_head_op_pos = kNone;
    }
    /// Make the instruction whose handler word is (logically) at `pos` run `o`: one that took a
    /// block head keeps the head's kind.
    void set_handler(size_t pos, Op o) {
        if (pos == m_head_op_pos) m_out.code[m_head_pos] = head_word(m_head_kind, o);
        else m_out.code[pos] = word(o);
    }
    /// The compare-and-branch form of comparison `c` (plain or immediate form).
    static Op fused_branch(Op c, bool unless) {
        switch (c) {
#define CRUSH_CMP(name, conv, cond)                                                      \
    case Op::name: return unless ? Op::br_unless_##name : Op::br_if_##name;              \
    case Op::name##_i: return unless ? Op::br_unless_##name##_i : Op::br_if_##name##_i;
#include "cmpops.def"
#undef CRUSH_CMP
        default: return Op::count_;
        }
    }

    std::vector<size_t> m_pc_words;
    size_t m_fuel_pos = kNone;  ///< the n word of the current block's charge
    size_t m_last_pos = kNone;  ///< start of the last instruction, if fusable with the next
    size_t m_dst_pos = kNone;   ///< the last instruction's destination word, if it has one
    Op m_last_op = Op::nop;
    // The current block head (threaded dispatch only; switch dispatch uses separate instructions).
    bool m_head_open = false;      ///< no instruction has taken the head yet
    Head m_head_kind = Head::none;
    size_t m_head_pos = kNone;     ///< the head's handler word
    size_t m_head_op_pos = kNone;  ///< the logical handler position of the instruction that took it
};

bool is_valtype_byte(uint8_t b) {
    return b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b || b == 0x70 || b == 0x6f;
}

/// Natural alignment (log2 of the access size) of a load or store.
uint32_t natural_alignment(Opcode op) {
    switch (op) {
    case Opcode::i32_load8_s: case Opcode::i32_load8_u: case Opcode::i64_load8_s:
    case Opcode::i64_load8_u: case Opcode::i32_store8: case Opcode::i64_store8: return 0;
    case Opcode::i32_load16_s: case Opcode::i32_load16_u: case Opcode::i64_load16_s:
    case Opcode::i64_load16_u: case Opcode::i32_store16: case Opcode::i64_store16: return 1;
    case Opcode::i32_load: case Opcode::f32_load: case Opcode::i64_load32_s:
    case Opcode::i64_load32_u: case Opcode::i32_store: case Opcode::f32_store:
    case Opcode::i64_store32: return 2;
    default: return 3;
    }
}

/// The reference interpreter decodes past a body that lacks its final `end`; match its wording:
/// the next byte, if any, is read as an instruction (0x0b ends the body too late).
const char* missing_end_message(const Module& m, const Code& code) {
    const size_t next = code.body_offset + code.body_size;
    if (next >= m.bytes.size()) return "unexpected end of section or function";
    return m.bytes[next] == 0x0b ? "section size mismatch" : "END opcode expected";
}

/// Decode a body's instructions without validating them, for the first *malformed* error.
/// The spec decodes the whole binary before validating, so a malformed body anywhere wins
/// over an invalid one found earlier by the one-pass validator.
std::optional<Error> skim_body(const Module& m, const Code& code) {
    CodeReader r(std::span<const uint8_t>(m.bytes).subspan(code.body_offset, code.body_size), code.body_offset);
    size_t depth = 0;
    auto zero = [&r] {
        if (r.u8() != 0 && !r.failed()) r.fail("zero byte expected");
    };
    while (!r.failed()) {
        if (r.at_end()) {
            r.fail(missing_end_message(m, code));
            break;
        }
        const uint8_t b = r.u8();
        const std::optional<Opcode> op = b == 0xfc ? opcode_from_fc(r.u32()) : opcode_from_byte(b);
        if (r.failed()) break;
        if (!op) {
            r.fail("illegal opcode");
            break;
        }
        switch (opcode_imm(*op)) {
        case ImmKind::none: break;
        case ImmKind::block_type: (void)r.s33(); break;
        case ImmKind::br_table: {
            const uint32_t n = r.u32();
            for (uint64_t i = 0; i <= n && !r.failed(); ++i) (void)r.u32();
            break;
        }
        case ImmKind::label: case ImmKind::func: case ImmKind::local: case ImmKind::global:
        case ImmKind::table: case ImmKind::elem: (void)r.u32(); break;
        case ImmKind::call_indirect: case ImmKind::elem_table: case ImmKind::table_table:
        case ImmKind::memarg: (void)r.u32(); (void)r.u32(); break;
        case ImmKind::ref_type: {
            const uint8_t t = r.u8();
            if (!r.failed() && t != 0x70 && t != 0x6f) r.fail("malformed reference type");
            break;
        }
        case ImmKind::select_types: {
            const uint32_t n = r.u32();
            for (uint64_t i = 0; i < n && !r.failed(); ++i) {
                const uint8_t t = r.u8();
                if (!r.failed() && !is_valtype_byte(t)) r.fail("malformed value type");
            }
            break;
        }
        case ImmKind::memory: zero(); break;
        case ImmKind::memory_memory: zero(); zero(); break;
        // A missing data count section is left to the validator: wast2json omits it for modules
        // whose data index is invalid anyway, and the suite expects "unknown data segment".
        case ImmKind::data_memory: (void)r.u32(); zero(); break;
        case ImmKind::data: (void)r.u32(); break;
        case ImmKind::i32: (void)r.s32(); break;
        case ImmKind::i64: (void)r.s64(); break;
        case ImmKind::f32: (void)r.fixed32(); break;
        case ImmKind::f64: (void)r.fixed64(); break;
        }
        if (r.failed()) break;
        if (*op == Opcode::block || *op == Opcode::loop || *op == Opcode::if_) ++depth;
        if (*op == Opcode::end) {
            if (depth == 0) {
                if (!r.at_end()) return Error{ErrorKind::malformed, r.offset(), "section size mismatch"};
                return std::nullopt;
            }
            --depth;
        }
    }
    return r.error();
}

/// The per-function working state, kept across the functions of a module so their vectors'
/// storage is reused instead of allocated and freed for every body.
struct CompilerScratch {
    FunctionValidator v;
    std::vector<Label> labels;
    std::vector<VType> locals;
    std::vector<VType> results;
    std::vector<Src> srcs;

    void reset() {
        v.reset();
        labels.clear();
        locals.clear();
        results.clear();
        srcs.clear();
    }
};

class FunctionCompiler {
public:
    FunctionCompiler(const ValidationContext& ctx, Emitter& em, CompiledFunction& fn, const Code& code,
                     CompilerScratch& scratch)
        : m_ctx(ctx), m_m(ctx.module), m_em(em), m_fn(fn), m_code(code),
          m_r(std::span<const uint8_t>(ctx.module.bytes).subspan(code.body_offset, code.body_size),
              code.body_offset),
          m_v(scratch.v), m_labels(scratch.labels), m_locals(scratch.locals), m_results(scratch.results),
          m_srcs(scratch.srcs) {
        scratch.reset();
    }

    Result<void> run();

private:
    CRUSH_HOT_INLINE bool live() const { return !m_labels.back().dead && !m_v.unreachable(); }
    void emit(Op o) { if (live()) m_em.op(o); }
    void emit(Op o, uint64_t a) { if (live()) { m_em.op(o); m_em.imm(a); } }
    /// The canonical slot of operand stack height `height`.
    uint64_t slot(size_t height) const { return m_num_locals + height; }

    // The operand stack of sources, parallel to the validator's: what each height holds.
    CRUSH_HOT_INLINE Src& at(size_t height) {
        if (height >= m_srcs.size()) [[unlikely]] grow_srcs(height);
        return m_srcs[height];
    }
    [[gnu::noinline]] void grow_srcs(size_t height) { m_srcs.resize(height + 1); }
    void set_stack(size_t from, size_t to) {
        for (size_t h = from; h < to; ++h) at(h) = Src{};
    }
    /// Push a value computed into its canonical slot.
    CRUSH_HOT_INLINE void push_stack(VType t) {
        m_v.push_val(t);
        at(m_v.height() - 1) = Src{};
    }
    CRUSH_HOT_INLINE void push_src(VType t, Src s) {
        m_v.push_val(t);
        at(m_v.height() - 1) = s;
    }
    /// Write the deferred source at `height` to its canonical slot.
    void materialize(size_t height) {
        Src& s = at(height);
        if (s.kind == Src::stack) return;
        if (live()) {
            m_em.op(s.kind == Src::local ? Op::mov : Op::mov_i);
            m_em.dst(slot(height));
            m_em.imm(s.value);
        }
        s = Src{};
    }
    void materialize(size_t from, size_t to) {
        for (size_t h = from; h < to; ++h) materialize(h);
    }
    /// The slot holding the value at `height` (a constant is materialized first).
    uint64_t operand(size_t height) {
        materialize_const(height);
        const Src& s = at(height);
        return s.kind == Src::local ? s.value : slot(height);
    }
    void materialize_const(size_t height) {
        if (at(height).kind == Src::konst) materialize(height);
    }
    /// Before local x is written: no deferred read of x may see the new value. Returns true
    /// when it emitted code. Heights below the innermost block hold no deferred sources.
    bool protect_local(uint64_t x, size_t below) {
        bool emitted = false;
        for (size_t h = m_v.ctrls().back().height; h < below; ++h) {
            if (at(h).kind == Src::local && at(h).value == x) {
                materialize(h);
                emitted = true;
            }
        }
        return emitted;
    }
    /// At a block's end (or else): its results go to their canonical slots, as on every
    /// branch to it. Only when the height is right (else validation fails anyway).
    void materialize_results() {
        const CtrlFrame& f = m_v.ctrls().back();
        if (m_v.ctrls().size() > 1 && m_h0 == f.height + f.end_types.size()) materialize(f.height, m_h0);
    }
    /// Where the function's results are for a return from stack height `top`.
    uint64_t return_src(size_t top) {
        const size_t n = m_results.size();
        if (n == 1) return operand(top - 1);
        materialize(top - n, top);
        return slot(top - n);
    }
    void emit_return(uint64_t src) {
        m_em.op(Op::return_);
        m_em.imm(m_results.size());
        m_em.imm(src);
    }
    /// local.set x of the value at `height`: computed straight into x when the instruction
    /// just emitted produced it, else copied.
    void set_local(uint64_t x, size_t height) {
        const Src s = at(height);
        const bool moved = protect_local(x, height);
        if (s.kind == Src::stack) {
            if (moved || !m_em.retarget(slot(height), x)) {
                m_em.op(Op::mov);
                m_em.dst(x);
                m_em.imm(slot(height));
            }
        } else if (s.kind == Src::konst || s.value != x) {
            m_em.op(s.kind == Src::local ? Op::mov : Op::mov_i);
            m_em.dst(x);
            m_em.imm(s.value);
        }
    }
    /// select: dst a b cond, in the slot of the first operand.
    void emit_select() {
        if (!live() || m_h0 < 3) return;
        const size_t h = m_h0 - 3;
        const uint64_t a = operand(h), b = operand(h + 1), c = operand(h + 2);
        m_em.op(Op::select);
        m_em.dst(slot(h));
        m_em.imm(a);
        m_em.imm(b);
        m_em.imm(c);
    }
    /// A rarely hot instruction in stack form: its `consumed` operands in canonical slots, and
    /// the slot above them as its last word (interpreter.cpp).
    void emit_stack_form(Op o, std::initializer_list<uint64_t> imms, size_t consumed) {
        if (!live() || m_h0 < consumed) return;
        materialize(m_h0 - consumed, m_h0);
        m_em.op(o);
        for (uint64_t v : imms) m_em.imm(v);
        m_em.imm(slot(m_h0));
    }
    /// The generic path: numeric operators, loads and stores.
    void emit_simple(Opcode op, const SimpleSig& sig, bool has_memarg, uint32_t offset);

    bool block_type(TypeList& in, TypeList& out);
    void emit_branch(uint32_t depth, bool conditional);
    bool instruction(Opcode op);
    bool memarg(Opcode op, uint32_t& offset);
    bool check_memory() { return m_ctx.memories.empty() ? m_v.fail("unknown memory 0") : true; }
    bool zero_byte() {
        if (m_r.u8() != 0 && !m_r.failed()) m_r.fail("zero byte expected");
        return !m_r.failed();
    }
    bool unknown(const char* what, uint32_t index) { return m_v.fail(std::string(what) + " " + std::to_string(index)); }
    bool check_table(uint32_t t) { return t < m_ctx.tables.size() ? true : unknown("unknown table", t); }
    /// memory.init and data.drop need the data count section (the body precedes the data).
    bool check_data(uint32_t d) {
        const size_t count = m_m.data_count ? *m_m.data_count : m_m.datas.size();
        if (d >= count) return unknown("unknown data segment", d);
        if (!m_m.data_count) { m_r.fail("data count section required"); return false; }
        return true;
    }
    bool check_elem(uint32_t e) { return e < m_m.elements.size() ? true : unknown("unknown elem segment", e); }
    bool pop_i32() { return m_v.pop_val_expect(vt(ValType::i32)); }

    const ValidationContext& m_ctx;
    const Module& m_m;
    Emitter& m_em;
    CompiledFunction& m_fn;
    const Code& m_code;
    CodeReader m_r;
    FunctionValidator& m_v;
    std::vector<Label>& m_labels;
    std::vector<VType>& m_locals;
    size_t m_num_locals = 0;
    std::vector<VType>& m_results;
    std::vector<Src>& m_srcs;
    size_t m_h0 = 0;  ///< the operand stack height before the current instruction
};

bool FunctionCompiler::block_type(TypeList& in, TypeList& out) {
    const int64_t bt = m_r.s33();
    if (m_r.failed()) return false;
    if (bt == -64) return true;  // 0x40: [] -> []
    if (bt < 0) {
        const uint8_t b = static_cast<uint8_t>(bt & 0x7f);
        if (!is_valtype_byte(b)) { m_r.fail("malformed value type"); return false; }
        out = TypeList::one(b);
        return true;
    }
    if (static_cast<uint64_t>(bt) >= m_m.types.size()) return unknown("unknown type", static_cast<uint32_t>(bt));
    const FuncType& t = m_m.types[static_cast<size_t>(bt)];
    in = TypeList(vtypes(t.params));
    out = TypeList(vtypes(t.results));
    return true;
}

/// Branch to the label `depth` frames out. Called before the validator pops the label's
/// operands, so the current height includes them (and not a br_if's condition, just above).
/// The carried values are materialized first: the target expects them in canonical slots.
void FunctionCompiler::emit_branch(uint32_t depth, bool conditional) {
    const size_t h = m_v.height();
    const size_t idx = m_v.ctrls().size() - 1 - depth;
    const size_t carried = idx == 0 ? m_results.size() : FunctionValidator::label_types(m_v.ctrls()[idx]).size();
    if (!live() || h < carried) return;  // (too few operands: validation fails next)
    const uint64_t cond = conditional ? operand(h) : 0;
    const bool cond_computed = conditional && at(h).kind == Src::stack;
    if (idx == 0) {  // the function's own label: a return
        const uint64_t src = return_src(h);
        if (conditional) {
            m_em.op(Op::br_unless);
            m_em.imm(cond);
            size_t skip = kNone;
            m_em.forward(skip);
            emit_return(src);
            m_em.patch_all(skip, m_em.here());  // the caller begins the fall-through's block here
            m_em.bind();
        } else {
            emit_return(src);
        }
        return;
    }
    const CtrlFrame& f = m_v.ctrls()[idx];
    Label& l = m_labels[idx];
    const size_t arity = FunctionValidator::label_types(f).size();
    const bool moves = h - arity != f.height;
    const size_t before = m_em.here();
    materialize(h - arity, h);
    const bool fusable = conditional && !moves && cond_computed && m_em.here() == before;
    if (!(fusable && m_em.fuse_branch(false, cond))) {
        m_em.op(conditional ? (moves ? Op::br_if_drop : Op::br_if) : (moves ? Op::br_drop : Op::br));
        if (conditional) m_em.imm(cond);
    }
    if (l.is_loop) m_em.target(l.loop_target);
    else m_em.forward(l.fixups);
    if (moves) {
        m_em.imm(arity);
        m_em.imm(slot(h - arity));
        m_em.imm(slot(f.height));
    }
}

bool FunctionCompiler::memarg(Opcode op, uint32_t& offset) {
    const uint32_t align = m_r.u32();
    offset = m_r.u32();
    if (m_r.failed()) return false;
    if (!check_memory()) return false;
    if (align > natural_alignment(op)) return m_v.fail("alignment must not be larger than natural");
    return true;
}

Result<void> FunctionCompiler::run() {
    const FuncType& type = m_m.types[m_fn.type_index];
    for (ValType p : type.params) m_locals.push_back(vt(p));
    for (ValType l : m_code.locals) m_locals.push_back(vt(l));
    for (ValType r : type.results) m_results.push_back(vt(r));
    m_num_locals = m_locals.size();
    m_fn.num_params = static_cast<uint32_t>(type.params.size());
    m_fn.num_locals = static_cast<uint32_t>(m_code.locals.size());
    m_fn.num_results = static_cast<uint32_t>(type.results.size());
    m_fn.entry = m_em.here();

    m_v.offset = m_code.body_offset;
    m_v.push_ctrl(Opcode::block, {}, TypeList(m_results));
    m_labels.push_back({});
    m_em.begin_block();

    while (!m_v.ctrls().empty()) {
        if (m_r.at_end()) {
            m_r.fail(missing_end_message(m_m, m_code));
            break;
        }
        m_v.offset = m_r.offset();
        const uint8_t b = m_r.u8();
        std::optional<Opcode> op;
        if (b == 0xfc) {
            const uint32_t sub = m_r.u32();
            if (m_r.failed()) break;
            op = opcode_from_fc(sub);
        } else {
            op = opcode_from_byte(b);
        }
        if (!op) {
            m_r.fail("illegal opcode");
            break;
        }
        if (!instruction(*op)) break;
    }
    m_em.end_function();
    if (m_r.error()) return *m_r.error();
    if (m_v.error()) return *m_v.error();
    if (!m_r.at_end()) return Error{ErrorKind::malformed, m_r.offset(), "section size mismatch"};
    m_fn.frame_size = static_cast<uint32_t>(m_num_locals + m_v.max_height());
    return {};
}

bool FunctionCompiler::instruction(Opcode op) {
    const VType i32 = vt(ValType::i32);
    m_h0 = m_v.height();
    // Fuel counts every executed instruction but the structure markers, which do no work of
    // their own (a loop's header is not re-executed by its back-edge).
    const bool marker = op == Opcode::block || op == Opcode::loop || op == Opcode::else_ || op == Opcode::end;
    if (live() && !marker) m_em.count();
    switch (op) {
    case Opcode::unreachable:
        emit(Op::unreachable);
        m_v.set_unreachable();
        return true;
    case Opcode::nop: return true;
    case Opcode::block:
    case Opcode::loop:
    case Opcode::if_: {
        TypeList in, out;
        if (!block_type(in, out)) return false;
        const bool was_live = live();
        if (op == Opcode::if_ && !pop_i32()) return false;
        if (!m_v.pop_vals(in.span())) return false;
        Label l;
        l.dead = !was_live;
        if (was_live) {
            // Inside the block every value below it sits in its canonical slot.
            const size_t top = op == Opcode::if_ ? m_h0 - 1 : m_h0;
            const size_t before = m_em.here();
            uint64_t cond = 0;
            bool computed = false;
            if (op == Opcode::if_) {
                cond = operand(top);
                computed = at(top).kind == Src::stack;
            }
            materialize(m_v.ctrls().back().height, top);
            if (op == Opcode::if_) {
                if (!(computed && m_em.here() == before && m_em.fuse_branch(true, cond))) {
                    m_em.op(Op::br_unless);
                    m_em.imm(cond);
                }
                l.else_fixup = m_em.here();
                m_em.target(0);
            }
        }
        if (op == Opcode::loop) {
            l.is_loop = true;
            l.loop_target = m_em.target_here();
        }
        m_v.push_ctrl(op, in, out);
        m_labels.push_back(std::move(l));
        if (was_live) {
            // A block's start is no branch target: its body continues the current basic block.
            if (op == Opcode::block) m_em.bind();
            else m_em.begin_block(op == Opcode::loop);
        }
        return true;
    }
    case Opcode::else_: {
        if (m_v.ctrls().back().opcode != Opcode::if_) {
            m_r.fail("else without if");
            return false;
        }
        const bool end_live = live();
        if (end_live) materialize_results();
        CtrlFrame f;
        if (!m_v.pop_ctrl(f)) return false;
        Label& l = m_labels.back();
        if (!l.dead) {
            if (end_live) {
                m_em.op(Op::br);
                m_em.forward(l.fixups);
            }
            m_em.patch(l.else_fixup, m_em.target_here());
            l.else_fixup = kNone;
        }
        m_v.push_ctrl(Opcode::else_, f.start_types, f.end_types);
        set_stack(f.height, f.height + f.start_types.size());
        if (!l.dead) m_em.begin_block();
        return true;
    }
    case Opcode::end: {
        const bool end_live = live();
        if (end_live) materialize_results();
        if (end_live && m_v.ctrls().size() == 1 && m_h0 == m_results.size())  // the function's end
            emit_return(return_src(m_h0));
        CtrlFrame f;
        if (!m_v.pop_ctrl(f)) return false;
        if (m_v.ctrls().empty()) return true;
        if (f.opcode == Opcode::if_ && f.start_types != f.end_types) return m_v.fail("type mismatch");
        Label l = std::move(m_labels.back());
        m_labels.pop_back();
        // Only an end that branches reach starts a basic block; otherwise the code after it
        // continues the current one (nothing is fused across an end either way).
        const bool targeted = !l.dead && (l.else_fixup != kNone || l.fixups != kNone);
        if (targeted) {
            if (l.else_fixup != kNone) m_em.patch(l.else_fixup, m_em.target_here());
            m_em.patch_all(l.fixups, m_em.target_here());
        }
        m_v.push_vals(f.end_types.span());
        set_stack(f.height, f.height + f.end_types.size());
        if (live()) {
            if (targeted) m_em.begin_block();
            else m_em.bind();
        }
        return true;
    }
    case Opcode::br: {
        const uint32_t depth = m_r.u32();
        if (m_r.failed()) return false;
        if (depth >= m_v.ctrls().size()) return unknown("unknown label", depth);
        emit_branch(depth, false);
        if (!m_v.pop_vals(FunctionValidator::label_types(m_v.ctrls()[m_v.ctrls().size() - 1 - depth])))
            return false;
        m_v.set_unreachable();
        return true;
    }
    case Opcode::br_if: {
        const uint32_t depth = m_r.u32();
        if (m_r.failed()) return false;
        if (depth >= m_v.ctrls().size()) return unknown("unknown label", depth);
        if (!pop_i32()) return false;
        emit_branch(depth, true);
        const auto types = FunctionValidator::label_types(m_v.ctrls()[m_v.ctrls().size() - 1 - depth]);
        if (!m_v.pop_vals(types)) return false;
        m_v.push_vals(types);
        if (live()) m_em.begin_block();
        return true;
    }
    case Opcode::br_table: {
        const uint32_t n = m_r.u32();
        if (m_r.failed()) return false;
        if (n > m_r.remaining()) { m_r.fail("unexpected end"); return false; }
        std::vector<uint32_t> depths(n + 1);
        for (uint32_t i = 0; i <= n; ++i) depths[i] = m_r.u32();
        if (m_r.failed()) return false;
        if (!pop_i32()) return false;
        const size_t nctrl = m_v.ctrls().size();
        for (uint32_t d : depths)
            if (d >= nctrl) return unknown("unknown label", d);
        const auto dflt = FunctionValidator::label_types(m_v.ctrls()[nctrl - 1 - depths[n]]);
        const size_t arity = dflt.size();
        if (live() && m_v.height() >= arity) {
            const size_t h = m_v.height();
            const uint64_t cond = operand(h);
            materialize(h - arity, h);
            const uint64_t src = slot(h - arity);
            m_em.op(Op::br_table);
            m_em.imm(cond);
            m_em.imm(n);
            m_em.imm(arity);
            m_em.imm(src);
            size_t to_return = kNone;
            for (uint32_t d : depths) {
                const size_t idx = nctrl - 1 - d;
                if (idx == 0) {
                    m_em.forward(to_return);
                    m_em.imm(src);  // the results stay where return_ takes them
                } else {
                    Label& l = m_labels[idx];
                    if (l.is_loop) m_em.target(l.loop_target);
                    else m_em.forward(l.fixups);
                    m_em.imm(slot(m_v.ctrls()[idx].height));
                }
            }
            if (to_return != kNone) {
                m_em.patch_all(to_return, m_em.here());
                emit_return(src);
            }
        }
        for (uint32_t i = 0; i < n; ++i) {
            const auto types = FunctionValidator::label_types(m_v.ctrls()[nctrl - 1 - depths[i]]);
            if (types.size() != arity) return m_v.fail("type mismatch");
            std::vector<VType> actual;
            if (!m_v.pop_vals_actual(types, actual)) return false;
            m_v.push_vals(actual);
        }
        if (!m_v.pop_vals(dflt)) return false;
        m_v.set_unreachable();
        return true;
    }
    case Opcode::return_:
        if (live() && m_h0 >= m_results.size()) emit_return(return_src(m_h0));
        if (!m_v.pop_vals(m_results)) return false;
        m_v.set_unreachable();
        return true;
    case Opcode::call: {
        const uint32_t f = m_r.u32();
        if (m_r.failed()) return false;
        if (f >= m_ctx.func_types.size()) return unknown("unknown function", f);
        const FuncType& t = m_m.types[m_ctx.func_types[f]];
        if (!m_v.pop_vals(vtypes(t.params))) return false;
        const size_t args = m_v.height();
        if (live()) {
            materialize(args, m_h0);
            m_em.op(Op::call);
            m_em.imm(f);
            m_em.imm(slot(args));
        }
        for (ValType r : t.results) push_stack(vt(r));
        return true;
    }
    case Opcode::call_indirect: {
        const uint32_t ti = m_r.u32();
        const uint32_t table = m_r.u32();
        if (m_r.failed()) return false;
        if (!check_table(table)) return false;
        if (m_ctx.tables[table].elem != ValType::funcref) return m_v.fail("type mismatch");
        if (ti >= m_m.types.size()) return unknown("unknown type", ti);
        if (!pop_i32()) return false;
        const FuncType& t = m_m.types[ti];
        if (!m_v.pop_vals(vtypes(t.params))) return false;
        const size_t args = m_v.height();
        if (live()) {
            const uint64_t index = operand(m_h0 - 1);
            materialize(args, m_h0 - 1);
            m_em.op(Op::call_indirect);
            m_em.imm(ti);
            m_em.imm(table);
            m_em.imm(index);
            m_em.imm(slot(args));
        }
        for (ValType r : t.results) push_stack(vt(r));
        return true;
    }
    case Opcode::drop: {
        VType t = kUnknown;
        if (!m_v.pop_val(t)) return false;
        return true;
    }
    case Opcode::select: {
        if (!pop_i32()) return false;
        VType t1 = kUnknown, t2 = kUnknown;
        if (!m_v.pop_val(t1) || !m_v.pop_val(t2)) return false;
        auto is_num = [](VType t) {
            return t == kUnknown || t == 0x7f || t == 0x7e || t == 0x7d || t == 0x7c || t == 0x7b;
        };
        if (!is_num(t1) || !is_num(t2)) return m_v.fail("type mismatch");
        if (t1 != t2 && t1 != kUnknown && t2 != kUnknown) return m_v.fail("type mismatch");
        emit_select();
        push_stack(t1 == kUnknown ? t2 : t1);
        return true;
    }
    case Opcode::select_t: {
        const uint32_t n = m_r.u32();
        if (m_r.failed()) return false;
        if (n != 1) return m_v.fail("invalid result arity");
        const uint8_t t = m_r.u8();
        if (m_r.failed()) return false;
        if (!is_valtype_byte(t)) { m_r.fail("malformed value type"); return false; }
        if (!pop_i32() || !m_v.pop_val_expect(t) || !m_v.pop_val_expect(t)) return false;
        emit_select();
        push_stack(t);
        return true;
    }
    case Opcode::local_get:
    case Opcode::local_set:
    case Opcode::local_tee: {
        const uint32_t x = m_r.u32();
        if (m_r.failed()) return false;
        if (x >= m_num_locals) return unknown("unknown local", x);
        const VType t = m_locals[x];
        if (op != Opcode::local_get && !m_v.pop_val_expect(t)) return false;
        if (op != Opcode::local_get && live()) set_local(x, m_h0 - 1);
        if (op != Opcode::local_set) push_src(t, Src{Src::local, x});
        return true;
    }
    case Opcode::global_get: {
        const uint32_t x = m_r.u32();
        if (m_r.failed()) return false;
        if (x >= m_ctx.globals.size()) return unknown("unknown global", x);
        if (live()) {
            m_em.op(Op::global_get);
            m_em.dst(slot(m_h0));
            m_em.imm(x);
        }
        push_stack(vt(m_ctx.globals[x].type));
        return true;
    }
    case Opcode::global_set: {
        const uint32_t x = m_r.u32();
        if (m_r.failed()) return false;
        if (x >= m_ctx.globals.size()) return unknown("unknown global", x);
        const GlobalType& g = m_ctx.globals[x];
        if (!g.mut) return m_v.fail("global is immutable");
        if (!m_v.pop_val_expect(vt(g.type))) return false;
        if (live()) {
            const uint64_t src = operand(m_h0 - 1);
            m_em.op(Op::global_set);
            m_em.imm(src);
            m_em.imm(x);
        }
        return true;
    }
    case Opcode::table_get:
    case Opcode::table_set: {
        const uint32_t x = m_r.u32();
        if (m_r.failed()) return false;
        if (!check_table(x)) return false;
        const VType t = vt(m_ctx.tables[x].elem);
        if (op == Opcode::table_set && !m_v.pop_val_expect(t)) return false;
        if (!pop_i32()) return false;
        emit_stack_form(to_op(op), {x}, op == Opcode::table_set ? 2 : 1);
        if (op == Opcode::table_get) push_stack(t);
        return true;
    }
    case Opcode::table_size:
    case Opcode::table_grow:
    case Opcode::table_fill: {
        const uint32_t x = m_r.u32();
        if (m_r.failed()) return false;
        if (!check_table(x)) return false;
        const VType t = vt(m_ctx.tables[x].elem);
        if (op == Opcode::table_grow && (!pop_i32() || !m_v.pop_val_expect(t))) return false;
        if (op == Opcode::table_fill && (!pop_i32() || !m_v.pop_val_expect(t) || !pop_i32())) return false;
        emit_stack_form(to_op(op), {x}, op == Opcode::table_size ? 0 : op == Opcode::table_grow ? 2 : 3);
        if (op != Opcode::table_fill) push_stack(i32);
        return true;
    }
    case Opcode::table_init: {
        const uint32_t e = m_r.u32();
        const uint32_t x = m_r.u32();
        if (m_r.failed()) return false;
        if (!check_table(x) || !check_elem(e)) return false;
        if (m_ctx.tables[x].elem != m_m.elements[e].type) return m_v.fail("type mismatch");
        if (!pop_i32() || !pop_i32() || !pop_i32()) return false;
        emit_stack_form(Op::table_init, {e, x}, 3);
        return true;
    }
    case Opcode::elem_drop: {
        const uint32_t e = m_r.u32();
        if (m_r.failed()) return false;
        if (!check_elem(e)) return false;
        emit(Op::elem_drop, e);
        return true;
    }
    case Opcode::table_copy: {
        const uint32_t dst = m_r.u32();
        const uint32_t src = m_r.u32();
        if (m_r.failed()) return false;
        if (!check_table(dst) || !check_table(src)) return false;
        if (m_ctx.tables[dst].elem != m_ctx.tables[src].elem) return m_v.fail("type mismatch");
        if (!pop_i32() || !pop_i32() || !pop_i32()) return false;
        emit_stack_form(Op::table_copy, {dst, src}, 3);
        return true;
    }
    case Opcode::memory_size:
        if (!zero_byte() || !check_memory()) return false;
        if (live()) {
            m_em.op(Op::memory_size);
            m_em.dst(slot(m_h0));
        }
        push_stack(i32);
        return true;
    case Opcode::memory_grow:
        if (!zero_byte() || !check_memory()) return false;
        if (!pop_i32()) return false;
        if (live()) {
            const uint64_t pages = operand(m_h0 - 1);
            m_em.op(Op::memory_grow);
            m_em.dst(slot(m_h0 - 1));
            m_em.imm(pages);
        }
        push_stack(i32);
        return true;
    case Opcode::memory_init: {
        const uint32_t d = m_r.u32();
        if (m_r.failed() || !zero_byte()) return false;
        if (!check_memory() || !check_data(d)) return false;
        if (!pop_i32() || !pop_i32() || !pop_i32()) return false;
        emit_stack_form(Op::memory_init, {d}, 3);
        return true;
    }
    case Opcode::data_drop: {
        const uint32_t d = m_r.u32();
        if (m_r.failed()) return false;
        if (!check_data(d)) return false;
        emit(Op::data_drop, d);
        return true;
    }
    case Opcode::memory_copy:
        if (!zero_byte() || !zero_byte() || !check_memory()) return false;
        if (!pop_i32() || !pop_i32() || !pop_i32()) return false;
        emit_stack_form(Op::memory_copy, {}, 3);
        return true;
    case Opcode::memory_fill:
        if (!zero_byte() || !check_memory()) return false;
        if (!pop_i32() || !pop_i32() || !pop_i32()) return false;
        emit_stack_form(Op::memory_fill, {}, 3);
        return true;
    case Opcode::ref_null: {
        const uint8_t t = m_r.u8();
        if (m_r.failed()) return false;
        if (t != 0x70 && t != 0x6f) { m_r.fail("malformed reference type"); return false; }
        emit_stack_form(Op::ref_null, {}, 0);
        push_stack(t);
        return true;
    }
    case Opcode::ref_is_null: {
        VType t = kUnknown;
        if (!m_v.pop_val(t)) return false;
        if (t != kUnknown && t != 0x70 && t != 0x6f) return m_v.fail("type mismatch");
        emit_stack_form(Op::ref_is_null, {}, 1);
        push_stack(i32);
        return true;
    }
    case Opcode::ref_func: {
        const uint32_t f = m_r.u32();
        if (m_r.failed()) return false;
        if (f >= m_ctx.func_types.size()) return unknown("unknown function", f);
        if (!m_ctx.refs[f]) return m_v.fail("undeclared function reference");
        emit_stack_form(Op::ref_func, {f}, 0);
        push_stack(vt(ValType::funcref));
        return true;
    }
    // Constants cost nothing until an instruction needs them in a slot.
    case Opcode::i32_const: {
        const int32_t v = m_r.s32();
        if (m_r.failed()) return false;
        push_src(i32, Src{Src::konst, static_cast<uint32_t>(v)});
        return true;
    }
    case Opcode::i64_const: {
        const int64_t v = m_r.s64();
        if (m_r.failed()) return false;
        push_src(vt(ValType::i64), Src{Src::konst, static_cast<uint64_t>(v)});
        return true;
    }
    case Opcode::f32_const: {
        const uint32_t v = m_r.fixed32();
        if (m_r.failed()) return false;
        push_src(vt(ValType::f32), Src{Src::konst, v});
        return true;
    }
    case Opcode::f64_const: {
        const uint64_t v = m_r.fixed64();
        if (m_r.failed()) return false;
        push_src(vt(ValType::f64), Src{Src::konst, v});
        return true;
    }
    default: break;
    }

    // Everything else has a fixed signature from opcodes.def, plus possibly a memarg.
    const SimpleSig sig = opcode_sig(op);
    if (!sig.simple) {
        m_r.fail("illegal opcode");
        return false;
    }
    uint32_t offset = 0;
    const bool has_memarg = opcode_imm(op) == ImmKind::memarg;
    if (has_memarg && !memarg(op, offset)) return false;
    if (sig.in2 && !m_v.pop_val_expect(sig.in2)) return false;
    if (sig.in1 && !m_v.pop_val_expect(sig.in1)) return false;
    if (live()) emit_simple(op, sig, has_memarg, offset);
    if (sig.out) {
        // A reinterpretation keeps its operand's source: the bits do not change.
        const bool same_bits = op == Opcode::i32_reinterpret_f32 || op == Opcode::i64_reinterpret_f64 ||
                               op == Opcode::f32_reinterpret_i32 || op == Opcode::f64_reinterpret_i64;
        if (same_bits) m_v.push_val(sig.out);
        else push_stack(sig.out);
    }
    return true;
}

void FunctionCompiler::emit_simple(Opcode op, const SimpleSig& sig, bool has_memarg, uint32_t offset) {
    const size_t nin = (sig.in1 ? 1 : 0) + (sig.in2 ? 1 : 0);
    if (m_h0 < nin) return;
    const size_t h = m_h0 - nin;  // the first operand's height, and the result's
    const Op o = to_op(op);
    if (has_memarg) {
        const uint64_t addr = operand(h);
        if (!sig.out && at(h + 1).kind == Src::konst) {  // store_i addr bits offset
            m_em.op(Emitter::store_imm_form(o));
            m_em.imm(addr);
            m_em.imm(at(h + 1).value);
            m_em.imm(offset);
            return;
        }
        const uint64_t value = sig.out ? 0 : operand(h + 1);
        m_em.op(o);
        if (sig.out) {  // load dst addr offset
            m_em.dst(slot(h));
            m_em.imm(addr);
        } else {  // store addr value offset
            m_em.imm(addr);
            m_em.imm(value);
        }
        m_em.imm(offset);
        return;
    }
    switch (nin) {
    case 1: {
        if (op == Opcode::i32_reinterpret_f32 || op == Opcode::i64_reinterpret_f64 ||
            op == Opcode::f32_reinterpret_i32 || op == Opcode::f64_reinterpret_i64)
            return;
        const uint64_t a = operand(h);
        m_em.op(o);
        m_em.dst(slot(h));
        m_em.imm(a);
        return;
    }
    case 2: {
        const Op with_imm = Emitter::imm_form(o);
        const uint64_t a = operand(h);
        if (with_imm != Op::count_ && at(h + 1).kind == Src::konst) {
            m_em.op(with_imm);
            m_em.dst(slot(h));
            m_em.imm(a);
            m_em.imm(at(h + 1).value);
            return;
        }
        const uint64_t b = operand(h + 1);
        m_em.op(o);
        m_em.dst(slot(h));
        m_em.imm(a);
        m_em.imm(b);
        return;
    }
    default:
        m_em.op(o);
        if (sig.out) m_em.dst(slot(h));
        return;
    }
}

}  // namespace

Result<void> compile_functions(const ValidationContext& ctx, CompiledCode& out, Instrumentation how) {
    const Module& m = ctx.module;
    out.instrumentation = how;
    out.code.clear();
    // At most about one code word per body byte (0.74-0.78 on the bench programs: a Wasm
    // instruction takes ~2 bytes, its compiled form ~2 words, a deferred local.get or const
    // none): growing from empty would copy the code a dozen times.
    size_t body_bytes = 0;
    for (const Code& c : m.codes) body_bytes += c.body_size;
    out.code.resize(body_bytes + 16);  // uninitialised (UninitAllocator); the Emitter fills it
    out.funcs.assign(m.functions.size(), {});
    Emitter em(out, interpreter_handlers());
    CompilerScratch scratch;
    if (m.codes.size() != m.functions.size())
        return Error{ErrorKind::malformed, 0, "function and code section have inconsistent lengths"};
    for (size_t i = 0; i < m.functions.size(); ++i) {
        out.funcs[i].type_index = m.functions[i];
        const Code& code = m.codes[i];
        if (code.body_offset + code.body_size > m.bytes.size())
            return Error{ErrorKind::malformed, code.body_offset, "unexpected end"};
        FunctionCompiler fc(ctx, em, out.funcs[i], code, scratch);
        Result<void> r = fc.run();
        if (!r.ok()) {
            if (r.error().kind != ErrorKind::invalid) return r;
            for (size_t j = i; j < m.functions.size(); ++j)
                if (std::optional<Error> e = skim_body(m, m.codes[j])) return *e;
            return r;
        }
    }
    em.finish();
    return {};
}

Result<void> validate_and_compile(Module& m) {
    ValidationContext ctx{m, {}, {}, {}, {}, {}};
    if (Result<void> r = validate_module_fields(m, ctx); !r.ok()) {
        for (const Code& code : m.codes)
            if (std::optional<Error> e = skim_body(m, code)) return *e;
        return r;
    }
    auto compiled = std::make_unique<CompiledModule>();
    CRUSH_TRY(compile_functions(ctx, compiled->plain, Instrumentation::none));
    m.compiled = std::move(compiled);
    return {};
}

const CompiledCode& code_variant(const Module& m, Instrumentation how) {
    CompiledModule& cm = *m.compiled;
    if (how == Instrumentation::none) return cm.plain;
    std::once_flag& once = how == Instrumentation::fuel ? cm.fuel_once : cm.interrupt_once;
    std::unique_ptr<CompiledCode>& slot = how == Instrumentation::fuel ? cm.fuel : cm.interrupt;
    std::call_once(once, [&] {
        // The module validated once already, so this cannot fail.
        ValidationContext ctx{m, {}, {}, {}, {}, {}};
        auto code = std::make_unique<CompiledCode>();
        if (validate_module_fields(m, ctx).ok() && compile_functions(ctx, *code, how).ok()) slot = std::move(code);
    });
    return slot ? *slot : cm.plain;
}

}  // namespace crush
