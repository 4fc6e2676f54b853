// Copyright Crush authors.
// Host functions in the lean form (RawHostFunction): arguments read from the VM's slots in place,
// results written over them, outcomes (trap, exit, exception) handled like the general form's,
// and the same function callable from the host through Store::call; both forms past the
// interpreter's 16-value stack buffers.
#include "wasm_test_util.hpp"

#include <stdexcept>

namespace crush::test {
namespace {

enum class FailMode { trap, exit, throw_std, throw_other };

struct RawHostFixture {
    std::unique_ptr<Store> store = std::make_unique<Store>();
    Instance* inst = nullptr;
    FailMode fail_mode = FailMode::trap;
    Instance* seen_caller = nullptr;

    /// (i32 a, i64 b) -> (i64 a+b, i32 a*2, i32 0xffffffff): three results over two arguments.
    static HostOutcome spread(void*, HostCall&, uint64_t* slots) {
        const uint32_t a = static_cast<uint32_t>(slots[0]);
        const uint64_t b = slots[1];
        slots[0] = a + b;
        slots[1] = uint32_t{a * 2};
        slots[2] = uint32_t{0xffffffff};
        return HostOutcome::next();
    }
    static HostOutcome peek(void* self, HostCall& call, uint64_t* slots) {
        static_cast<RawHostFixture*>(self)->seen_caller = call.caller;
        MemoryInst* m = call.memory();
        if (!m) return HostOutcome::trap("no memory");
        std::span<uint8_t> bytes = call.store.memory_data(m);
        const uint32_t at = static_cast<uint32_t>(slots[0]);
        if (at >= bytes.size()) return HostOutcome::trap("out of bounds");
        slots[0] = bytes[at];
        return HostOutcome::next();
    }
    static HostOutcome fail(void* self, HostCall&, uint64_t*) {
        switch (static_cast<RawHostFixture*>(self)->fail_mode) {
            case FailMode::trap: return HostOutcome::trap("raw host said no");
            case FailMode::exit: return HostOutcome::exit(9);
            case FailMode::throw_std: throw std::runtime_error("boom");
            case FailMode::throw_other: throw 42;
        }
        return HostOutcome::next();
    }

    static constexpr size_t kWideParams = 20, kWideResults = 18;
    /// r[i] = a[i] * 100 + a[i + 2]: every argument is read before the first result is written.
    static HostOutcome wide_raw(void*, HostCall&, uint64_t* slots) {
        uint32_t a[kWideParams];
        for (size_t i = 0; i < kWideParams; ++i) a[i] = static_cast<uint32_t>(slots[i]);
        for (size_t i = 0; i < kWideResults; ++i) slots[i] = uint32_t{a[i] * 100 + a[i + 2]};
        return HostOutcome::next();
    }

    FunctionInst* spread_fn = nullptr;

