// The one way Crush includes toml++. Manifests come with capsules, so the TOML parser reads
// hostile text; this header makes sure a precondition toml++ cannot keep on such text never
// turns into an abort or undefined behaviour.
//
// toml++ 3.3 (Debian 12) states parser preconditions with TOML_ASSERT_ASSUME: an assert() in
// builds without NDEBUG, and __builtin_assume() under NDEBUG with clang. Some of them do not hold
// on malformed input: "[[[1]]]", "[=" or "[" followed by a newline enter parse_key() on a
// character that starts no key (fixed upstream after 3.3, marzer/tomlplusplus#301). Debug and
// sanitizer builds then abort, and a clang release build may be optimized on a false premise.
// With both macros neutral the parser takes its ordinary path: parse_key() reports "expected
// bare key starting character or string delimiter" as a parse_error, with line and column,
// which is what a GCC release build of the same library already does.
// Tests: ManifestRobustness.* in tests/unit/capsule/manifest_test.cpp.
#pragma once

#include <toml++/impl/preprocessor.h>

#undef TOML_ASSERT
#define TOML_ASSERT(expr) static_assert(true)
#undef TOML_ASSERT_ASSUME
#define TOML_ASSERT_ASSUME(expr) static_assert(true)
#undef TOML_ASSUME
#define TOML_ASSUME(...) static_assert(true)

#include <toml++/toml.h>
