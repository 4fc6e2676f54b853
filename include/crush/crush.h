/* Copyright Crush authors. */
/// @file crush.h
/// @brief The C API of Crush: run a capsule from C (or any language with a C FFI).
///
/// A thin layer over the C++ embedding API (crush/embed.hpp), with opaque handles:
///
///     crush_options_t* o = crush_options_new("hello", "hello.wasm");
///     crush_options_allow(o, "io.print");
///     crush_options_set_exo_home(o, "/var/lib/myapp/exo");
///     crush_capsule_t* c = NULL;
///     if (crush_capsule_create(o, &c) != CRUSH_OK) fprintf(stderr, "%s\n", crush_last_error());
///     crush_report_t* r = crush_capsule_run(c);
///     printf("exit %u\n", crush_report_exit_code(r));
///     crush_report_delete(r); crush_capsule_delete(c); crush_options_delete(o);
///
/// Conventions:
/// - Functions that can fail return a crush_status_t; on failure crush_last_error() has a
///   one-line message (thread-local, valid until the next failing call on the same thread).
/// - No C++ exception ever crosses this boundary; an allocation failure is CRUSH_ERROR_INTERNAL.
/// - Strings passed in are copied; strings returned live as long as the handle they came from.
/// - Every `*_delete` accepts NULL. Handles are not thread-safe; different capsules may run on
///   different threads at the same time.
/// - A NULL handle or string argument where one is required gives CRUSH_ERROR_ARGUMENT.
#ifndef CRUSH_CRUSH_H
#define CRUSH_CRUSH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result of a fallible call. The error values mirror the C++ crush::ErrorKind.
typedef enum crush_status {
    CRUSH_OK = 0,                    ///< success
    CRUSH_ERROR_MALFORMED = 1,       ///< the module binary or the manifest's TOML is malformed
    CRUSH_ERROR_INVALID = 2,         ///< fails validation (module, manifest, options, host function)
    CRUSH_ERROR_UNLINKABLE = 3,      ///< an import cannot be satisfied (or its permission is missing)
    CRUSH_ERROR_UNINSTANTIABLE = 4,  ///< instantiation failed
    CRUSH_ERROR_IO = 5,              ///< a host file could not be read, or the root could not be set up
    CRUSH_ERROR_ARGUMENT = 6,        ///< a bad argument to this API (NULL handle, unknown enum value)
    CRUSH_ERROR_INTERNAL = 7,        ///< out of memory or another unexpected failure
} crush_status_t;

/// A static name for `status` ("ok", "unlinkable", …); "unknown" for values outside the enum.
const char* crush_status_name(crush_status_t status);

/// The message of the last failed call on this thread ("" when none failed yet).
const char* crush_last_error(void);

/// The library version, e.g. "0.1.0".
const char* crush_version(void);

/// A limit value meaning "no limit".
#define CRUSH_UNLIMITED UINT64_MAX

/// Which resource limit crush_options_set_limit sets (Capsule.toml [limits]).
typedef enum crush_limit {
    CRUSH_LIMIT_FUEL = 0,          ///< executed instructions
    CRUSH_LIMIT_TIME_MS = 1,       ///< wall clock, milliseconds
    CRUSH_LIMIT_MEMORY_BYTES = 2,  ///< linear memory + tables + host buffers
    CRUSH_LIMIT_HANDLES = 3,       ///< open virtual handles
    CRUSH_LIMIT_DISK_BYTES = 4,    ///< bytes stored under the capsule's root
    CRUSH_LIMIT_IO_BYTES = 5,      ///< bytes read + written through the host
} crush_limit_t;

/// Wasm value types usable in host function signatures (values are the binary encodings).
typedef enum crush_valtype {
    CRUSH_I32 = 0x7f,  ///< 32-bit integer
    CRUSH_I64 = 0x7e,  ///< 64-bit integer
    CRUSH_F32 = 0x7d,  ///< 32-bit float
    CRUSH_F64 = 0x7c,  ///< 64-bit float
} crush_valtype_t;

/// A tagged Wasm value passed to and returned from host functions.
typedef struct crush_value {
    crush_valtype_t type;  ///< which member of `of` is meaningful
    /// The value; integers are two's complement (a guest's unsigned i32 reads as `i32`'s bits).
    union {
        int32_t i32;  ///< for CRUSH_I32
        int64_t i64;  ///< for CRUSH_I64
        float f32;    ///< for CRUSH_F32
        double f64;   ///< for CRUSH_F64
    } of;
} crush_value_t;

/// What a host callback tells the runtime to do next. The value the guest sees (an error
/// code, say) is a *result*; this is the separate channel the runtime acts on.
typedef enum crush_host_action {
    CRUSH_HOST_CONTINUE = 0,  ///< return the results to the guest
    CRUSH_HOST_TRAP = 1,      ///< end the run with a trap (message from crush_call_trap)
    CRUSH_HOST_EXIT = 2,      ///< end the run as if the guest exited (code from crush_call_exit)
} crush_host_action_t;

