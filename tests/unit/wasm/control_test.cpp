// Copyright Crush authors.
// Control flow: blocks, loops, br/br_if/br_table with stack adjustment, multi-value, recursion.
// WAT: tests/unit/wasm/wat/control.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

class Control : public ::testing::Test {
protected:
    Fixture f{"control"};
};

TEST_F(Control, RecursiveFactorial) {
    EXPECT_THAT(f.call("fac", {I64(0)}), Returns(vals({I64(1)})));
    EXPECT_THAT(f.call("fac", {I64(20)}), Returns(vals({I64(2432902008176640000ull)})));
}

TEST_F(Control, LoopWithBrIf) {
    EXPECT_THAT(f.call("fib_iter", {I32(0)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("fib_iter", {I32(10)}), Returns(vals({I32(55)})));
    EXPECT_THAT(f.call("fib_iter", {I32(40)}), Returns(vals({I32(102334155)})));
}

TEST_F(Control, BrTableSelectsLabelAndClampsToDefault) {
    EXPECT_THAT(f.call("switch", {I32(0)}), Returns(vals({I32(100)})));
    EXPECT_THAT(f.call("switch", {I32(2)}), Returns(vals({I32(102)})));
    EXPECT_THAT(f.call("switch", {I32(3)}), Returns(vals({I32(103)})));
    EXPECT_THAT(f.call("switch", {I32(0xffffffff)}), Returns(vals({I32(103)})));
}

TEST_F(Control, BrIfCarriesValueAndDropsTheRest) {
    EXPECT_THAT(f.call("br_value", {I32(1)}), Returns(vals({I32(11)})));
    EXPECT_THAT(f.call("br_value", {I32(0)}), Returns(vals({I32(21)})));
}

TEST_F(Control, MultiValue) {
    EXPECT_THAT(f.call("swap", {I32(1), I32(2)}), Returns(vals({I32(2), I32(1)})));
    EXPECT_THAT(f.call("multi_block"), Returns(vals({I32(0xffffffff)})));
    EXPECT_THAT(f.call("loop_param", {I32(4)}), Returns(vals({I32(10)})));
}

TEST_F(Control, IfWithoutElseAndSelect) {
    EXPECT_THAT(f.call("if_no_else", {I32(0)}), Returns(vals({I32(5)})));
    EXPECT_THAT(f.call("if_no_else", {I32(1)}), Returns(vals({I32(6)})));
    EXPECT_THAT(f.call("select", {I32(1)}), Returns(vals({I64(10)})));
    EXPECT_THAT(f.call("select", {I32(0)}), Returns(vals({I64(20)})));
}

TEST_F(Control, BranchToFunctionLabelReturns) {
    EXPECT_THAT(f.call("return_early", {I32(1)}), Returns(vals({I32(9)})));
    EXPECT_THAT(f.call("return_early", {I32(0)}), Returns(vals({I32(8)})));
    EXPECT_THAT(f.call("br_table_return", {I32(0)}), Returns(vals({I32(42)})));
    EXPECT_THAT(f.call("br_table_return", {I32(5)}), Returns(vals({I32(42)})));
}

TEST_F(Control, FusedOperandsNeverCrossABranchTarget) {
    EXPECT_THAT(f.call("fuse_across_label", {I32(1), I32(100)}), Returns(vals({I32(90)})));
    EXPECT_THAT(f.call("fuse_across_label", {I32(0), I32(100)}), Returns(vals({I32(80)})));
}

TEST_F(Control, UnreachableTraps) {
    EXPECT_THAT(f.call("unreachable"), Traps(TrapKind::unreachable));
}

TEST_F(Control, CallChecksArgumentTypes) {
    ExecResult r = f.call("fac", {I32(1)});
    EXPECT_EQ(r.status, ExecResult::Status::trap);
    EXPECT_EQ(r.trap.kind, TrapKind::host);
    r = f.call("fac", {});
    EXPECT_EQ(r.status, ExecResult::Status::trap);
}

}  // namespace
}  // namespace crush::test
