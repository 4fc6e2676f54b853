// Copyright Crush authors.
// Turning a .wast into wast2json output: wabt's `wast2json` from PATH writes the JSON and its
// module files into a private temporary directory that lives as long as its TempDir.
#pragma once

#include <crush/result.hpp>

#include <filesystem>

namespace crush::cli::wast {

/// A fresh directory only we can use (mode 0700), removed with its contents on destruction.
class TempDir {
public:
    /// Create it under the system temporary directory. Error kind io when that fails.
    static Result<TempDir> create();
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&&) = delete;
    TempDir(const TempDir&) = delete;
    ~TempDir();

    const std::filesystem::path& path() const { return m_path; }

private:
    explicit TempDir(std::filesystem::path p) : m_path(std::move(p)) {}
    std::filesystem::path m_path;  ///< empty when moved from
};

/// Run `wast2json WAST -o DIR/<stem>.json` (no shell; its diagnostics go to our stderr).
/// Returns the JSON path. Errors: io when wast2json cannot be started (not in PATH),
/// malformed when it rejects the script.
Result<std::filesystem::path> convert_wast(const std::filesystem::path& wast, const std::filesystem::path& dir);

}  // namespace crush::cli::wast
