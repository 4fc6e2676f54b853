// Copyright Crush authors.
#include "run_options.hpp"

#include "capsule/guest_path.hpp"
#include "capsule/limits.hpp"
#include "capsule/permissions.hpp"
#include "commands.hpp"
#include "runtime/capsule_loader.hpp"

#include <fmt/format.h>

namespace crush::cli {
namespace {

RunSetup usage_error(std::string message) {
    RunSetup s;
    s.exit_code = kExitUsage;
    s.message = std::move(message);
    return s;
}

RunSetup load_error(std::string message) {
    RunSetup s;
    s.exit_code = kExitLoadError;
    s.message = std::move(message);
    return s;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// Parse a limit flag into `slot`; the error names the flag.
template <typename Parse>
std::optional<std::string> limit_flag(const std::optional<std::string>& value, std::string_view flag,
                                      Parse parse, std::optional<uint64_t>& slot) {
    if (!value) return std::nullopt;
    auto parsed = parse(*value);
    if (!parsed) return fmt::format("{}: {}", flag, parsed.error().message);
    slot = *parsed;
    return std::nullopt;
}

}  // namespace

Result<MountSpec> parse_dir_flag(std::string_view value) {
    auto bad = [&](std::string_view why) {
        return Error{ErrorKind::invalid, 0, fmt::format("--dir {}: {}", escape_for_terminal(value), why)};
    };
    MountSpec mount;
    std::string_view rest = value;
    if (ends_with(rest, ":ro")) {
        mount.read_only = true;
        rest.remove_suffix(3);
    } else if (ends_with(rest, ":rw")) {
        rest.remove_suffix(3);
    }
    std::string_view host = rest;
    std::string guest;
    if (size_t sep = rest.find("::"); sep != std::string_view::npos) {
        host = rest.substr(0, sep);
        guest = std::string(rest.substr(sep + 2));
        if (guest.empty()) return bad("the guest path after '::' is empty");
    } else {
        // HOST alone: the capsule sees it under the same name, rooted at its own '/'.
        guest = host.empty() || host[0] == '/' ? std::string(host) : "/" + std::string(host);
    }
    if (host.empty()) return bad("the host directory is empty");
    if (host.find('\0') != std::string_view::npos) return bad("the host path contains a NUL byte");
    if (guest[0] != '/') guest = "/" + guest;
    auto normalized = normalize_guest_path(guest);
    if (!normalized)
        return bad("the guest path must name a directory below '/' without '..' (write HOST::/GUEST)");
    mount.host_path = std::filesystem::path(std::string(host));
    mount.guest_path = std::move(*normalized);
    return mount;
}

RunSetup build_run_options(const RunFlags& flags, const RunHost& host) {
    if (flags.capsule.empty())
        return usage_error("run: missing CAPSULE (a directory with Capsule.toml, or a .wasm)");
    CapsuleOptions options;

    // Where the manifest and the module come from.
    std::filesystem::path capsule_path(flags.capsule);
    std::optional<std::filesystem::path> manifest_path;
    std::optional<std::filesystem::path> module_path;
    if (host.is_directory && host.is_directory(capsule_path)) {
        manifest_path = capsule_path / "Capsule.toml";
    } else if (ends_with(flags.capsule, ".toml")) {
        manifest_path = capsule_path;
    } else {
        module_path = capsule_path;
    }
    if (flags.manifest) manifest_path = std::filesystem::path(*flags.manifest);

    std::optional<Manifest> manifest;
    if (manifest_path) {
        auto loaded = load_manifest(*manifest_path, host.read_file);
        if (!loaded) return load_error(loaded.error().message);
        manifest = std::move(*loaded);
    }

    RunSetup setup;
    setup.has_manifest = manifest.has_value();
    if (manifest) {
        // The one manifest → options mapping (shared with load_capsule_options); everything
        // below applies the command line on top of it, flags winning.
        options = options_from_manifest(*manifest);
        if (module_path) options.module_path = *module_path;
    } else {
        // A bare module: the person at the terminal handed it their stdio, nothing else.
        options.name = sanitize_capsule_name(capsule_path.stem().string());
        options.module_path = capsule_path;
        options.permissions = {"io.print", "io.input"};
    }

    if (flags.name) {
        if (auto ok = validate_capsule_name(*flags.name); !ok)
            return usage_error("--name: " + ok.error().message);
        options.name = *flags.name;
    }

    for (const std::string& permission : flags.allow) {
        if (auto ok = Permissions::validate(permission); !ok)
            return usage_error("--allow: " + ok.error().message);
        options.permissions.push_back(permission);
    }
    options.allow_all = flags.allow_all;

    for (const std::string& value : flags.env) {
        auto entry = parse_env_argument(value, host.getenv);
        if (!entry) return usage_error(entry.error().message);
        bool replaced = false;
        for (auto& existing : options.env) {
            if (existing.first == entry->first) {
                existing.second = entry->second;
                replaced = true;
            }
        }
        if (!replaced) options.env.push_back(std::move(*entry));
    }

    for (const std::string& value : flags.dirs) {
        auto mount = parse_dir_flag(value);
        if (!mount) return usage_error(mount.error().message);
        for (const MountSpec& existing : options.mounts)
            if (existing.guest_path == mount->guest_path)
                return usage_error(fmt::format("--dir {}: '{}' is already mounted",
                                               escape_for_terminal(value),
                                               escape_for_terminal(mount->guest_path)));
        options.mounts.push_back(std::move(*mount));
    }

    if (flags.vfs_root) {
        if (flags.vfs_root->empty()) return usage_error("--vfs-root: the directory is empty");
        options.vfs_root = std::filesystem::path(*flags.vfs_root);
    }
    if (host.exo_home) options.exo_home = host.exo_home();
    if (!options.vfs_root && !options.exo_home)
        return usage_error(
            "cannot tell where capsule roots live: set EXO_HOME (or HOME), or pass --vfs-root DIR");

    for (const std::string& value : flags.listen) {
        std::optional<uint16_t> port;
        if (!value.empty() && value.size() <= 5 &&
            value.find_first_not_of("0123456789") == std::string::npos && std::stoul(value) >= 1 &&
            std::stoul(value) <= 65535)
            port = static_cast<uint16_t>(std::stoul(value));
        if (!port)
            return usage_error(
                fmt::format("--listen {}: expected a port 1-65535", escape_for_terminal(value)));
        options.listen_ports.push_back(*port);
    }

    CapsuleLimits overrides;
    for (auto error : {limit_flag(flags.fuel, "--fuel", parse_count, overrides.fuel),
                       limit_flag(flags.timeout, "--timeout", parse_duration_ms, overrides.time_ms),
                       limit_flag(flags.max_memory, "--max-memory", parse_size, overrides.memory_bytes),
                       limit_flag(flags.max_handles, "--max-handles", parse_count, overrides.handles),
                       limit_flag(flags.max_disk, "--max-disk", parse_size, overrides.disk_bytes),
                       limit_flag(flags.max_io, "--max-io", parse_size, overrides.io_bytes)})
        if (error) return usage_error(*error);
    options.limits = merge_limits(options.limits, overrides);

    // argv[0] is the final name (after --name), replacing the manifest's.
    options.args.assign(1, options.name);
    options.args.insert(options.args.end(), flags.args.begin(), flags.args.end());

    // Audit and --learn (audit.hpp, learn.hpp; cmd_run builds the sinks).
    if (manifest) {
        setup.audit_file = manifest->audit_file;
        setup.trace = manifest->audit_trace;
    }
    if (flags.audit) {
        if (flags.audit->empty()) return usage_error("--audit: the file name is empty");
        setup.audit_file = std::filesystem::path(*flags.audit);
    }
    if (flags.trace) setup.trace = true;
    if (flags.learn) {
        options.allow_all = true;
        setup.learn_output = manifest ? manifest->base_dir / "Capsule.learned.toml"
                                      : capsule_path.parent_path() / (options.name + ".learned.toml");
    }

    options.has_manifest = setup.has_manifest;
    setup.options = std::move(options);
    return setup;
}

int exit_code_for(const CapsuleReport& report) noexcept {
    switch (report.outcome) {
        case CapsuleReport::Outcome::exited:
            return report.exit_code <= 255 ? static_cast<int>(report.exit_code) : 1;
        case CapsuleReport::Outcome::trapped:
            return kExitTrap;
        case CapsuleReport::Outcome::limit:
            return kExitLimit;
        case CapsuleReport::Outcome::load_error:
            return kExitLoadError;
    }
    return kExitHostError;
}

std::string describe_outcome(const CapsuleReport& report, std::string_view capsule_name) {
    std::string name = escape_for_terminal(capsule_name);
    switch (report.outcome) {
        case CapsuleReport::Outcome::exited:
            return {};
        case CapsuleReport::Outcome::trapped: {
            std::string out =
                fmt::format("exo: capsule '{}' trapped: {}\n", name, escape_controls(report.trap.message));
            size_t shown = 0;
            for (const Frame& frame : report.trap.backtrace) {
                if (++shown > 64) {
                    out += fmt::format("  ... {} more frames\n", report.trap.backtrace.size() - 64);
                    break;
                }
                std::string where = frame.func_name.empty()
                                        ? fmt::format("func[{}]", frame.func_index)
                                        : fmt::format("{} (func[{}])", escape_for_terminal(frame.func_name),
                                                      frame.func_index);
                if (!frame.module_name.empty()) where = escape_for_terminal(frame.module_name) + "!" + where;
                out += fmt::format("  at #{} {}\n", shown - 1, where);
            }
            return out;
        }
        case CapsuleReport::Outcome::limit:
            return fmt::format("exo: capsule '{}' stopped: {} limit reached\n", name,
                               report.limit.empty() ? "a resource" : escape_for_terminal(report.limit));
        case CapsuleReport::Outcome::load_error:
            return fmt::format("exo: {}\n", escape_controls(report.error.message));
    }
    return {};
}

}  // namespace crush::cli
