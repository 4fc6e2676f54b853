// Copyright Crush authors.
// Fuel (charged per basic block) and interruption (at loop back-edges and calls).
// WAT: tests/unit/wasm/wat/fuel.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

TEST(Fuel, UnmeteredStoreReportsNoFuel) {
    Fixture f("fuel");
    EXPECT_FALSE(f.store->fuel_remaining().has_value());
    EXPECT_EQ(f.store->fuel_consumed(), 0u);
    EXPECT_THAT(f.call("count", {I32(1000)}), Returns(vals({I32(1000)})));
}

TEST(Fuel, InfiniteLoopRunsOutOfFuel) {
    StoreConfig c;
    c.fuel = 100000;
    Fixture f("fuel", c);
    EXPECT_THAT(f.call("spin"), Traps(TrapKind::out_of_fuel));
    EXPECT_LT(*f.store->fuel_remaining(), 10u);
}

TEST(Fuel, ConsumptionIsDeterministicAndProportional) {
    StoreConfig c;
    c.fuel = 1000000;
    Fixture f("fuel", c);
    EXPECT_THAT(f.call("count", {I32(100)}), Returns(vals({I32(100)})));
    const uint64_t small = f.store->fuel_consumed();
    EXPECT_THAT(f.call("count", {I32(1000)}), Returns(vals({I32(1000)})));
    const uint64_t big = f.store->fuel_consumed() - small;
    EXPECT_GT(small, 100u * 5);
    EXPECT_GT(big, small * 9);
    EXPECT_LT(big, small * 11);
    // Same work, same fuel.
    Fixture g("fuel", c);
    EXPECT_TRUE(g.call("count", {I32(100)}).ok());
    EXPECT_EQ(g.store->fuel_consumed(), small);
}

TEST(Fuel, RefuellingContinues) {
    StoreConfig c;
    c.fuel = 10;
    Fixture f("fuel", c);
    EXPECT_THAT(f.call("count", {I32(1000)}), Traps(TrapKind::out_of_fuel));
    // A block is charged whole or not at all; one that cannot be paid spends what is left.
    const uint64_t spent = f.store->fuel_consumed();
    EXPECT_EQ(spent, 10u);
    EXPECT_EQ(*f.store->fuel_remaining(), 0u);
    f.store->set_fuel(1000000);  // sets the remaining fuel (what was left is replaced)
    EXPECT_THAT(f.call("count", {I32(1000)}), Returns(vals({I32(1000)})));
    EXPECT_EQ(*f.store->fuel_remaining() + f.store->fuel_consumed(), spent + 1000000u);
}

TEST(Fuel, AmountsAboveTheCapAreTakenAsTheCap) {
    // The interpreter keeps fuel in a signed register: 2^64-1 must not wrap into "no fuel".
    StoreConfig c;
    c.fuel = UINT64_MAX;
    Fixture f("fuel", c);
    EXPECT_EQ(*f.store->fuel_remaining(), kMaxFuel);
    EXPECT_THAT(f.call("count", {I32(1000)}), Returns(vals({I32(1000)})));
    const uint64_t spent = f.store->fuel_consumed();
    EXPECT_GT(spent, 1000u);
    EXPECT_EQ(*f.store->fuel_remaining(), kMaxFuel - spent);
    f.store->set_fuel(UINT64_MAX);
    EXPECT_EQ(*f.store->fuel_remaining(), kMaxFuel);
    EXPECT_THAT(f.call("count", {I32(10)}), Returns(vals({I32(10)})));
}

/// Fuel a fresh metered store spends on one call.
uint64_t fuel_of(const char* func, int32_t arg) {
    StoreConfig c;
    c.fuel = 1000000;
    Fixture f("fuel", c);
    EXPECT_TRUE(f.call(func, {I32(arg)}).ok()) << func;
    return f.store->fuel_consumed();
}

