// Copyright Crush authors.
// The C API (include/crush/crush.h) over the C++ embedding API (include/crush/embed.hpp).
// Every entry point catches everything: no exception crosses into C. Errors are a status plus a
// thread-local message.
#include <crush/crush.h>
#include <crush/embed.hpp>

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

struct crush_options {
    crush::CapsuleOptions options;
};

struct crush_capsule {
    std::unique_ptr<crush::Capsule> capsule;
};

struct crush_report {
    crush::CapsuleReport report;
};

struct crush_call {
    crush::HostCall& call;
    std::string trap_message;
    uint32_t exit_code = 0;
};

namespace {

thread_local std::string t_last_error;

crush_status_t fail(crush_status_t status, std::string message) noexcept {
    try {
        t_last_error = std::move(message);
    } catch (...) {
        t_last_error.clear();  // no memory for the message: the status still says what happened
    }
    return status;
}

crush_status_t status_of(crush::ErrorKind kind) noexcept {
    switch (kind) {
        case crush::ErrorKind::malformed: return CRUSH_ERROR_MALFORMED;
        case crush::ErrorKind::invalid: return CRUSH_ERROR_INVALID;
        case crush::ErrorKind::unlinkable: return CRUSH_ERROR_UNLINKABLE;
        case crush::ErrorKind::uninstantiable: return CRUSH_ERROR_UNINSTANTIABLE;
        case crush::ErrorKind::io: return CRUSH_ERROR_IO;
    }
    return CRUSH_ERROR_INTERNAL;
}

crush_status_t fail(const crush::Error& error) noexcept { return fail(status_of(error.kind), error.message); }

/// Run `body` (returning crush_status_t), turning any exception into CRUSH_ERROR_INTERNAL.
template <typename Body>
crush_status_t guarded(Body&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return fail(CRUSH_ERROR_INTERNAL, "out of memory");
    } catch (const std::exception& e) {
        return fail(CRUSH_ERROR_INTERNAL, e.what());
    } catch (...) {
        return fail(CRUSH_ERROR_INTERNAL, "unexpected failure");
    }
}

crush_status_t missing(const char* what) noexcept {
    return fail(CRUSH_ERROR_ARGUMENT, std::string(what) + " is NULL");
}

bool known_valtype(crush_valtype_t t) noexcept {
    return t == CRUSH_I32 || t == CRUSH_I64 || t == CRUSH_F32 || t == CRUSH_F64;
}

crush_value_t to_c(const crush::Value& v) noexcept {
    crush_value_t c{};
    c.type = static_cast<crush_valtype_t>(v.type);
    switch (v.type) {
        case crush::ValType::i32: c.of.i32 = static_cast<int32_t>(v.as_i32()); break;
        case crush::ValType::i64: c.of.i64 = static_cast<int64_t>(v.as_i64()); break;
        case crush::ValType::f32: c.of.f32 = v.as_f32(); break;
        case crush::ValType::f64: c.of.f64 = v.as_f64(); break;
        default: break;  // not offered to C host functions
    }
    return c;
}

/// The result as the declared type says, whatever the callback wrote in `type`.
crush::Value from_c(crush::ValType declared, const crush_value_t& c) noexcept {
    switch (declared) {
        case crush::ValType::i32: return crush::Value::i32(static_cast<uint32_t>(c.of.i32));
        case crush::ValType::i64: return crush::Value::i64(static_cast<uint64_t>(c.of.i64));
        case crush::ValType::f32: return crush::Value::f32(c.of.f32);
        case crush::ValType::f64: return crush::Value::f64(c.of.f64);
        default: return crush::Value{};
    }
}

std::span<uint8_t> call_memory(crush_call_t* call) {
    if (!call) return {};
    crush::MemoryInst* memory = call->call.memory();
    if (!memory) return {};
    return call->call.store.memory_data(memory);
}

}  // namespace

