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
    std::vector<ValType> params;
    std::vector<ValType> results;
    bool operator==(const FuncType&) const = default;
};
std::string to_string(const FuncType& t);

/// https://webassembly.github.io/spec/core/syntax/types.html#limits
struct Limits {
    uint32_t min = 0;
    std::optional<uint32_t> max;
    bool operator==(const Limits&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#table-types
struct TableType {
    ValType elem = ValType::funcref;
    Limits limits;
    bool operator==(const TableType&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#memory-types (limits in pages)
struct MemoryType {
    Limits limits;
    bool operator==(const MemoryType&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#global-types
struct GlobalType {
    ValType type = ValType::i32;
    bool mut = false;
    bool operator==(const GlobalType&) const = default;
};

/// https://webassembly.github.io/spec/core/syntax/types.html#external-types
enum class ExternKind : uint8_t { func = 0, table = 1, memory = 2, global = 3 };
const char* to_string(ExternKind k) noexcept;

inline constexpr uint32_t kPageSize = 65536;

/// A reference value: null, a function, or an opaque host token (externref).
/// For funcref, `ptr` is a FunctionInst*. For externref the embedder picks any non-null token.
struct Ref {
    void* ptr = nullptr;
    bool is_null() const noexcept { return ptr == nullptr; }
    bool operator==(const Ref&) const = default;
};

/// A typed Wasm value. Floats are kept as their bit patterns so NaN payloads survive.
/// https://webassembly.github.io/spec/core/exec/runtime.html#values
struct Value {
    ValType type = ValType::i32;
    uint64_t bits = 0;  ///< i32/f32 use the low 32 bits; refs hold the pointer

    static Value i32(uint32_t v) { return {ValType::i32, v}; }
    static Value i64(uint64_t v) { return {ValType::i64, v}; }
    static Value f32_bits(uint32_t v) { return {ValType::f32, v}; }
    static Value f64_bits(uint64_t v) { return {ValType::f64, v}; }
    static Value f32(float v) { uint32_t b; std::memcpy(&b, &v, 4); return f32_bits(b); }
    static Value f64(double v) { uint64_t b; std::memcpy(&b, &v, 8); return f64_bits(b); }
    static Value ref(ValType t, Ref r) { return {t, reinterpret_cast<uint64_t>(r.ptr)}; }

    uint32_t as_i32() const { return static_cast<uint32_t>(bits); }
    uint64_t as_i64() const { return bits; }
    float as_f32() const { float f; uint32_t b = as_i32(); std::memcpy(&f, &b, 4); return f; }
    double as_f64() const { double d; std::memcpy(&d, &bits, 8); return d; }
    Ref as_ref() const { return Ref{reinterpret_cast<void*>(static_cast<uintptr_t>(bits))}; }
    bool operator==(const Value&) const = default;
};
std::string to_string(const Value& v);

// ---------------------------------------------------------------------------------------------
// Modules

/// A decoded, validated and compiled module: immutable, shareable between stores and threads.
class Module;

/// https://webassembly.github.io/spec/core/syntax/modules.html#imports
struct ImportDesc {
    std::string module;
    std::string name;
    ExternKind kind = ExternKind::func;
    FuncType func;        ///< kind == func
    TableType table;      ///< kind == table
    MemoryType memory;    ///< kind == memory
    GlobalType global;    ///< kind == global
};

/// https://webassembly.github.io/spec/core/syntax/modules.html#exports
struct ExportDesc {
    std::string name;
    ExternKind kind = ExternKind::func;
    uint32_t index = 0;  ///< in the module's index space of that kind
};

struct CustomSection {
    std::string name;
    std::span<const uint8_t> data;  ///< points into the module's own copy of the binary
};

/// Decode, validate and compile `bytes` (copied). On failure the Error says whether the binary
/// is malformed or invalid, at which byte offset, and which rule was broken.
Result<std::shared_ptr<const Module>> load_module(std::span<const uint8_t> bytes);

/// Decode only (no validation, no compilation): for tools that inspect broken modules.
/// The returned Module cannot be instantiated.
Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes);

std::vector<ImportDesc> module_imports(const Module& m);
std::vector<ExportDesc> module_exports(const Module& m);
std::vector<CustomSection> module_custom_sections(const Module& m);
/// The function's name from the `name` section, if present (index in the function index space).
std::optional<std::string> module_function_name(const Module& m, uint32_t func_index);

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
    ExternKind kind = ExternKind::func;
    void* ptr = nullptr;  ///< FunctionInst*, TableInst*, MemoryInst* or GlobalInst* per kind

    static Extern func(FunctionInst* f) { return {ExternKind::func, f}; }
    static Extern table(TableInst* t) { return {ExternKind::table, t}; }
    static Extern memory(MemoryInst* m) { return {ExternKind::memory, m}; }
    static Extern global(GlobalInst* g) { return {ExternKind::global, g}; }
    FunctionInst* as_func() const { return kind == ExternKind::func ? static_cast<FunctionInst*>(ptr) : nullptr; }
    TableInst* as_table() const { return kind == ExternKind::table ? static_cast<TableInst*>(ptr) : nullptr; }
    MemoryInst* as_memory() const { return kind == ExternKind::memory ? static_cast<MemoryInst*>(ptr) : nullptr; }
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

struct Frame {
    uint32_t func_index = 0;    ///< in its module's function index space
    std::string func_name;      ///< from the name section, or "" when unknown
    std::string module_name;    ///< from the name section, or ""
};

struct Trap {
    TrapKind kind = TrapKind::unreachable;
    std::string message;          ///< trap_message(kind), or the host's message for TrapKind::host
    std::vector<Frame> backtrace; ///< innermost frame first
};

/// The outcome of running guest code. Execution never throws.
struct ExecResult {
    enum class Status : uint8_t { ok, trap, exit };
    Status status = Status::ok;
    std::vector<Value> values;  ///< results when ok
    Trap trap;                  ///< when trap
    uint32_t exit_code = 0;     ///< when exit (a host function such as proc_exit ended the run)

    bool ok() const noexcept { return status == Status::ok; }
};

/// What a host function tells the VM to do next. The errno the guest sees is a *result value*;
/// this is the separate channel the runtime acts on (STYLE.md "two channels").
struct HostOutcome {
    enum class Kind : uint8_t { ok, trap, exit };
    Kind kind = Kind::ok;
    uint32_t exit_code = 0;
    std::string message;  ///< for trap

    static HostOutcome next() { return {}; }
    static HostOutcome trap(std::string msg) { return {Kind::trap, 0, std::move(msg)}; }
    static HostOutcome exit(uint32_t code) { return {Kind::exit, code, {}}; }
};

class Store;

/// What a host function sees of its caller.
struct HostCall {
    Store& store;
    Instance* caller;  ///< the instance whose code made the call (nullptr when called from the host)
    /// The caller's exported memory "memory" (WASI convention), or nullptr.
    MemoryInst* memory() const;
};

/// args has the function type's params; results must be filled with its results.
using HostFunction =
    std::function<HostOutcome(HostCall& call, std::span<const Value> args, std::span<Value> results)>;

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

struct StoreConfig {
    /// Maximum nesting of guest calls; deeper recursion traps "call stack exhausted".
    uint32_t max_call_depth = 10000;
    /// Optional fuel (executed instructions, charged per basic block). nullopt = unmetered.
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
    explicit Store(StoreConfig config = {});
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    FunctionInst* create_host_function(FuncType type, HostFunction fn, std::string debug_name = {});
    /// nullptr if the limiter refuses the initial size.
    TableInst* create_table(TableType type, Ref init = {});
    MemoryInst* create_memory(MemoryType type);
    GlobalInst* create_global(GlobalType type, Value init);

    /// Link `imports` (one per module import, in import order) and instantiate: allocate,
    /// initialise segments, run the start function. Errors: unlinkable (kind or type mismatch,
    /// count mismatch) or uninstantiable (trap during init; message is the trap's, and
    /// effects done before the trap stay visible as the spec requires).
    Result<Instance*> instantiate(std::shared_ptr<const Module> module, std::span<const Extern> imports);

    std::optional<Extern> get_export(Instance* inst, std::string_view name) const;
    const Module& instance_module(Instance* inst) const;

    /// Call a function with arguments matching its type (checked: a mismatch is a host trap).
    ExecResult call(FunctionInst* fn, std::span<const Value> args) noexcept;

    const FuncType& function_type(FunctionInst* fn) const;
    TableType table_type(TableInst* t) const;        ///< current size in limits.min
    MemoryType memory_type(MemoryInst* m) const;     ///< current pages in limits.min
    GlobalType global_type(GlobalInst* g) const;

    Value global_get(GlobalInst* g) const;
    void global_set(GlobalInst* g, Value v);  ///< host-side; type must match

    /// Linear memory bytes. The span is invalidated by growth.
    std::span<uint8_t> memory_data(MemoryInst* m) const;
    /// Grow by delta pages; returns the old size in pages or -1.
    int64_t memory_grow(MemoryInst* m, uint32_t delta_pages);

    std::optional<Ref> table_get(TableInst* t, uint32_t index) const;
    bool table_set(TableInst* t, uint32_t index, Ref value);
    int64_t table_grow(TableInst* t, uint32_t delta, Ref init);

    /// Remaining fuel, when metered.
    std::optional<uint64_t> fuel_remaining() const;
    /// Fuel consumed so far (0 when unmetered).
    uint64_t fuel_consumed() const;
    void set_fuel(std::optional<uint64_t> fuel);

    const StoreConfig& config() const { return m_config; }

    struct Impl;
    Impl& impl() { return *m_impl; }
    const Impl& impl() const { return *m_impl; }

private:
    StoreConfig m_config;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace crush
