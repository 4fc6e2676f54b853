// Copyright Crush authors.
// Calls: direct, indirect (and their traps), host functions (results, traps, exit, re-entry),
// bounded recursion and backtraces. WAT: tests/unit/wasm/wat/calls.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

/// Instantiates calls.wat with host "add" and a "callback" that re-enters the store.
struct CallsFixture {
    std::unique_ptr<Store> store;
    Instance* inst = nullptr;
    HostOutcome::Kind callback_outcome = HostOutcome::Kind::ok;

    explicit CallsFixture(StoreConfig config = {}) : store(std::make_unique<Store>(config)) {
        FunctionInst* add = store->create_host_function(
            {{ValType::i32, ValType::i32}, {ValType::i32}},
            [](HostCall&, std::span<const Value> a, std::span<Value> r) {
                r[0] = Value::i32(a[0].as_i32() + a[1].as_i32());
                return HostOutcome::next();
            },
            "add");
        FunctionInst* callback = store->create_host_function(
            {{ValType::i32}, {ValType::i32}},
            [this](HostCall& call, std::span<const Value> a, std::span<Value> r) {
                if (callback_outcome == HostOutcome::Kind::trap) return HostOutcome::trap("host said no");
                if (callback_outcome == HostOutcome::Kind::exit) return HostOutcome::exit(3);
                // Re-enter the store: call the caller's export "inc".
                auto inc = call.store.get_export(call.caller, "inc");
                std::vector<Value> args{a[0]};
                ExecResult inner = call.store.call(inc->as_func(), args);
                if (!inner.ok()) return HostOutcome::trap("inner call failed");
                r[0] = Value::i32(inner.values[0].as_i32() * 10);
                return HostOutcome::next();
            },
            "callback");
        auto m = load_fixture("calls");
        std::vector<Extern> imports{Extern::func(add), Extern::func(callback)};
        auto r = store->instantiate(m, imports);
        EXPECT_TRUE(r.ok());
        if (r.ok()) inst = *r;
    }
    ExecResult call(const std::string& name, std::vector<Value> args = {}) {
        return store->call(store->get_export(inst, name)->as_func(), args);
    }
};

TEST(Calls, IndirectCallsCheckBoundsNullAndType) {
    CallsFixture f;
    EXPECT_THAT(f.call("indirect", {I32(0), I32(21)}), Returns(vals({I32(42)})));
    EXPECT_THAT(f.call("indirect", {I32(1), I32(0)}), Traps(TrapKind::indirect_call_type_mismatch));
    EXPECT_THAT(f.call("indirect", {I32(2), I32(0)}), Traps(TrapKind::uninitialized_element));
    EXPECT_THAT(f.call("indirect", {I32(4), I32(0)}), Traps(TrapKind::undefined_element));
}

TEST(Calls, HostFunctionAndReentry) {
    CallsFixture f;
    EXPECT_THAT(f.call("call_add", {I32(2), I32(40)}), Returns(vals({I32(42)})));
    EXPECT_THAT(f.call("call_back", {I32(4)}), Returns(vals({I32(50)})));
}

TEST(Calls, HostTrapAndExit) {
    CallsFixture f;
    f.callback_outcome = HostOutcome::Kind::trap;
    ExecResult r = f.call("call_back", {I32(1)});
    EXPECT_THAT(r, Traps(TrapKind::host));
    EXPECT_EQ(r.trap.message, "host said no");
    f.callback_outcome = HostOutcome::Kind::exit;
    r = f.call("call_back", {I32(1)});
    EXPECT_EQ(r.status, ExecResult::Status::exit);
    EXPECT_EQ(r.exit_code, 3u);
    // The store is still usable afterwards.
    EXPECT_THAT(f.call("call_add", {I32(1), I32(1)}), Returns(vals({I32(2)})));
}