    RawHostFixture() {
        spread_fn = store->create_host_function({{ValType::i32, ValType::i64}, {ValType::i64, ValType::i32, ValType::i32}},
                                                RawHostFunction{&spread, this}, "spread");
        FunctionInst* peek_fn =
            store->create_host_function({{ValType::i32}, {ValType::i32}}, RawHostFunction{&peek, this}, "peek");
        FunctionInst* fail_fn = store->create_host_function({}, RawHostFunction{&fail, this}, "fail");
        const FuncType wide_type{std::vector<ValType>(kWideParams, ValType::i32),
                                 std::vector<ValType>(kWideResults, ValType::i32)};
        FunctionInst* wide_fn = store->create_host_function(
            wide_type,
            [](HostCall&, std::span<const Value> a, std::span<Value> r) {
                for (size_t i = 0; i < kWideResults; ++i) r[i] = Value::i32(a[i].as_i32() * 100 + a[i + 2].as_i32());
                return HostOutcome::next();
            },
            "wide");
        FunctionInst* wide_raw_fn = store->create_host_function(wide_type, RawHostFunction{&wide_raw, this}, "wide_raw");
        auto m = load_fixture("raw_host");
        std::vector<Extern> imports{Extern::func(spread_fn), Extern::func(peek_fn), Extern::func(fail_fn),
                                    Extern::func(wide_fn), Extern::func(wide_raw_fn)};
        auto r = store->instantiate(m, imports);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        if (r.ok()) inst = *r;
    }
    ExecResult call(const std::string& name, std::vector<Value> args = {}) {
        return store->call(store->get_export(inst, name)->as_func(), args);
    }
};

TEST(RawHost, MoreResultsThanArgumentsFromTheGuest) {
    RawHostFixture f;
    EXPECT_THAT(f.call("call_spread", {I32(20), I64(22)}), Returns(vals({I64(42), I32(40), I32(0xffffffff)})));
    EXPECT_THAT(f.call("call_spread", {I32(0xffffffff), I64(1)}),
                Returns(vals({I64(0x100000000ull), I32(0xfffffffe), I32(0xffffffff)})));
}

TEST(RawHost, AnI32ArgumentIsItsLowHalf) {
    RawHostFixture f;
    EXPECT_THAT(f.call("call_spread_wrapped", {I64(0x1234567800000003ull)}),
                Returns(vals({I64(8), I32(6), I32(0xffffffff)})));
}

TEST(RawHost, ResultsOverwriteOnlyTheArgumentSlots) {
    RawHostFixture f;
    EXPECT_THAT(f.call("below_survives", {I32(5)}), Returns(vals({I32(1012)})));
}

TEST(RawHost, SeesTheCallerAndItsMemory) {
    RawHostFixture f;
    EXPECT_THAT(f.call("call_peek", {I32(16)}), Returns(vals({I32(42)})));
    EXPECT_EQ(f.seen_caller, f.inst);
    EXPECT_THAT(f.call("call_peek", {I32(70000)}), Traps(TrapKind::host));
}

TEST(RawHost, TrapExitAndExceptionsAreOutcomes) {
    RawHostFixture f;
    f.fail_mode = FailMode::trap;
    ExecResult r = f.call("call_fail");
    EXPECT_THAT(r, Traps(TrapKind::host));
    EXPECT_EQ(r.trap.message, "raw host said no");

    f.fail_mode = FailMode::exit;
    r = f.call("call_fail");
    EXPECT_EQ(r.status, ExecResult::Status::exit);
    EXPECT_EQ(r.exit_code, 9u);

    f.fail_mode = FailMode::throw_std;
    r = f.call("call_fail");
    EXPECT_THAT(r, Traps(TrapKind::host));
    EXPECT_EQ(r.trap.message, "host function threw: boom");

    f.fail_mode = FailMode::throw_other;
    r = f.call("call_fail");
    EXPECT_THAT(r, Traps(TrapKind::host));
    EXPECT_EQ(r.trap.message, "host function threw");

    // The store is usable after each of them.
    EXPECT_THAT(f.call("call_spread", {I32(1), I64(2)}), Returns(vals({I64(3), I32(2), I32(0xffffffff)})));
}

TEST(RawHost, WiderThanTheStackBuffersInBothForms) {
    RawHostFixture f;
    std::vector<Value> expected;
    for (uint32_t i = 0; i < RawHostFixture::kWideResults; ++i) expected.push_back(I32((i + 1) * 100 + (i + 3)));
    EXPECT_THAT(f.call("call_wide"), Returns(expected));
    EXPECT_THAT(f.call("call_wide_raw"), Returns(expected));
}

TEST(RawHost, CalledFromTheHost) {
    RawHostFixture f;
    std::vector<Value> args{I32(3), I64(4)};
    EXPECT_THAT(f.store->call(f.spread_fn, args), Returns(vals({I64(7), I32(6), I32(0xffffffff)})));
}

}  // namespace
}  // namespace crush::test
