// Copyright Crush authors.
// Resource-limit values: parsing sizes, counts and durations (Capsule.toml [limits], `exo run`
// flags), and the defaults that apply when nothing is set. The Meter (issue 4) enforces them.
#pragma once

#include <crush/capsule.hpp>
#include <crush/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace crush {

/// A limit value meaning "no limit". Written `unlimited` (or `none`) in the manifest and flags.
inline constexpr uint64_t kUnlimited = UINT64_MAX;

/// The defaults, in one place. Chosen so that a bare `exo run x.wasm` cannot exhaust the host
/// (memory, descriptors, disk are bounded), while ordinary programs never notice them:
/// - fuel: unlimited. Instruction counts are meaningless to a user; CPU is bounded by one thread.
/// - time: unlimited. Servers and long jobs are legitimate; set `time`/`--timeout` to cap them.
/// - memory: 1 GiB. Far above what typical wasm32 programs use, a quarter of wasm32's 4 GiB
///   address space, and small enough that a memory bomb cannot push the host into swap.
/// - handles: 1024 open virtual handles, the classic RLIMIT_NOFILE soft limit.
/// - disk: 1 GiB stored under the capsule's Vfs root.
/// - io: unlimited. Bytes moved cost CPU time, not host capacity; disk use is bounded separately.
inline constexpr uint64_t kDefaultFuel = kUnlimited;
inline constexpr uint64_t kDefaultTimeMs = kUnlimited;
inline constexpr uint64_t kDefaultMemoryBytes = uint64_t{1} << 30;
inline constexpr uint64_t kDefaultHandles = 1024;
inline constexpr uint64_t kDefaultDiskBytes = uint64_t{1} << 30;
inline constexpr uint64_t kDefaultIoBytes = kUnlimited;

/// CapsuleLimits with every default filled in: each field is a number, kUnlimited for "none".
struct ResolvedLimits {
    uint64_t fuel = kDefaultFuel;
    uint64_t time_ms = kDefaultTimeMs;
    uint64_t memory_bytes = kDefaultMemoryBytes;
    uint64_t handles = kDefaultHandles;
    uint64_t disk_bytes = kDefaultDiskBytes;
    uint64_t io_bytes = kDefaultIoBytes;
};

/// Fill every unset (nullopt) field of `limits` with its default. Set fields are kept as given
/// (kUnlimited stays kUnlimited).
ResolvedLimits resolve_limits(const CapsuleLimits& limits) noexcept;

/// Overlay: every field set in `overrides` replaces the one in `base` (CLI flags over manifest).
CapsuleLimits merge_limits(const CapsuleLimits& base, const CapsuleLimits& overrides) noexcept;

/// Parse a byte size: plain bytes (`4096`), binary units `K`/`KiB`, `M`/`MiB`, `G`/`GiB`,
/// `T`/`TiB` (all powers of 1024, as in docker/ulimit; suffix letter case-insensitive, optional
/// trailing `B`: `64MB` is NOT accepted because it is ambiguous — use `64M` or `64MiB`), or
/// `unlimited`/`none` (kUnlimited). No sign, no fraction, no spaces inside the number; one
/// optional space before the unit. Overflow past 2^64-1 and anything else is an error whose
/// message quotes the text and lists the accepted forms.
Result<uint64_t> parse_size(std::string_view text);

/// Parse a plain count (`fuel`, `handles`): decimal digits, `_` allowed between digits
/// (`1_000_000`), or `unlimited`/`none`. Overflow or junk is an error.
Result<uint64_t> parse_count(std::string_view text);

/// Parse a duration into milliseconds: an integer followed by a unit `ms`, `s`, `m`, `h`
/// (`500ms`, `2s`, `1m`); a unit is required (a bare `2` is ambiguous). `unlimited`/`none` gives
/// kUnlimited. `0s` is allowed (the capsule is interrupted at its first check). Overflow or junk
/// is an error.
Result<uint64_t> parse_duration_ms(std::string_view text);

/// "64 MiB", "1.5 GiB", "4096 B", "unlimited": a human-readable size for reports and messages.
std::string format_size(uint64_t bytes);

/// "2s", "500ms", "1m", "unlimited".
std::string format_duration_ms(uint64_t ms);

}  // namespace crush
