// Copyright Crush authors.
// Registration of wasi_snapshot_preview1: the function table is generated from
// wasi_functions.def, and each entry's typed C++ implementation (wasi_impl.hpp) is adapted to
// the VM's lean host-function form (RawHostFunction) by Thunk, whose signature is checked
// against the .def at compile time.
#include "wasi/wasi_impl.hpp"

#include <array>
#include <cstring>
#include <tuple>
#include <utility>

namespace crush::wasi {

WasiContext::WasiContext(ScopedHal& hal, std::vector<std::string> args) : m_hal(hal) {
    for (std::string& a : args) {
        size_t nul = a.find('\0');
        if (nul != std::string::npos) a.resize(nul);
    }
    m_args = make_wasi_string_list(args);
}

Errno read_iovecs(const GuestMemory& mem, GuestPtr iovs, uint32_t count, Slices& out) noexcept {
    out.count = 0;
    return mem.iovecs(iovs, count, [&](std::span<uint8_t> b) {
        out.items[out.count++] = IoSlice{reinterpret_cast<std::byte*>(b.data()), b.size()};
    });
}

Errno read_ciovecs(const GuestMemory& mem, GuestPtr iovs, uint32_t count, ConstSlices& out) noexcept {
    out.count = 0;
    return mem.iovecs(iovs, count, [&](std::span<uint8_t> b) {
        out.items[out.count++] = ConstIoSlice{reinterpret_cast<const std::byte*>(b.data()), b.size()};
    });
}

namespace {

template <typename T>
constexpr char signature_char() {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "WASI parameters are i32 or i64");
    return sizeof(T) == 8 ? 'I' : 'i';
}

template <typename T>
T from_value(const Value& v) noexcept {
    if constexpr (sizeof(T) == 8)
        return static_cast<T>(v.as_i64());
    else
        return static_cast<T>(v.as_i32());
}

/// A parameter from its VM slot: i32 values are the slot's low half (the high half is not
/// guaranteed to be zero).
template <typename T>
T from_slot(uint64_t slot) noexcept {
    if constexpr (sizeof(T) == 8)
        return static_cast<T>(slot);
    else
        return static_cast<T>(static_cast<uint32_t>(slot));
}

GuestMemory memory_of(HostCall& call) noexcept {
    MemoryInst* m = call.memory();
    return m ? GuestMemory(call.store.memory_data(m)) : GuestMemory();
}

using Maker = RawHostFunction (*)(WasiContext&);
using DirectAdapter = HostOutcome (*)(WasiContext&, GuestMemory, std::span<const Value>, std::span<Value>);

template <auto Fn>
struct Thunk;

template <typename R, typename... A, R (*Fn)(Call&, A...)>
struct Thunk<Fn> {
    static constexpr std::array<char, sizeof...(A) + 1> params{signature_char<A>()..., '\0'};
    static constexpr std::string_view results = std::is_same_v<R, Errno> ? "i" : "";
    static_assert(std::is_same_v<R, Errno> || std::is_same_v<R, HostOutcome>);

    template <size_t... I>
    static HostOutcome invoke(Call& c, std::span<const Value> args, std::span<Value> out,
                              std::index_sequence<I...>) {
        if constexpr (std::is_same_v<R, Errno>) {
            Errno e = Fn(c, from_value<A>(args[I])...);
            out[0] = Value::i32(static_cast<uint16_t>(e));
            return HostOutcome::next();
        } else {
            return Fn(c, from_value<A>(args[I])...);
        }
    }