// Exact counts: one unit per executed Wasm instruction, the structure markers (block, loop,
// else, end) free, charged once per basic block at the block's head (docs/vm-engine.md). A
// miscounted, skipped, doubled or misplaced head changes them.
TEST(Fuel, ExactCountsForControlShapes) {
    // countdown: per iteration local.get, i32.const, i32.sub, local.tee, br_if = 5; then
    // local.get = 1.
    EXPECT_EQ(fuel_of("countdown", 1), 5u * 1 + 1);
    EXPECT_EQ(fuel_of("countdown", 10), 5u * 10 + 1);
    EXPECT_EQ(fuel_of("countdown", 100), 5u * 100 + 1);
    // pick: local.get + if = 2, then one i32.const on either arm.
    EXPECT_EQ(fuel_of("pick", 1), 3u);
    EXPECT_EQ(fuel_of("pick", 0), 3u);
    // nested_ends: local.get + br_if = 2, then local.get = 1, whether the branch is taken or not.
    EXPECT_EQ(fuel_of("nested_ends", 1), 3u);
    EXPECT_EQ(fuel_of("nested_ends", 0), 3u);
    // loop_after_end: i32.const + br_if = 2; per iteration local.get, i32.const, i32.sub,
    // local.set, local.get, br_if = 6; then local.get = 1.
    EXPECT_EQ(fuel_of("loop_after_end", 3), 2u + 6 * 3 + 1);
    EXPECT_EQ(fuel_of("loop_after_end", 7), 2u + 6 * 7 + 1);
}

TEST(Fuel, InterruptOnlyStoreChargesNothing) {
    // A deadline alone selects the interrupt-checked code: no fuel charges at all.
    std::atomic<bool> flag{false};
    StoreConfig c;
    c.interrupt = &flag;
    Fixture f("fuel", c);
    EXPECT_THAT(f.call("countdown", {I32(1000)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("loop_after_end", {I32(50)}), Returns(vals({I32(0)})));
    EXPECT_FALSE(f.store->fuel_remaining().has_value());
    EXPECT_EQ(f.store->fuel_consumed(), 0u);
    flag = true;
    EXPECT_THAT(f.call("spin"), Traps(TrapKind::interrupted));
    EXPECT_THAT(f.call("loop_after_end", {I32(50)}), Traps(TrapKind::interrupted));
}

TEST(Interrupt, FlagStopsALoop) {
    std::atomic<bool> flag{true};
    StoreConfig c;
    c.interrupt = &flag;
    Fixture f("fuel", c);
    EXPECT_THAT(f.call("spin"), Traps(TrapKind::interrupted));
    flag = false;
    EXPECT_THAT(f.call("count", {I32(10)}), Returns(vals({I32(10)})));
}

TEST(Interrupt, HostFunctionCanInterruptTheGuest) {
    // A host import sets the flag; the next back-edge stops the loop. No timing involved.
    std::atomic<bool> flag{false};
    StoreConfig c;
    c.interrupt = &flag;
    Store store(c);
    // (import "h" "tick" (func)) (func (export "run") (loop (call 0) (br 0)))
    const std::vector<uint8_t> bytes{
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x02, 0x0a, 0x01, 0x01, 'h',  0x04, 't',  'i',  'c',  'k',  0x00, 0x00, 0x03, 0x02,
        0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 'r',  'u',  'n',  0x00, 0x01, 0x0a, 0x0b, 0x01,
        0x09, 0x00, 0x03, 0x40, 0x10, 0x00, 0x0c, 0x00, 0x0b, 0x0b};
    auto m = load_module(bytes);
    ASSERT_TRUE(m.ok()) << m.error().message;
    int ticks = 0;
    FunctionInst* tick = store.create_host_function({}, [&](HostCall&, std::span<const Value>, std::span<Value>) {
        if (++ticks == 50) flag = true;
        return HostOutcome::next();
    });
    std::vector<Extern> imports{Extern::func(tick)};
    auto inst = store.instantiate(*m, imports);
    ASSERT_TRUE(inst.ok());
    ExecResult r = store.call(store.get_export(*inst, "run")->as_func(), {});
    EXPECT_THAT(r, Traps(TrapKind::interrupted));
    EXPECT_EQ(ticks, 50);
}

}  // namespace
}  // namespace crush::test
