// Copyright Crush authors.
// The embedding interface of the Crush VM: load a module, link host functions, instantiate,
// call exports with typed values, read traps. Everything the capsule layers, `exo wast` and
// embedders use of the VM goes through this header.
#pragma once

#include <crush/result.hpp>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crush {

/// https://webassembly.github.io/spec/core/syntax/types.html#value-types
/// Enumerators carry their binary encoding.
enum class ValType : uint8_t {
    i32 = 0x7f,
    i64 = 0x7e,
    f32 = 0x7d,
    f64 = 0x7c,
    v128 = 0x7b,  ///< decoded so errors are precise; SIMD is not executed
    funcref = 0x70,
    externref = 0x6f,
};

const char* to_string(ValType t) noexcept;
inline bool is_ref(ValType t) noexcept { return t == ValType::funcref || t == ValType::externref; }

/// https://webassembly.github.io/spec/core/syntax/types.html#function-types
struct FuncType {
    std::vector<ValType> params;   ///< parameter types, in order
    std::vector<ValType> results;  ///< result types, in order
    /// Structural equality (the spec's type matching for functions).
    bool operator==(const FuncType&) const = default;
};
std::string to_string(const FuncType& t);

/// https://webassembly.github.io/spec/core/syntax/types.html#limits
struct Limits {
    uint32_t min = 0;             ///< initial (or current) size
    std::optional<uint32_t> max;  ///< maximum size, when declared
    /// Field-wise equality.
    bool operator==(const Limits&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#table-types
struct TableType {
    ValType elem = ValType::funcref;  ///< element type (funcref or externref)
    Limits limits;                    ///< size in elements
    /// Field-wise equality.
    bool operator==(const TableType&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#memory-types (limits in pages)
struct MemoryType {
    Limits limits;  ///< size in pages of kPageSize bytes
    /// Field-wise equality.
    bool operator==(const MemoryType&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#global-types
struct GlobalType {
    ValType type = ValType::i32;  ///< the value type
    bool mut = false;             ///< mutable (`mut`) or constant
    /// Field-wise equality.
    bool operator==(const GlobalType&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#external-types
enum class ExternKind : uint8_t { func = 0, table = 1, memory = 2, global = 3 };
const char* to_string(ExternKind k) noexcept;

inline constexpr uint32_t kPageSize = 65536;

/// A reference value: null, a function, or an opaque host token (externref).
/// For funcref, `ptr` is a FunctionInst*. For externref the embedder picks any non-null token.
struct Ref {
    void* ptr = nullptr;  ///< nullptr is the null reference
    /// Whether this is the null reference.
    bool is_null() const noexcept { return ptr == nullptr; }
    /// Identity comparison.
    bool operator==(const Ref&) const = default;
};

/// A typed Wasm value. Floats are kept as their bit patterns so NaN payloads survive.
/// https://webassembly.github.io/spec/core/exec/runtime.html#values
struct Value {
    ValType type = ValType::i32;  ///< which kind of value `bits` holds
    uint64_t bits = 0;  ///< i32/f32 use the low 32 bits; refs hold the pointer

    /// An i32 (signed values: pass their two's complement).
    static Value i32(uint32_t v) { return {ValType::i32, v}; }
    /// An i64 (two's complement).
    static Value i64(uint64_t v) { return {ValType::i64, v}; }
    /// An f32 from its IEEE 754 bit pattern (NaN payloads kept).
    static Value f32_bits(uint32_t v) { return {ValType::f32, v}; }
    /// An f64 from its IEEE 754 bit pattern (NaN payloads kept).
    static Value f64_bits(uint64_t v) { return {ValType::f64, v}; }
    /// An f32.
    static Value f32(float v) { uint32_t b; std::memcpy(&b, &v, 4); return f32_bits(b); }
    /// An f64.
    static Value f64(double v) { uint64_t b; std::memcpy(&b, &v, 8); return f64_bits(b); }
    /// A reference of type `t` (funcref or externref).
    static Value ref(ValType t, Ref r) { return {t, reinterpret_cast<uint64_t>(r.ptr)}; }

    /// The low 32 bits (meaningful for i32).
    uint32_t as_i32() const { return static_cast<uint32_t>(bits); }
    /// All 64 bits (meaningful for i64).
    uint64_t as_i64() const { return bits; }
    /// The f32 the low 32 bits encode.
    float as_f32() const { float f; uint32_t b = as_i32(); std::memcpy(&f, &b, 4); return f; }
    /// The f64 the bits encode.
    double as_f64() const { double d; std::memcpy(&d, &bits, 8); return d; }
    /// The reference held (meaningful for funcref and externref).
    Ref as_ref() const { return Ref{reinterpret_cast<void*>(static_cast<uintptr_t>(bits))}; }
    /// Bit-exact equality (so NaNs with equal payloads are equal).
    bool operator==(const Value&) const = default;
};
std::string to_string(const Value& v);

// ---------------------------------------------------------------------------------------------
// Modules

/// A decoded, validated and compiled module: immutable, shareable between stores and threads.
class Module;

/// https://webassembly.github.io/spec/core/syntax/modules.html#imports
struct ImportDesc {
    std::string module;                  ///< the import's module name
    std::string name;                    ///< the import's field name
    ExternKind kind = ExternKind::func;  ///< which of the type fields below applies
    FuncType func;        ///< kind == func
    TableType table;      ///< kind == table
    MemoryType memory;    ///< kind == memory
    GlobalType global;    ///< kind == global
};

/// https://webassembly.github.io/spec/core/syntax/modules.html#exports
struct ExportDesc {
    std::string name;                    ///< the export's name
    ExternKind kind = ExternKind::func;  ///< what is exported
    uint32_t index = 0;  ///< in the module's index space of that kind
};

/// https://webassembly.github.io/spec/core/binary/modules.html#custom-section
struct CustomSection {
    std::string name;  ///< the section's name (e.g. "name", "producers")
    std::span<const uint8_t> data;  ///< points into the module's own copy of the binary
};

/// Decode, validate and compile `bytes` (copied). On failure the Error says whether the binary
/// is malformed or invalid, at which byte offset, and which rule was broken.
Result<std::shared_ptr<const Module>> load_module(std::span<const uint8_t> bytes);
/// The same, taking the buffer instead of copying it: a runtime that has just read the file
/// keeps one copy of the binary, not two (each fresh page is a fault at start-up, issue 6).
Result<std::shared_ptr<const Module>> load_module(std::vector<uint8_t>&& bytes);

/// Decode only (no validation, no compilation): for tools that inspect broken modules.
/// The returned Module cannot be instantiated.
Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes);

std::vector<ImportDesc> module_imports(const Module& m);
std::vector<ExportDesc> module_exports(const Module& m);
std::vector<CustomSection> module_custom_sections(const Module& m);
/// The function's name from the `name` section, if present (index in the function index space).
std::optional<std::string> module_function_name(const Module& m, uint32_t func_index);

/// What a module defines itself (not imports), and its start function: for tools such as
/// `exo inspect`. Index spaces put imports first, so defined function i has index
/// imported_functions + i (likewise for tables, memories, globals).
struct ModuleDefinitions {
    std::vector<FuncType> functions;   ///< type of each defined function (empty type if its index is bad)
    std::vector<TableType> tables;     ///< type of each defined table
    std::vector<MemoryType> memories;  ///< type of each defined memory
    std::vector<GlobalType> globals;   ///< type of each defined global
    std::optional<uint32_t> start;     ///< function index of the start function
    uint32_t imported_functions = 0;  ///< imports of each kind: the offset of defined indices
    uint32_t imported_tables = 0;     ///< see imported_functions
    uint32_t imported_memories = 0;   ///< see imported_functions
    uint32_t imported_globals = 0;    ///< see imported_functions
};
/// Works on decode-only modules too (bad type indices give an empty FuncType, never UB).
ModuleDefinitions module_definitions(const Module& m);

// ---------------------------------------------------------------------------------------------
// Runtime objects. They live in a Store and die with it; pointers stay valid until then.

struct FunctionInst;
struct TableInst;
struct MemoryInst;
struct GlobalInst;
struct Instance;

/// An external value: what imports are satisfied with and exports yield.
/// https://webassembly.github.io/spec/core/exec/runtime.html#external-values
struct Extern {
    ExternKind kind = ExternKind::func;  ///< which instance type `ptr` points to
    void* ptr = nullptr;  ///< FunctionInst*, TableInst*, MemoryInst* or GlobalInst* per kind

    /// A function.
    static Extern func(FunctionInst* f) { return {ExternKind::func, f}; }
    /// A table.
    static Extern table(TableInst* t) { return {ExternKind::table, t}; }
    /// A memory.
    static Extern memory(MemoryInst* m) { return {ExternKind::memory, m}; }
    /// A global.
    static Extern global(GlobalInst* g) { return {ExternKind::global, g}; }
    /// The function, or nullptr when this is another kind.
    FunctionInst* as_func() const { return kind == ExternKind::func ? static_cast<FunctionInst*>(ptr) : nullptr; }
    /// The table, or nullptr when this is another kind.
    TableInst* as_table() const { return kind == ExternKind::table ? static_cast<TableInst*>(ptr) : nullptr; }
    /// The memory, or nullptr when this is another kind.
    MemoryInst* as_memory() const { return kind == ExternKind::memory ? static_cast<MemoryInst*>(ptr) : nullptr; }
    /// The global, or nullptr when this is another kind.
    GlobalInst* as_global() const { return kind == ExternKind::global ? static_cast<GlobalInst*>(ptr) : nullptr; }
};

/// Why execution stopped abnormally. Messages use the spec test suite's wording.
enum class TrapKind : uint8_t {
    unreachable,                  ///< "unreachable"
    memory_out_of_bounds,         ///< "out of bounds memory access"
    table_out_of_bounds,          ///< "out of bounds table access"
    undefined_element,            ///< "undefined element"
    uninitialized_element,        ///< "uninitialized element"
    indirect_call_type_mismatch,  ///< "indirect call type mismatch"
    integer_divide_by_zero,       ///< "integer divide by zero"
    integer_overflow,             ///< "integer overflow"
    invalid_conversion,           ///< "invalid conversion to integer"
    call_stack_exhausted,         ///< "call stack exhausted"
    null_reference,               ///< "null reference" (unused in 2.0, reserved)
    out_of_fuel,                  ///< "out of fuel" (Meter)
    interrupted,                  ///< "interrupted" (deadline / embedder request)
    host,                         ///< a host function reported a fault
};
const char* trap_message(TrapKind k) noexcept;

/// One frame of a trap's backtrace.
struct Frame {
    uint32_t func_index = 0;    ///< in its module's function index space
    std::string func_name;      ///< from the name section, or "" when unknown
    std::string module_name;    ///< from the name section, or ""
};

/// A trap: why guest code stopped abnormally, and where.
struct Trap {
    TrapKind kind = TrapKind::unreachable;  ///< the cause
    std::string message;          ///< trap_message(kind), or the host's message for TrapKind::host
    std::vector<Frame> backtrace; ///< innermost frame first
};

/// The outcome of running guest code. Execution never throws.
struct ExecResult {
    /// Returned normally, trapped, or exited through a host function.
    enum class Status : uint8_t { ok, trap, exit };
    Status status = Status::ok;  ///< which fields below are meaningful
    std::vector<Value> values;  ///< results when ok
    Trap trap;                  ///< when trap
    uint32_t exit_code = 0;     ///< when exit (a host function such as proc_exit ended the run)

    /// Whether the call returned normally.
    bool ok() const noexcept { return status == Status::ok; }
};

/// What a host function tells the VM to do next. The errno the guest sees is a *result value*;
/// this is the separate channel the runtime acts on (STYLE.md "two channels").
struct HostOutcome {
    /// Continue the guest, trap, or end the run as an exit.
    enum class Kind : uint8_t { ok, trap, exit };
    Kind kind = Kind::ok;    ///< what to do
    uint32_t exit_code = 0;  ///< for exit
    std::string message;  ///< for trap

    /// Return the results to the guest and continue.
    static HostOutcome next() { return {}; }
    /// Trap with `msg` (TrapKind::host).
    static HostOutcome trap(std::string msg) { return {Kind::trap, 0, std::move(msg)}; }
    /// End the run as if the guest exited with `code` (ExecResult::Status::exit).
    static HostOutcome exit(uint32_t code) { return {Kind::exit, code, {}}; }
};

class Store;

/// What a host function sees of its caller.
struct HostCall {
    Store& store;      ///< the Store running the call (memory_data, globals, …)
    Instance* caller;  ///< the instance whose code made the call (nullptr when called from the host)
    /// The caller's exported memory "memory" (WASI convention), or nullptr.
    MemoryInst* memory() const;
};

/// args has the function type's params; results must be filled with its results.
using HostFunction =
    std::function<HostOutcome(HostCall& call, std::span<const Value> args, std::span<Value> results)>;

/// The lean form of a host function, for imports a guest calls in hot loops (WASI's fd_read,
/// clock_time_get): the VM passes its own value-stack slots instead of building Value arrays,
/// and calls a plain function pointer instead of a std::function. `slots` holds the arguments
/// as the VM's 64-bit slots (an i32 or f32 is the low 32 bits: read it through uint32_t, the
/// high half is unspecified; write it zero-extended); the function writes its results to
/// slots[0], slots[1], … the same way, over the arguments, so it must read every argument
/// before it writes a result. There is room for max(params, results) slots.
struct RawHostFunction {
    HostOutcome (*fn)(void* data, HostCall& call, uint64_t* slots) = nullptr;
    void* data = nullptr;  ///< passed back to `fn` unchanged; must outlive the Store's use of it
};

/// Lets the embedder (the capsule's Meter) veto growth before anything is allocated.
class ResourceLimiter {
public:
    virtual ~ResourceLimiter() = default;
    /// Memory wants to grow from current to desired bytes. false -> memory.grow returns -1
    /// (or instantiation fails).
    virtual bool memory_growing(uint64_t current_bytes, uint64_t desired_bytes) = 0;
    /// Table wants to grow from current to desired elements.
    virtual bool table_growing(uint64_t current_elems, uint64_t desired_elems) = 0;
};

/// How a Store runs code: call depth, fuel, interruption and growth limits.
/// The most fuel a Store holds (2^63 - 1): the interpreter keeps fuel in a signed register.
inline constexpr uint64_t kMaxFuel = (uint64_t{1} << 63) - 1;

struct StoreConfig {
    /// Maximum nesting of guest calls; deeper recursion traps "call stack exhausted".
    uint32_t max_call_depth = 10000;
    /// Optional fuel (executed instructions, charged per basic block). nullopt = unmetered.
    /// Amounts above kMaxFuel are taken as kMaxFuel (no run can spend that much).
    std::optional<uint64_t> fuel;
    /// When set to true by any thread, running code traps with TrapKind::interrupted at the next
    /// loop back-edge or call. Must outlive the Store.
    std::atomic<bool>* interrupt = nullptr;
    /// Consulted before any memory/table growth. Must outlive the Store.
    ResourceLimiter* limiter = nullptr;
};

/// Owns every runtime object (instances, functions, tables, memories, globals) of one capsule or
/// one spec script. Not thread-safe: one thread drives a Store at a time (except `interrupt`).
class Store {
public:
    /// An empty store running with `config`.
    explicit Store(StoreConfig config = {});
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// A host function of `type` calling `fn`; `debug_name` appears in backtraces.
    FunctionInst* create_host_function(FuncType type, HostFunction fn, std::string debug_name = {});
    /// The same with the lean calling convention (see RawHostFunction); `fn.fn` must be set.
    FunctionInst* create_host_function(FuncType type, RawHostFunction fn, std::string debug_name = {});
    /// nullptr if the limiter refuses the initial size.
    TableInst* create_table(TableType type, Ref init = {});
    /// A memory of `type` (for imports); nullptr if the limiter refuses its initial size.
    MemoryInst* create_memory(MemoryType type);
    /// A global of `type` holding `init` (whose type must match).
    GlobalInst* create_global(GlobalType type, Value init);

    /// Link `imports` (one per module import, in import order) and instantiate: allocate,
    /// initialise segments, run the start function. Errors: unlinkable (kind or type mismatch,
    /// count mismatch) or uninstantiable (trap during init; message is the trap's, and
    /// effects done before the trap stay visible as the spec requires).
    Result<Instance*> instantiate(std::shared_ptr<const Module> module, std::span<const Extern> imports);

    /// The export `name` of `inst`, or nullopt.
    std::optional<Extern> get_export(Instance* inst, std::string_view name) const;
    /// The module `inst` was instantiated from.
    const Module& instance_module(Instance* inst) const;

    /// Call a function with arguments matching its type (checked: a mismatch is a host trap).
    ExecResult call(FunctionInst* fn, std::span<const Value> args) noexcept;

    /// The type of `fn`.
    const FuncType& function_type(FunctionInst* fn) const;
    TableType table_type(TableInst* t) const;        ///< current size in limits.min
    MemoryType memory_type(MemoryInst* m) const;     ///< current pages in limits.min
    GlobalType global_type(GlobalInst* g) const;     ///< the type of `g`

    /// The current value of `g`.
    Value global_get(GlobalInst* g) const;
    void global_set(GlobalInst* g, Value v);  ///< host-side; type must match

    /// Linear memory bytes. The span is invalidated by growth.
    std::span<uint8_t> memory_data(MemoryInst* m) const;
    /// Grow by delta pages; returns the old size in pages or -1.
    int64_t memory_grow(MemoryInst* m, uint32_t delta_pages);

    /// Element `index` of `t`, or nullopt when out of bounds.
    std::optional<Ref> table_get(TableInst* t, uint32_t index) const;
    /// Set element `index` of `t`; false when out of bounds.
    bool table_set(TableInst* t, uint32_t index, Ref value);
    /// Grow `t` by `delta` elements set to `init`; returns the old size or -1.
    int64_t table_grow(TableInst* t, uint32_t delta, Ref init);

    /// Remaining fuel, when metered.
    std::optional<uint64_t> fuel_remaining() const;
    /// Fuel consumed so far (0 when unmetered).
    uint64_t fuel_consumed() const;
    /// Set the remaining fuel (nullopt: unmetered from now on).
    void set_fuel(std::optional<uint64_t> fuel);

    /// The configuration the store was created with.
    const StoreConfig& config() const { return m_config; }

    /// The VM's internal state (src/wasm); not for embedders.
    struct Impl;
    /// The VM's internal state; not for embedders.
    Impl& impl() { return *m_impl; }
    /// The VM's internal state; not for embedders.
    const Impl& impl() const { return *m_impl; }

private:
    StoreConfig m_config;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace crush
