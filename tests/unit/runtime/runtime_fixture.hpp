// Copyright Crush authors.
// Running test capsules (tests/capsules, built to CRUSH_TEST_DATA_DIR/capsules) through the
// embedding API, with stdin/stdout/stderr/diagnostics connected to in-memory files.
#pragma once

#include <crush/capsule.hpp>

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace crush::testing {

inline std::filesystem::path capsule_path(const std::string& name) {
    return std::filesystem::path(CRUSH_TEST_DATA_DIR) / "capsules" / (name + ".wasm");
}

struct RunResult {
    bool created = false;
    Error create_error;
    CapsuleReport report;
    std::string out, err, diag;

    /// The "<key>: <value>" line for key, or "" (test capsules print one line per check).
    std::string line(const std::string& key) const {
        std::istringstream in(out);
        std::string l;
        while (std::getline(in, l))
            if (l.rfind(key + ": ", 0) == 0) return l.substr(key.size() + 2);
        return "";
    }
};

class MemFile {
public:
    explicit MemFile(const std::string& content = "") : m_fd(::memfd_create("crush-test", MFD_CLOEXEC)) {
        if (!content.empty()) (void)!::write(m_fd, content.data(), content.size());
        ::lseek(m_fd, 0, SEEK_SET);
    }
    ~MemFile() { ::close(m_fd); }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    int fd() const { return m_fd; }
    std::string text() const {
        std::string s;
        char buf[4096];
        ssize_t n;
        off_t off = 0;
        while ((n = ::pread(m_fd, buf, sizeof buf, off)) > 0) {
            s.append(buf, static_cast<size_t>(n));
            off += n;
        }
        return s;
    }

private:
    int m_fd;
};

/// Create and run one capsule; stdio goes to memory files.
inline RunResult run_capsule(CapsuleOptions options, const std::string& input = "") {
    MemFile in(input), out, err, diag;
    options.stdin_fd = in.fd();
    options.stdout_fd = out.fd();
    options.stderr_fd = err.fd();
    options.diagnostics_fd = diag.fd();
    RunResult r;
    {
        auto capsule = Capsule::create(std::move(options));
        if (capsule.ok()) {
            r.created = true;
            r.report = (*capsule)->run();
        } else {
            r.create_error = capsule.error();
        }
    }
    r.out = out.text();
    r.err = err.text();
    r.diag = diag.text();
    return r;
}

/// Descriptors open in this process now (for leak checks).
inline std::set<int> open_fds() {
    std::set<int> fds;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
        fds.insert(std::stoi(e.path().filename()));
    return fds;
}

/// Every path (relative) under `dir` except the subtree `skip`, with each regular file's
/// content and each symlink's target, for "nothing changed" checks. Never follows symlinks.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& dir,
                                                   const std::string& skip = "") {
    namespace fs = std::filesystem;
    std::map<std::string, std::string> m;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const std::string rel = fs::relative(it->path(), dir).string();
        if (!skip.empty() && rel == skip) {
            it.disable_recursion_pending();
            continue;
        }
        const fs::file_status st = it->symlink_status(ec);
        std::string content;
        if (fs::is_symlink(st)) {
            content = "-> " + fs::read_symlink(it->path(), ec).string();
        } else if (fs::is_regular_file(st)) {
            std::ifstream f(it->path());
            std::stringstream ss;
            ss << f.rdbuf();
            content = ss.str();
        }
        m[rel] = content;
    }
    return m;
}

class RuntimeTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/crush-runtime-test-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    /// Options for capsule `name` (the test program), rooted at dir()/root unless changed.
    CapsuleOptions options(const std::string& program, std::vector<std::string> args = {}) {
        CapsuleOptions o;
        o.name = program;
        o.module_path = capsule_path(program);
        o.args = {program};
        for (auto& a : args) o.args.push_back(a);
        o.vfs_root = m_dir / "root";
        return o;
    }
    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path root() const { return m_dir / "root"; }

    static void write_file(const std::filesystem::path& p, const std::string& text) {
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << text;
    }
    static std::string read_file(const std::filesystem::path& p) {
        std::ifstream f(p);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }

private:
    std::filesystem::path m_dir;
};

}  // namespace crush::testing
