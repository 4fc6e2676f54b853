// Copyright Crush authors.
// Host-call costs, per call (guests/hostcalls.wat loops 1000 calls per iteration; the reported
// time per call is the `time_per_call` counter, in CPU time):
//   spin            the guest loop alone (subtract it)
//   nop             an empty host function through the VM only (no WASI, no gate)
//   clock_time_get  WASI adapter + gate (clock) + Hal: the "empty host call through the gate"
//   fd_write_0      fd_write of 0 bytes to stdout: handle lookup + gate (io.print) + Hal
//   fd_pread_4k     a 4 KiB read at offset 0 of an open file, through WASI
//   open_read_close a whole small-file read: path_open (Vfs resolution + gate) + fd_read 4 KiB + fd_close
#include "fixture.hpp"

#include <benchmark/benchmark.h>

namespace crush::bench {
namespace {

constexpr uint32_t kCallsPerIteration = 1000;

struct HostcallGuest {
    World world = make_world({"io.print", "clock", "fs.read"});
    Store store;
    Instance* inst = instantiate(store, load_file(guest_path("hostcalls.wasm")), world);
};

HostcallGuest& guest() {
    static HostcallGuest g;
    return g;
}

void run_loop(benchmark::State& state, const char* name, std::vector<Value> args) {
    HostcallGuest& g = guest();
    FunctionInst* fn = export_func(g.store, g.inst, name);
    for (auto _ : state) {
        ExecResult r = g.store.call(fn, args);
        if (!r.ok()) die(std::string(name) + " trapped: " + r.trap.message);
        if (r.values.at(0).as_i32() != 0) die(std::string(name) + " failed, errno " + std::to_string(r.values[0].as_i32()));
    }
    state.SetItemsProcessed(state.iterations() * kCallsPerIteration);
    state.counters["time_per_call"] = benchmark::Counter(kCallsPerIteration,
                                                       benchmark::Counter::kIsIterationInvariantRate |
                                                           benchmark::Counter::kInvert);
}

void BM_hostcall(benchmark::State& state, const char* export_name) {
    run_loop(state, export_name, {Value::i32(kCallsPerIteration)});
}
BENCHMARK_CAPTURE(BM_hostcall, spin, "spin");
BENCHMARK_CAPTURE(BM_hostcall, nop, "nop_loop");
BENCHMARK_CAPTURE(BM_hostcall, clock_time_get, "clock_loop");
BENCHMARK_CAPTURE(BM_hostcall, fd_write_0, "write0_loop");
BENCHMARK_CAPTURE(BM_hostcall, open_read_close, "open_read_close_loop");

void BM_hostcall_fd_pread_4k(benchmark::State& state) {
    HostcallGuest& g = guest();
    ExecResult opened = g.store.call(export_func(g.store, g.inst, "open_file"), {});
    if (!opened.ok() || static_cast<int32_t>(opened.values.at(0).as_i32()) < 0) die("open_file failed");
    run_loop(state, "pread_loop", {opened.values[0], Value::i32(kCallsPerIteration)});
    state.SetBytesProcessed(state.iterations() * kCallsPerIteration * 4096);
}
BENCHMARK(BM_hostcall_fd_pread_4k);

}  // namespace
}  // namespace crush::bench
