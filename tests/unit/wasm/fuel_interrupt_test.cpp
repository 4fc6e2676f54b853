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
    f.store->set_fuel(1000000);
    EXPECT_THAT(f.call("count", {I32(1000)}), Returns(vals({I32(1000)})));
    EXPECT_EQ(*f.store->fuel_remaining() + f.store->fuel_consumed(), 1000010u);
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
