// Copyright Crush authors.
#include "run_stats.hpp"

#include "capsule/limits.hpp"
#include "capsule/permissions.hpp"

#include <fmt/format.h>

namespace crush::cli {

namespace {

const char* outcome_name(CapsuleReport::Outcome o) {
    switch (o) {
        case CapsuleReport::Outcome::exited: return "exited";
        case CapsuleReport::Outcome::trapped: return "trapped";
        case CapsuleReport::Outcome::limit: return "limit";
        case CapsuleReport::Outcome::load_error: return "load_error";
    }
    return "unknown";
}

nlohmann::json limit_json(uint64_t limit) {
    return limit == kUnlimited ? nlohmann::json(nullptr) : nlohmann::json(limit);
}

nlohmann::json resource(nlohmann::json used, uint64_t limit) {
    return nlohmann::json{{"used", std::move(used)}, {"limit", limit_json(limit)}};
}

std::string count_or_unlimited(uint64_t n) { return n == kUnlimited ? "unlimited" : std::to_string(n); }

std::string seconds(uint64_t us) { return fmt::format("{:.3f}s", static_cast<double>(us) / 1e6); }

}  // namespace

nlohmann::json stats_to_json(const CapsuleReport& r, std::string_view capsule_name) {
    using nlohmann::json;
    const CapsuleUsage& u = r.usage;
    const CapsuleLimitValues& l = r.limits;
    json j;
    j["capsule"] = std::string(capsule_name);
    j["outcome"] = outcome_name(r.outcome);
    j["exit_code"] = r.outcome == CapsuleReport::Outcome::exited ? json(r.exit_code) : json(nullptr);
    j["ended_by"] = r.outcome == CapsuleReport::Outcome::limit ? json(r.limit) : json(nullptr);
    j["limits_hit"] = r.limits_hit;
    json res;
    res["fuel"] = resource(l.fuel == kUnlimited ? json(nullptr) : json(u.fuel), l.fuel);
    res["time_ms"] = resource(u.wall_us / 1000, l.time_ms);
    res["cpu_ms"] = u.cpu_us / 1000;
    res["memory_bytes"] = resource(u.memory_peak, l.memory_bytes);
    res["handles"] = resource(u.handles_peak, l.handles);
    res["disk_bytes"] = resource(u.disk_bytes, l.disk_bytes);
    res["io_bytes"] = resource(u.bytes_read + u.bytes_written, l.io_bytes);
    res["bytes_read"] = u.bytes_read;
    res["bytes_written"] = u.bytes_written;
    j["resources"] = std::move(res);
    return j;
}

std::string stats_to_text(const CapsuleReport& r, std::string_view capsule_name) {
    const CapsuleUsage& u = r.usage;
    const CapsuleLimitValues& l = r.limits;
    std::string out;
    const std::string name = escape_for_terminal(capsule_name);
    if (r.outcome == CapsuleReport::Outcome::limit)
        out += fmt::format("exo: stats for '{}': ended by the {} limit\n", name, escape_for_terminal(r.limit));
    else
        out += fmt::format("exo: stats for '{}': no limit ended the run\n", name);
    out += fmt::format("  fuel     {} / {}\n", l.fuel == kUnlimited ? std::string("not metered") : std::to_string(u.fuel),
                       count_or_unlimited(l.fuel));
    out += fmt::format("  time     {} / {} (cpu {})\n", seconds(u.wall_us), format_duration_ms(l.time_ms),
                       seconds(u.cpu_us));
    out += fmt::format("  memory   {} peak / {}\n", format_size(u.memory_peak), format_size(l.memory_bytes));
    out += fmt::format("  handles  {} peak / {}\n", u.handles_peak, count_or_unlimited(l.handles));
    out += fmt::format("  disk     {} / {}\n", format_size(u.disk_bytes), format_size(l.disk_bytes));
    out += fmt::format("  io       {} (read {}, written {}) / {}\n", format_size(u.bytes_read + u.bytes_written),
                       format_size(u.bytes_read), format_size(u.bytes_written), format_size(l.io_bytes));
    if (!r.limits_hit.empty()) {
        std::string names;
        for (const std::string& h : r.limits_hit) names += (names.empty() ? "" : ", ") + h;
        out += fmt::format("  limits hit: {}\n", names);
    }
    return out;
}

}  // namespace crush::cli
