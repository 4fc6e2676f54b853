// Copyright Crush authors.
// The `spectest` module every spec script may import from, as the reference interpreter defines
// it: print functions, four globals of value 666 / 666.6, a funcref table of 10..20 elements and
// a memory of 1..2 pages.
// https://github.com/WebAssembly/spec/blob/main/interpreter/host/spectest.ml
#pragma once

#include "wast/linker.hpp"

#include <cstdio>

namespace crush::cli::wast {

/// Create the spectest objects in `store`. The print functions write each argument as
/// "VALUE : TYPE" on its own line to `out` (as the reference interpreter does); `out` must
/// outlive the store.
ExportMap make_spectest_module(Store& store, std::FILE* out);

}  // namespace crush::cli::wast
