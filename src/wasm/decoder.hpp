// Copyright Crush authors.
// Phase 1 of loading: bytes -> Module. Checks the binary format only (malformed modules):
// magic/version, section ids, order and sizes, LEB128 overlong/overflow, UTF-8 names,
// counts that agree (function vs code, data count vs data).
// https://webassembly.github.io/spec/core/binary/index.html
#pragma once

#include "module.hpp"

#include <crush/result.hpp>

#include <span>

namespace crush {

/// Decode a module binary. Returns ErrorKind::malformed with the offending byte offset and the
/// spec suite's wording ("unexpected end", "integer too large", "malformed UTF-8 encoding", …).
/// A few structural problems the spec classifies as *invalid* are reported with
/// ErrorKind::invalid (e.g. "constant expression required" for a non-constant instruction in a
/// constant expression). Function bodies are not parsed here beyond their locals.
Result<Module> decode(std::span<const uint8_t> bytes);
/// The same, keeping `bytes` as the Module's own copy instead of copying it.
Result<Module> decode(std::vector<uint8_t>&& bytes);

}  // namespace crush
