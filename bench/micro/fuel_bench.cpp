// Copyright Crush authors.
// Fuel overhead: the same compiled C kernels (guests/kernels.c) with StoreConfig::fuel unset
// (arg 0) and set (arg 1). Compare the pairs: fuel/1 over fuel/0 is the metering overhead.
#include "fixture.hpp"

#include <benchmark/benchmark.h>

#include <limits>

namespace crush::bench {
namespace {

void BM_fuel(benchmark::State& state, const char* kernel, uint32_t arg) {
    const bool metered = state.range(0) != 0;
    static auto module = load_file(guest_path("kernels.wasm"));
    World world = make_world({});
    StoreConfig config;
    constexpr uint64_t kPlenty = std::numeric_limits<uint64_t>::max() / 4;
    if (metered) config.fuel = kPlenty;
    Store store(config);
    Instance* inst = instantiate(store, module, world);
    FunctionInst* fn = export_func(store, inst, kernel);
    const Value args[] = {Value::i32(arg)};
    for (auto _ : state) {
        if (metered) store.set_fuel(kPlenty);
        ExecResult r = store.call(fn, args);
        if (!r.ok()) die(std::string(kernel) + " trapped: " + r.trap.message);
        benchmark::DoNotOptimize(r.values);
    }
    if (metered) state.counters["fuel_per_call"] = static_cast<double>(kPlenty - store.fuel_remaining().value_or(0));
}
BENCHMARK_CAPTURE(BM_fuel, fib_25, "fib", 25)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_fuel, sieve_64k, "sieve", 65536)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_fuel, mix_1M, "mix", 1000000)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace crush::bench
