// Copyright Crush authors.
#include "fixture.hpp"

#include "hal/native_hal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

namespace crush::bench {

void die(const std::string& message) {
    std::fprintf(stderr, "crush_micro_bench: %s\n", message.c_str());
    std::exit(2);
}

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) die("cannot read " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::shared_ptr<const Module> load_file(const std::filesystem::path& path) {
    auto bytes = read_file(path);
    auto module = load_module(bytes);
    if (!module) die(path.string() + ": " + module.error().message);
    return std::move(*module);
}

std::filesystem::path guest_path(const std::string& file) { return std::filesystem::path(CRUSH_MICRO_GUEST_DIR) / file; }
std::filesystem::path program_path(const std::string& name) {
    return std::filesystem::path(CRUSH_BENCH_WASM_DIR) / (name + ".wasm");
}

bool have_program(benchmark::State& state, const std::string& name) {
    if (std::filesystem::exists(program_path(name))) return true;
    state.SkipWithError((name + ".wasm not built (the shared suite is missing)").c_str());
    return false;
}

namespace {
struct Scratch {
    std::filesystem::path root;
    Scratch() {
        root = std::filesystem::temp_directory_path() / ("crush-micro-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(root);
        std::ofstream out(root / "f.bin", std::ios::binary);
        std::string block(4096, 'x');
        out.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }
};
}  // namespace

const std::filesystem::path& scratch_root() {
    static Scratch s;
    return s.root;
}

int dev_null() {
    static int fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    return fd;
}

World make_world(const std::vector<std::string>& permissions) {
    ScopedHalConfig config;
    config.capsule_name = "bench";
    config.root_host_path = scratch_root().string();
    auto perms = Permissions::parse(permissions);
    if (!perms) die(perms.error().message);
    config.permissions = std::move(*perms);
    auto base = std::make_shared<NativeHal>(dev_null(), dev_null(), dev_null());
    auto hal = ScopedHal::create(std::move(base), std::move(config));
    if (!hal) die("ScopedHal::create failed");
    World w;
    w.hal = std::move(*hal);
    w.wasi = std::make_unique<wasi::WasiContext>(*w.hal, std::vector<std::string>{"bench"});
    return w;
}

std::vector<Extern> link(Store& store, const Module& module, World& world) {
    std::vector<Extern> imports;
    for (const ImportDesc& imp : module_imports(module)) {
        if (imp.kind != ExternKind::func) die("unexpected non-function import " + imp.name);
        FunctionInst* f = nullptr;
        if (imp.module == wasi::kModuleName) f = wasi::create_function(store, *world.wasi, imp.name);
        if (!f) {
            // "bench"."nop" and any stub: return zeros of the declared result types.
            f = store.create_host_function(
                imp.func,
                [](HostCall&, std::span<const Value>, std::span<Value> results) {
                    for (Value& r : results) r.bits = 0;
                    return HostOutcome::next();
                },
                imp.module + "." + imp.name);
        }
        imports.push_back(Extern::func(f));
    }
    return imports;
}

Instance* instantiate(Store& store, std::shared_ptr<const Module> module, World& world) {
    auto imports = link(store, *module, world);
    auto inst = store.instantiate(std::move(module), imports);
    if (!inst) die("instantiate: " + inst.error().message);
    return *inst;
}

FunctionInst* export_func(Store& store, Instance* inst, const char* name) {
    auto e = store.get_export(inst, name);
    if (!e || !e->as_func()) die(std::string("no exported function ") + name);
    return e->as_func();
}

}  // namespace crush::bench
