// Copyright Crush authors.
// Declared locals are zero on entry (the interpreter zeroes them per call, with plain stores for
// up to 8 and memset beyond). Each callee runs where the previous callee left -1 everywhere.
// WAT: tests/unit/wasm/wat/locals.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

TEST(Locals, StartAtZeroInFramesAnEarlierCallDirtied) {
    Fixture f("locals");
    EXPECT_THAT(f.call("after_dirty"), Returns(vals({I64(0)})));
}

}  // namespace
}  // namespace crush::test