/// The options a capsule is created from (CapsuleOptions). Opaque.
typedef struct crush_options crush_options_t;
/// A loaded capsule, ready to run once. Opaque.
typedef struct crush_capsule crush_capsule_t;
/// How a run ended. Opaque.
typedef struct crush_report crush_report_t;
/// The context of one host function call, valid only during the callback. Opaque.
typedef struct crush_call crush_call_t;

/// A host function. `args` has the declared params (types set), `results` has room for the
/// declared results (types preset; fill `of`). Return CRUSH_HOST_CONTINUE, or the value of
/// crush_call_trap / crush_call_exit. Runs on the thread that called crush_capsule_run.
typedef crush_host_action_t (*crush_host_callback_t)(void* user_data, crush_call_t* call, const crush_value_t* args,
                                                     size_t nargs, crush_value_t* results, size_t nresults);

// --- Options -----------------------------------------------------------------------------------

/// New options for capsule `name` running the module at `module_path` (both copied; either may
/// be NULL and set later). argv is {name}; no permissions; stdio 0/1/2. NULL on allocation
/// failure. The name is validated by crush_capsule_create.
crush_options_t* crush_options_new(const char* name, const char* module_path);

/// Options from a capsule on disk (a directory with Capsule.toml, or a manifest file), as
/// `exo run` reads it. `host_permissions` (may be NULL when `count` is 0) are embedder
/// permissions the manifest may list besides the built-in ones. On success `*out` owns new
/// options; on failure `*out` is NULL and crush_last_error() says what and where (FILE:LINE:COL).
crush_status_t crush_options_load(const char* capsule_path, const char* const* host_permissions, size_t count,
                                  crush_options_t** out);

/// Free options (NULL is fine). Capsules already created from them are unaffected.
void crush_options_delete(crush_options_t* options);

/// Set the capsule name (a directory name: [A-Za-z0-9._-], validated at create).
crush_status_t crush_options_set_name(crush_options_t* options, const char* name);

/// Set the path of the .wasm module.
crush_status_t crush_options_set_module(crush_options_t* options, const char* module_path);

/// Replace argv as the guest sees it (argv[0] included). `argv` may be NULL when argc is 0.
crush_status_t crush_options_set_args(crush_options_t* options, const char* const* argv, size_t argc);

/// Set environment variable `key` of the capsule (replacing an earlier value). The capsule's
/// environment is only what is set here (or in the manifest): nothing is inherited.
crush_status_t crush_options_set_env(crush_options_t* options, const char* key, const char* value);

/// Grant a permission: a built-in one ("io.print", "fs.write:/data/**", "net.connect:127.0.0.1:80"…)
/// or the permission of a host function. Checked at create (an unknown one fails it).
crush_status_t crush_options_allow(crush_options_t* options, const char* permission);

/// Grant every permission (`exo run --allow-all`) when `allow_all` is non-zero.
crush_status_t crush_options_set_allow_all(crush_options_t* options, int allow_all);

/// Make host directory `host_path` visible at the absolute virtual path `guest_path`.
crush_status_t crush_options_add_mount(crush_options_t* options, const char* host_path, const char* guest_path,
                                       int read_only);

/// The capsule's root directory on the host (default: EXO_HOME/vfs/NAME, see set_exo_home).
crush_status_t crush_options_set_vfs_root(crush_options_t* options, const char* host_path);

/// Where capsule roots live ($EXO_HOME). One of this or set_vfs_root is needed: the library
/// never reads the process environment itself.
crush_status_t crush_options_set_exo_home(crush_options_t* options, const char* host_path);

/// Set one resource limit (CRUSH_UNLIMITED for none). Unset limits keep Crush's defaults.
crush_status_t crush_options_set_limit(crush_options_t* options, crush_limit_t limit, uint64_t value);

/// Connect the capsule's stdin, stdout and stderr to these host descriptors (not closed by Crush).
crush_status_t crush_options_set_stdio(crush_options_t* options, int stdin_fd, int stdout_fd, int stderr_fd);

/// Where the runtime writes its own one-line messages (denials…). Default: 2.
crush_status_t crush_options_set_diagnostics_fd(crush_options_t* options, int fd);

/// Offer host function `module`.`name` with the given signature behind `permission`
/// ("namespace.action", not a built-in one). The guest can import it only when the permission is
/// granted (crush_options_allow); importing it without the grant makes crush_capsule_create
/// fail with CRUSH_ERROR_UNLINKABLE. `callback` gets `user_data`; `finalizer` (may be NULL) is
/// called with `user_data` once the options and every capsule created from them are deleted.
/// The spec is checked at create (CRUSH_ERROR_INVALID). On failure here `finalizer` is still called.
crush_status_t crush_options_add_host_function(crush_options_t* options, const char* module, const char* name,
                                               const crush_valtype_t* params, size_t nparams,
                                               const crush_valtype_t* results, size_t nresults,
                                               crush_host_callback_t callback, void* user_data,
                                               void (*finalizer)(void* user_data), const char* permission);

