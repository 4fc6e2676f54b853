// Copyright Crush authors.
#include "capsule_files.hpp"

#include <fmt/format.h>

#include <array>

namespace crush::cli {

Result<std::string> read_host_file(Hal& hal, const std::filesystem::path& path, size_t max_bytes) {
    OpenOptions open;
    open.access = OpenOptions::Access::read;
    auto file = hal.open_at(HostFd::host_cwd, path.string(), open);
    if (!file) return Error{ErrorKind::io, 0, describe(file.error())};
    auto st = hal.fstat(file->fd());
    if (st.ok() && st->type == FileType::directory) return Error{ErrorKind::io, 0, "is a directory"};
    std::string text;
    std::array<std::byte, 65536> buffer;
    while (true) {
        auto n = hal.read(file->fd(), buffer);
        if (!n) return Error{ErrorKind::io, 0, describe(n.error())};
        if (*n == 0) break;
        if (text.size() + *n > max_bytes)
            return Error{ErrorKind::io, 0, fmt::format("larger than {} bytes", max_bytes)};
        text.append(reinterpret_cast<const char*>(buffer.data()), *n);
    }
    return text;
}

bool is_host_directory(Hal& hal, const std::filesystem::path& path) {
    auto st = hal.stat_at(HostFd::host_cwd, path.string(), /*follow=*/true);
    return st.ok() && st->type == FileType::directory;
}

CapsuleTarget classify_capsule_argument(Hal& hal, const std::string& capsule) {
    std::filesystem::path p(capsule);
    if (is_host_directory(hal, p)) return {p / "Capsule.toml", {}};
    if (p.extension() == ".toml") return {p, {}};
    return {std::nullopt, p};
}

}  // namespace crush::cli
