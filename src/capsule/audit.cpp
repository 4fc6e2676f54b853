// Copyright Crush authors.
#include "capsule/audit.hpp"

#include "capsule/permissions.hpp"  // escape_for_terminal

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>

namespace crush {

std::string format_audit_time(uint64_t ms) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
    const year_month_day ymd(day);
    const uint64_t in_day = ms - static_cast<uint64_t>(duration_cast<milliseconds>(day.time_since_epoch()).count());
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), in_day / 3600000,
                       in_day / 60000 % 60, in_day / 1000 % 60, in_day % 1000);
}

std::string audit_json_line(const AuditEvent& event) {
    // nlohmann::ordered_json keeps the documented field order (easier to read and to diff).
    nlohmann::ordered_json j;
    j["time"] = format_audit_time(event.time_ms);
    j["capsule"] = std::string(event.capsule);
    j["capability"] = std::string(event.capability);
    j["target"] = std::string(event.target);
    j["allowed"] = event.allowed;
    j["result"] = std::string(event.result);
    // The target is guest-chosen bytes: replace invalid UTF-8 instead of throwing.
    std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    return line;
}

std::string audit_trace_line(const AuditEvent& event) {
    std::string line = fmt::format("[exo] {} {}", escape_for_terminal(event.capsule), event.capability);
    if (!event.target.empty()) line += fmt::format(" {}", escape_for_terminal(event.target));
    if (event.allowed)
        line += " -> ok\n";
    else
        line += fmt::format(" -> denied ({})\n", event.result);
    return line;
}

AuditWriter::AuditWriter(std::shared_ptr<Hal> hal, std::optional<HostHandle> json,
                         std::optional<HostFd> trace) noexcept
    : m_hal(std::move(hal)), m_json(std::move(json)), m_trace(trace) {}

void AuditWriter::write_all(HostFd fd, std::string_view text) noexcept {
    std::span<const std::byte> rest(reinterpret_cast<const std::byte*>(text.data()), text.size());
    while (!rest.empty()) {
        auto n = m_hal->write(fd, rest);
        if (!n || *n == 0) return;
        rest = rest.subspan(*n);
    }
}

void AuditWriter::record(const AuditEvent& event) noexcept {
    try {
        std::lock_guard lock(m_mutex);
        if (m_json) write_all(m_json->fd(), audit_json_line(event));
        if (m_trace) write_all(*m_trace, audit_trace_line(event));
    } catch (...) {
        // Out of memory formatting: the event is lost, the capsule goes on.
    }
}

void AuditRecorder::record(const AuditEvent& event) noexcept {
    try {
        std::lock_guard lock(m_mutex);
        m_records.push_back(AuditRecord{std::string(event.capability), std::string(event.target), event.allowed});
    } catch (...) {
    }
}

std::vector<AuditRecord> AuditRecorder::records() const {
    std::lock_guard lock(m_mutex);
    return m_records;
}

void AuditFanout::record(const AuditEvent& event) noexcept {
    for (const auto& sink : m_sinks)
        if (sink) sink->record(event);
}

}  // namespace crush
