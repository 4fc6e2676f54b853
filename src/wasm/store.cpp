// Copyright Crush authors.
// The Store: owns runtime objects, runs calls, grows memories and tables, meters fuel.
// https://webassembly.github.io/spec/core/exec/runtime.html#store
#include "runtime.hpp"
#include "validator.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

namespace crush {

// ---------------------------------------------------------------------------------------------
// Memory instances

MemoryInst::~MemoryInst() {
    if (data) munmap(data, size);
}

bool MemoryInst::resize(uint64_t pages) noexcept {
    const uint64_t bytes = pages * kPageSize;
    if (bytes == size) return true;
    void* p;
    if (data == nullptr) {
        p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    } else {
        // Anonymous mappings grow with fresh zero pages; the kernel moves them if it must.
        p = mremap(data, size, bytes, MREMAP_MAYMOVE);
    }
    if (p == MAP_FAILED) return false;
    data = static_cast<uint8_t*>(p);
    size = bytes;
    return true;
}

// ---------------------------------------------------------------------------------------------
// Store::Impl

uint32_t Store::Impl::intern(const FuncType& t) {
    std::string key;
    for (ValType p : t.params) key.push_back(static_cast<char>(p));
    key.push_back('>');
    for (ValType r : t.results) key.push_back(static_cast<char>(r));
    auto [it, inserted] = type_ids.emplace(std::move(key), static_cast<uint32_t>(type_ids.size()));
    return it->second;
}

int64_t Store::Impl::grow_memory(MemoryInst* m, uint32_t delta) noexcept {
    const uint64_t old_pages = m->size / kPageSize;
    const uint64_t new_pages = old_pages + delta;
    const uint64_t max = m->type.limits.max ? *m->type.limits.max : 65536;
    if (new_pages > max || new_pages > 65536) return -1;
    if (delta == 0) return static_cast<int64_t>(old_pages);
    if (config.limiter && !config.limiter->memory_growing(m->size, new_pages * kPageSize)) return -1;
    if (!m->resize(new_pages)) return -1;
    return static_cast<int64_t>(old_pages);
}

int64_t Store::Impl::grow_table(TableInst* t, uint32_t delta, void* init) noexcept {
    const uint64_t old_size = t->elems.size();
    const uint64_t new_size = old_size + delta;
    const uint64_t max = t->type.limits.max ? *t->type.limits.max : 0xffffffffull;
    if (new_size > max) return -1;
    if (delta == 0) return static_cast<int64_t>(old_size);
    if (config.limiter && !config.limiter->table_growing(old_size, new_size)) return -1;
    try {
        t->elems.resize(new_size, init);
    } catch (...) {
        return -1;
    }
    return static_cast<int64_t>(old_size);
}

ExecResult Store::Impl::invoke(FunctionInst* fn, std::span<const Value> args) noexcept {
    ExecResult r;
    const FuncType& t = *fn->type;
    if (fn->code == nullptr) {
        std::vector<Value> results(t.results.size());
        HostOutcome out = call_host(*this, fn, nullptr, args, results);
        if (out.kind == HostOutcome::Kind::trap) {
            r.status = ExecResult::Status::trap;
            r.trap.kind = TrapKind::host;
            r.trap.message = std::move(out.message);
            r.trap.backtrace.push_back(frame_of(fn));
        } else if (out.kind == HostOutcome::Kind::exit) {
            r.status = ExecResult::Status::exit;
            r.exit_code = out.exit_code;
        } else {
            r.values = std::move(results);
        }
        return r;
    }
    // The value stack and frame stack are allocated on first use; pages are touched lazily.
    constexpr size_t kStackSlots = size_t{1} << 20;  // 8 MiB of operand/local slots
    constexpr uint32_t kMaxNesting = 64;             // host -> guest re-entries
    try {
        if (!stack) {
            // Frames first: where the allocator hands out both from one growing region (exo's
            // heap, see src/cli/startup_prefault.cpp) the frames then sit below the stack, next
            // to memory already mapped, instead of 8 MiB further on in fresh page tables.
            frame_capacity = config.max_call_depth + kMaxNesting + 1;
            frames.reset(new CallFrame[frame_capacity]);
            stack.reset(new uint64_t[kStackSlots]);
            stack_slots = kStackSlots;
            stack_top = stack.get();
        }
    } catch (...) {
        r.status = ExecResult::Status::trap;
        r.trap.kind = TrapKind::call_stack_exhausted;
        r.trap.message = trap_message(r.trap.kind);
        return r;
    }
    uint64_t* base = stack_top;
    const size_t room = static_cast<size_t>(stack.get() + stack_slots - base);
    if (nesting >= kMaxNesting || room < args.size() + t.results.size() + 8) {
        r.status = ExecResult::Status::trap;
        r.trap.kind = TrapKind::call_stack_exhausted;
        r.trap.message = trap_message(r.trap.kind);
        return r;
    }
    for (size_t i = 0; i < args.size(); ++i) base[i] = args[i].bits;
    ++nesting;
    RunOutcome out = run_function(*this, fn, base);
    --nesting;
    stack_top = base;
    switch (out.status) {
    case RunStatus::ok:
        r.values.resize(t.results.size());
        for (size_t i = 0; i < t.results.size(); ++i) r.values[i] = Value{t.results[i], base[i]};
        break;
    case RunStatus::trap:
        r.status = ExecResult::Status::trap;
        r.trap = std::move(out.trap);
        break;
    case RunStatus::exit:
        r.status = ExecResult::Status::exit;
        r.exit_code = out.exit_code;
        break;
    }
    return r;
}

// ---------------------------------------------------------------------------------------------
// Store

Store::Store(StoreConfig config) : m_config(config), m_impl(std::make_unique<Impl>(*this, config)) {
    m_impl->metered = config.fuel.has_value();
    // Unmetered stores never charge; endless fuel keeps the arithmetic simple all the same.
    m_impl->fuel = std::min(config.fuel.value_or(kMaxFuel), kMaxFuel);
    m_impl->fuel_added = m_impl->fuel;
}


Store::~Store() = default;

namespace {
/// A host function instance of `type` (its own copy, interned), without its callable yet.
std::unique_ptr<FunctionInst> new_host_function(Store::Impl& impl, FuncType type, std::string debug_name) {
    auto f = std::make_unique<FunctionInst>();
    f->own_type = std::move(type);
    f->type = &f->own_type;
    f->type_id = impl.intern(f->own_type);
    f->debug_name = std::move(debug_name);
    return f;
}
}  // namespace

FunctionInst* Store::create_host_function(FuncType type, HostFunction fn, std::string debug_name) {
    auto f = new_host_function(*m_impl, std::move(type), std::move(debug_name));
    f->host = std::move(fn);
    m_impl->funcs.push_back(std::move(f));
    return m_impl->funcs.back().get();
}

FunctionInst* Store::create_host_function(FuncType type, RawHostFunction fn, std::string debug_name) {
    auto f = new_host_function(*m_impl, std::move(type), std::move(debug_name));
    f->raw_host = fn;
    m_impl->funcs.push_back(std::move(f));
    return m_impl->funcs.back().get();
}

TableInst* Store::create_table(TableType type, Ref init) {
    if (type.limits.max && type.limits.min > *type.limits.max) return nullptr;
    if (m_config.limiter && !m_config.limiter->table_growing(0, type.limits.min)) return nullptr;
    auto t = std::make_unique<TableInst>();
    t->type = type;
    t->elems.assign(type.limits.min, init.ptr);
    m_impl->tables.push_back(std::move(t));
    return m_impl->tables.back().get();
}

MemoryInst* Store::create_memory(MemoryType type) {
    const Limits& l = type.limits;
    if (l.min > 65536 || (l.max && (*l.max > 65536 || l.min > *l.max))) return nullptr;
    if (m_config.limiter && !m_config.limiter->memory_growing(0, uint64_t{l.min} * kPageSize)) return nullptr;
    auto m = std::make_unique<MemoryInst>();
    m->type = type;
    if (!m->resize(l.min)) return nullptr;
    m_impl->memories.push_back(std::move(m));
    return m_impl->memories.back().get();
}

GlobalInst* Store::create_global(GlobalType type, Value init) {
    auto g = std::make_unique<GlobalInst>();
    g->type = type;
    g->value = init.bits;
    m_impl->globals.push_back(std::move(g));
    return m_impl->globals.back().get();
}

std::optional<Extern> Store::get_export(Instance* inst, std::string_view name) const {
    for (const Export& e : inst->module->exports) {
        if (e.name != name) continue;
        switch (e.kind) {
        case ExternKind::func: return Extern::func(inst->funcs[e.index]);
        case ExternKind::table: return Extern::table(inst->tables[e.index]);
        case ExternKind::memory: return Extern::memory(inst->memories[e.index]);
        case ExternKind::global: return Extern::global(inst->globals[e.index]);
        }
    }
    return std::nullopt;
}

const Module& Store::instance_module(Instance* inst) const { return *inst->module; }

ExecResult Store::call(FunctionInst* fn, std::span<const Value> args) noexcept {
    const FuncType& t = *fn->type;
    bool ok = args.size() == t.params.size();
    for (size_t i = 0; ok && i < args.size(); ++i) ok = args[i].type == t.params[i];
    if (!ok) {
        ExecResult r;
        r.status = ExecResult::Status::trap;
        r.trap.kind = TrapKind::host;
        r.trap.message = "argument type mismatch: expected " + to_string(t);
        return r;
    }
    return m_impl->invoke(fn, args);
}

const FuncType& Store::function_type(FunctionInst* fn) const { return *fn->type; }

TableType Store::table_type(TableInst* t) const {
    TableType r = t->type;
    r.limits.min = static_cast<uint32_t>(t->elems.size());
    return r;
}

MemoryType Store::memory_type(MemoryInst* m) const {
    MemoryType r = m->type;
    r.limits.min = static_cast<uint32_t>(m->size / kPageSize);
    return r;
}

GlobalType Store::global_type(GlobalInst* g) const { return g->type; }

Value Store::global_get(GlobalInst* g) const { return Value{g->type.type, g->value}; }

void Store::global_set(GlobalInst* g, Value v) {
    if (v.type == g->type.type) g->value = v.bits;
}

std::span<uint8_t> Store::memory_data(MemoryInst* m) const { return {m->data, static_cast<size_t>(m->size)}; }

int64_t Store::memory_grow(MemoryInst* m, uint32_t delta_pages) { return m_impl->grow_memory(m, delta_pages); }

std::optional<Ref> Store::table_get(TableInst* t, uint32_t index) const {
    if (index >= t->elems.size()) return std::nullopt;
    return Ref{t->elems[index]};
}

bool Store::table_set(TableInst* t, uint32_t index, Ref value) {
    if (index >= t->elems.size()) return false;
    t->elems[index] = value.ptr;
    return true;
}

int64_t Store::table_grow(TableInst* t, uint32_t delta, Ref init) { return m_impl->grow_table(t, delta, init.ptr); }

std::optional<uint64_t> Store::fuel_remaining() const {
    if (!m_impl->metered) return std::nullopt;
    return m_impl->fuel;
}

uint64_t Store::fuel_consumed() const { return m_impl->metered ? m_impl->fuel_added - m_impl->fuel : 0; }

void Store::set_fuel(std::optional<uint64_t> fuel) {
    // Code instantiated in an unmetered store (plain or interrupt-only) has no charge points:
    // metering cannot be switched on later for it. Switching it off leaves the charge points
    // with unlimited fuel.
    if (!fuel) {
        m_impl->fuel = kMaxFuel;
        m_impl->fuel_added = kMaxFuel;
        return;
    }
    m_impl->metered = true;
    const uint64_t capped = std::min(*fuel, kMaxFuel);
    m_impl->fuel_added = m_impl->fuel_added - m_impl->fuel + capped;
    m_impl->fuel = capped;
}

MemoryInst* HostCall::memory() const { return caller ? caller->exported_memory : nullptr; }

}  // namespace crush
