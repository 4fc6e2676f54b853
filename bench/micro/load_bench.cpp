// Copyright Crush authors.
// Module load + compile throughput (issue 6: "module load+compile per MB").
// `time_per_MB` is the (CPU) time per MB of module bytes; the generated 4 MiB module stands in for a large
// real program (the repo has no sqlite-sized fixture); the suite's own programs are real clang output.
#include "fixture.hpp"
#include "module_gen.hpp"

#include <benchmark/benchmark.h>

namespace crush::bench {
namespace {

void report_bytes(benchmark::State& state, size_t bytes) {
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    state.counters["time_per_MB"] = benchmark::Counter(static_cast<double>(bytes) / 1e6,
                                                    benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
    state.counters["module_bytes"] = static_cast<double>(bytes);
}

const std::vector<uint8_t>& generated() {
    static const std::vector<uint8_t> bytes = generate_module(size_t{4} << 20);
    return bytes;
}

void BM_load_generated(benchmark::State& state) {
    const auto& bytes = generated();
    for (auto _ : state) {
        auto m = load_module(bytes);
        if (!m) die("generated module: " + m.error().message);
        benchmark::DoNotOptimize(m);
    }
    report_bytes(state, bytes.size());
}
BENCHMARK(BM_load_generated)->Unit(benchmark::kMillisecond);

void BM_decode_generated(benchmark::State& state) {
    const auto& bytes = generated();
    for (auto _ : state) {
        auto m = decode_module(bytes);
        if (!m) die("generated module: " + m.error().message);
        benchmark::DoNotOptimize(m);
    }
    report_bytes(state, bytes.size());
}
BENCHMARK(BM_decode_generated)->Unit(benchmark::kMillisecond);

void BM_load_program(benchmark::State& state, const char* name) {
    if (!have_program(state, name)) return;
    const auto bytes = read_file(program_path(name));
    for (auto _ : state) {
        auto m = load_module(bytes);
        if (!m) die(std::string(name) + ": " + m.error().message);
        benchmark::DoNotOptimize(m);
    }
    report_bytes(state, bytes.size());
}
BENCHMARK_CAPTURE(BM_load_program, hello, "hello")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_load_program, strproc, "strproc")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_load_program, sort, "sort")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace crush::bench