    template <size_t... I>
    static HostOutcome invoke_raw(Call& c, uint64_t* slots, std::index_sequence<I...>) {
        // Every argument is read (into Fn's parameters) before the result overwrites slot 0.
        if constexpr (std::is_same_v<R, Errno>) {
            Errno e = Fn(c, from_slot<A>(slots[I])...);
            slots[0] = static_cast<uint16_t>(e);
            return HostOutcome::next();
        } else {
            return Fn(c, from_slot<A>(slots[I])...);
        }
    }
    static HostOutcome raw(void* ctx, HostCall& hc, uint64_t* slots) {
        Call c{*static_cast<WasiContext*>(ctx), memory_of(hc)};
        return invoke_raw(c, slots, std::index_sequence_for<A...>{});
    }
    /// The registered host function, in the VM's lean form: the guest's call lands in this
    /// function's adapter, which reads the arguments from the VM's slots in place.
    static RawHostFunction make(WasiContext& ctx) { return {&raw, &ctx}; }
    static HostOutcome call_with(WasiContext& ctx, GuestMemory mem, std::span<const Value> args,
                                 std::span<Value> out) {
        Call c{ctx, mem};
        return invoke(c, args, out, std::index_sequence_for<A...>{});
    }
};

constexpr bool same(const char* a, std::string_view b) {
    return std::string_view(a) == b;
}

#define CRUSH_WASI_FUNCTION(name, p, r)                                                                   \
    static_assert(same(Thunk<&impl::name>::params.data(), p), #name ": parameters differ from the .def"); \
    static_assert(Thunk<&impl::name>::results == std::string_view(r), #name ": results differ from the "  \
                                                                            ".def");
#include "wasi/wasi_functions.def"
#undef CRUSH_WASI_FUNCTION

struct Entry {
    std::string_view name;
    std::string_view params;
    std::string_view results;
    Maker make;
    DirectAdapter direct;
};

constexpr Entry kFunctions[] = {
#define CRUSH_WASI_FUNCTION(name, p, r) \
    {#name, p, r, &Thunk<&impl::name>::make, &Thunk<&impl::name>::call_with},
#include "wasi/wasi_functions.def"
#undef CRUSH_WASI_FUNCTION
};

#define CRUSH_EXO_FUNCTION(name, p, r)                                     \
    static_assert(same(Thunk<&impl::exo::name>::params.data(), p),         \
                  #name ": parameters differ from the .def");              \
    static_assert(Thunk<&impl::exo::name>::results == std::string_view(r), \
                  #name ": results differ from the .def");
#include "wasi/exo_functions.def"
#undef CRUSH_EXO_FUNCTION

constexpr Entry kExoFunctions[] = {
#define CRUSH_EXO_FUNCTION(name, p, r) \
    {#name, p, r, &Thunk<&impl::exo::name>::make, &Thunk<&impl::exo::name>::call_with},
#include "wasi/exo_functions.def"
#undef CRUSH_EXO_FUNCTION
};

constexpr auto kNames = [] {
    std::array<std::string_view, std::size(kFunctions)> names{};
    for (size_t i = 0; i < names.size(); ++i) names[i] = kFunctions[i].name;
    return names;
}();

std::vector<ValType> types_of(std::string_view sig) {
    std::vector<ValType> v;
    for (char ch : sig) v.push_back(ch == 'I' ? ValType::i64 : ValType::i32);
    return v;
}

template <size_t N>
const Entry* find_in(const Entry (&table)[N], std::string_view name) noexcept {
    for (const Entry& e : table)
        if (e.name == name) return &e;
    return nullptr;
}
const Entry* find(std::string_view name) noexcept {
    return find_in(kFunctions, name);
}

FunctionInst* create(Store& store, WasiContext& ctx, const Entry* e, std::string_view module) {
    if (!e) return nullptr;
    return store.create_host_function(FuncType{types_of(e->params), types_of(e->results)}, e->make(ctx),
                                      std::string(module) + "." + std::string(e->name));
}

}  // namespace

std::span<const std::string_view> function_names() noexcept {
    return kNames;
}

std::optional<FuncType> function_type(std::string_view name) {
    const Entry* e = find(name);
    if (!e) return std::nullopt;
    return FuncType{types_of(e->params), types_of(e->results)};
}

HostOutcome invoke(WasiContext& ctx, GuestMemory mem, std::string_view name, std::span<const Value> args,
                   std::span<Value> results) {
    const Entry* e = find(name);
    if (!e || args.size() != e->params.size() || results.size() != e->results.size())
        return HostOutcome::trap("no such WASI function or wrong arity");
    return e->direct(ctx, mem, args, results);
}

FunctionInst* create_function(Store& store, WasiContext& ctx, std::string_view name) {
    return create(store, ctx, find(name), kModuleName);
}

FunctionInst* create_exo_function(Store& store, WasiContext& ctx, std::string_view name) {
    return create(store, ctx, find_in(kExoFunctions, name), kExoModuleName);
}

}  // namespace crush::wasi
