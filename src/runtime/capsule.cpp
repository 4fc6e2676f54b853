// Copyright Crush authors.
// crush::Capsule (include/crush/capsule.hpp): load a module, build the capsule's ScopedHal, link
// wasi_snapshot_preview1, run `_start`, and turn the outcome into a CapsuleReport.
//
// Every capsule owns its Hal wrapper, Store, handles and environment: nothing here is static or
// shared, so two Capsules can run at the same time on two threads. The module file itself is
// read through the Hal too (the runtime makes no system calls).
#include <crush/capsule.hpp>

#include "capsule/limits.hpp"
#include "capsule/manifest.hpp"
#include "capsule/meter_limits.hpp"
#include "capsule/scoped_hal.hpp"
#include "hal/native_hal.hpp"
#include "runtime/host_functions.hpp"
#include "runtime/watchdog.hpp"
#include "wasi/wasi.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string_view>

namespace crush {

namespace {

/// Modules larger than this are refused before reading (a runaway file must not exhaust memory).
constexpr uint64_t kMaxModuleBytes = uint64_t{1} << 30;

Error load_error(ErrorKind kind, std::string message) { return Error{kind, 0, std::move(message)}; }

Result<std::vector<uint8_t>> read_module(Hal& hal, const std::filesystem::path& path) {
    auto fail = [&](Errno e) {
        return load_error(ErrorKind::io, fmt::format("cannot read {}: {}", path.string(), describe(e)));
    };
    OpenOptions o;
    o.access = OpenOptions::Access::read;
    auto file = hal.open_at(HostFd::host_cwd, path.string(), o);
    if (!file) return fail(file.error());
    auto st = hal.fstat(file->fd());
    if (!st) return fail(st.error());
    if (st->type != FileType::regular_file) return fail(Errno::inval);
    if (st->size > kMaxModuleBytes) return fail(Errno::fbig);
    // Read straight into the buffer the Module will own (load_module takes it by move): no
    // bounce buffer and no second copy, so start-up touches each page of the binary once. The
    // spare byte gives the read that sees end of file room, so a file that grew since fstat
    // is noticed without a separate probe.
    std::vector<uint8_t> bytes(static_cast<size_t>(st->size) + 1);
    size_t filled = 0;
    for (;;) {
        if (filled == bytes.size()) {  // the file grew since fstat: keep reading, up to the cap
            if (filled > kMaxModuleBytes) return fail(Errno::fbig);
            bytes.resize(std::min<size_t>(kMaxModuleBytes + 1, filled * 2));
        }
        auto n = hal.read(file->fd(), std::as_writable_bytes(std::span(bytes).subspan(filled)));
        if (!n) return fail(n.error());
        if (*n == 0) break;
        filled += *n;
    }
    bytes.resize(filled);
    return bytes;
}

/// The ports to preopen as listeners: options.listen_ports plus every `net.listen:PORT` grant
/// naming one port (preview1 cannot bind, so a capsule granted a port gets it preopened).
std::vector<uint16_t> listen_ports(const CapsuleOptions& options) {
    std::vector<uint16_t> ports = options.listen_ports;
    constexpr std::string_view kPrefix = "net.listen:";
    for (const std::string& p : options.permissions) {
        if (p.size() <= kPrefix.size() || p.compare(0, kPrefix.size(), kPrefix) != 0) continue;
        std::string_view digits = std::string_view(p).substr(kPrefix.size());
        if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string_view::npos) continue;
        unsigned long port = std::stoul(std::string(digits));
        if (port == 0 || port > 65535) continue;
        if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(static_cast<uint16_t>(port));
    }
    return ports;
}

/// The VM asks before growing memory or tables; the LimitMeter decides (issue 4). A refusal
/// of an initial size (current 0) is remembered for instantiation's error message.
class MeterLimiter final : public ResourceLimiter {
public:
    explicit MeterLimiter(LimitMeter& meter) : m_meter(meter) {}
    bool memory_growing(uint64_t current, uint64_t desired) override {
        if (!m_meter.admit_memory(current, desired)) {
            if (current == 0) m_refused_memory = desired;
            return false;
        }
        m_meter.account_memory(desired);
        return true;
    }
    bool table_growing(uint64_t current, uint64_t desired) override {
        if (!m_meter.admit_table(current, desired)) {
            if (current == 0) m_refused_table = desired;
            return false;
        }
        return true;
    }
    /// Bytes of an initial memory refused (0: none was).
    uint64_t refused_memory() const { return m_refused_memory; }
    /// Elements of an initial table refused (0: none was).
    uint64_t refused_table() const { return m_refused_table; }

private:
    LimitMeter& m_meter;
    uint64_t m_refused_memory = 0;
    uint64_t m_refused_table = 0;
};

CapsuleLimitValues limit_values(const ResolvedLimits& l) {
    return CapsuleLimitValues{l.fuel, l.time_ms, l.memory_bytes, l.handles, l.disk_bytes, l.io_bytes};
}

/// The Hal's reading of `clock`, or `fallback` when it cannot be read.
uint64_t read_clock(Hal& hal, ClockId clock, uint64_t fallback) {
    auto t = hal.clock_time(clock);
    return t ? *t : fallback;
}

/// Longest watchdog wait: longer time limits are "effectively unlimited" (no clock overflow).
constexpr uint64_t kMaxWatchMs = uint64_t{10} * 365 * 24 * 3600 * 1000;

}  // namespace

