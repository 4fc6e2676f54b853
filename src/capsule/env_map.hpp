// Copyright Crush authors.
// EnvMap: a capsule's whole environment. It is exactly the manifest's [env] plus what the
// embedder passes (`exo run --env`); the host environment is never inherited. This layer never
// reads the host environment: `--env KEY` is resolved through a lookup function the CLI supplies.
#pragma once

#include <crush/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crush {

/// Check an environment variable name: non-empty, no `=`, no NUL. (Other bytes are allowed:
/// POSIX only forbids these, and WASI passes bytes.) The error message quotes the key escaped.
Result<void> validate_env_key(std::string_view key);

/// Check a value: no NUL (WASI environ strings are NUL-terminated).
Result<void> validate_env_value(std::string_view value);

/// NUL-terminated strings laid out as WASI `environ_get`/`args_get` want them: `bytes` holds
/// every string followed by `\0`, back to back; `offsets[i]` is where string i starts in `bytes`.
/// `environ_sizes_get` returns (offsets.size(), bytes.size()). The guest writes `offsets[i] +
/// buf` into its pointer array.
struct WasiStringList {
    std::string bytes;
    std::vector<uint32_t> offsets;
};

/// Lay out `strings` (each without its terminator) for WASI. Needs: no string contains NUL and
/// the total fits in uint32 (guaranteed for EnvMap entries; the caller checks args).
WasiStringList make_wasi_string_list(std::span<const std::string> strings);

/// The capsule's environment: an ordered map (insertion order of first definition), later
/// definitions of a key replace the value in place.
class EnvMap {
public:
    EnvMap() = default;

    /// Build from (key, value) pairs in order (e.g. CapsuleOptions::env); the first invalid
    /// entry is the error.
    static Result<EnvMap> from_pairs(std::span<const std::pair<std::string, std::string>> pairs);

    /// Define or replace `key`. Fails (and changes nothing) when the key or value is invalid.
    Result<void> set(std::string_view key, std::string_view value);

    /// The value of `key`, or nullopt. The view lives until the map is next modified.
    std::optional<std::string_view> get(std::string_view key) const;

    /// Every (key, value) in order.
    const std::vector<std::pair<std::string, std::string>>& entries() const noexcept { return m_entries; }

    size_t size() const noexcept { return m_entries.size(); }
    bool empty() const noexcept { return m_entries.empty(); }

    /// The `KEY=VALUE` strings for `environ_get`, restricted to the keys for which `visible(key)`
    /// is true (the env.get gate; pass nullptr for all).
    WasiStringList wasi_environ(const std::function<bool(std::string_view)>& visible = nullptr) const;

private:
    std::vector<std::pair<std::string, std::string>> m_entries;
};

/// Looks a variable up in the host environment; supplied by the CLI (the only place allowed to
/// read it). Returns nullopt when the variable is unset.
using HostEnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// Parse one `--env` argument: `KEY=VALUE` sets KEY (VALUE may be empty or contain `=`);
/// `KEY` alone copies that host variable through `host_lookup` — it is an error when the
/// variable is not set on the host (silently dropping it would hide a typo). Validated.
Result<std::pair<std::string, std::string>> parse_env_argument(std::string_view argument,
                                                               const HostEnvLookup& host_lookup);

}  // namespace crush
