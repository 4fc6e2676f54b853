// Copyright Crush authors.
// `exo run --stats[=json]`: a finished run's resource use against its limits (issue 4).
#pragma once

#include <crush/capsule.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace crush::cli {

/// The report as one JSON object: {"capsule", "outcome" ("exited"|"trapped"|"limit"|
/// "load_error"), "exit_code" (exited only), "ended_by" (the limit that ended it, or null),
/// "limits_hit" [names], "resources": {fuel, time_ms, memory_bytes, handles, disk_bytes,
/// io_bytes: {"used", "limit" (null = unlimited)}, plus cpu_ms, bytes_read, bytes_written}}.
/// "used" is the peak for memory and handles, the final figure for disk, the total otherwise;
/// fuel's is null when fuel was not metered (no fuel limit).
nlohmann::json stats_to_json(const CapsuleReport& report, std::string_view capsule_name);

/// The same as text lines for a terminal, each starting with "exo: " or two spaces and ending
/// with '\n': a header naming the limit that ended the run (if any), then one line per resource
/// "  NAME  USED / LIMIT", then the limits that refused something.
std::string stats_to_text(const CapsuleReport& report, std::string_view capsule_name);

}  // namespace crush::cli
