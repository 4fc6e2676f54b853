// Copyright Crush authors.
// A synthetic, valid Wasm module of a chosen size, for the load+compile benchmark: the repo has
// no large real module (sqlite-sized), so we make one whose code looks like compiled C — locals,
// nested blocks and loops, loads and stores, arithmetic, direct calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace crush::bench {

/// Build a module with about `target_bytes` of code (one type, N functions of ~400 bytes each,
/// one memory page, function 0 exported as "f0"). Deterministic for a given size.
std::vector<uint8_t> generate_module(size_t target_bytes);

}  // namespace crush::bench