TEST(Calls, InfiniteRecursionTrapsCleanly) {
    CallsFixture f;
    ExecResult r = f.call("recurse", {I32(0)});
    EXPECT_THAT(r, Traps(TrapKind::call_stack_exhausted));
    EXPECT_EQ(r.trap.message, "call stack exhausted");
    EXPECT_GT(r.trap.backtrace.size(), 1000u);
    // And again: the stacks were unwound.
    EXPECT_THAT(f.call("recurse", {I32(0)}), Traps(TrapKind::call_stack_exhausted));
    EXPECT_THAT(f.call("depth", {I32(5000)}), Returns(vals({I32(5000)})));
}

TEST(Calls, MaxCallDepthIsConfigurable) {
    StoreConfig c;
    c.max_call_depth = 100;
    CallsFixture f(c);
    EXPECT_THAT(f.call("depth", {I32(50)}), Returns(vals({I32(50)})));
    EXPECT_THAT(f.call("depth", {I32(200)}), Traps(TrapKind::call_stack_exhausted));
}

TEST(Calls, BacktraceIsInnermostFirst) {
    CallsFixture f;
    ExecResult r = f.call("outer");
    ASSERT_THAT(r, Traps(TrapKind::unreachable));
    ASSERT_EQ(r.trap.backtrace.size(), 3u);
    // Function indices: 2 imports, then $double $seven $recurse $depth indirect call_add
    // call_back inc $inner(10) $middle(11) outer(12).
    EXPECT_EQ(r.trap.backtrace[0].func_index, 10u);
    EXPECT_EQ(r.trap.backtrace[1].func_index, 11u);
    EXPECT_EQ(r.trap.backtrace[2].func_index, 12u);
}

TEST(Calls, HostFunctionCalledDirectly) {
    Store store;
    FunctionInst* f = store.create_host_function(
        {{ValType::i64}, {ValType::i64, ValType::i64}},
        [](HostCall& c, std::span<const Value> a, std::span<Value> r) {
            EXPECT_EQ(c.caller, nullptr);
            r[0] = Value::i64(a[0].as_i64() + 1);
            r[1] = Value::i64(a[0].as_i64() + 2);
            return HostOutcome::next();
        });
    std::vector<Value> args{I64(1)};
    EXPECT_THAT(store.call(f, args), Returns(vals({I64(2), I64(3)})));
}

}  // namespace
}  // namespace crush::test

namespace crush::test {
namespace {

TEST(Calls, BacktraceUsesTheNameSection) {
    // (module $mod (func $leaf unreachable) (func $caller (export "run") call $leaf))
    // with a `name` section naming the module and both functions.
    const std::vector<uint8_t> bytes{
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,              // header
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                          // type () -> ()
        0x03, 0x03, 0x02, 0x00, 0x00,                                // two functions
        0x07, 0x07, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x01,           // export "run" = func 1
        0x0a, 0x0a, 0x02, 0x03, 0x00, 0x00, 0x0b, 0x04, 0x00, 0x10, 0x00, 0x0b,
        0x00, 0x1c, 0x04, 'n', 'a', 'm', 'e',                        // custom "name"
        0x00, 0x04, 0x03, 'm', 'o', 'd',                             // module name
        0x01, 0x0f, 0x02, 0x00, 0x04, 'l', 'e', 'a', 'f', 0x01, 0x06, 'c', 'a', 'l', 'l', 'e', 'r'};
    auto m = load_module(bytes);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(module_function_name(**m, 1), std::optional<std::string>("caller"));
    ASSERT_EQ(module_custom_sections(**m).size(), 1u);
    EXPECT_EQ(module_custom_sections(**m)[0].name, "name");
    Store store;
    auto inst = store.instantiate(*m, {});
    ASSERT_TRUE(inst.ok());
    ExecResult r = store.call(store.get_export(*inst, "run")->as_func(), {});
    ASSERT_THAT(r, Traps(TrapKind::unreachable));
    ASSERT_EQ(r.trap.backtrace.size(), 2u);
    EXPECT_EQ(r.trap.backtrace[0].func_name, "leaf");
    EXPECT_EQ(r.trap.backtrace[1].func_name, "caller");
    EXPECT_EQ(r.trap.backtrace[0].module_name, "mod");
}

}  // namespace
}  // namespace crush::test
