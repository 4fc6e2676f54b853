// Copyright Crush authors.
// Runtime objects of a Store (the spec's store): function, table, memory and global instances,
// module instances, and the Store's private execution state.
// https://webassembly.github.io/spec/core/exec/runtime.html#store
#pragma once

#include "compiled.hpp"
#include "module.hpp"

#include <crush/wasm.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace crush {

/// https://webassembly.github.io/spec/core/exec/runtime.html#function-instances
struct FunctionInst {
    const FuncType* type = nullptr;   ///< module's type, or own_type for host functions
    uint32_t type_id = 0;             ///< store-interned type: equal ids <=> equal types
    Instance* instance = nullptr;     ///< nullptr for host functions
    uint32_t index = 0;               ///< in its module's function index space
    const CompiledFunction* code = nullptr;  ///< nullptr for host functions
    HostFunction host;                ///< a host function's general form, or
    RawHostFunction raw_host;         ///< its lean form (fn set); exactly one of the two is
    FuncType own_type;
    std::string debug_name;
};

/// https://webassembly.github.io/spec/core/exec/runtime.html#table-instances
struct TableInst {
    TableType type;               ///< limits.min is the declared minimum, not the current size
    std::vector<void*> elems;     ///< Ref pointers; nullptr is ref.null
};

/// https://webassembly.github.io/spec/core/exec/runtime.html#memory-instances
/// Bytes live in an anonymous mapping grown with mremap, so growth is lazy and zero-filled.
struct MemoryInst {
    MemoryType type;
    uint8_t* data = nullptr;
    uint64_t size = 0;  ///< bytes, a multiple of kPageSize
    MemoryInst() = default;
    MemoryInst(const MemoryInst&) = delete;
    MemoryInst& operator=(const MemoryInst&) = delete;
    ~MemoryInst();
    /// Resize to `pages`; false when the host cannot provide the memory.
    bool resize(uint64_t pages) noexcept;
};

/// https://webassembly.github.io/spec/core/exec/runtime.html#global-instances
struct GlobalInst {
    GlobalType type;
    uint64_t value = 0;
};

/// https://webassembly.github.io/spec/core/exec/runtime.html#module-instances
struct Instance {
    std::shared_ptr<const Module> module;
    const CompiledCode* code = nullptr;
    std::vector<FunctionInst*> funcs;
    std::vector<TableInst*> tables;
    std::vector<MemoryInst*> memories;
    std::vector<GlobalInst*> globals;
    std::vector<uint32_t> type_ids;          ///< store type id per module type index
    std::vector<std::vector<void*>> elems;   ///< element segments' references; empty once dropped
    std::vector<bool> data_dropped;
    MemoryInst* exported_memory = nullptr;   ///< export "memory", for HostCall::memory()
};

/// One activation on the explicit call stack: where to resume the caller.
/// No member initialisers: Store allocates ~10k of these up front, and zeroing them would touch
/// every page of the array at start-up; a frame is always written whole when pushed.
struct CallFrame {
    const CodeWord* ret_pc;  ///< nullptr marks the entry of one Store::call
    uint64_t* fp;
    FunctionInst* func;      ///< the caller
};

struct Store::Impl {
    Store& store;
    StoreConfig config;
    std::vector<std::unique_ptr<FunctionInst>> funcs;
    std::vector<std::unique_ptr<TableInst>> tables;
    std::vector<std::unique_ptr<MemoryInst>> memories;
    std::vector<std::unique_ptr<GlobalInst>> globals;
    std::vector<std::unique_ptr<Instance>> instances;
    std::unordered_map<std::string, uint32_t> type_ids;

    // Execution state, shared by nested (re-entrant) calls.
    std::unique_ptr<uint64_t[]> stack;
    size_t stack_slots = 0;
    uint64_t* stack_top = nullptr;       ///< first free slot for a nested call
    std::unique_ptr<CallFrame[]> frames;
    uint32_t frame_count = 0;
    uint32_t frame_capacity = 0;
    uint32_t nesting = 0;                ///< host -> guest re-entry depth
    bool metered = false;
    uint64_t fuel = 0;        ///< at most kMaxFuel: the interpreter keeps it in a signed register
    uint64_t fuel_added = 0;

    Impl(Store& s, StoreConfig c) : store(s), config(c) {}

    uint32_t intern(const FuncType& t);
    /// The code variant this store's instances run: fuel code only when metered, interrupt
    /// checks only when something can raise the flag, plain code otherwise.
    Instrumentation instrumentation() const {
        if (metered) return Instrumentation::fuel;
        return config.interrupt ? Instrumentation::interrupt : Instrumentation::none;
    }
    int64_t grow_memory(MemoryInst* m, uint32_t delta_pages) noexcept;
    int64_t grow_table(TableInst* t, uint32_t delta, void* init) noexcept;
    /// Run `fn` with `args` already type-checked.
    ExecResult invoke(FunctionInst* fn, std::span<const Value> args) noexcept;
};

/// The interpreter: runs `entry` whose arguments are at `base`; on success the results are at
/// base[0..n). Defined in interpreter.cpp.
enum class RunStatus : uint8_t { ok, trap, exit };
struct RunOutcome {
    RunStatus status = RunStatus::ok;
    Trap trap;
    uint32_t exit_code = 0;
};
RunOutcome run_function(Store::Impl& s, FunctionInst* entry, uint64_t* base) noexcept;

/// Call a host function with arguments/results as Values.
HostOutcome call_host(Store::Impl& s, FunctionInst* fn, Instance* caller, std::span<const Value> args,
                      std::span<Value> results) noexcept;
/// Call a host function in its lean form (fn->raw_host.fn set) on VM slots: arguments in,
/// results out (RawHostFunction's contract). An exception becomes a trap.
HostOutcome call_raw_host(Store::Impl& s, FunctionInst* fn, Instance* caller, uint64_t* slots) noexcept;

/// The backtrace frame for a function instance.
Frame frame_of(const FunctionInst* f);

}  // namespace crush
