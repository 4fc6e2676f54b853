// Copyright Crush authors.
// Instantiating a small capsule in-process (issue 6 target: <= 50 us), at three depths:
//   vm       Store + WASI functions + instantiate of hello.wasm (module compiled once, world reused)
//   capsule  + the capsule's ScopedHal (Vfs root, handles, gate) and WasiContext built each time
//   create_run  Capsule::create + run() of hello.wasm: reading + compiling the file, and running
//            main (one fd_write to /dev/null) — everything `exo run` does minus process start-up.
#include "fixture.hpp"

#include <crush/capsule.hpp>

#include <benchmark/benchmark.h>

namespace crush::bench {
namespace {

void BM_instantiate_vm(benchmark::State& state) {
    if (!have_program(state, "hello")) return;
    auto module = load_file(program_path("hello"));
    World world = make_world({"io.print"});
    for (auto _ : state) {
        Store store;
        benchmark::DoNotOptimize(instantiate(store, module, world));
    }
}
BENCHMARK(BM_instantiate_vm)->Unit(benchmark::kMicrosecond);

void BM_instantiate_capsule(benchmark::State& state) {
    if (!have_program(state, "hello")) return;
    auto module = load_file(program_path("hello"));
    for (auto _ : state) {
        World world = make_world({"io.print"});
        Store store;
        benchmark::DoNotOptimize(instantiate(store, module, world));
    }
}
BENCHMARK(BM_instantiate_capsule)->Unit(benchmark::kMicrosecond);

void BM_capsule_create_run(benchmark::State& state) {
    if (!have_program(state, "hello")) return;
    for (auto _ : state) {
        CapsuleOptions o;
        o.name = "hello";
        o.module_path = program_path("hello");
        o.args = {"hello"};
        o.permissions = {"io.print"};
        o.vfs_root = scratch_root();
        o.stdin_fd = o.stdout_fd = o.stderr_fd = o.diagnostics_fd = dev_null();
        auto capsule = Capsule::create(std::move(o));
        if (!capsule) die("Capsule::create: " + capsule.error().message);
        CapsuleReport r = (*capsule)->run();
        if (r.outcome != CapsuleReport::Outcome::exited || r.exit_code != 0) die("hello did not exit 0");
    }
}
BENCHMARK(BM_capsule_create_run)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace crush::bench
