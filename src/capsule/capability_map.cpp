// Copyright Crush authors.
#include "capsule/capability_map.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace crush {
namespace {

using C = Capability;

// The sets, each named for what it lets through. fd_read/fd_write work on whatever handle the
// guest holds: stdin/stdout (io.*), a file it opened (fs.*) or a socket (net.*).
constexpr std::array<C, 0> kNone{};
constexpr std::array kEnv{C::env_get};
constexpr std::array kClock{C::clock};
constexpr std::array kRandom{C::random};
constexpr std::array kRead{C::fs_read};
constexpr std::array kWrite{C::fs_write};
constexpr std::array kOpen{C::fs_read, C::fs_write};
constexpr std::array kFdRead{C::io_input, C::fs_read, C::net_connect, C::net_listen};
constexpr std::array kFdWrite{C::io_print, C::fs_write, C::net_connect, C::net_listen};
constexpr std::array kAccept{C::net_listen};
constexpr std::array kConnect{C::net_connect};
constexpr std::array kSocket{C::net_connect, C::net_listen};

constexpr ImportCapabilities row(std::string_view module, std::string_view name, std::span<const C> any_of,
                                 std::string_view why) {
    return ImportCapabilities{module, name, any_of, why, false};
}
/// A row for a call on a handle the guest already holds (see ImportCapabilities::on_open_handles).
constexpr ImportCapabilities on_handle(std::string_view module, std::string_view name, std::span<const C> any_of,
                                       std::string_view why) {
    return ImportCapabilities{module, name, any_of, why, true};
}

bool is_stdio(Capability c) { return c == C::io_print || c == C::io_input; }

// One row per function of wasi_functions.def (same order), then exo_functions.def.
const std::array kTable{
    row(kWasiModule, "args_get", kNone, "reads its arguments"),
    row(kWasiModule, "args_sizes_get", kNone, "reads its arguments"),
    row(kWasiModule, "environ_get", kEnv, "reads environment variables"),
    row(kWasiModule, "environ_sizes_get", kEnv, "reads environment variables"),
    row(kWasiModule, "clock_res_get", kClock, "reads clocks"),
    row(kWasiModule, "clock_time_get", kClock, "reads clocks"),
    row(kWasiModule, "fd_advise", kNone, "advises on an open file"),
    row(kWasiModule, "fd_allocate", kWrite, "grows a file"),
    row(kWasiModule, "fd_close", kNone, "closes handles"),
    row(kWasiModule, "fd_datasync", kNone, "syncs an open file"),
    row(kWasiModule, "fd_fdstat_get", kNone, "queries handles"),
    row(kWasiModule, "fd_fdstat_set_flags", kNone, "changes handle flags"),
    row(kWasiModule, "fd_fdstat_set_rights", kNone, "drops handle rights"),
    row(kWasiModule, "fd_filestat_get", kNone, "stats an open file"),
    row(kWasiModule, "fd_filestat_set_size", kWrite, "truncates a file"),
    row(kWasiModule, "fd_filestat_set_times", kWrite, "sets file times"),
    row(kWasiModule, "fd_pread", kRead, "reads files"),
    row(kWasiModule, "fd_prestat_get", kNone, "lists preopened directories"),
    row(kWasiModule, "fd_prestat_dir_name", kNone, "lists preopened directories"),
    row(kWasiModule, "fd_pwrite", kWrite, "writes files"),
    on_handle(kWasiModule, "fd_read", kFdRead, "reads stdin, files or sockets"),
    row(kWasiModule, "fd_readdir", kRead, "lists directories"),
    row(kWasiModule, "fd_renumber", kNone, "renumbers handles"),
    row(kWasiModule, "fd_seek", kNone, "seeks in an open file"),
    row(kWasiModule, "fd_sync", kNone, "syncs an open file"),
    row(kWasiModule, "fd_tell", kNone, "queries a file offset"),
    on_handle(kWasiModule, "fd_write", kFdWrite, "writes stdout/stderr, files or sockets"),
    row(kWasiModule, "path_create_directory", kWrite, "creates directories"),
    row(kWasiModule, "path_filestat_get", kRead, "stats files"),
    row(kWasiModule, "path_filestat_set_times", kWrite, "sets file times"),
    row(kWasiModule, "path_link", kWrite, "creates hard links"),
    row(kWasiModule, "path_open", kOpen, "opens files"),
    row(kWasiModule, "path_readlink", kRead, "reads symlinks"),
    row(kWasiModule, "path_remove_directory", kWrite, "removes directories"),
    row(kWasiModule, "path_rename", kWrite, "renames files"),
    row(kWasiModule, "path_symlink", kWrite, "creates symlinks"),
    row(kWasiModule, "path_unlink_file", kWrite, "deletes files"),
    row(kWasiModule, "poll_oneoff", kNone, "waits for handles or time"),
    row(kWasiModule, "sched_yield", kNone, "yields"),
    row(kWasiModule, "proc_exit", kNone, "exits"),
    row(kWasiModule, "proc_raise", kNone, "raises a signal (ends the capsule)"),
    row(kWasiModule, "random_get", kRandom, "reads random bytes"),
    row(kWasiModule, "sock_accept", kAccept, "accepts connections"),
    on_handle(kWasiModule, "sock_recv", kSocket, "receives from sockets"),
    on_handle(kWasiModule, "sock_send", kSocket, "sends to sockets"),
    on_handle(kWasiModule, "sock_shutdown", kSocket, "shuts sockets down"),
    row(kExoModule, "sock_connect", kConnect, "opens TCP connections"),
};

}  // namespace

std::span<const ImportCapabilities> import_capability_table() noexcept { return kTable; }

const ImportCapabilities* find_import_capabilities(std::string_view module, std::string_view name) noexcept {
    for (const ImportCapabilities& r : kTable)
        if (r.module == module && r.name == name) return &r;
    return nullptr;
}

bool is_host_module(std::string_view module) noexcept { return module == kWasiModule || module == kExoModule; }

std::vector<Capability> capabilities_for_imports(
    std::span<const std::pair<std::string_view, std::string_view>> imports) {
    std::array<bool, kCapabilityCount> seen{};
    // First what the module can do directly (including opening handles), then what it can do
    // with the handles it can hold.
    for (bool handles : {false, true})
        for (const auto& [module, name] : imports) {
            const ImportCapabilities* r = find_import_capabilities(module, name);
            if (!r || r->on_open_handles != handles) continue;
            for (Capability c : r->any_of)
                if (!handles || is_stdio(c) || seen[static_cast<size_t>(c)]) seen[static_cast<size_t>(c)] = true;
        }
    std::vector<Capability> out;
    for (size_t i = 0; i < kCapabilityCount; i++)
        if (seen[i]) out.push_back(static_cast<Capability>(i));
    return out;
}

std::vector<Capability> effective_capabilities(const ImportCapabilities& row,
                                               std::span<const Capability> module_capabilities) {
    std::vector<Capability> out;
    for (Capability c : row.any_of)
        if (!row.on_open_handles || is_stdio(c) ||
            std::find(module_capabilities.begin(), module_capabilities.end(), c) != module_capabilities.end())
            out.push_back(c);
    return out;
}

std::string describe_any_of(std::span<const Capability> capabilities) {
    std::string out;
    for (size_t i = 0; i < capabilities.size(); i++) {
        if (i > 0) out += i + 1 == capabilities.size() ? " or " : ", ";
        out += to_string(capabilities[i]);
    }
    return out;
}

}  // namespace crush
