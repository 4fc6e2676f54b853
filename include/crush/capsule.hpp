// Copyright Crush authors.
// The capsule embedding API: load a capsule (module + grants), run it isolated, read the report.
// `exo run` is a thin layer over this; embedders use it directly.
#pragma once

#include <crush/audit.hpp>
#include <crush/host_function.hpp>
#include <crush/wasm.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crush {

class Hal;

/// A host directory made visible inside the capsule.
struct MountSpec {
    std::filesystem::path host_path;  ///< the host directory (relative: to the working directory)
    std::string guest_path;  ///< absolute virtual path, e.g. "/input"
    bool read_only = false;  ///< writes through the mount fail (the Vfs enforces it)
};

/// Resource limits (`[limits]` in the manifest; `exo run` flags). nullopt = the default.
struct CapsuleLimits {
    std::optional<uint64_t> fuel;          ///< executed instructions
    std::optional<uint64_t> time_ms;       ///< wall clock
    std::optional<uint64_t> memory_bytes;  ///< linear memory + tables + host buffers
    std::optional<uint64_t> handles;       ///< open virtual handles
    std::optional<uint64_t> disk_bytes;    ///< bytes stored under the Vfs root
    std::optional<uint64_t> io_bytes;      ///< bytes read + written through the Hal
};

/// Everything needed to run one capsule. Built from Capsule.toml plus command-line overrides.
struct CapsuleOptions {
    std::string name;                       ///< validated capsule name (a directory name)
    std::filesystem::path module_path;      ///< the entry .wasm
    std::vector<std::string> args;          ///< argv as the guest sees it (argv[0] = name)
    std::vector<std::string> permissions;   ///< permission strings, "fs.write:/data/**" …
    bool allow_all = false;                 ///< every permission, scoped to the root and mounts
    std::vector<std::pair<std::string, std::string>> env;  ///< the capsule's whole environment
    std::vector<MountSpec> mounts;  ///< extra host directories, in order (after the root)
    /// Capsule root; default `exo_home/vfs/NAME`.
    std::optional<std::filesystem::path> vfs_root;
    /// $EXO_HOME as resolved by the embedder (the CLI: $EXO_HOME, else ~/.exo). The runtime never
    /// reads the host environment itself. Needed when vfs_root is unset.
    std::optional<std::filesystem::path> exo_home;
    /// Permissions came from a Capsule.toml: denial messages say to add them to its allow list.
    /// false (a bare .wasm): they suggest `--allow`.
    bool has_manifest = true;
    /// TCP ports to preopen as listening sockets (127.0.0.1:port) for WASI sock_accept, after
    /// the mounts; each must be granted by net.listen. Every `net.listen:PORT` permission naming
    /// a single port is preopened too. Accepted connections appear as new handles.
    std::vector<uint16_t> listen_ports;
    CapsuleLimits limits;  ///< resource limits; unset fields take the defaults
    /// Extra host functions offered to the capsule, each linked only when its permission is
    /// granted (host_function.hpp has the rules).
    std::vector<HostFunctionSpec> host_functions;
    /// Host descriptors the capsule's stdio is connected to (the embedder's choice).
    int stdin_fd = 0;
    int stdout_fd = 1;  ///< the capsule's stdout (see stdin_fd)
    int stderr_fd = 2;  ///< the capsule's stderr (see stdin_fd)
    /// Where the runtime writes its own one-line messages (denials…). Default: stderr.
    int diagnostics_fd = 2;
    /// Told of every capability decision while the capsule runs (audit.hpp); nullptr: none.
    std::shared_ptr<AuditSink> audit;
};

/// What a capsule used during its run (CapsuleReport::usage).
struct CapsuleUsage {
    uint64_t fuel = 0;           ///< fuel consumed; 0 when fuel was not metered (no fuel limit)
    uint64_t wall_us = 0;        ///< wall-clock time of the run (instantiation + `_start`), µs
    uint64_t cpu_us = 0;         ///< CPU time of the thread that ran it, µs
    uint64_t memory_peak = 0;    ///< most bytes of linear memory + tables + host buffers at once
    uint64_t handles_peak = 0;   ///< most handles the capsule had opened at once (not stdio/preopens)
    uint64_t bytes_read = 0;     ///< through the Hal: files, sockets, stdin
    uint64_t bytes_written = 0;  ///< through the Hal: files, sockets, stdout/stderr
    uint64_t disk_bytes = 0;     ///< bytes stored under the capsule root at the end (0: not metered)
};

/// The limits a run had, defaults applied. UINT64_MAX means unlimited.
struct CapsuleLimitValues {
    uint64_t fuel = UINT64_MAX;          ///< executed instructions
    uint64_t time_ms = UINT64_MAX;       ///< wall clock, ms
    uint64_t memory_bytes = UINT64_MAX;  ///< linear memory + tables + host buffers
    uint64_t handles = UINT64_MAX;       ///< open handles
    uint64_t disk_bytes = UINT64_MAX;    ///< bytes stored under the root
    uint64_t io_bytes = UINT64_MAX;      ///< bytes read + written
};

/// How a capsule run ended.
struct CapsuleReport {
    /// The ways a run can end.
    enum class Outcome : uint8_t {
        exited,      ///< returned from _start or called proc_exit; exit_code is the guest's
        trapped,     ///< a Wasm trap; trap has kind, message and backtrace
        limit,       ///< a resource limit ended the run; limit names it ("fuel", "time", …)
        load_error,  ///< the module or the options were rejected before running; error says why
    };
    Outcome outcome = Outcome::exited;  ///< how it ended; says which fields below are meaningful
    uint32_t exit_code = 0;             ///< the guest's exit code (exited)
    Trap trap;                          ///< the trap (trapped; for limit: the trap that ended it)
    Error error;                        ///< why it did not run (load_error)
    std::string limit;                  ///< the limit that ended it (limit): "fuel", "time", …
    /// Every limit that refused something or ended the run, in first-hit order ("memory" when a
    /// memory.grow got -1, "handles" for an EMFILE, "disk" for an ENOSPC…), even when the capsule
    /// coped and exited normally.
    std::vector<std::string> limits_hit;
    CapsuleUsage usage;          ///< what the run used (zero for a load_error before running)
    CapsuleLimitValues limits;   ///< the limits it ran under
};

/// A loaded capsule: its module compiled, its ScopedHal (Vfs, handles, env, permissions) built.
/// Each Capsule shares nothing with any other: two can run at the same time in one process.
class Capsule {
public:
    /// Load and prepare. `base` is the Hal to wrap (nullptr: the process-wide NativeHal).
    /// Errors: the module cannot be read (io) or is malformed/invalid; a bad name, permission,
    /// environment entry or host function spec (invalid); an import of a host function whose
    /// permission is not granted or whose type differs (unlinkable, host_function.hpp); the
    /// capsule's root cannot be set up (io).
    static Result<std::unique_ptr<Capsule>> create(CapsuleOptions options, std::shared_ptr<Hal> base = nullptr);
    ~Capsule();

    /// Run the entry point (`_start`) to completion. Call once.
    CapsuleReport run();

    /// The options the capsule was created with.
    const CapsuleOptions& options() const;

    struct Impl;

private:
    explicit Capsule(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace crush