extern "C" {

const char* crush_status_name(crush_status_t status) {
    switch (status) {
        case CRUSH_OK: return "ok";
        case CRUSH_ERROR_MALFORMED: return "malformed";
        case CRUSH_ERROR_INVALID: return "invalid";
        case CRUSH_ERROR_UNLINKABLE: return "unlinkable";
        case CRUSH_ERROR_UNINSTANTIABLE: return "uninstantiable";
        case CRUSH_ERROR_IO: return "io";
        case CRUSH_ERROR_ARGUMENT: return "argument";
        case CRUSH_ERROR_INTERNAL: return "internal";
    }
    return "unknown";
}

const char* crush_last_error(void) { return t_last_error.c_str(); }

const char* crush_version(void) { return CRUSH_VERSION; }

// --- Options -----------------------------------------------------------------------------------

crush_options_t* crush_options_new(const char* name, const char* module_path) {
    try {
        auto o = std::make_unique<crush_options>();
        if (name) {
            o->options.name = name;
            o->options.args = {name};
        }
        if (module_path) o->options.module_path = module_path;
        return o.release();
    } catch (...) {
        fail(CRUSH_ERROR_INTERNAL, "out of memory");
        return nullptr;
    }
}

crush_status_t crush_options_load(const char* capsule_path, const char* const* host_permissions, size_t count,
                                  crush_options_t** out) {
    if (out) *out = nullptr;
    if (!out) return missing("out");
    if (!capsule_path) return missing("capsule_path");
    if (count > 0 && !host_permissions) return missing("host_permissions");
    return guarded([&] {
        std::vector<std::string> permissions;
        for (size_t i = 0; i < count; ++i) {
            if (!host_permissions[i]) return missing("a host permission");
            permissions.emplace_back(host_permissions[i]);
        }
        auto loaded = crush::load_capsule_options(capsule_path, std::span<const std::string>(permissions));
        if (!loaded) return fail(loaded.error());
        *out = new crush_options{std::move(*loaded)};
        return CRUSH_OK;
    });
}

void crush_options_delete(crush_options_t* options) { delete options; }

crush_status_t crush_options_set_name(crush_options_t* options, const char* name) {
    if (!options) return missing("options");
    if (!name) return missing("name");
    return guarded([&] {
        options->options.name = name;
        return CRUSH_OK;
    });
}

crush_status_t crush_options_set_module(crush_options_t* options, const char* module_path) {
    if (!options) return missing("options");
    if (!module_path) return missing("module_path");
    return guarded([&] {
        options->options.module_path = module_path;
        return CRUSH_OK;
    });
}

crush_status_t crush_options_set_args(crush_options_t* options, const char* const* argv, size_t argc) {
    if (!options) return missing("options");
    if (argc > 0 && !argv) return missing("argv");
    return guarded([&] {
        std::vector<std::string> args;
        for (size_t i = 0; i < argc; ++i) {
            if (!argv[i]) return missing("an argument");
            args.emplace_back(argv[i]);
        }
        options->options.args = std::move(args);
        return CRUSH_OK;
    });
}

crush_status_t crush_options_set_env(crush_options_t* options, const char* key, const char* value) {
    if (!options) return missing("options");
    if (!key) return missing("key");
    if (!value) return missing("value");
    return guarded([&] {
        for (auto& [k, v] : options->options.env) {
            if (k == key) {
                v = value;
                return CRUSH_OK;
            }
        }
        options->options.env.emplace_back(key, value);
        return CRUSH_OK;
    });
}

crush_status_t crush_options_allow(crush_options_t* options, const char* permission) {
    if (!options) return missing("options");
    if (!permission) return missing("permission");
    return guarded([&] {
        options->options.permissions.emplace_back(permission);
        return CRUSH_OK;
    });
}

crush_status_t crush_options_set_allow_all(crush_options_t* options, int allow_all) {
    if (!options) return missing("options");
    options->options.allow_all = allow_all != 0;
    return CRUSH_OK;
}

crush_status_t crush_options_add_mount(crush_options_t* options, const char* host_path, const char* guest_path,
                                       int read_only) {
    if (!options) return missing("options");
    if (!host_path) return missing("host_path");
    if (!guest_path) return missing("guest_path");
    return guarded([&] {
        options->options.mounts.push_back(crush::MountSpec{host_path, guest_path, read_only != 0});
        return CRUSH_OK;
    });
}

crush_status_t crush_options_set_vfs_root(crush_options_t* options, const char* host_path) {
    if (!options) return missing("options");
    if (!host_path) return missing("host_path");
    return guarded([&] {
        options->options.vfs_root = std::filesystem::path(host_path);
        return CRUSH_OK;
    });
}

crush_status_t crush_options_set_exo_home(crush_options_t* options, const char* host_path) {
    if (!options) return missing("options");
    if (!host_path) return missing("host_path");
    return guarded([&] {
        options->options.exo_home = std::filesystem::path(host_path);
        return CRUSH_OK;
    });
}

crush_status_t crush_options_set_limit(crush_options_t* options, crush_limit_t limit, uint64_t value) {
    if (!options) return missing("options");
    crush::CapsuleLimits& l = options->options.limits;
    switch (limit) {
        case CRUSH_LIMIT_FUEL: l.fuel = value; return CRUSH_OK;
        case CRUSH_LIMIT_TIME_MS: l.time_ms = value; return CRUSH_OK;
        case CRUSH_LIMIT_MEMORY_BYTES: l.memory_bytes = value; return CRUSH_OK;
        case CRUSH_LIMIT_HANDLES: l.handles = value; return CRUSH_OK;
        case CRUSH_LIMIT_DISK_BYTES: l.disk_bytes = value; return CRUSH_OK;
        case CRUSH_LIMIT_IO_BYTES: l.io_bytes = value; return CRUSH_OK;
    }
    return fail(CRUSH_ERROR_ARGUMENT, "unknown limit " + std::to_string(static_cast<int>(limit)));
}

crush_status_t crush_options_set_stdio(crush_options_t* options, int stdin_fd, int stdout_fd, int stderr_fd) {
    if (!options) return missing("options");
    options->options.stdin_fd = stdin_fd;
    options->options.stdout_fd = stdout_fd;
    options->options.stderr_fd = stderr_fd;
    return CRUSH_OK;
}

crush_status_t crush_options_set_diagnostics_fd(crush_options_t* options, int fd) {
    if (!options) return missing("options");
    options->options.diagnostics_fd = fd;
    return CRUSH_OK;
}

crush_status_t crush_options_add_host_function(crush_options_t* options, const char* module, const char* name,
                                               const crush_valtype_t* params, size_t nparams,
                                               const crush_valtype_t* results, size_t nresults,
                                               crush_host_callback_t callback, void* user_data,
                                               void (*finalizer)(void* user_data), const char* permission) {
    // Own user_data first, so every failure below still finalizes it exactly once.
    std::shared_ptr<void> data;
    try {
        data = std::shared_ptr<void>(user_data, [finalizer](void* p) {
            if (finalizer) finalizer(p);
        });
    } catch (...) {
        if (finalizer) finalizer(user_data);
        return fail(CRUSH_ERROR_INTERNAL, "out of memory");
    }
    if (!options) return missing("options");
    if (!module) return missing("module");
    if (!name) return missing("name");
    if (!permission) return missing("permission");
    if (!callback) return missing("callback");
    if ((nparams > 0 && !params) || (nresults > 0 && !results)) return missing("a type list");
    return guarded([&] {
        crush::FuncType type;
        for (size_t i = 0; i < nparams + nresults; ++i) {
            const crush_valtype_t t = i < nparams ? params[i] : results[i - nparams];
            if (!known_valtype(t))
                return fail(CRUSH_ERROR_ARGUMENT, "unknown value type " + std::to_string(static_cast<int>(t)));
            (i < nparams ? type.params : type.results).push_back(static_cast<crush::ValType>(t));
        }
        crush::HostFunction fn = [callback, data, result_types = type.results](crush::HostCall& call, std::span<const crush::Value> args,
                                                  std::span<crush::Value> out) -> crush::HostOutcome {
            std::vector<crush_value_t> c_args(args.size()), c_results(out.size());
            for (size_t i = 0; i < args.size(); ++i) c_args[i] = to_c(args[i]);
            for (size_t i = 0; i < out.size(); ++i) c_results[i] = to_c(crush::Value{result_types[i], 0});
            crush_call context{call, {}, 0};
            const crush_host_action_t action =
                callback(data.get(), &context, c_args.data(), c_args.size(), c_results.data(), c_results.size());
            switch (action) {
                case CRUSH_HOST_CONTINUE:
                    for (size_t i = 0; i < out.size(); ++i) out[i] = from_c(result_types[i], c_results[i]);
                    return crush::HostOutcome::next();
                case CRUSH_HOST_EXIT: return crush::HostOutcome::exit(context.exit_code);
                case CRUSH_HOST_TRAP:
                    return crush::HostOutcome::trap(context.trap_message.empty() ? "host function trapped"
                                                                                 : std::move(context.trap_message));
            }
            return crush::HostOutcome::trap("host function returned an unknown action");
        };
        options->options.host_functions.push_back(
            crush::HostFunctionSpec{module, name, std::move(type), std::move(fn), permission});
        return CRUSH_OK;
    });
}

// --- Host calls --------------------------------------------------------------------------------

uint8_t* crush_call_memory(crush_call_t* call, size_t* out_size) {
    std::span<uint8_t> memory = call_memory(call);
    if (out_size) *out_size = memory.size();
    return memory.empty() ? nullptr : memory.data();
}

int crush_call_read(crush_call_t* call, uint64_t offset, void* destination, size_t length) {
    std::span<uint8_t> memory = call_memory(call);
    if (offset > memory.size() || length > memory.size() - offset) return -1;
    if (length > 0) {
        if (!destination) return -1;
        std::memcpy(destination, memory.data() + offset, length);
    }
    return 0;
}

int crush_call_write(crush_call_t* call, uint64_t offset, const void* source, size_t length) {
    std::span<uint8_t> memory = call_memory(call);
    if (offset > memory.size() || length > memory.size() - offset) return -1;
    if (length > 0) {
        if (!source) return -1;
        std::memcpy(memory.data() + offset, source, length);
    }
    return 0;
}

crush_host_action_t crush_call_trap(crush_call_t* call, const char* message) {
    if (call && message) {
        try {
            call->trap_message = message;
        } catch (...) {
            call->trap_message.clear();  // the generic message is used
        }
    }
    return CRUSH_HOST_TRAP;
}

crush_host_action_t crush_call_exit(crush_call_t* call, uint32_t exit_code) {
    if (call) call->exit_code = exit_code;
    return CRUSH_HOST_EXIT;
}

// --- Capsules ----------------------------------------------------------------------------------

crush_status_t crush_capsule_create(const crush_options_t* options, crush_capsule_t** out) {
    if (out) *out = nullptr;
    if (!out) return missing("out");
    if (!options) return missing("options");
    return guarded([&] {
        auto capsule = crush::Capsule::create(options->options);
        if (!capsule) return fail(capsule.error());
        *out = new crush_capsule{std::move(*capsule)};
        return CRUSH_OK;
    });
}

crush_report_t* crush_capsule_run(crush_capsule_t* capsule) {
    if (!capsule) {
        missing("capsule");
        return nullptr;
    }
    try {
        auto report = std::make_unique<crush_report>();
        report->report = capsule->capsule->run();
        return report.release();
    } catch (...) {
        fail(CRUSH_ERROR_INTERNAL, "out of memory");
        return nullptr;
    }
}

void crush_capsule_delete(crush_capsule_t* capsule) { delete capsule; }

// --- Reports -----------------------------------------------------------------------------------

crush_outcome_t crush_report_outcome(const crush_report_t* report) {
    if (!report) return CRUSH_OUTCOME_LOAD_ERROR;
    switch (report->report.outcome) {
        case crush::CapsuleReport::Outcome::exited: return CRUSH_OUTCOME_EXITED;
        case crush::CapsuleReport::Outcome::trapped: return CRUSH_OUTCOME_TRAPPED;
        case crush::CapsuleReport::Outcome::limit: return CRUSH_OUTCOME_LIMIT;
        case crush::CapsuleReport::Outcome::load_error: return CRUSH_OUTCOME_LOAD_ERROR;
    }
    return CRUSH_OUTCOME_LOAD_ERROR;
}

uint32_t crush_report_exit_code(const crush_report_t* report) {
    return report && report->report.outcome == crush::CapsuleReport::Outcome::exited ? report->report.exit_code : 0;
}

const char* crush_report_trap_message(const crush_report_t* report) {
    if (!report) return "";
    const auto outcome = report->report.outcome;
    if (outcome != crush::CapsuleReport::Outcome::trapped && outcome != crush::CapsuleReport::Outcome::limit) return "";
    return report->report.trap.message.c_str();
}

const char* crush_report_limit(const crush_report_t* report) { return report ? report->report.limit.c_str() : ""; }

const char* crush_report_error_message(const crush_report_t* report) {
    if (!report || report->report.outcome != crush::CapsuleReport::Outcome::load_error) return "";
    return report->report.error.message.c_str();
}

size_t crush_report_backtrace_size(const crush_report_t* report) {
    return report ? report->report.trap.backtrace.size() : 0;
}

const char* crush_report_backtrace_function(const crush_report_t* report, size_t index) {
    if (!report || index >= report->report.trap.backtrace.size()) return "";
    return report->report.trap.backtrace[index].func_name.c_str();
}

crush_status_t crush_report_usage(const crush_report_t* report, crush_usage_t* out) {
    if (!report) return missing("report");
    if (!out) return missing("out");
    const crush::CapsuleUsage& u = report->report.usage;
    *out = crush_usage_t{u.fuel,         u.wall_us,    u.cpu_us,        u.memory_peak,
                         u.handles_peak, u.bytes_read, u.bytes_written, u.disk_bytes};
    return CRUSH_OK;
}

size_t crush_report_limits_hit_size(const crush_report_t* report) {
    return report ? report->report.limits_hit.size() : 0;
}

const char* crush_report_limits_hit(const crush_report_t* report, size_t index) {
    if (!report || index >= report->report.limits_hit.size()) return "";
    return report->report.limits_hit[index].c_str();
}

void crush_report_delete(crush_report_t* report) { delete report; }

}  // extern "C"
