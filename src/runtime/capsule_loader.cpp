// Copyright Crush authors.
// load_capsule_options (include/crush/embed.hpp): the manifest is read through the NativeHal,
// so the runtime still makes no system calls of its own.
#include "runtime/capsule_loader.hpp"

#include "hal/native_hal.hpp"

#include <crush/embed.hpp>

#include <fmt/format.h>

#include <array>

namespace crush {
namespace {

/// A manifest larger than this is not a manifest (the CLI uses the same bound).
constexpr size_t kMaxManifestBytes = size_t{1} << 20;

Result<std::string> read_text(Hal& hal, const std::filesystem::path& path) {
    OpenOptions open;
    open.access = OpenOptions::Access::read;
    auto file = hal.open_at(HostFd::host_cwd, path.string(), open);
    if (!file) return Error{ErrorKind::io, 0, describe(file.error())};
    auto st = hal.fstat(file->fd());
    if (!st) return Error{ErrorKind::io, 0, describe(st.error())};
    if (st->type == FileType::directory) return Error{ErrorKind::io, 0, "is a directory"};
    std::string text;
    std::array<std::byte, 65536> buffer;
    for (;;) {
        auto n = hal.read(file->fd(), buffer);
        if (!n) return Error{ErrorKind::io, 0, describe(n.error())};
        if (*n == 0) break;
        if (text.size() + *n > kMaxManifestBytes)
            return Error{ErrorKind::io, 0, fmt::format("larger than {} bytes", kMaxManifestBytes)};
        text.append(reinterpret_cast<const char*>(buffer.data()), *n);
    }
    return text;
}

}  // namespace

CapsuleOptions options_from_manifest(const Manifest& manifest) {
    CapsuleOptions options;
    options.name = manifest.name;
    options.module_path = manifest.entry;
    options.args = {manifest.name};
    options.permissions = manifest.permissions;
    options.env = manifest.env;
    options.mounts = manifest.mounts;
    options.limits = manifest.limits;
    options.has_manifest = true;
    return options;
}

Result<CapsuleOptions> load_capsule_options(const std::filesystem::path& path,
                                            std::span<const std::string> host_permissions) {
    NativeHal hal;
    std::filesystem::path manifest_path = path;
    if (auto st = hal.stat_at(HostFd::host_cwd, path.string(), /*follow=*/true); st && st->type == FileType::directory)
        manifest_path = path / kManifestFileName;
    FileReader reader = [&hal](const std::filesystem::path& p) { return read_text(hal, p); };
    auto manifest = load_manifest(manifest_path, reader, host_permissions);
    if (!manifest) return std::move(manifest).error();
    return options_from_manifest(*manifest);
}

Result<CapsuleOptions> load_capsule_options(const std::filesystem::path& path,
                                            std::vector<HostFunctionSpec> host_functions) {
    std::vector<std::string> permissions;
    for (const HostFunctionSpec& spec : host_functions) permissions.push_back(spec.permission);
    auto options = load_capsule_options(path, std::span<const std::string>(permissions));
    if (!options) return options;
    options->host_functions = std::move(host_functions);
    return options;
}

}  // namespace crush
