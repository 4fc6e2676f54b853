// Copyright Crush authors.
// Validation of function bodies: the spec appendix algorithm on its own state, each typing rule
// in one place. The compiler (function_compiler.cpp) drives it instruction by instruction and
// asks it for stack heights; it never looks at the compiler.
// https://webassembly.github.io/spec/core/appendix/algorithm.html
#pragma once

#include "module.hpp"
#include "compiled.hpp"
#include "opcodes.hpp"

#include <crush/result.hpp>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

/// For the compiler's per-instruction primitives: GCC otherwise leaves them out of line in the
/// compiler's one large instruction switch, and the calls cost more than the bodies.
#if defined(__GNUC__)
#define CRUSH_HOT_INLINE [[gnu::always_inline]] inline
#else
#define CRUSH_HOT_INLINE inline
#endif

namespace crush {

/// A value type on the validator's operand stack; kUnknown is the appendix's Unknown (the
/// polymorphic stack's wildcard).
using VType = uint8_t;
inline constexpr VType kUnknown = 0;
inline VType vt(ValType t) noexcept { return static_cast<VType>(t); }

/// A function type's parameter or result list as VTypes (ValType is one byte, the same values).
inline std::span<const VType> vtypes(const std::vector<ValType>& types) noexcept {
    static_assert(sizeof(ValType) == sizeof(VType));
    return {reinterpret_cast<const VType*>(types.data()), types.size()};
}

/// A block's parameter or result types without an allocation: a view of a list that outlives
/// the block (a function type's), or the one value type of a short block type held inline.
class TypeList {
public:
    TypeList() = default;
    explicit TypeList(std::span<const VType> types) noexcept : m_ptr(types.data()), m_size(types.size()) {}
    static TypeList one(VType t) noexcept {
        TypeList l;
        l.m_one = t;
        l.m_size = 1;
        return l;
    }
    /// Valid while this TypeList (or the list it views) is.
    std::span<const VType> span() const noexcept { return {m_ptr ? m_ptr : &m_one, m_size}; }
    size_t size() const noexcept { return m_size; }
    friend bool operator==(const TypeList& a, const TypeList& b) noexcept {
        const auto x = a.span(), y = b.span();
        return std::equal(x.begin(), x.end(), y.begin(), y.end());
    }

private:
    const VType* m_ptr = nullptr;  ///< nullptr: the list is m_one (or empty)
    size_t m_size = 0;
    VType m_one = 0;
};

/// https://webassembly.github.io/spec/core/appendix/algorithm.html#data-structures
struct CtrlFrame {
    Opcode opcode = Opcode::block;
    TypeList start_types;
    TypeList end_types;
    size_t height = 0;        ///< operand stack height when the block was entered (params popped)
    bool unreachable = false;
};

class FunctionValidator {
public:
    /// `offset` is updated by the driver before each instruction so errors point at it.
    size_t offset = 0;

    // The three per-instruction primitives are inline: the compiler calls them for nearly every
    // instruction it reads.
    CRUSH_HOT_INLINE void push_val(VType t) {
        if (m_height == m_vals.size()) [[unlikely]] grow_vals();
        m_vals[m_height++] = t;
        if (m_height > m_max_height) m_max_height = m_height;
    }
    [[nodiscard]] CRUSH_HOT_INLINE bool pop_val(VType& out) {
        const CtrlFrame& f = m_ctrls.back();
        if (m_height == f.height) {
            if (f.unreachable) { out = kUnknown; return true; }
            return fail("type mismatch");
        }
        out = m_vals[--m_height];
        return true;
    }
    [[nodiscard]] CRUSH_HOT_INLINE bool pop_val_expect(VType expect, VType* out = nullptr) {
        VType actual = kUnknown;
        if (!pop_val(actual)) return false;
        if (actual != expect && actual != kUnknown && expect != kUnknown) return fail("type mismatch");
        if (out) *out = actual == kUnknown ? expect : actual;
        return true;
    }
    void push_vals(std::span<const VType> types);
    [[nodiscard]] bool pop_vals(std::span<const VType> types);
    /// pop_vals returning what was actually popped (Unknown stays Unknown), for br_table.
    [[nodiscard]] bool pop_vals_actual(std::span<const VType> types, std::vector<VType>& out);
    void push_ctrl(Opcode op, TypeList in, TypeList out);
    [[nodiscard]] bool pop_ctrl(CtrlFrame& out);
    /// Valid until the control stack changes.
    static std::span<const VType> label_types(const CtrlFrame& f) {
        return (f.opcode == Opcode::loop ? f.start_types : f.end_types).span();
    }
    void set_unreachable();

    /// Back to the empty state for the next function (storage is kept).
    void reset() {
        offset = 0;
        m_height = 0;
        m_ctrls.clear();
        m_max_height = 0;
        m_error.reset();
    }

    /// Record an error (first one wins) and return false.
    bool fail(std::string message);
    [[gnu::cold]] bool fail(const char* message);
    const std::optional<Error>& error() const { return m_error; }

    size_t height() const { return m_height; }
    size_t max_height() const { return m_max_height; }
    std::vector<CtrlFrame>& ctrls() { return m_ctrls; }
    bool unreachable() const { return m_ctrls.empty() || m_ctrls.back().unreachable; }

private:
    /// The operand stack is m_vals[0, m_height); the vector only grows (its size is capacity),
    /// so a push is a store, not a vector::push_back call.
    std::vector<VType> m_vals;
    size_t m_height = 0;
    [[gnu::noinline]] void grow_vals() { m_vals.resize(m_vals.size() * 2 + 64); }
    std::vector<CtrlFrame> m_ctrls;
    size_t m_max_height = 0;
    std::optional<Error> m_error;
};

/// Module-level context for validation (the spec's C), derived once per module.
/// https://webassembly.github.io/spec/core/valid/conventions.html#contexts
struct ValidationContext {
    const Module& module;
    std::vector<uint32_t> func_types;      ///< type index per function (imports first)
    std::vector<TableType> tables;
    std::vector<MemoryType> memories;
    std::vector<GlobalType> globals;
    std::vector<bool> refs;                ///< C.refs: functions that ref.func may name
};

/// Validate everything outside function bodies and build the context for them.
Result<void> validate_module_fields(const Module& m, ValidationContext& ctx);

/// Validate and compile every function body of `m` into `out`, instrumented as `how` (fuel charge
/// points and interrupt checks).
Result<void> compile_functions(const ValidationContext& ctx, CompiledCode& out, Instrumentation how);

/// Validate and compile all of `m`; fills m.compiled.
Result<void> validate_and_compile(Module& m);

/// The variant of an already validated module's code instrumented as `how`, compiled on first
/// need (once; thread-safe).
const CompiledCode& code_variant(const Module& m, Instrumentation how);

}  // namespace crush
