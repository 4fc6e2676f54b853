// Copyright Crush authors.
// Bulk memory and table segments: memory.init/data.drop, table.init/elem.drop/table.copy.
// WAT: tests/unit/wasm/wat/bulk.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

TEST(Bulk, MemoryInitAndDrop) {
    Fixture f("bulk");
    EXPECT_TRUE(f.call("init", {I32(10), I32(2), I32(3)}).ok());
    EXPECT_THAT(f.call("load8", {I32(10)}), Returns(vals({I32('c')})));
    EXPECT_THAT(f.call("load8", {I32(12)}), Returns(vals({I32('e')})));
    EXPECT_THAT(f.call("init", {I32(0), I32(4), I32(3)}), Traps(TrapKind::memory_out_of_bounds));
    EXPECT_TRUE(f.call("drop").ok());
    EXPECT_TRUE(f.call("init", {I32(0), I32(0), I32(0)}).ok());  // n = 0 on a dropped segment
    EXPECT_THAT(f.call("init", {I32(0), I32(0), I32(1)}), Traps(TrapKind::memory_out_of_bounds));
}

TEST(Bulk, TableInitCopyAndDrop) {
    Fixture f("bulk");
    EXPECT_THAT(f.call("call_t", {I32(1)}), Traps(TrapKind::uninitialized_element));
    EXPECT_TRUE(f.call("table_init", {I32(1), I32(0), I32(2)}).ok());
    EXPECT_THAT(f.call("call_t", {I32(1)}), Returns(vals({I32(1)})));
    EXPECT_THAT(f.call("call_t", {I32(2)}), Returns(vals({I32(2)})));
    EXPECT_THAT(f.call("table_init", {I32(3), I32(0), I32(2)}), Traps(TrapKind::table_out_of_bounds));
    EXPECT_TRUE(f.call("table_copy", {I32(0), I32(1), I32(3)}).ok());
    EXPECT_THAT(f.call("call_u", {I32(1)}), Returns(vals({I32(2)})));
    EXPECT_THAT(f.call("table_copy", {I32(2), I32(0), I32(3)}), Traps(TrapKind::table_out_of_bounds));
    EXPECT_TRUE(f.call("elem_drop").ok());
    EXPECT_THAT(f.call("table_init", {I32(0), I32(0), I32(1)}), Traps(TrapKind::table_out_of_bounds));
}

}  // namespace
}  // namespace crush::test
