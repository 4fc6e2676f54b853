// Copyright Crush authors.
// The compiler's output: pre-decoded internal code (STYLE.md "Decode once, run many").
//
// Code is a flat array of 64-bit words. Each instruction is one handler word (a computed-goto
// label address, or the Op number under CRUSH_SWITCH_DISPATCH) followed by its fixed-width
// immediates. Branch targets are absolute word pointers, resolved at compile time.
//
// Operands are frame slots named by their index: a function's frame is [params][locals]
// [operand stack], addressed from the frame pointer, and since validation knows the stack
// height h at every instruction, the value at height h has the fixed slot locals + h. An
// instruction names the slots it reads and the one it writes (`dst`), so local.get, constants
// and local.set mostly vanish (function_compiler.cpp). Every function records its frame size so
// a call checks the bounded value stack once.
//
// Layouts (one word each; a, b, cond, src, dst, addr, value, args are slot indexes):
//   unop dst a | binop dst a b | binop_i dst a imm | load dst addr offset | store addr value offset
//   mov dst src | mov_i dst bits | select dst a b cond | global_get dst idx | global_set src idx
//   br pc | br_drop pc arity src dst | br_if cond pc | br_if_drop cond pc arity src dst
//   br_unless cond pc | br_if_cmp a b pc | br_if_cmp_i a imm pc (and br_unless_ forms)
//   br_table cond n arity src (pc dst)*(n+1) | return_ n src
//   call funcidx args | call_indirect typeidx tableidx index args
//   memory_size dst | memory_grow dst pages | fuel n | fuel_check n | interrupt_check
//   table, bulk-memory and ref ops: their binary immediates, then `top`, the slot above their
//   operands (which sit in their stack slots: the old stack form, interpreter.cpp)
//
// Metering (docs/vm-engine.md): code compiled for fuel starts every basic block with a charge of
// the block's instruction count n. The charge rides on the block's first instruction: its
// handler word is that instruction's *charging head* (charge n, step over the n word, run the
// instruction), so the layout is `head n imm...` and the instruction reads its immediates from
// the n word onwards exactly as usual. Loop headers get a head that also checks the interrupt
// flag. Code compiled only for interruption has no n words: a loop header's first instruction
// gets a *checking head*. Under switch dispatch heads are separate `fuel`/`fuel_check`/
// `interrupt_check` instructions instead.
#pragma once

#include "opcodes.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace crush {

/// Instructions of the internal code: every Wasm opcode with its own number, then the
/// compiler's internal forms.
enum class Op : uint16_t {
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) name,
#include "opcodes.def"
#undef CRUSH_OPCODE
#define CRUSH_INTERNAL_OP(name) name,
#include "internal_ops.def"
#undef CRUSH_INTERNAL_OP
    count_
};
inline constexpr uint16_t kOpCount = static_cast<uint16_t>(Op::count_);
inline Op to_op(Opcode o) noexcept { return static_cast<Op>(static_cast<uint16_t>(o)); }

using CodeWord = uint64_t;

/// One compiled function.
struct CompiledFunction {
    uint32_t type_index = 0;
    uint32_t num_params = 0;
    uint32_t num_locals = 0;   ///< declared locals, excluding params
    uint32_t num_results = 0;
    uint32_t frame_size = 0;   ///< params + locals + maximum operand stack height, in slots
    size_t entry = 0;          ///< word index of the first instruction in CompiledCode::code
    const CodeWord* code = nullptr;  ///< &code[entry], set once compilation is complete
};

/// What a variant of the code is instrumented for.
enum class Instrumentation : uint8_t {
    none,       ///< plain: no checks at all
    interrupt,  ///< an interrupt check at every loop header (calls check the flag too)
    fuel,       ///< a fuel charge per basic block, plus the interrupt checks
};

/// The kinds of block head a handler word can be (see the layout note above). The handler table
/// holds one row of kOpCount labels per kind, in this order.
enum class Head : uint8_t { none, charge, check_charge, check };
inline constexpr size_t kHeadKinds = 4;

/// An allocator whose resize() leaves new elements uninitialised: the compiler sizes its code
/// buffer ahead and writes every word it keeps, so zero-filling it first would be a wasted pass.
template <typename T>
struct UninitAllocator : std::allocator<T> {
    template <typename U>
    struct rebind {
        using other = UninitAllocator<U>;
    };
    UninitAllocator() = default;
    template <typename U>
    UninitAllocator(const UninitAllocator<U>&) noexcept {}
    template <typename U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;  // default-initialisation: no zeroing for scalars
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// The code of all defined functions of a module, in one variant.
struct CompiledCode {
    Instrumentation instrumentation = Instrumentation::none;
    std::vector<CodeWord, UninitAllocator<CodeWord>> code;
    std::vector<CompiledFunction> funcs;  ///< one per defined function
};

/// Owned by Module. The plain variant is compiled at load time; the instrumented ones (for
/// interruptible and for metered stores) on first need, so unlimited code pays nothing and a
/// run with only a deadline does not pay for fuel.
struct CompiledModule {
    CompiledCode plain;
    std::once_flag interrupt_once, fuel_once;
    std::unique_ptr<CompiledCode> interrupt, fuel;
};

/// The interpreter's handler table (label addresses), indexed by Op; nullptr entries mean
/// switch dispatch (then the code word holds the Op number itself).
const void* const* interpreter_handlers() noexcept;

}  // namespace crush
