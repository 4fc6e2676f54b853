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
//   memory_size dst | memory_grow dst pages | fuel n | interrupt_check
//   table, bulk-memory and ref ops: their binary immediates, then `top`, the slot above their
//   operands (which sit in their stack slots: the old stack form, interpreter.cpp)
#pragma once

#include "opcodes.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
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

/// The code of all defined functions of a module, in one variant (plain or instrumented).
struct CompiledCode {
    bool instrumented = false;  ///< has fuel charge points and interrupt checks
    std::vector<CodeWord> code;
    std::vector<CompiledFunction> funcs;  ///< one per defined function
};

/// Owned by Module. The plain variant is compiled at load time; the instrumented one (for
/// metered or interruptible stores) on first need, so unmetered code pays nothing.
struct CompiledModule {
    CompiledCode plain;
    std::once_flag instrumented_once;
    std::unique_ptr<CompiledCode> instrumented;
};

/// The interpreter's handler table (label addresses), indexed by Op; nullptr entries mean
/// switch dispatch (then the code word holds the Op number itself).
const void* const* interpreter_handlers() noexcept;

}  // namespace crush