struct Capsule::Impl {
    CapsuleOptions options;
    std::shared_ptr<const Module> module;
    std::unique_ptr<ScopedHal> hal;
    std::shared_ptr<LimitMeter> meter;  ///< also the ScopedHal's Meter
    bool ran = false;
};

Capsule::Capsule(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Capsule::~Capsule() = default;

const CapsuleOptions& Capsule::options() const { return m_impl->options; }

Result<std::unique_ptr<Capsule>> Capsule::create(CapsuleOptions options, std::shared_ptr<Hal> base) {
    CRUSH_TRY(validate_capsule_name(options.name));
    if (!base) base = std::make_shared<NativeHal>(options.stdin_fd, options.stdout_fd, options.stderr_fd);

    auto impl = std::make_unique<Impl>();

    // The module first: a bad module is reported before anything is created on the host.
    auto bytes = read_module(*base, options.module_path);
    if (!bytes) return std::move(bytes).error();
    auto module = load_module(std::move(*bytes));
    if (!module) return std::move(module).error();
    impl->module = std::move(*module);

    // Embedder host functions (host_function.hpp): specs, the imports naming them, their grants.
    auto builtin_permissions = check_host_functions(options, *impl->module);
    if (!builtin_permissions) return std::move(builtin_permissions).error();

    // The gate.
    ScopedHalConfig config;
    config.capsule_name = options.name;
    if (options.allow_all) {
        config.permissions = Permissions::all();
    } else {
        auto perms = Permissions::parse(*builtin_permissions);
        if (!perms) return std::move(perms).error();
        config.permissions = std::move(*perms);
    }
    auto env = EnvMap::from_pairs(options.env);
    if (!env) return std::move(env).error();
    config.env = std::move(*env);
    config.hint = options.has_manifest ? DenialHint::manifest : DenialHint::flag;
    config.diagnostics = static_cast<HostFd>(options.diagnostics_fd);
    config.audit = options.audit;

    // The private root.
    std::filesystem::path root;
    if (options.vfs_root) {
        root = *options.vfs_root;
    } else if (options.exo_home) {
        root = *options.exo_home / "vfs" / options.name;
    } else {
        return load_error(ErrorKind::io, "no capsule root: set vfs_root or exo_home");
    }
    config.root_host_path = root.string();
    for (const MountSpec& m : options.mounts) config.mounts.push_back(VfsMount{m.guest_path, m.host_path.string(), m.read_only});
    for (uint16_t port : listen_ports(options)) config.listeners.push_back(SocketAddress::loopback_v4(port));
    const ResolvedLimits limits = resolve_limits(options.limits);
    // The fixed aliases (stdio, preopens) do not count against the capsule's own handles.
    config.max_handles = limits.handles == kUnlimited ? (size_t{1} << 20)
                                                      : static_cast<size_t>(limits.handles) + 3 + 1 +
                                                            config.mounts.size() + config.listeners.size();

    impl->meter = std::make_shared<LimitMeter>(limits);
    config.meter = impl->meter;

    auto hal = ScopedHal::create(std::move(base), std::move(config));
    if (!hal)
        return load_error(ErrorKind::io, fmt::format("cannot set up capsule '{}' (root {}): {}", options.name,
                                                     root.string(), describe(hal.error())));
    impl->hal = std::move(*hal);
    impl->options = std::move(options);
    return std::unique_ptr<Capsule>(new Capsule(std::move(impl)));
}

CapsuleReport Capsule::run() {
    CapsuleReport report;
    Impl& s = *m_impl;
    if (s.ran || !s.hal) {
        report.outcome = CapsuleReport::Outcome::load_error;
        report.error = load_error(ErrorKind::uninstantiable, "a capsule runs once");
        return report;
    }
    s.ran = true;

    LimitMeter& meter = *s.meter;
    const ResolvedLimits limits = meter.limits();
    report.limits = limit_values(limits);
    Hal& clock = s.hal->base();
    const uint64_t wall_start = read_clock(clock, ClockId::monotonic, 0);
    const uint64_t cpu_start = read_clock(clock, ClockId::thread_cputime, 0);
    {
        // Declared in this order so the Store dies first, then the watchdog, then the flag.
        std::atomic<bool> interrupt{false};
        meter.set_interrupt(&interrupt);
        MeterLimiter limiter(meter);
        std::optional<Watchdog> watchdog;
        if (limits.time_ms != kUnlimited) {
            const uint64_t ms = std::min(limits.time_ms, kMaxWatchMs);
            meter.set_deadline_ns(wall_start + ms * 1'000'000);
            watchdog.emplace(std::chrono::milliseconds(ms), [&meter] { meter.end_run(kLimitTime); });
        }
        StoreConfig sc;
        sc.limiter = &limiter;
        // The flag makes the VM run its interrupt-checked code (docs/vm-engine.md): only when a limit
        // can raise it (time; io ends the run through it), so an unlimited run pays nothing.
        if (limits.time_ms != kUnlimited || limits.io_bytes != kUnlimited) sc.interrupt = &interrupt;
        if (limits.fuel != kUnlimited) sc.fuel = limits.fuel;
        Store store(sc);
        wasi::WasiContext wasi(*s.hal, s.options.args);

        // Link: every import must be a wasi_snapshot_preview1 or exo function.
        std::vector<Extern> imports;
        for (const ImportDesc& imp : module_imports(*s.module)) {
            FunctionInst* f = nullptr;
            if (imp.module == wasi::kModuleName && imp.kind == ExternKind::func)
                f = wasi::create_function(store, wasi, imp.name);
            else if (imp.module == wasi::kExoModuleName && imp.kind == ExternKind::func)
                f = wasi::create_exo_function(store, wasi, imp.name);
            if (!f) f = link_host_function(store, s.options, imp);
            if (!f) {
                report.outcome = CapsuleReport::Outcome::load_error;
                report.error = load_error(ErrorKind::unlinkable,
                                          fmt::format("unknown import: {}.{} ({})", imp.module, imp.name, to_string(imp.kind)));
                break;
            }
            imports.push_back(Extern::func(f));
        }

        if (report.outcome != CapsuleReport::Outcome::load_error) {
            auto inst = store.instantiate(s.module, imports);
            if (!inst) {
                report.outcome = CapsuleReport::Outcome::load_error;
                report.error = std::move(inst).error();
                if (limiter.refused_memory() != 0)
                    report.error = load_error(
                        ErrorKind::uninstantiable,
                        fmt::format("capsule '{}' needs {} of linear memory at start; the limit is {}",
                                    s.options.name, format_size(limiter.refused_memory()),
                                    format_size(limits.memory_bytes)));
                else if (limiter.refused_table() != 0)
                    report.error = load_error(
                        ErrorKind::uninstantiable,
                        fmt::format("capsule '{}' needs a table of {} elements at start; the memory limit is {}",
                                    s.options.name, limiter.refused_table(), format_size(limits.memory_bytes)));
            } else {
                auto start = store.get_export(*inst, "_start");
                if (!start || !start->as_func()) {
                    report.outcome = CapsuleReport::Outcome::load_error;
                    report.error = load_error(ErrorKind::unlinkable, "the module has no _start function to run");
                } else {
                    ExecResult r = store.call(start->as_func(), {});
                    switch (r.status) {
                        case ExecResult::Status::ok:
                            report.outcome = CapsuleReport::Outcome::exited;
                            report.exit_code = 0;
                            break;
                        case ExecResult::Status::exit:
                            report.outcome = CapsuleReport::Outcome::exited;
                            report.exit_code = r.exit_code;
                            break;
                        case ExecResult::Status::trap:
                            if (r.trap.kind == TrapKind::out_of_fuel) {
                                report.outcome = CapsuleReport::Outcome::limit;
                                report.limit = kLimitFuel;
                                meter.end_run(kLimitFuel);
                            } else if (r.trap.kind == TrapKind::interrupted) {
                                // Only limits raise the flag here: the watchdog (time) or io.
                                report.outcome = CapsuleReport::Outcome::limit;
                                report.limit = meter.ended_by();
                                if (report.limit.empty()) report.limit = kLimitTime;
                            } else {
                                report.outcome = CapsuleReport::Outcome::trapped;
                            }
                            report.trap = std::move(r.trap);
                            break;
                    }
                    // An io refusal ends the run even if the guest exited before its next check.
                    if (report.outcome == CapsuleReport::Outcome::exited && meter.ended_by() == kLimitIo) {
                        report.outcome = CapsuleReport::Outcome::limit;
                        report.limit = kLimitIo;
                    }
                }
            }
        }
        if (watchdog) watchdog->stop();
        report.usage.fuel = store.fuel_consumed();
        meter.set_interrupt(nullptr);
    }
    const MeterUsage used = meter.usage();
    report.usage.wall_us = (read_clock(clock, ClockId::monotonic, wall_start) - wall_start) / 1000;
    report.usage.cpu_us = (read_clock(clock, ClockId::thread_cputime, cpu_start) - cpu_start) / 1000;
    report.usage.memory_peak = meter.memory_total_peak();
    report.usage.handles_peak = used.handles_peak;
    report.usage.bytes_read = used.bytes_read;
    report.usage.bytes_written = used.bytes_written;
    report.usage.disk_bytes = meter.meters_disk() ? meter.disk_bytes() : 0;
    report.limits_hit = meter.hits();
    // The capsule has ended: close every host resource it held (handles, root, mounts).
    s.hal.reset();
    return report;
}

}  // namespace crush
