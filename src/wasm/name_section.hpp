// Copyright Crush authors.
// The `name` custom section: module and function names for trap backtraces.
// https://webassembly.github.io/spec/core/appendix/custom.html#name-section
#pragma once

#include "module.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace crush {

/// Parse the contents of a `name` custom section (after its name) into module.module_name and
/// module.function_names. `base` is the absolute offset of contents[0]. Returns false and leaves
/// both untouched when the section is malformed: the spec lets a malformed custom section be
/// ignored, so this is never a load error. Local names and unknown subsections are skipped.
bool parse_name_section(std::span<const uint8_t> contents, size_t base, Module& module);

}  // namespace crush
