// Copyright Crush authors.
#include "capsule/env_map.hpp"

#include "capsule/permissions.hpp"  // escape_for_terminal

#include <fmt/format.h>

namespace crush {
namespace {

Error env_error(std::string message) {
    return Error{ErrorKind::invalid, 0, std::move(message)};
}

}  // namespace

Result<void> validate_env_key(std::string_view key) {
    if (key.empty()) return env_error("environment variable name is empty");
    if (key.find('=') != std::string_view::npos)
        return env_error(
            fmt::format("environment variable name '{}' contains '='", escape_for_terminal(key)));
    if (key.find('\0') != std::string_view::npos)
        return env_error(
            fmt::format("environment variable name '{}' contains a NUL byte", escape_for_terminal(key)));
    return {};
}

Result<void> validate_env_value(std::string_view value) {
    if (value.find('\0') != std::string_view::npos)
        return env_error(
            fmt::format("environment variable value '{}' contains a NUL byte", escape_for_terminal(value)));
    return {};
}

WasiStringList make_wasi_string_list(std::span<const std::string> strings) {
    WasiStringList list;
    size_t total = 0;
    for (const auto& s : strings) total += s.size() + 1;
    list.bytes.reserve(total);
    list.offsets.reserve(strings.size());
    for (const auto& s : strings) {
        list.offsets.push_back(static_cast<uint32_t>(list.bytes.size()));
        list.bytes.append(s);
        list.bytes.push_back('\0');
    }
    return list;
}

Result<EnvMap> EnvMap::from_pairs(std::span<const std::pair<std::string, std::string>> pairs) {
    EnvMap map;
    for (const auto& [key, value] : pairs) CRUSH_TRY(map.set(key, value));
    return map;
}

Result<void> EnvMap::set(std::string_view key, std::string_view value) {
    CRUSH_TRY(validate_env_key(key));
    CRUSH_TRY(validate_env_value(value));
    for (auto& entry : m_entries) {
        if (entry.first == key) {
            entry.second = std::string(value);
            return {};
        }
    }
    m_entries.emplace_back(std::string(key), std::string(value));
    return {};
}

std::optional<std::string_view> EnvMap::get(std::string_view key) const {
    for (const auto& entry : m_entries)
        if (entry.first == key) return std::string_view(entry.second);
    return std::nullopt;
}

WasiStringList EnvMap::wasi_environ(const std::function<bool(std::string_view)>& visible) const {
    std::vector<std::string> strings;
    strings.reserve(m_entries.size());
    for (const auto& [key, value] : m_entries) {
        if (visible && !visible(key)) continue;
        strings.push_back(key + "=" + value);
    }
    return make_wasi_string_list(strings);
}

Result<std::pair<std::string, std::string>> parse_env_argument(std::string_view argument,
                                                               const HostEnvLookup& host_lookup) {
    size_t eq = argument.find('=');
    std::pair<std::string, std::string> entry;
    if (eq != std::string_view::npos) {
        entry.first = std::string(argument.substr(0, eq));
        entry.second = std::string(argument.substr(eq + 1));
    } else {
        entry.first = std::string(argument);
        CRUSH_TRY(validate_env_key(entry.first));
        std::optional<std::string> host_value = host_lookup ? host_lookup(entry.first) : std::nullopt;
        if (!host_value)
            return env_error(
                fmt::format("--env {}: the host has no variable '{}' to pass (write {}=VALUE to set one)",
                            escape_for_terminal(entry.first), escape_for_terminal(entry.first),
                            escape_for_terminal(entry.first)));
        entry.second = std::move(*host_value);
    }
    CRUSH_TRY(validate_env_key(entry.first));
    CRUSH_TRY(validate_env_value(entry.second));
    return entry;
}

}  // namespace crush
