// Copyright Crush authors.
// `exo run --learn`: from what a capsule actually used (its audit records) to the smallest
// `[permissions] allow` list that would have allowed that run.
//
// Collapsing rules (a list the user can read and review, not one permission per file):
//   - io.print, io.input, clock, random: the bare name, once.
//   - env.get:NAME for each variable read; net.connect:ADDRESS:PORT exactly as connected;
//     net.listen:PORT.
//   - fs.read / fs.write, separately: each path exactly (`fs.read:/data/in.txt`; a scope without
//     a glob also covers what is below it, which is nothing for a file); when kLearnCollapseFiles
//     or more paths share a directory D, they become `D/*` (D's direct entries only); when paths
//     also lie deeper below such a D, `D/**`. A path covered by a wider entry is dropped.
//     fs.write is listed only for paths that were written, never because they were read.
// The result is sorted (by permission name, then scope) so that two runs compare easily.
#pragma once

#include "capsule/audit.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crush {

/// How many paths in one directory make `DIR/*` instead of listing them.
inline constexpr size_t kLearnCollapseFiles = 3;

/// The smallest allow list covering every record (allowed or denied) in `records`.
std::vector<std::string> learn_permissions(std::span<const AuditRecord> records);

/// A Capsule.learned.toml: a comment naming the capsule and saying to review it, then
/// `[permissions]` and `allow = [...]`, one quoted (TOML-escaped) permission a line.
std::string learned_manifest_text(std::string_view capsule_name, std::span<const std::string> allow);

}  // namespace crush
