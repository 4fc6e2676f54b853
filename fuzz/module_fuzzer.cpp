// Copyright Crush authors.
// libFuzzer target: arbitrary bytes through the whole public VM path (include/crush/wasm.hpp):
// decode, validate + compile, instantiate against stub imports, and run every exported function
// with a small fuel budget. The engine must survive any input: every failure is an error value
// or a trap, never a crash, a hang or a sanitizer report. See fuzz/README.md.
#include <crush/wasm.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <span>
#include <vector>

namespace {

constexpr uint64_t kMaxMemoryBytes = 16 * crush::kPageSize;  // 1 MiB per memory
constexpr uint64_t kMaxTableElems = 10000;
constexpr uint64_t kFuelPerCall = 5000;
constexpr uint32_t kMaxCallDepth = 500;
constexpr size_t kMaxExportsCalled = 16;

/// Keeps every input cheap: the capsule's Meter plays this role in production.
class SmallLimits final : public crush::ResourceLimiter {
public:
    bool memory_growing(uint64_t, uint64_t desired) override { return desired <= kMaxMemoryBytes; }
    bool table_growing(uint64_t, uint64_t desired) override { return desired <= kMaxTableElems; }
};

crush::Value zero_of(crush::ValType t) {
    if (crush::is_ref(t)) return crush::Value::ref(t, crush::Ref{});
    return crush::Value{t, 0};
}

/// A broken invariant of the API contract: make libFuzzer report it as a crash.
[[noreturn]] void contract_violation(const char* what) {
    std::fprintf(stderr, "contract violation: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> bytes(data, size);

    auto loaded = crush::load_module(bytes);
    if (!loaded) {
        const crush::Error& e = loaded.error();
        if (e.message.empty()) contract_violation("load error without a message");
        if (e.kind != crush::ErrorKind::malformed && e.kind != crush::ErrorKind::invalid)
            contract_violation("load error is neither malformed nor invalid");
        if (e.kind == crush::ErrorKind::malformed && e.offset > size)
            contract_violation("malformed error offset beyond the input");
        return 0;
    }
    // Whatever loads also decodes on its own.
    if (!crush::decode_module(bytes)) contract_violation("load_module ok but decode_module failed");

    std::shared_ptr<const crush::Module> module = *loaded;
    (void)crush::module_custom_sections(*module);
    std::vector<crush::ExportDesc> exports = crush::module_exports(*module);
    for (const auto& ex : exports)
        if (ex.kind == crush::ExternKind::func) (void)crush::module_function_name(*module, ex.index);

    SmallLimits limits;
    crush::StoreConfig config;
    config.max_call_depth = kMaxCallDepth;
    config.fuel = kFuelPerCall;
    config.limiter = &limits;
    crush::Store store(config);

    // Stub imports: functions return zeros, the rest are fresh objects of the wanted type.
    std::vector<crush::Extern> externs;
    for (const crush::ImportDesc& im : crush::module_imports(*module)) {
        switch (im.kind) {
            case crush::ExternKind::func: {
                auto fn = [types = im.func.results](crush::HostCall&, std::span<const crush::Value>,
                                                   std::span<crush::Value> results) {
                    for (size_t i = 0; i < results.size() && i < types.size(); ++i) results[i] = zero_of(types[i]);
                    return crush::HostOutcome::next();
                };
                externs.push_back(crush::Extern::func(store.create_host_function(im.func, fn, im.name)));
                break;
            }
            case crush::ExternKind::table: {
                crush::TableInst* t = store.create_table(im.table);
                if (!t) return 0;  // refused by the limiter: nothing to run
                externs.push_back(crush::Extern::table(t));
                break;
            }
            case crush::ExternKind::memory: {
                crush::MemoryInst* m = store.create_memory(im.memory);
                if (!m) return 0;
                externs.push_back(crush::Extern::memory(m));
                break;
            }
            case crush::ExternKind::global:
                externs.push_back(crush::Extern::global(store.create_global(im.global, zero_of(im.global.type))));
                break;
        }
    }

    auto inst = store.instantiate(module, externs);
    if (!inst) {
        const crush::Error& e = inst.error();
        if (e.kind != crush::ErrorKind::unlinkable && e.kind != crush::ErrorKind::uninstantiable)
            contract_violation("instantiate error is neither unlinkable nor uninstantiable");
        return 0;
    }

    size_t called = 0;
    for (const crush::ExportDesc& ex : exports) {
        if (ex.kind != crush::ExternKind::func || called++ >= kMaxExportsCalled) continue;
        auto ext = store.get_export(*inst, ex.name);
        if (!ext || !ext->as_func()) contract_violation("exported function not found");
        crush::FunctionInst* fn = ext->as_func();
        const crush::FuncType& type = store.function_type(fn);
        std::vector<crush::Value> args;
        for (crush::ValType p : type.params) args.push_back(zero_of(p));
        store.set_fuel(kFuelPerCall);
        crush::ExecResult r = store.call(fn, args);
        if (r.ok() && r.values.size() != type.results.size()) contract_violation("wrong number of results");
    }
    return 0;
}
