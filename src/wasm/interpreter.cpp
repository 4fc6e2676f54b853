// Copyright Crush authors.
// The interpreter loop: threaded code over compiled.hpp's internal form, with explicit call
// frames (no native recursion per guest call), a bounded value stack and traps as values.
// One handler list; computed goto by default, a switch under CRUSH_SWITCH_DISPATCH
// (STYLE.md "One dispatch macro, two back ends").
//
// Invariants: every stack slot is 64 bits; i32 and f32 values keep their upper 32 bits zero;
// a reference is its pointer. The cached (mem, mem_size) of the current instance's memory 0
// is reloaded after anything that may change it: calls, returns, memory.grow.
#include "numeric.hpp"
#include "runtime.hpp"

#include <bit>
#include <cstring>

namespace crush {
namespace {

inline float f32_of(uint64_t s) { return std::bit_cast<float>(static_cast<uint32_t>(s)); }
inline double f64_of(uint64_t s) { return std::bit_cast<double>(s); }
inline uint64_t bits(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }
inline uint64_t u32(uint64_t s) { return static_cast<uint32_t>(s); }

}  // namespace

Frame frame_of(const FunctionInst* f) {
    Frame fr;
    fr.func_index = f->index;
    if (f->instance) {
        const Module& m = *f->instance->module;
        auto it = m.function_names.find(f->index);
        if (it != m.function_names.end()) fr.func_name = it->second;
        fr.module_name = m.module_name;
    } else {
        fr.func_name = f->debug_name;
    }
    return fr;
}

HostOutcome call_raw_host(Store::Impl& s, FunctionInst* fn, Instance* caller, uint64_t* slots) noexcept {
    try {
        HostCall hc{s.store, caller};
        return fn->raw_host.fn(fn->raw_host.data, hc, slots);
    } catch (const std::exception& e) {
        return HostOutcome::trap(std::string("host function threw: ") + e.what());
    } catch (...) {
        return HostOutcome::trap("host function threw");
    }
}

HostOutcome call_host(Store::Impl& s, FunctionInst* fn, Instance* caller, std::span<const Value> args,
                      std::span<Value> results) noexcept {
    const FuncType& t = *fn->type;
    if (fn->raw_host.fn) {
        // The lean form called from the host (Store::call) or with an arity too wide for the
        // interpreter's stack buffers: Values become slots and back.
        std::vector<uint64_t> slots;
        try {
            slots.resize(std::max(args.size(), results.size()));
        } catch (...) {
            return HostOutcome::trap("out of memory for a host call's arguments");
        }
        for (size_t i = 0; i < args.size(); ++i) slots[i] = args[i].bits;
        HostOutcome out = call_raw_host(s, fn, caller, slots.data());
        for (size_t i = 0; i < results.size(); ++i) results[i] = Value{t.results[i], slots[i]};
        return out;
    }
    for (size_t i = 0; i < results.size(); ++i) results[i] = Value{t.results[i], 0};
    try {
        HostCall hc{s.store, caller};
        HostOutcome out = fn->host(hc, args, results);
        for (size_t i = 0; i < results.size(); ++i) results[i].type = t.results[i];
        return out;
    } catch (const std::exception& e) {
        return HostOutcome::trap(std::string("host function threw: ") + e.what());
    } catch (...) {
        return HostOutcome::trap("host function threw");
    }
}

namespace {

/// Host calls with at most this many parameters and results cross in stack buffers.
constexpr size_t kSmallHostArity = 16;

/// Stack room for a host call's Values, left uninitialised: Value's member initialisers would
/// zero 512 bytes per host call. Arguments are all written before the call and call_host writes
/// every result slot before the host function runs.
struct HostValueBuffer {
    HostValueBuffer() noexcept {}  // NOLINT: deliberately leaves `values` uninitialised
    union {
        Value values[kSmallHostArity];
    };
};

/// The values a branch carries to its target (which may overlap them). Usually none or one:
/// no libc memmove call for those.
inline void move_slots(uint64_t* dst, const uint64_t* src, uint64_t n) noexcept {
    if (n == 1)
        *dst = *src;
    else if (n != 0)
        std::memmove(dst, src, n * sizeof(uint64_t));
}
/// A return's results to the frame's first slots (`src` is at or above `dst`).
inline void copy_slots(uint64_t* dst, const uint64_t* src, uint64_t n) noexcept {
    for (uint64_t i = 0; i < n; ++i) dst[i] = src[i];
}

#if !defined(CRUSH_SWITCH_DISPATCH)
const void* const* g_handlers = nullptr;
#endif

/// The interrupt flag of stores that have none: never raised.
std::atomic<bool> g_never_interrupted{false};

/// The loop. Called once with impl == nullptr to publish the handler table. Aligned to a cache
/// line so the handlers' placement (and speed) does not depend on the code linked before it
/// (see src/wasm/CMakeLists.txt).
__attribute__((aligned(64))) RunOutcome run_loop(Store::Impl* impl, FunctionInst* entry, uint64_t* base) noexcept {
#if !defined(CRUSH_SWITCH_DISPATCH)
    // One row per Head kind (compiled.hpp): plain handlers, then the block heads. Stored as
    // offsets from one label, not as addresses: a table of 1360 addresses is 1360 start-up
    // relocations in a position-independent exo and three pages copied on write before main;
    // offsets are plain read-only data. The addresses are made once, on the first compile.
#define LABEL_OFFSET(label) \
    static_cast<int32_t>(static_cast<const char*>(&&label) - static_cast<const char*>(&&L_unreachable))
    static const int32_t kLabelOffsets[] = {
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) LABEL_OFFSET(L_##name),
#include "opcodes.def"
#undef CRUSH_OPCODE
#define CRUSH_INTERNAL_OP(name) LABEL_OFFSET(L_##name),
#include "internal_ops.def"
#undef CRUSH_INTERNAL_OP
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) LABEL_OFFSET(M_##name),
#include "opcodes.def"
#undef CRUSH_OPCODE
#define CRUSH_INTERNAL_OP(name) LABEL_OFFSET(M_##name),
#include "internal_ops.def"
#undef CRUSH_INTERNAL_OP
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) LABEL_OFFSET(C_##name),
#include "opcodes.def"
#undef CRUSH_OPCODE
#define CRUSH_INTERNAL_OP(name) LABEL_OFFSET(C_##name),
#include "internal_ops.def"
#undef CRUSH_INTERNAL_OP
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) LABEL_OFFSET(K_##name),
#include "opcodes.def"
#undef CRUSH_OPCODE
#define CRUSH_INTERNAL_OP(name) LABEL_OFFSET(K_##name),
#include "internal_ops.def"
#undef CRUSH_INTERNAL_OP
    };
    static_assert(sizeof(kLabelOffsets) / sizeof(kLabelOffsets[0]) == kHeadKinds * kOpCount);
#undef LABEL_OFFSET
    if (impl == nullptr) {
        static const void* table[kHeadKinds * kOpCount];
        for (size_t i = 0; i < kHeadKinds * kOpCount; ++i)
            table[i] = static_cast<const char*>(&&L_unreachable) + kLabelOffsets[i];
        g_handlers = table;
        return {};
    }
#endif
    Store::Impl& s = *impl;
    RunOutcome outcome;
    const uint32_t entry_frames = s.frame_count;
    uint64_t* const stack_end = s.stack.get() + s.stack_slots;
    const uint32_t max_depth = s.config.max_call_depth;
    // Never null, so a check is one load and one branch.
    std::atomic<bool>* const interrupt = s.config.interrupt ? s.config.interrupt : &g_never_interrupted;
    // Signed, so a charge is one subtraction and one sign test (the store caps fuel at 2^63-1).
    int64_t fuel = static_cast<int64_t>(s.fuel);

    // The two hottest values are pinned to callee-saved registers: in a function this large
    // GCC otherwise spills them, and every handler then pays a store-forwarding round trip.
    // (Operands are frame slots, so there is no stack pointer to keep.)
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(CRUSH_NO_PINNED_REGISTERS)
    register const CodeWord* pc asm("r12") = nullptr;
    register uint64_t* fp asm("r14") = nullptr;
#else
    const CodeWord* pc = nullptr;
    uint64_t* fp = nullptr;
#endif
    uint64_t* argp = base;  // a call's first argument slot
    FunctionInst* func = nullptr;  // the running function
    Instance* inst = nullptr;
    uint8_t* mem = nullptr;
    uint64_t mem_size = 0;
    FunctionInst* callee = entry;
    const CodeWord* ret_pc = nullptr;  // the entry frame's marker
    TrapKind trap_kind = TrapKind::unreachable;
    std::string host_message;

#define RELOAD_MEM()                                                  \
    do {                                                              \
        if (!inst->memories.empty()) {                                \
            mem = inst->memories[0]->data;                            \
            mem_size = inst->memories[0]->size;                       \
        } else {                                                      \
            mem = nullptr;                                            \
            mem_size = 0;                                             \
        }                                                             \
    } while (0)
// Calls and returns switch instance only when it changes: within one instance `mem`/`mem_size`
// are already current (memory.grow and host calls reload them where they happen).
#define ENTER_INSTANCE(target)          \
    do {                                \
        if ((target) != inst) {         \
            inst = (target);            \
            RELOAD_MEM();               \
        }                               \
    } while (0)
#define TRAP(kind)               \
    do {                         \
        trap_kind = TrapKind::kind; \
        goto trap;               \
    } while (0)
// A block's n units are paid whole or not at all: one that cannot be paid spends what is left
// (the limit was reached) and traps. Fuel is signed, so this is one subtraction and a sign test.
#define CHARGE(n)                              \
    do {                                       \
        fuel -= static_cast<int64_t>(n);       \
        if (fuel < 0) {                        \
            fuel = 0;                          \
            TRAP(out_of_fuel);                 \
        }                                      \
    } while (0)
#define CHECK_INTERRUPT()                                               \
    do {                                                                \
        if (interrupt->load(std::memory_order_relaxed)) TRAP(interrupted); \
    } while (0)

#if defined(CRUSH_SWITCH_DISPATCH)
#define DISPATCH() goto dispatch
#define HANDLER(name) case static_cast<uint16_t>(Op::name):
#else
#define DISPATCH() goto* reinterpret_cast<const void*>(*pc)
#define HANDLER(name) L_##name:
#endif
#define NEXT(n)   \
    do {          \
        pc += (n); \
        DISPATCH(); \
    } while (0)

// Operands are frame slots named by immediates: S(k) is the slot whose index is word k.
// Every handler reads all its operands before it writes its destination (which may be one).
#define S(k) fp[pc[k]]
#define UNOP(T_IN, T_OUT_EXPR)                 \
    {                                          \
        const auto a = T_IN(S(2));             \
        S(1) = T_OUT_EXPR;                     \
        NEXT(3);                               \
    }
#define BINOP(T_IN, T_OUT_EXPR)                \
    {                                          \
        const auto b = T_IN(S(3));             \
        const auto a = T_IN(S(2));             \
        S(1) = T_OUT_EXPR;                     \
        NEXT(4);                               \
    }
#define BINOP_I(T_IN, T_OUT_EXPR)              \
    {                                          \
        const auto b = T_IN(pc[3]);            \
        const auto a = T_IN(S(2));             \
        S(1) = T_OUT_EXPR;                     \
        NEXT(4);                               \
    }
#define CHECKED_BINOP(T_IN, FN)                \
    {                                          \
        const auto b = T_IN(S(3));             \
        const auto a = T_IN(S(2));             \
        const auto r = FN(a, b);               \
        if (r.trap) {                          \
            trap_kind = *r.trap;               \
            goto trap;                         \
        }                                      \
        S(1) = r.value;                        \
        NEXT(4);                               \
    }
#define CHECKED_UNOP(T_IN, FN, WIDEN)          \
    {                                          \
        const auto r = FN(T_IN(S(2)));         \
        if (r.trap) {                          \
            trap_kind = *r.trap;               \
            goto trap;                         \
        }                                      \
        S(1) = WIDEN(r.value);                 \
        NEXT(3);                               \
    }
// The one bounds check of every load and store (guard pages replace it where available).
#define MEM_CHECK(ea, CTYPE) \
    if ((ea) + sizeof(CTYPE) > mem_size) TRAP(memory_out_of_bounds)
// load: dst addr offset
#define LOAD(CTYPE, CONV)                                                \
    {                                                                    \
        const uint64_t ea = u32(S(2)) + pc[3];                           \
        MEM_CHECK(ea, CTYPE);                                            \
        CTYPE v;                                                         \
        std::memcpy(&v, mem + ea, sizeof(CTYPE));                        \
        S(1) = CONV;                                                     \
        NEXT(4);                                                         \
    }
// store: addr value offset
#define STORE(CTYPE)                                                     \
    {                                                                    \
        const uint64_t ea = u32(S(1)) + pc[3];                           \
        MEM_CHECK(ea, CTYPE);                                            \
        const CTYPE v = static_cast<CTYPE>(S(2));                        \
        std::memcpy(mem + ea, &v, sizeof(CTYPE));                        \
        NEXT(4);                                                         \
    }
// store_i: addr bits offset
#define STORE_I(CTYPE)                                                   \
    {                                                                    \
        const uint64_t ea = u32(S(1)) + pc[3];                           \
        MEM_CHECK(ea, CTYPE);                                            \
        const CTYPE v = static_cast<CTYPE>(pc[2]);                       \
        std::memcpy(mem + ea, &v, sizeof(CTYPE));                        \
        NEXT(4);                                                         \
    }
// Compare-and-branch: a b target (b an immediate in the _I form); WHEN is the condition (or
// its negation for br_unless forms).
#define CMP_BR(T_IN, WHEN)                                               \
    {                                                                    \
        const auto b = T_IN(S(2));                                       \
        const auto a = T_IN(S(1));                                       \
        if (WHEN) {                                                      \
            pc = reinterpret_cast<const CodeWord*>(pc[3]);               \
            DISPATCH();                                                  \
        }                                                                \
        NEXT(4);                                                         \
    }
#define CMP_BR_I(T_IN, WHEN)                                             \
    {                                                                    \
        const auto b = T_IN(pc[2]);                                      \
        const auto a = T_IN(S(1));                                       \
        if (WHEN) {                                                      \
            pc = reinterpret_cast<const CodeWord*>(pc[3]);               \
            DISPATCH();                                                  \
        }                                                                \
        NEXT(4);                                                         \
    }

#define I32(x) static_cast<uint32_t>(x)
#define I64(x) static_cast<uint64_t>(x)
#define S32(x) static_cast<int32_t>(static_cast<uint32_t>(x))
#define S64(x) static_cast<int64_t>(x)
#define F32(x) f32_of(x)
#define F64(x) f64_of(x)
#define B(x) static_cast<uint64_t>((x) ? 1 : 0)

    goto do_call;

#if defined(CRUSH_SWITCH_DISPATCH)
dispatch:
    switch (static_cast<uint16_t>(*pc)) {
#else
    {
#endif
    // Structured control is compiled away; these never appear in code.
    HANDLER(nop)
    HANDLER(block)
    HANDLER(loop)
    HANDLER(if_)
    HANDLER(else_)
    HANDLER(end)
    HANDLER(select_t)
    // The compiler tracks these on its operand stack of sources (function_compiler.cpp).
    HANDLER(drop)
    HANDLER(local_get)
    HANDLER(local_set)
    HANDLER(local_tee)
    HANDLER(i32_const)
    HANDLER(i64_const)
    HANDLER(f32_const)
    HANDLER(f64_const)
    HANDLER(unreachable)
        TRAP(unreachable);

    // Branches: values a branch carries sit in consecutive slots from `src` and move to `dst`.
    HANDLER(br)
        pc = reinterpret_cast<const CodeWord*>(pc[1]);
        DISPATCH();
    HANDLER(br_drop)  // target arity src dst
        move_slots(fp + pc[4], fp + pc[3], pc[2]);
        pc = reinterpret_cast<const CodeWord*>(pc[1]);
        DISPATCH();
    HANDLER(br_if)  // cond target
        if (static_cast<uint32_t>(S(1)) != 0) {
            pc = reinterpret_cast<const CodeWord*>(pc[2]);
            DISPATCH();
        }
        NEXT(3);
    HANDLER(br_if_drop)  // cond target arity src dst
        if (static_cast<uint32_t>(S(1)) != 0) {
            move_slots(fp + pc[5], fp + pc[4], pc[3]);
            pc = reinterpret_cast<const CodeWord*>(pc[2]);
            DISPATCH();
        }
        NEXT(6);
    HANDLER(br_unless)  // cond target
        if (static_cast<uint32_t>(S(1)) == 0) {
            pc = reinterpret_cast<const CodeWord*>(pc[2]);
            DISPATCH();
        }
        NEXT(3);
    HANDLER(br_table) {  // cond n arity src (target dst)*(n+1)
        uint64_t i = static_cast<uint32_t>(S(1));
        const uint64_t n = pc[2];
        if (i > n) i = n;
        const CodeWord* e = pc + 5 + 2 * i;
        move_slots(fp + e[1], fp + pc[4], pc[3]);
        pc = reinterpret_cast<const CodeWord*>(e[0]);
        DISPATCH();
    }
    HANDLER(fuel) {
        CHARGE(pc[1]);
        NEXT(2);
    }
    HANDLER(fuel_check) {
        CHECK_INTERRUPT();
        CHARGE(pc[1]);
        NEXT(2);
    }
    HANDLER(interrupt_check)
        CHECK_INTERRUPT();
        NEXT(1);

    HANDLER(return_) {  // n src: the results move to the frame's first slots
        const uint64_t n = pc[1];
        const uint64_t* src = fp + pc[2];
        // Nearly always one result or none: a single move, not the loop, which GCC vectorises
        // behind alias checks that cost more than the copy.
        if (n == 1) fp[0] = src[0];
        else copy_slots(fp, src, n);
        const CallFrame& f = s.frames[--s.frame_count];
        if (f.ret_pc == nullptr) goto done;
        pc = f.ret_pc;
        fp = f.fp;
        func = f.func;
        ENTER_INSTANCE(func->instance);
        DISPATCH();
    }
    // Calls: the arguments are the consecutive slots from `args`; results replace them.
    HANDLER(call)  // funcidx args
        callee = inst->funcs[pc[1]];
        argp = fp + pc[2];
        ret_pc = pc + 3;
        goto do_call;
    HANDLER(call_indirect) {  // typeidx tableidx index args
        const TableInst* t = inst->tables[pc[2]];
        const uint32_t i = static_cast<uint32_t>(S(3));
        if (i >= t->elems.size()) TRAP(undefined_element);
        callee = static_cast<FunctionInst*>(t->elems[i]);
        if (callee == nullptr) {
            // The spec suite's wording names the index: "uninitialized element 2".
            host_message = std::string(trap_message(TrapKind::uninitialized_element)) + " " + std::to_string(i);
            TRAP(uninitialized_element);
        }
        if (callee->type_id != inst->type_ids[pc[1]]) TRAP(indirect_call_type_mismatch);
        argp = fp + pc[4];
        ret_pc = pc + 5;
        goto do_call;
    }

    HANDLER(select) {  // dst a b cond
        const uint64_t v = static_cast<uint32_t>(S(4)) != 0 ? S(2) : S(3);
        S(1) = v;
        NEXT(5);
    }
    HANDLER(mov)  // dst src
        S(1) = S(2);
        NEXT(3);
    HANDLER(mov_i)  // dst bits
        S(1) = pc[2];
        NEXT(3);
    HANDLER(global_get)  // dst globalidx
        S(1) = inst->globals[pc[2]]->value;
        NEXT(3);
    HANDLER(global_set)  // src globalidx
        inst->globals[pc[2]]->value = S(1);
        NEXT(3);

    // Rarely hot instructions keep their stack form: their operands are materialized in their
    // stack slots, and the last word is the slot just above them (the stack top before them).
    HANDLER(table_get) {  // table top
        uint64_t* sp = fp + pc[2];
        const TableInst* t = inst->tables[pc[1]];
        const uint32_t i = static_cast<uint32_t>(sp[-1]);
        if (i >= t->elems.size()) TRAP(table_out_of_bounds);
        sp[-1] = reinterpret_cast<uint64_t>(t->elems[i]);
        NEXT(3);
    }
    HANDLER(table_set) {  // table top
        uint64_t* sp = fp + pc[2];
        TableInst* t = inst->tables[pc[1]];
        const uint32_t i = static_cast<uint32_t>(sp[-2]);
        if (i >= t->elems.size()) TRAP(table_out_of_bounds);
        t->elems[i] = reinterpret_cast<void*>(sp[-1]);
        NEXT(3);
    }
    HANDLER(table_size)  // table top
        fp[pc[2]] = inst->tables[pc[1]]->elems.size();
        NEXT(3);
    HANDLER(table_grow) {  // table top
        uint64_t* sp = fp + pc[2];
        const uint32_t n = static_cast<uint32_t>(sp[-1]);
        void* init = reinterpret_cast<void*>(sp[-2]);
        sp[-2] = static_cast<uint32_t>(s.grow_table(inst->tables[pc[1]], n, init));
        NEXT(3);
    }
    HANDLER(table_fill) {  // table top
        const uint64_t* sp = fp + pc[2];
        TableInst* t = inst->tables[pc[1]];
        const uint64_t n = u32(sp[-1]);
        void* val = reinterpret_cast<void*>(sp[-2]);
        const uint64_t i = u32(sp[-3]);
        if (i + n > t->elems.size()) TRAP(table_out_of_bounds);
        for (uint64_t k = 0; k < n; ++k) t->elems[i + k] = val;
        NEXT(3);
    }
    HANDLER(table_init) {  // elem table top
        const uint64_t* sp = fp + pc[3];
        const std::vector<void*>& seg = inst->elems[pc[1]];
        TableInst* t = inst->tables[pc[2]];
        const uint64_t n = u32(sp[-1]), src = u32(sp[-2]), dst = u32(sp[-3]);
        if (src + n > seg.size() || dst + n > t->elems.size()) TRAP(table_out_of_bounds);
        if (n) std::memmove(t->elems.data() + dst, seg.data() + src, n * sizeof(void*));
        NEXT(4);
    }
    HANDLER(elem_drop)
        inst->elems[pc[1]].clear();
        inst->elems[pc[1]].shrink_to_fit();
        NEXT(2);
    HANDLER(table_copy) {  // dst_table src_table top
        const uint64_t* sp = fp + pc[3];
        TableInst* dt = inst->tables[pc[1]];
        const TableInst* st = inst->tables[pc[2]];
        const uint64_t n = u32(sp[-1]), src = u32(sp[-2]), dst = u32(sp[-3]);
        if (src + n > st->elems.size() || dst + n > dt->elems.size()) TRAP(table_out_of_bounds);
        if (n) std::memmove(dt->elems.data() + dst, st->elems.data() + src, n * sizeof(void*));
        NEXT(4);
    }

    HANDLER(ref_null)  // top
        fp[pc[1]] = 0;
        NEXT(2);
    HANDLER(ref_is_null) {  // top
        uint64_t* sp = fp + pc[1];
        sp[-1] = B(sp[-1] == 0);
        NEXT(2);
    }
    HANDLER(ref_func)  // funcidx top
        fp[pc[2]] = reinterpret_cast<uint64_t>(inst->funcs[pc[1]]);
        NEXT(3);

    // Loads and stores, and stores of an immediate (memops.def).
#define CRUSH_LOAD(name, ctype, conv) HANDLER(name) LOAD(ctype, conv)
#define CRUSH_STORE(name, ctype) HANDLER(name) STORE(ctype) HANDLER(name##_i) STORE_I(ctype)
#include "memops.def"
#undef CRUSH_LOAD
#undef CRUSH_STORE
    HANDLER(memory_size)  // dst
        S(1) = mem_size / kPageSize;
        NEXT(2);
    HANDLER(memory_grow)  // dst pages
        S(1) = static_cast<uint32_t>(s.grow_memory(inst->memories[0], static_cast<uint32_t>(S(2))));
        RELOAD_MEM();
        NEXT(3);
    HANDLER(memory_init) {  // data top
        const uint64_t* sp = fp + pc[2];
        const uint32_t d = static_cast<uint32_t>(pc[1]);
        const Module& m = *inst->module;
        const DataSegment& seg = m.datas[d];
        const uint64_t seg_size = inst->data_dropped[d] ? 0 : seg.data_size;
        const uint64_t n = u32(sp[-1]), src = u32(sp[-2]), dst = u32(sp[-3]);
        if (src + n > seg_size || dst + n > mem_size) TRAP(memory_out_of_bounds);
        if (n) std::memmove(mem + dst, m.bytes.data() + seg.data_offset + src, n);
        NEXT(3);
    }
    HANDLER(data_drop)
        inst->data_dropped[pc[1]] = true;
        NEXT(2);
    HANDLER(memory_copy) {  // top
        const uint64_t* sp = fp + pc[1];
        const uint64_t n = u32(sp[-1]), src = u32(sp[-2]), dst = u32(sp[-3]);
        if (src + n > mem_size || dst + n > mem_size) TRAP(memory_out_of_bounds);
        if (n) std::memmove(mem + dst, mem + src, n);
        NEXT(2);
    }
    HANDLER(memory_fill) {  // top
        const uint64_t* sp = fp + pc[1];
        const uint64_t n = u32(sp[-1]), dst = u32(sp[-3]);
        const uint8_t val = static_cast<uint8_t>(sp[-2]);
        if (dst + n > mem_size) TRAP(memory_out_of_bounds);
        if (n) std::memset(mem + dst, val, n);
        NEXT(2);
    }

    // Integer binary operators and their fused operand forms.
#define CRUSH_BINOP(name, conv, expr) HANDLER(name) BINOP(conv, expr) HANDLER(name##_i) BINOP_I(conv, expr)
#include "binops.def"
#undef CRUSH_BINOP

    // Compare-and-branch superinstructions (cmpops.def).
#define CRUSH_CMP(name, conv, cond)                                                       \
    HANDLER(br_if_##name) CMP_BR(conv, (cond)) HANDLER(br_if_##name##_i) CMP_BR_I(conv, (cond)) \
    HANDLER(br_unless_##name) CMP_BR(conv, !(cond)) HANDLER(br_unless_##name##_i) CMP_BR_I(conv, !(cond))
#include "cmpops.def"
#undef CRUSH_CMP

    HANDLER(i32_eqz) UNOP(I32, B(a == 0))
    HANDLER(i64_eqz) UNOP(I64, B(a == 0))
    HANDLER(f32_eq) BINOP(F32, B(a == b))
    HANDLER(f32_ne) BINOP(F32, B(a != b))
    HANDLER(f32_lt) BINOP(F32, B(a < b))
    HANDLER(f32_gt) BINOP(F32, B(a > b))
    HANDLER(f32_le) BINOP(F32, B(a <= b))
    HANDLER(f32_ge) BINOP(F32, B(a >= b))
    HANDLER(f64_eq) BINOP(F64, B(a == b))
    HANDLER(f64_ne) BINOP(F64, B(a != b))
    HANDLER(f64_lt) BINOP(F64, B(a < b))
    HANDLER(f64_gt) BINOP(F64, B(a > b))
    HANDLER(f64_le) BINOP(F64, B(a <= b))
    HANDLER(f64_ge) BINOP(F64, B(a >= b))

    HANDLER(i32_clz) UNOP(I32, I64(num::clz(a)))
    HANDLER(i32_ctz) UNOP(I32, I64(num::ctz(a)))
    HANDLER(i32_popcnt) UNOP(I32, I64(num::popcnt(a)))
    HANDLER(i32_div_s) CHECKED_BINOP(I32, num::div_s)
    HANDLER(i32_div_u) CHECKED_BINOP(I32, num::div_u)
    HANDLER(i32_rem_s) CHECKED_BINOP(I32, num::rem_s)
    HANDLER(i32_rem_u) CHECKED_BINOP(I32, num::rem_u)
    HANDLER(i64_clz) UNOP(I64, num::clz(a))
    HANDLER(i64_ctz) UNOP(I64, num::ctz(a))
    HANDLER(i64_popcnt) UNOP(I64, num::popcnt(a))
    HANDLER(i64_div_s) CHECKED_BINOP(I64, num::div_s)
    HANDLER(i64_div_u) CHECKED_BINOP(I64, num::div_u)
    HANDLER(i64_rem_s) CHECKED_BINOP(I64, num::rem_s)
    HANDLER(i64_rem_u) CHECKED_BINOP(I64, num::rem_u)

    HANDLER(f32_abs) UNOP(F32, bits(num::abs(a)))
    HANDLER(f32_neg) UNOP(F32, bits(num::neg(a)))
    HANDLER(f32_ceil) UNOP(F32, bits(num::ceil(a)))
    HANDLER(f32_floor) UNOP(F32, bits(num::floor(a)))
    HANDLER(f32_trunc) UNOP(F32, bits(num::trunc(a)))
    HANDLER(f32_nearest) UNOP(F32, bits(num::nearest(a)))
    HANDLER(f32_sqrt) UNOP(F32, bits(num::sqrt(a)))
    HANDLER(f32_add) BINOP(F32, bits(a + b))
    HANDLER(f32_sub) BINOP(F32, bits(a - b))
    HANDLER(f32_mul) BINOP(F32, bits(a * b))
    HANDLER(f32_div) BINOP(F32, bits(a / b))
    HANDLER(f32_min) BINOP(F32, bits(num::fmin(a, b)))
    HANDLER(f32_max) BINOP(F32, bits(num::fmax(a, b)))
    HANDLER(f32_copysign) BINOP(F32, bits(num::copysign(a, b)))
    HANDLER(f64_abs) UNOP(F64, bits(num::abs(a)))
    HANDLER(f64_neg) UNOP(F64, bits(num::neg(a)))
    HANDLER(f64_ceil) UNOP(F64, bits(num::ceil(a)))
    HANDLER(f64_floor) UNOP(F64, bits(num::floor(a)))
    HANDLER(f64_trunc) UNOP(F64, bits(num::trunc(a)))
    HANDLER(f64_nearest) UNOP(F64, bits(num::nearest(a)))
    HANDLER(f64_sqrt) UNOP(F64, bits(num::sqrt(a)))
    HANDLER(f64_add) BINOP(F64, bits(a + b))
    HANDLER(f64_sub) BINOP(F64, bits(a - b))
    HANDLER(f64_mul) BINOP(F64, bits(a * b))
    HANDLER(f64_div) BINOP(F64, bits(a / b))
    HANDLER(f64_min) BINOP(F64, bits(num::fmin(a, b)))
    HANDLER(f64_max) BINOP(F64, bits(num::fmax(a, b)))
    HANDLER(f64_copysign) BINOP(F64, bits(num::copysign(a, b)))

    HANDLER(i32_wrap_i64) UNOP(I64, I32(a))
    HANDLER(i32_trunc_f32_s) CHECKED_UNOP(F32, (num::trunc_to<int32_t, float>), I32)
    HANDLER(i32_trunc_f32_u) CHECKED_UNOP(F32, (num::trunc_to<uint32_t, float>), I32)
    HANDLER(i32_trunc_f64_s) CHECKED_UNOP(F64, (num::trunc_to<int32_t, double>), I32)
    HANDLER(i32_trunc_f64_u) CHECKED_UNOP(F64, (num::trunc_to<uint32_t, double>), I32)
    HANDLER(i64_extend_i32_s) UNOP(S32, I64(static_cast<int64_t>(a)))
    HANDLER(i64_extend_i32_u) UNOP(I32, I64(a))
    HANDLER(i64_trunc_f32_s) CHECKED_UNOP(F32, (num::trunc_to<int64_t, float>), I64)
    HANDLER(i64_trunc_f32_u) CHECKED_UNOP(F32, (num::trunc_to<uint64_t, float>), I64)
    HANDLER(i64_trunc_f64_s) CHECKED_UNOP(F64, (num::trunc_to<int64_t, double>), I64)
    HANDLER(i64_trunc_f64_u) CHECKED_UNOP(F64, (num::trunc_to<uint64_t, double>), I64)
    HANDLER(f32_convert_i32_s) UNOP(S32, bits(num::convert_to<float>(a)))
    HANDLER(f32_convert_i32_u) UNOP(I32, bits(num::convert_to<float>(a)))
    HANDLER(f32_convert_i64_s) UNOP(S64, bits(num::convert_to<float>(a)))
    HANDLER(f32_convert_i64_u) UNOP(I64, bits(num::convert_to<float>(a)))
    HANDLER(f32_demote_f64) UNOP(F64, bits(num::demote(a)))
    HANDLER(f64_convert_i32_s) UNOP(S32, bits(num::convert_to<double>(a)))
    HANDLER(f64_convert_i32_u) UNOP(I32, bits(num::convert_to<double>(a)))
    HANDLER(f64_convert_i64_s) UNOP(S64, bits(num::convert_to<double>(a)))
    HANDLER(f64_convert_i64_u) UNOP(I64, bits(num::convert_to<double>(a)))
    HANDLER(f64_promote_f32) UNOP(F32, bits(num::promote(a)))
    // Reinterpretations are free: the compiler passes the operand's slot on unchanged.
    HANDLER(i32_reinterpret_f32)
    HANDLER(i64_reinterpret_f64)
    HANDLER(f32_reinterpret_i32)
    HANDLER(f64_reinterpret_i64)
        TRAP(unreachable);
    HANDLER(i32_extend8_s) UNOP(I32, I32(num::extend8_s(a)))
    HANDLER(i32_extend16_s) UNOP(I32, I32(num::extend16_s(a)))
    HANDLER(i64_extend8_s) UNOP(I64, num::extend8_s(a))
    HANDLER(i64_extend16_s) UNOP(I64, num::extend16_s(a))
    HANDLER(i64_extend32_s) UNOP(I64, num::extend32_s(a))
    HANDLER(i32_trunc_sat_f32_s) UNOP(F32, I32((num::trunc_sat_to<int32_t, float>(a))))
    HANDLER(i32_trunc_sat_f32_u) UNOP(F32, I32((num::trunc_sat_to<uint32_t, float>(a))))
    HANDLER(i32_trunc_sat_f64_s) UNOP(F64, I32((num::trunc_sat_to<int32_t, double>(a))))
    HANDLER(i32_trunc_sat_f64_u) UNOP(F64, I32((num::trunc_sat_to<uint32_t, double>(a))))
    HANDLER(i64_trunc_sat_f32_s) UNOP(F32, I64((num::trunc_sat_to<int64_t, float>(a))))
    HANDLER(i64_trunc_sat_f32_u) UNOP(F32, I64((num::trunc_sat_to<uint64_t, float>(a))))
    HANDLER(i64_trunc_sat_f64_s) UNOP(F64, I64((num::trunc_sat_to<int64_t, double>(a))))
    HANDLER(i64_trunc_sat_f64_u) UNOP(F64, I64((num::trunc_sat_to<uint64_t, double>(a))))
#if defined(CRUSH_SWITCH_DISPATCH)
    default:
        TRAP(unreachable);
#endif
    }

#if !defined(CRUSH_SWITCH_DISPATCH)
    // Block heads (compiled.hpp): an instruction that starts a basic block runs through one of
    // these first. Charging heads take the block's fuel from the word after the handler and step
    // over it; the instruction then finds its immediates where it always does. Each head ends
    // in a direct jump, so a metered block costs no extra dispatch.
#define CHARGE_HEAD() \
    CHARGE(pc[1]);      \
    ++pc
#define CRUSH_HEADS(name)   \
    M_##name:               \
    CHARGE_HEAD();          \
    goto L_##name;          \
    C_##name:               \
    CHECK_INTERRUPT();      \
    CHARGE_HEAD();          \
    goto L_##name;          \
    K_##name:               \
    CHECK_INTERRUPT();      \
    goto L_##name;
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) CRUSH_HEADS(name)
#include "opcodes.def"
#undef CRUSH_OPCODE
#define CRUSH_INTERNAL_OP(name) CRUSH_HEADS(name)
#include "internal_ops.def"
#undef CRUSH_INTERNAL_OP
#undef CRUSH_HEADS
#undef CHARGE_HEAD
#endif

// A host call's outcome: trap or exit leave the loop; otherwise the caller continues.
#define END_HOST_CALL(out)                                  \
    do {                                                    \
        if ((out).kind == HostOutcome::Kind::trap) {        \
            host_message = std::move((out).message);        \
            trap_kind = TrapKind::host;                     \
            goto trap;                                      \
        }                                                   \
        if ((out).kind == HostOutcome::Kind::exit) {        \
            outcome.status = RunStatus::exit;               \
            outcome.exit_code = (out).exit_code;            \
            goto finish;                                    \
        }                                                   \
    } while (0)

do_call:
    // `callee` is called with its arguments in the slots from `argp`; `ret_pc` resumes the
    // caller. Nothing above the arguments is live, so a callee's frame starts at them.
    CHECK_INTERRUPT();
    if (callee->code == nullptr) {
        const FuncType& t = *callee->type;
        const size_t np = t.params.size(), nr = t.results.size();
        uint64_t* args_base = argp;
        if (static_cast<size_t>(stack_end - args_base) < nr + 8) TRAP(call_stack_exhausted);
        if (callee->raw_host.fn) {
            // The lean form works on the arguments' slots in place; results land over them.
            s.stack_top = args_base + std::max(np, nr);
            s.fuel = static_cast<uint64_t>(fuel);
            {
                // Own scope, as below: DISPATCH must not leave `out`'s scope.
                HostOutcome out = call_raw_host(s, callee, inst, args_base);
                fuel = static_cast<int64_t>(s.fuel);
                END_HOST_CALL(out);
            }
            pc = ret_pc;
            RELOAD_MEM();
            DISPATCH();
        }
        {
            // The general form: arguments and results cross as Values.
            // Own scope: DISPATCH is an indirect goto, which must not leave the scope of objects
            // with destructors (clang rejects it; GCC would skip the destructors and leak).
            // No allocation for the usual signatures: WASI's widest function takes 9 values.
            HostValueBuffer small_args, small_results;
            std::vector<Value> big_args, big_results;
            std::span<Value> args(small_args.values, np), results(small_results.values, nr);
            if (np > kSmallHostArity) {
                big_args.resize(np);
                args = big_args;
            }
            if (nr > kSmallHostArity) {
                big_results.resize(nr);
                results = big_results;
            }
            for (size_t i = 0; i < np; ++i) args[i] = Value{t.params[i], args_base[i]};
            s.stack_top = args_base + np;
            s.fuel = static_cast<uint64_t>(fuel);
            HostOutcome out = call_host(s, callee, inst, args, results);
            fuel = static_cast<int64_t>(s.fuel);
            END_HOST_CALL(out);
            for (size_t i = 0; i < nr; ++i) args_base[i] = results[i].bits;
        }
        pc = ret_pc;
        RELOAD_MEM();
        DISPATCH();
    } else {
        const CompiledFunction* cf = callee->code;
        uint64_t* new_fp = argp;
        if (s.frame_count >= max_depth || s.frame_count >= s.frame_capacity ||
            static_cast<size_t>(stack_end - new_fp) < size_t{cf->frame_size} + 8)
            TRAP(call_stack_exhausted);
        s.frames[s.frame_count++] = CallFrame{ret_pc, fp, func};
        {
            // Wasm zeroes declared locals on entry. Most functions have a few: plain stores,
            // not a libc memset call per guest call (4% of dispatch's instructions).
            uint64_t* const locals = new_fp + cf->num_params;
            switch (cf->num_locals) {
                case 8: locals[7] = 0; [[fallthrough]];
                case 7: locals[6] = 0; [[fallthrough]];
                case 6: locals[5] = 0; [[fallthrough]];
                case 5: locals[4] = 0; [[fallthrough]];
                case 4: locals[3] = 0; [[fallthrough]];
                case 3: locals[2] = 0; [[fallthrough]];
                case 2: locals[1] = 0; [[fallthrough]];
                case 1: locals[0] = 0; [[fallthrough]];
                case 0: break;
                default: std::memset(locals, 0, cf->num_locals * sizeof(uint64_t));
            }
        }
        fp = new_fp;
        func = callee;
        ENTER_INSTANCE(callee->instance);
        pc = cf->code;
        DISPATCH();
    }

trap:
    outcome.status = RunStatus::trap;
    outcome.trap.kind = trap_kind;
    outcome.trap.message = !host_message.empty() ? host_message : trap_message(trap_kind);
    // Innermost first: the running function, then the callers up to this run's entry marker.
    if (trap_kind == TrapKind::host && callee && callee->code == nullptr)
        outcome.trap.backtrace.push_back(frame_of(callee));
    if (func) outcome.trap.backtrace.push_back(frame_of(func));
    for (uint32_t i = s.frame_count; i-- > entry_frames;)
        if (s.frames[i].func) outcome.trap.backtrace.push_back(frame_of(s.frames[i].func));
    s.frame_count = entry_frames;
    s.fuel = static_cast<uint64_t>(fuel);
    return outcome;

finish:
    // An exit from a host function unwinds this run's frames.
    s.frame_count = entry_frames;
    s.fuel = static_cast<uint64_t>(fuel);
    return outcome;

done:
    s.fuel = static_cast<uint64_t>(fuel);
    outcome.status = RunStatus::ok;
    return outcome;

#undef S
#undef RELOAD_MEM
#undef ENTER_INSTANCE
#undef END_HOST_CALL
#undef TRAP
#undef CHARGE
#undef CHECK_INTERRUPT
#undef DISPATCH
#undef HANDLER
#undef NEXT
}

}  // namespace

RunOutcome run_function(Store::Impl& s, FunctionInst* entry, uint64_t* base) noexcept {
    return run_loop(&s, entry, base);
}

const void* const* interpreter_handlers() noexcept {
#if defined(CRUSH_SWITCH_DISPATCH)
    return nullptr;
#else
    static const bool once = [] {
        (void)run_loop(nullptr, nullptr, nullptr);
        return true;
    }();
    (void)once;
    return g_handlers;
#endif
}

}  // namespace crush
