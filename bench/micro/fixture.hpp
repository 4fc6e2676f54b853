// Copyright Crush authors.
// Shared set-up for crush_micro_bench: the built guest files, a capsule world (ScopedHal +
// WasiContext on a scratch root), and linking a module's imports against it.
#pragma once

#include "capsule/scoped_hal.hpp"
#include "wasi/wasi.hpp"

#include <crush/wasm.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace crush::bench {

/// The bytes of a file; aborts the benchmark binary when it cannot be read (a missing fixture
/// is a build problem, not a measurement).
std::vector<uint8_t> read_file(const std::filesystem::path& path);

/// Load (decode + validate + compile) a file; aborts on error.
std::shared_ptr<const Module> load_file(const std::filesystem::path& path);

/// Where the guests were built (CRUSH_MICRO_GUEST_DIR) and the suite's programs (CRUSH_BENCH_WASM_DIR).
std::filesystem::path guest_path(const std::string& file);
std::filesystem::path program_path(const std::string& name);

/// False (and the benchmark is skipped with a message) when the suite program `name` was not
/// built: the shared suite (CRUSH_SHARED_BENCH_DIR) is optional.
bool have_program(benchmark::State& state, const std::string& name);

/// A scratch capsule root holding f.bin (4096 bytes), created once per process, removed at exit.
const std::filesystem::path& scratch_root();

/// The host descriptor of /dev/null (the capsules' stdio in benchmarks).
int dev_null();

/// One capsule's host side: ScopedHal on scratch_root() with `permissions`, stdio on /dev/null.
struct World {
    std::unique_ptr<ScopedHal> hal;
    std::unique_ptr<wasi::WasiContext> wasi;
};
World make_world(const std::vector<std::string>& permissions);

/// Link every import of `module` in `store`: wasi_snapshot_preview1 functions from `world`,
/// "bench"."nop" as an empty host function, anything else as a stub returning zeros.
std::vector<Extern> link(Store& store, const Module& module, World& world);

/// Instantiate `module` in `store` with link(); aborts on error.
Instance* instantiate(Store& store, std::shared_ptr<const Module> module, World& world);

/// The exported function `name` of `inst`; aborts when missing.
FunctionInst* export_func(Store& store, Instance* inst, const char* name);

/// Abort with a message (benchmarks have no error channel worth keeping).
[[noreturn]] void die(const std::string& message);

}  // namespace crush::bench
