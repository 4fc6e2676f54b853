// Copyright Crush authors.
#include "wast/convert.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace crush::cli::wast {

Result<TempDir> TempDir::create() {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec)
        base = "/tmp";
    std::string tmpl = (base / "exo-wast-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
        return Error{ErrorKind::io, 0, fmt::format("cannot create a temporary directory in {}: {}", base.string(),
                                                   std::strerror(errno))};
    return TempDir(std::filesystem::path(tmpl));
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }

TempDir::~TempDir() {
    if (m_path.empty())
        return;
    std::error_code ec;  // best effort: a leftover temp dir is not worth failing the run for
    std::filesystem::remove_all(m_path, ec);
}

Result<std::filesystem::path> convert_wast(const std::filesystem::path& wast, const std::filesystem::path& dir) {
    std::filesystem::path json = dir / (wast.stem().string() + ".json");
    std::string program = "wast2json";
    std::string input = wast.string();
    std::string flag = "-o";
    std::string output = json.string();
    std::vector<char*> argv = {program.data(), input.data(), flag.data(), output.data(), nullptr};
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
    if (rc != 0)
        return Error{ErrorKind::io, 0, fmt::format("cannot run wast2json (is wabt installed and in PATH?): {}",
                                                   std::strerror(rc))};
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return Error{ErrorKind::io, 0, fmt::format("waiting for wast2json: {}", std::strerror(errno))};
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return Error{ErrorKind::io, 0, "cannot run wast2json (is wabt installed and in PATH?)"};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return Error{ErrorKind::malformed, 0, fmt::format("wast2json could not convert {}", input)};
    return json;
}

}  // namespace crush::cli::wast