// --- Host calls ------------------------------------------------------------------------------

/// The caller's linear memory (its export "memory"): base pointer and size in `*out_size`;
/// NULL (size 0) when it exports none. Invalidated by memory growth; prefer read/write below.
uint8_t* crush_call_memory(crush_call_t* call, size_t* out_size);

/// Copy `length` bytes of guest memory at `offset` into `destination`. 0 on success, -1 when
/// out of bounds or the caller has no memory (nothing is copied then).
int crush_call_read(crush_call_t* call, uint64_t offset, void* destination, size_t length);

/// Copy `length` bytes from `source` into guest memory at `offset`. 0, or -1 as for read.
int crush_call_write(crush_call_t* call, uint64_t offset, const void* source, size_t length);

/// Record a trap message (copied) and return CRUSH_HOST_TRAP: `return crush_call_trap(call, "…");`.
crush_host_action_t crush_call_trap(crush_call_t* call, const char* message);

/// Record an exit code and return CRUSH_HOST_EXIT: `return crush_call_exit(call, 3);`.
crush_host_action_t crush_call_exit(crush_call_t* call, uint32_t exit_code);

// --- Capsules --------------------------------------------------------------------------------

/// Load and prepare a capsule from `options` (copied: they may be changed or deleted after).
/// On success `*out` owns the capsule; on failure `*out` is NULL and the status and
/// crush_last_error() say why (bad module, unknown permission, missing grant, …).
crush_status_t crush_capsule_create(const crush_options_t* options, crush_capsule_t** out);

/// Run the capsule's `_start` to completion; a capsule runs once (a second run reports a load
/// error). Returns a new report (NULL only on allocation failure or a NULL capsule).
crush_report_t* crush_capsule_run(crush_capsule_t* capsule);

/// Free a capsule (NULL is fine): its handles, root and mounts are released.
void crush_capsule_delete(crush_capsule_t* capsule);

// --- Reports ---------------------------------------------------------------------------------

/// How a run ended (CapsuleReport::Outcome).
typedef enum crush_outcome {
    CRUSH_OUTCOME_EXITED = 0,      ///< returned from _start or exited; see crush_report_exit_code
    CRUSH_OUTCOME_TRAPPED = 1,     ///< a Wasm trap; see crush_report_trap_message
    CRUSH_OUTCOME_LIMIT = 2,       ///< a resource limit ended it; see crush_report_limit
    CRUSH_OUTCOME_LOAD_ERROR = 3,  ///< rejected before running; see crush_report_error_message
} crush_outcome_t;

/// The outcome.
crush_outcome_t crush_report_outcome(const crush_report_t* report);
/// The guest's exit code (0 unless the outcome is CRUSH_OUTCOME_EXITED).
uint32_t crush_report_exit_code(const crush_report_t* report);
/// The trap message ("" unless trapped or stopped by a limit).
const char* crush_report_trap_message(const crush_report_t* report);
/// The limit that ended the run ("fuel", "time", …; "" otherwise).
const char* crush_report_limit(const crush_report_t* report);
/// The load error message ("" unless CRUSH_OUTCOME_LOAD_ERROR).
const char* crush_report_error_message(const crush_report_t* report);
/// Number of frames in the trap's backtrace (innermost first).
size_t crush_report_backtrace_size(const crush_report_t* report);
/// Function name of frame `index` ("" when unknown or out of range).
const char* crush_report_backtrace_function(const crush_report_t* report, size_t index);
/// What a run used (CapsuleUsage); all zero for a load error before running.
typedef struct crush_usage {
    uint64_t fuel;           ///< fuel consumed (0 when fuel was not metered)
    uint64_t wall_us;        ///< wall-clock time of the run, microseconds
    uint64_t cpu_us;         ///< CPU time of the running thread, microseconds
    uint64_t memory_peak;    ///< most bytes of linear memory + tables + host buffers at once
    uint64_t handles_peak;   ///< most handles open at once (not stdio/preopens)
    uint64_t bytes_read;     ///< bytes read through the host: files, sockets, stdin
    uint64_t bytes_written;  ///< bytes written through the host: files, sockets, stdout/stderr
    uint64_t disk_bytes;     ///< bytes stored under the capsule root at the end (0: not metered)
} crush_usage_t;
/// Copy the run's usage into `*out`. CRUSH_ERROR_ARGUMENT when either pointer is NULL.
crush_status_t crush_report_usage(const crush_report_t* report, crush_usage_t* out);
/// Number of limits that refused something or ended the run (first-hit order).
size_t crush_report_limits_hit_size(const crush_report_t* report);
/// Name of limit `index` that was hit ("memory", "handles", …; "" when out of range).
const char* crush_report_limits_hit(const crush_report_t* report, size_t index);
/// Free a report (NULL is fine).
void crush_report_delete(crush_report_t* report);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // CRUSH_CRUSH_H
