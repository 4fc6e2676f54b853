// Copyright Crush authors.
// A unique temporary directory under /tmp for one test, removed afterwards, plus small
// helpers that touch the host with std::filesystem — independently of the Hal under test, so
// they are a second opinion on what the Hal/Vfs did.
#pragma once

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace crush::test {

class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        std::string templ = "/tmp/crush-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-XXXXXX";
        char* made = ::mkdtemp(templ.data());
        m_path = made != nullptr ? std::filesystem::path(made) : std::filesystem::path();
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::string str() const { return m_path.string(); }
    std::filesystem::path operator/(const std::string& rel) const { return m_path / rel; }

private:
    std::filesystem::path m_path;
};

inline void write_file(const std::filesystem::path& p, const std::string& contents) {
    std::ofstream out(p, std::ios::binary);
    out << contents;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Number of descriptors open in this process (entries of /proc/self/fd, minus the one the
/// directory iterator itself uses).
inline size_t open_fd_count() {
    size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n - 1;
}

}  // namespace crush::test
