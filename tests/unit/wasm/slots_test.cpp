// Copyright Crush authors.
// The slot-addressed internal code: the compiler defers local.get and constants, computes
// results straight into locals, and materializes values wherever the canonical stack layout
// is needed (local.set hazards, blocks, branches carrying values, calls, returns).
// WAT: tests/unit/wasm/wat/slots.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

class Slots : public ::testing::Test {
protected:
    Fixture f{"slots"};
};

TEST_F(Slots, LocalSetSeesNoLaterWriteThroughADeferredRead) {
    EXPECT_THAT(f.call("set_hazard", {I32(5)}), Returns(vals({I32(11)})));
    EXPECT_THAT(f.call("tee_hazard", {I32(3)}), Returns(vals({I32(static_cast<uint32_t>(-27))})));
    EXPECT_THAT(f.call("set_from_local_hazard", {I32(10), I32(4)}), Returns(vals({I32(6)})));
    EXPECT_THAT(f.call("swap", {I32(1), I32(2)}), Returns(vals({I32(2), I32(1)})));
    EXPECT_THAT(f.call("tee_chain", {I32(1)}), Returns(vals({I32(12)})));
}

TEST_F(Slots, DeferredReadsSurviveBlocksIfsAndLoops) {
    EXPECT_THAT(f.call("across_block", {I32(1)}), Returns(vals({I32(101)})));
    EXPECT_THAT(f.call("across_if", {I32(1), I32(1)}), Returns(vals({I32(1001)})));
    EXPECT_THAT(f.call("across_if", {I32(1), I32(0)}), Returns(vals({I32(2001)})));
    EXPECT_THAT(f.call("across_loop", {I32(4)}), Returns(vals({I32(7 + 4 + 10)})));
    EXPECT_THAT(f.call("if_params", {I32(10), I32(1)}), Returns(vals({I32(13)})));
    EXPECT_THAT(f.call("if_params", {I32(10), I32(0)}), Returns(vals({I32(7)})));
}

TEST_F(Slots, BranchesCarryDeferredValues) {
    EXPECT_THAT(f.call("br_carries", {I32(8)}), Returns(vals({I32(8)})));
    EXPECT_THAT(f.call("br_if_carries", {I32(1)}), Returns(vals({I32(42)})));
    EXPECT_THAT(f.call("br_if_carries", {I32(0)}), Returns(vals({I32(43)})));
    EXPECT_THAT(f.call("br_if_local", {I32(9)}), Returns(vals({I32(9)})));
    EXPECT_THAT(f.call("br_table_carries", {I32(0)}), Returns(vals({I32(100)})));
    EXPECT_THAT(f.call("br_table_carries", {I32(1)}), Returns(vals({I32(2101)})));
    EXPECT_THAT(f.call("br_table_carries", {I32(2)}), Returns(vals({I32(1102)})));
    EXPECT_THAT(f.call("br_table_carries", {I32(7)}), Returns(vals({I32(1107)})));
    EXPECT_THAT(f.call("br_table_return", {I32(0)}), Returns(vals({I32(88)})));
    EXPECT_THAT(f.call("br_table_return", {I32(1)}), Returns(vals({I32(77)})));
    EXPECT_THAT(f.call("return_deferred", {I32(3), I32(1)}), Returns(vals({I32(3)})));
    EXPECT_THAT(f.call("return_deferred", {I32(3), I32(0)}), Returns(vals({I32(66)})));
    EXPECT_THAT(f.call("return_two", {I32(6)}), Returns(vals({I32(5), I32(6)})));
}

TEST_F(Slots, CallsTakeDeferredArgumentsInConsecutiveSlots) {
    EXPECT_THAT(f.call("call_deferred", {I32(1), I32(2)}), Returns(vals({I32(231)})));
    EXPECT_THAT(f.call("call_below", {I32(4)}), Returns(vals({I32(4 + 100 + 40 + 2)})));
    EXPECT_THAT(f.call("call_indirect_deferred", {I32(5)}), Returns(vals({I32(523)})));
}

TEST_F(Slots, MemoryAndSelectOperands) {
    EXPECT_THAT(f.call("store_load", {I32(16), I32(6)}), Returns(vals({I32(1240)})));
    EXPECT_THAT(f.call("store_load", {I32(65534), I32(6)}), Traps(TrapKind::memory_out_of_bounds));
    EXPECT_THAT(f.call("select_deferred", {I32(0)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("select_deferred", {I32(3)}), Returns(vals({I32(10)})));
    EXPECT_THAT(f.call("grow"), Returns(vals({I32(1 + 2)})));
}

}  // namespace
}  // namespace crush::test
